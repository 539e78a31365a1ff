import type { UnifiedCustomer } from '../../customer/schema';
import type { Issue } from '../../errors';
import { erpFieldIssues, mappedBodyIssues, withoutCoveredAncestors } from '../native-fields';
import { FORBIDDEN_NAME_CHARS, NAME_FIELDS, QUICKBOOKS_CATALOG } from './fields';
import { type NativeCustomer, toQuickBooksCustomer } from './mapper';

/** Reads a dotted native path (`BillAddr.City`) from the body. */
function valueAt(body: Record<string, unknown>, path: string): unknown {
  let v: unknown = body;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The unified pointer a native field came from (`/erpFields/<key>` when the value came from there). */
function pointerOf(native: NativeCustomer, path: string): string | undefined {
  return native.sources.get(path);
}

/**
 * What QuickBooks would refuse (or mis-file), checked before a job is queued: a supplier (a Vendor in QuickBooks,
 * not a Customer), `erpFields` against the Customer's elements
 * (controlled, unknown, read-only keys, types and lengths), the mapped body against the API reference's lengths
 * (pointers name the unified field a value came from, derived ones included), no `:`/tab/newline in names, an
 * email with `@` and `.`, and one phone per QuickBooks slot.
 */
export function quickbooksRequirements(customer: UnifiedCustomer): Issue[] {
  const issues = erpFieldIssues(customer.erpFields, QUICKBOOKS_CATALOG);
  if (customer.type === 'supplier') {
    issues.unshift({
      pointer: '/type',
      code: 'unsupported',
      message: 'QuickBooks keeps suppliers as Vendor records; this adapter creates customers only',
    });
  }

  const native = toQuickBooksCustomer(customer);
  const displayName = native.body.DisplayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    issues.push({
      pointer: pointerOf(native, 'DisplayName') ?? '/name',
      code: 'required',
      message: 'QuickBooks needs a DisplayName (a non-empty string)',
    });
  }
  issues.push(...mappedBodyIssues(native.body, QUICKBOOKS_CATALOG, native.sources, customer.erpFields));

  for (const field of NAME_FIELDS) {
    const v = native.body[field];
    const pointer = pointerOf(native, field);
    if (typeof v === 'string' && pointer && FORBIDDEN_NAME_CHARS.test(v)) {
      issues.push({
        pointer,
        code: 'invalid_characters',
        message: `QuickBooks ${field} must not contain a colon, tab or newline`,
      });
    }
  }

  const email = valueAt(native.body, 'PrimaryEmailAddr.Address');
  const emailPointer = pointerOf(native, 'PrimaryEmailAddr.Address');
  if (typeof email === 'string' && emailPointer && !(email.includes('@') && email.includes('.'))) {
    issues.push({
      pointer: emailPointer,
      code: 'invalid_email',
      message: 'QuickBooks needs an email with "@" and "."',
    });
  }

  for (const i of native.unplacedPhones) {
    issues.push({
      pointer: `/phones/${i}`,
      code: 'too_many',
      message:
        'QuickBooks holds one primary, one mobile, one fax and one alternate phone; this phone has no free slot',
    });
  }
  return withoutCoveredAncestors(issues);
}
