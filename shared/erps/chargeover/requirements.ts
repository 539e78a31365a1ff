import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { toPointer } from '../../errors';
import { controlledFieldIssues } from '../controlled-fields';
import { currencyByIdIssues } from '../geo-currency';
import { CONTROLLED_FIELDS, type FieldKind, NATIVE_FIELDS } from './fields';

const isId = (v: unknown) =>
  (typeof v === 'number' && Number.isInteger(v) && v > 0) ||
  (typeof v === 'string' && /^[1-9]\d{0,18}$/.test(v));

const CHECKS: Record<FieldKind, { ok: (v: unknown) => boolean; expected: string }> = {
  string: { ok: (v) => typeof v === 'string', expected: 'a string' },
  id: { ok: isId, expected: 'a positive integer id' },
  flag: { ok: (v) => typeof v === 'boolean' || v === 0 || v === 1, expected: 'true/false (or 1/0)' },
  delivery: { ok: (v) => v === 'email' || v === 'print', expected: '"email" or "print"' },
  tags: {
    ok: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((t) => typeof t === 'string')),
    expected: 'a list of strings',
  },
};

/**
 * What ChargeOver would reject, or what would defeat the no-duplicates guarantee, found at accept time.
 * Length limits are not documented by ChargeOver, so none are enforced here (see docs/erps/chargeover.md).
 */
export function chargeoverRequirements(c: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  if (c.type !== 'customer') {
    issues.push({
      pointer: '/type',
      code: 'unsupported',
      message: 'ChargeOver only holds customers (no suppliers or other third parties)',
    });
  }
  issues.push(...currencyByIdIssues(c, 'ChargeOver', 'currency_id', 'an integer, e.g. 1'));
  issues.push(...controlledFieldIssues(c.erpFields, CONTROLLED_FIELDS));
  for (const [key, value] of Object.entries(c.erpFields ?? {})) {
    const pointer = toPointer(['erpFields', key]);
    if (Object.hasOwn(CONTROLLED_FIELDS, key)) continue;
    if (/^custom_\d+$/.test(key) && !(key in NATIVE_FIELDS)) {
      issues.push({
        pointer,
        code: 'unknown_field',
        message: 'ChargeOver has custom fields custom_1 to custom_20',
      });
      continue;
    }
    if (key === 'company' && (typeof value !== 'string' || value.trim() === '')) {
      issues.push({
        pointer,
        code: 'required',
        message: 'company (the customer name) must be a non-empty string',
      });
      continue;
    }
    const kind = NATIVE_FIELDS[key];
    // null clears an optional field; unknown keys pass through (ChargeOver has more fields than its docs list).
    if (!kind || value === null) continue;
    const check = CHECKS[kind];
    if (!check.ok(value)) {
      issues.push({ pointer, code: 'invalid_type', message: `${key} must be ${check.expected}` });
    }
  }
  return issues;
}
