import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer } from '../../errors';
import { currencyByIdIssues } from '../geo-currency';
import { erpFieldIssues, mappedBodyIssues } from '../native-fields';
import { NEXT_CATALOG, NEXT_REQUIRED } from './fields';
import { toNextCustomer } from './mapper';

/**
 * What NEXT would reject (or silently ignore), found at accept time: `erpFields` against NEXT's Create Customer
 * fields (controlled and unknown keys — pydantic ignores unknown members, so a typo would vanish — types and
 * lengths), then the native body built exactly as `create` would build it, field by field at the unified pointer
 * each value came from, and NEXT's own rules (required fields, novat vs constructioncompany, VAT number).
 */
export function nextRequirements(c: UnifiedCustomer): Issue[] {
  const issues = [
    ...currencyByIdIssues(c, 'NEXT', 'currencyid', 'an integer, e.g. 1'),
    ...erpFieldIssues(c.erpFields, NEXT_CATALOG),
  ];
  if (c.externalId && c.externalId.length > 50) {
    issues.push({
      pointer: '/externalId',
      code: 'too_long',
      message: 'NEXT keeps it as customerno, at most 50 characters',
    });
  }
  const { body, sources } = toNextCustomer(c, 'requirements');
  const pointerOf = (key: string) => sources[key] ?? toPointer(['erpFields', key]);
  for (const key of NEXT_REQUIRED) {
    if (body[key] !== undefined) continue;
    issues.push({
      pointer: pointerOf(key),
      code: 'required',
      message:
        key === 'customertypeid'
          ? 'NEXT requires customertypeid: the id of the customer type (Company, Private, Government…) in the target database'
          : `NEXT requires ${key}`,
    });
  }
  const mapped = mappedBodyIssues(body, NEXT_CATALOG, new Map(Object.entries(sources)), c.erpFields);
  // billaddress1 repeats the name: one issue per unified field is enough.
  const seen = new Set(issues.map((i) => `${i.pointer} ${i.code}`));
  for (const i of mapped) {
    if (seen.has(`${i.pointer} ${i.code}`)) continue;
    seen.add(`${i.pointer} ${i.code}`);
    issues.push(i);
  }
  if (body.novat === true && body.constructioncompany === true) {
    issues.push({
      pointer: pointerOf('constructioncompany'),
      code: 'conflict',
      message: 'constructioncompany (contractor VAT) is not allowed together with novat (tax.exempt)',
    });
  }
  if (body.constructioncompany === true && (typeof body.vatno !== 'string' || body.vatno.trim() === '')) {
    issues.push({
      pointer: '/identification',
      code: 'required',
      message: 'a construction company (reverse-charge VAT) needs a VAT number: identification {type: "VAT"}',
    });
  }
  return issues;
}
