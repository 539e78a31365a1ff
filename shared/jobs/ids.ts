import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace for job ids derived from an idempotency key or a message id. */
const JOB_NAMESPACE = '6f1c2a3e-8a5b-4c7d-9e0f-1a2b3c4d5e6f';

/**
 * A job id derived from the tenant's Idempotency-Key: the same key always names the same job, so the
 * conditional put of the job IS the idempotency record (no second item, no transaction needed).
 */
export function jobIdForIdempotencyKey(tenantId: string, key: string): string {
  return uuidv5(`key:${tenantId}:${key}`, JOB_NAMESPACE);
}

/** A job id for a queue message that carries neither jobId nor idempotencyKey: redelivery maps to the same job. */
export function jobIdForMessage(messageId: string): string {
  return uuidv5(`msg:${messageId}`, JOB_NAMESPACE);
}

/** Stable hash of a JSON value (object keys sorted), for idempotency comparisons. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
