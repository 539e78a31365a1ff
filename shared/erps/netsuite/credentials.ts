import { z } from 'zod';

/**
 * NetSuite account ids come in two spellings: the canonical one (`1234567_SB1`, upper-case, underscore) is
 * the OAuth `realm`; the host form (`1234567-sb1`, lower-case, hyphen) is the SuiteTalk host name. Mixing
 * them up is the commonest cause of INVALID_LOGIN, so both are derived from one stored value.
 */
export function canonicalAccountId(accountId: string): string {
  return accountId.trim().toUpperCase().replace(/-/g, '_');
}

export function accountHostId(accountId: string): string {
  return accountId.trim().toLowerCase().replace(/_/g, '-');
}

const secret = (what: string) =>
  z
    .string()
    .trim()
    .min(8, `${what} looks too short`)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** Token-Based Authentication (OAuth 1.0a): an Integration record's consumer pair + an Access Token pair. */
export const netsuiteCredentialsSchema = z.strictObject({
  /** Either spelling is accepted (`1234567_SB1` or `1234567-sb1`); stored canonical. */
  accountId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]+([_-][A-Za-z0-9]+)?$/, 'a NetSuite account id such as 1234567 or 1234567_SB1')
    .max(40)
    .transform(canonicalAccountId),
  consumerKey: secret('consumerKey'),
  consumerSecret: secret('consumerSecret'),
  tokenId: secret('tokenId'),
  tokenSecret: secret('tokenSecret'),
  /** Internal id of the subsidiary new customers belong to (required by OneWorld accounts). */
  subsidiaryId: z
    .string()
    .trim()
    .regex(/^\d{1,12}$/, 'the internal id of a subsidiary, digits only')
    .optional(),
});

export type NetSuiteCredentials = z.output<typeof netsuiteCredentialsSchema>;
