import type { UnifiedCustomer } from '../../customer/schema';
import { type Issue, toPointer } from '../../errors';
import { CONTROLLED_KEYS, CUSTOMER_ELEMENTS, FORBIDDEN_NAME_CHARS, MAX_LENGTH, NAME_FIELDS } from './fields';
import { type NativeCustomer, toQuickBooksCustomer } from './mapper';

const length = (s: string) => Array.from(s).length;

/** Reads a dotted native path (`BillAddr.City`) from the body. */
function valueAt(body: Record<string, unknown>, path: string): unknown {
  let v: unknown = body;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The unified pointer a native field came from; fields the caller did not give (derived) have none. */
function pointerOf(native: NativeCustomer, path: string): string | undefined {
  return native.sources.get(path);
}

/**
 * What QuickBooks would refuse, checked before a job is queued: lengths per the XSD, no `:`/tab/newline in
 * names, one phone per QuickBooks slot, and `erpFields` keys that are Customer elements the adapter does not control.
 * Pointers name the unified field (or `/erpFields/<key>` when the value came from there).
 */
export function quickbooksRequirements(customer: UnifiedCustomer): Issue[] {
  const issues: Issue[] = [];
  for (const key of Object.keys(customer.erpFields ?? {})) {
    if ((CONTROLLED_KEYS as readonly string[]).includes(key)) {
      issues.push({
        pointer: toPointer(['erpFields', key]),
        code: 'not_allowed',
        message: `${key} is set by the adapter: with it a create would update an existing QuickBooks customer`,
      });
    } else if (!CUSTOMER_ELEMENTS.has(key)) {
      issues.push({
        pointer: toPointer(['erpFields', key]),
        code: 'unknown_field',
        message: `${key} is not a field of the QuickBooks Customer (names are case-sensitive, e.g. DisplayName)`,
      });
    }
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

  for (const [path, max] of Object.entries(MAX_LENGTH)) {
    const v = valueAt(native.body, path);
    const pointer = pointerOf(native, path);
    if (v === undefined || !pointer) continue;
    if (typeof v !== 'string') {
      issues.push({ pointer, code: 'invalid_type', message: `QuickBooks ${path} must be a string` });
    } else if (length(v) > max) {
      issues.push({
        pointer,
        code: 'too_long',
        message: `QuickBooks ${path} allows at most ${max} characters (got ${length(v)})`,
      });
    }
  }

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
  return issues;
}
