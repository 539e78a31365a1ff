import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Hosts serving the SA-style API 2.0.0: South Africa, Australia, and the SA reseller/accountant host. */
export const SAGE_REGION_HOSTS = [
  'accounting.sageone.co.za',
  'accounting.sageone.com.au',
  'resellers.accounting.sageone.co.za',
] as const;

/** Sage issues the API key as a GUID, often shown wrapped in braces; both spellings are accepted and sent as given. */
const API_KEY = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

export const sageCredentialsSchema = z.strictObject({
  /** Developer-programme API key, sent as the `apikey` query parameter on every call. */
  apiKey: z.string().trim().regex(API_KEY, 'a GUID, e.g. {39478ac6-ac2a-44d8-a31c-7e7e14af4de3}'),
  /** The Sage Accounting login (usually an e-mail) and password: HTTP Basic on every call. */
  username: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(256),
  /** The company the customers belong to (`companyid` query parameter); see GET Company/Get. */
  companyId: z.union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'digits only')
      .transform(Number),
  ]),
  regionHost: z.enum(SAGE_REGION_HOSTS).default('accounting.sageone.co.za'),
});

export type SageCredentials = z.output<typeof sageCredentialsSchema>;

/**
 * Sage blocks by API key + company + user, so that triple (hashed: it holds a secret) names a block.
 * The host is included because the same ids on another region are a different account.
 */
export function blockScope(c: SageCredentials): string {
  return createHash('sha256')
    .update([c.regionHost, c.apiKey.toLowerCase(), c.companyId, c.username.toLowerCase()].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

/** The values that must never leave in a message, log or dry run. */
export function secretsOf(c: SageCredentials): string[] {
  const basic = Buffer.from(`${c.username}:${c.password}`).toString('base64');
  return [c.password, c.apiKey, encodeURIComponent(c.apiKey), basic, c.username].filter((s) => s.length >= 4);
}
