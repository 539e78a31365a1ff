import type { UnifiedCustomer } from '../customer/schema';
import type { ErpId, OptionField } from '../erps/types';
import type { Issue } from '../errors';
import { stableHash } from '../jobs/ids';

/** Options are served from the cache this long; `?refresh=true` reads the ERP again at once. */
export const OPTIONS_TTL_SECONDS = 3600;
/**
 * Accept-time checks keep using a cached list this long after it was fetched (the item then expires): a value
 * added in the ERP since is refused until the tenant refreshes, and the 422 says so.
 */
export const OPTIONS_KEEP_SECONDS = 24 * 3600;

/** One connection's options as cached and served (GET /v1/connections/{id}/options). */
export interface ConnectionOptions {
  erp: ErpId;
  connectionId: string;
  fetchedAt: string;
  expiresAt: string;
  /** Strong validator of `fields` (RFC 9110 §8.8.3): equal lists, equal tags, whenever they were fetched. */
  etag: string;
  fields: OptionField[];
}

export function connectionOptions(
  erp: ErpId,
  connectionId: string,
  fields: OptionField[],
  now: Date,
): ConnectionOptions {
  return {
    erp,
    connectionId,
    fetchedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + OPTIONS_TTL_SECONDS * 1000).toISOString(),
    etag: `"${stableHash(fields).slice(0, 32)}"`,
    fields,
  };
}

/** Port: the per-connection options cache (the jobs table on AWS: `T#<tenant>` / `OPTIONS#<connection>`). */
export interface OptionsStore {
  get(tenantId: string, connectionId: string): Promise<ConnectionOptions | undefined>;
  put(tenantId: string, options: ConnectionOptions): Promise<void>;
  /** Forgets a connection's options (its credentials changed, or it was deleted). */
  delete(tenantId: string, connectionId: string): Promise<void>;
}

/** The value at an RFC 6901 pointer, or undefined. */
function at(value: unknown, pointer: string): unknown {
  let v = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Does the customer set any of these pointers (only then is the cache worth a read)? */
export const setsAnyOf = (customer: UnifiedCustomer, pointers: readonly string[]) =>
  pointers.some((p) => at(customer, p) !== undefined);

const MAX_LISTED = 20;

/**
 * The customer's values checked against the connection's cached options: one 422 issue per value the ERP does not
 * have, naming the valid ones (the first 20). A field the ERP returned no values for is not checked.
 */
export function optionIssues(options: ConnectionOptions | undefined, customer: UnifiedCustomer): Issue[] {
  if (!options) return [];
  const issues: Issue[] = [];
  for (const f of options.fields) {
    if (!f.values.length) continue;
    const v = at(customer, f.pointer);
    if (v === undefined || v === null) continue;
    const allowed = new Set(f.values.map((o) => o.value));
    const list =
      f.multiple && Array.isArray(v)
        ? v.map((x, i) => [x, `${f.pointer}/${i}`] as const)
        : [[v, f.pointer] as const];
    for (const [x, pointer] of list) {
      if (allowed.has(String(x))) continue;
      const shown = f.values
        .slice(0, MAX_LISTED)
        .map((o) => (o.label === o.value ? o.value : `${o.value} (${o.label})`));
      const more = f.values.length > MAX_LISTED ? ` and ${f.values.length - MAX_LISTED} more` : '';
      issues.push({
        pointer,
        code: 'not_an_option',
        message:
          `${JSON.stringify(x).slice(0, 60)} is not a ${f.label.toLowerCase()} of this ${options.erp} connection; ` +
          `valid: ${shown.join(', ')}${more} (as of ${options.fetchedAt}; ` +
          `GET /v1/connections/${options.connectionId}/options?refresh=true after adding one)`,
      });
    }
  }
  return issues;
}
