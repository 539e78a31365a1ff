import { z } from 'zod';

const secret = (what: string) => z.string().trim().min(1, `the ${what}`).max(500);

/**
 * A NEXT connection. The integrator's `clientId` + `clientSecret` (issued by Next Tech), the customer's
 * database number, and either
 * - `apiKey`: the one-time API key made in NEXT (Admin → Integrations → API keys). It is spent on first use:
 *   `prepareConnection` exchanges it for the never-expiring token when the connection is stored, and only the
 *   token is kept; or
 * - `accessToken`: that token, already exchanged (what the stored secret holds).
 * Exactly one of the two: a key next to a token would be spent for nothing, or silently ignored.
 */
export const nextCredentialsSchema = z
  .strictObject({
    clientId: secret('client_id issued to the integrator by Next Tech').max(200),
    clientSecret: secret('client_secret issued to the integrator by Next Tech'),
    databaseNo: z
      .union([z.number().int().nonnegative(), z.string().trim()])
      .transform(String)
      .pipe(z.string().regex(/^\d{1,12}$/, 'the NEXT database number (digits, e.g. 1234)')),
    apiKey: secret('one-time API key made in NEXT').optional(),
    accessToken: secret('token the one-time API key was exchanged for').optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.apiKey && !c.accessToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: 'give the one-time API key (apiKey), or the token it was exchanged for (accessToken)',
      });
    }
    if (c.apiKey && c.accessToken) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKey'],
        message: 'give either apiKey or accessToken, not both',
      });
    }
  });

export type NextCredentials = z.output<typeof nextCredentialsSchema>;
