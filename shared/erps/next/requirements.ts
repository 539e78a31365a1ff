import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer } from '../../errors';
import { controlledFieldIssues } from '../controlled-fields';
import { currencyByIdIssues } from '../geo-currency';
import { CONTROLLED_FIELDS, NEXT_FIELDS, type NextField } from './fields';
import { toNextCustomer } from './mapper';

function typeProblem(field: NextField, value: unknown): string | undefined {
  if (value === null) return field.nullable ? undefined : 'must not be null';
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'int':
      return Number.isInteger(value) ? undefined : 'must be an integer id';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
  }
}

/**
 * What NEXT would reject, found at accept time: the native body is built exactly as `create` would build it,
 * then checked field by field against NEXT's documented types, limits and rules; each issue points at the
 * unified field (or `erpFields` key) the native value came from.
 */
export function nextRequirements(c: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  issues.push(...currencyByIdIssues(c, 'NEXT', 'currencyid', 'an integer, e.g. 1'));
  issues.push(...controlledFieldIssues(c.erpFields, CONTROLLED_FIELDS));
  if (c.externalId && c.externalId.length > 50) {
    issues.push({
      pointer: '/externalId',
      code: 'too_long',
      message: 'NEXT keeps it as customerno, at most 50 characters',
    });
  }
  const { body, sources } = toNextCustomer(c, 'requirements');
  const seen = new Set<string>();
  const push = (key: string, code: string, message: string) => {
    const pointer = sources[key] ?? toPointer(['erpFields', key]);
    // billaddress1 repeats the name: one issue per unified field is enough.
    if (seen.has(`${pointer} ${code}`)) return;
    seen.add(`${pointer} ${code}`);
    issues.push({ pointer, code, message });
  };
  for (const [key, field] of Object.entries(NEXT_FIELDS)) {
    if (Object.hasOwn(CONTROLLED_FIELDS, key)) continue;
    const value = body[key];
    if (value === undefined) {
      if (field.required) {
        push(
          key,
          'required',
          key === 'customertypeid'
            ? 'NEXT requires customertypeid: the id of the customer type (Company, Private, Government…) in the target database'
            : `NEXT requires ${key}`,
        );
      }
      continue;
    }
    const problem = typeProblem(field, value);
    if (problem) {
      push(key, 'invalid_type', `${key} ${problem}`);
      continue;
    }
    if (field.required && field.type === 'string' && typeof value === 'string' && value.trim() === '') {
      push(key, 'required', `${key} must not be empty`);
    } else if (field.max !== undefined && typeof value === 'string' && value.length > field.max) {
      push(key, 'too_long', `NEXT allows at most ${field.max} characters in ${key} (got ${value.length})`);
    }
  }
  if (body.novat === true && body.constructioncompany === true) {
    push(
      'constructioncompany',
      'conflict',
      'constructioncompany (contractor VAT) is not allowed together with novat (tax.exempt)',
    );
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
