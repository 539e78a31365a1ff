import { z } from 'zod';

/**
 * An Alegra connection: the Alegra user's email and the API token generated under
 * Configuración → API – Integraciones con otros sistemas. Sent as HTTP Basic (email:token) on every call;
 * the token is static until regenerated, so there is nothing to exchange or refresh.
 */
export const alegraCredentialsSchema = z.strictObject({
  email: z.string().trim().pipe(z.email('the email of the Alegra user that generated the token').max(254)),
  // A colon cannot be carried by HTTP Basic in the user part; tokens are hex, so refuse whitespace too.
  token: z.string().trim().min(1, 'the Alegra API token').max(200).regex(/^\S+$/, 'the token has no spaces'),
});

export type AlegraCredentials = z.output<typeof alegraCredentialsSchema>;

/** Konvex-style inline headers: `username` is the Alegra user's email, `apikey` its API token. */
export function alegraFromInlineCredentials(username: string, apikey: string): AlegraCredentials {
  return alegraCredentialsSchema.parse({ email: username, token: apikey });
}
