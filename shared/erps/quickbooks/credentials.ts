import { z } from 'zod';

const secret = (what: string) => z.string().trim().min(1, what).max(4096);

/**
 * A QuickBooks Online connection: the company (realm) and the app's OAuth 2.0 client, plus the rotating
 * refresh token. The current access token and expiries are kept here too, so every worker shares one token
 * and a rotated refresh token is never lost (it is saved before the new access token is used).
 * The environment (sandbox vs production host) is the connection's own `environment`.
 */
export const quickbooksCredentialsSchema = z.strictObject({
  realmId: z
    .string()
    .trim()
    .regex(/^\d{1,32}$/, 'the QuickBooks company id (realmId), digits only'),
  clientId: secret('the app client id'),
  clientSecret: secret('the app client secret'),
  refreshToken: secret('the OAuth refresh token'),
  accessToken: secret('an access token').optional(),
  /** Epoch milliseconds when `accessToken` expires. */
  accessTokenExpiresAt: z.number().int().positive().optional(),
  /** Epoch milliseconds when `refreshToken` expires (rolling; informational). */
  refreshTokenExpiresAt: z.number().int().positive().optional(),
});

export type QuickBooksCredentials = z.output<typeof quickbooksCredentialsSchema>;
