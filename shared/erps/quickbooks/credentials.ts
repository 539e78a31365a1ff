import * as z from 'zod';
import { credentialField } from '../credential-fields';

const secret = (what: string) => z.string().trim().min(1, what).max(4096);
const kept = { internal: true, secret: true } as const;

/**
 * A QuickBooks Online connection: the company (realm), the app's OAuth 2.0 client, and the rotating refresh
 * token. The client is either given (`clientId` + `clientSecret`, e.g. a tenant's own Intuit app) or the stage's
 * own Intuit app (`app: "operator"`, what the connect page stores: the id and secret stay in the operator's
 * secret and are read at each refresh, never copied into connections). The current access token and expiries
 * are kept here too, so every worker shares one token and a rotated refresh token is never lost (it is saved
 * before the new access token is used). The environment (sandbox vs production host) is the connection's own.
 */
export const quickbooksCredentialsSchema = z
  .strictObject({
    realmId: credentialField(
      z
        .string()
        .trim()
        .regex(/^\d{1,32}$/, 'the QuickBooks company id (realmId), digits only'),
      {
        en: {
          label: 'Company ID (realmId)',
          help: 'Sent by Intuit with the consent (the realmId parameter).',
        },
        es: {
          label: 'ID de la empresa (realmId)',
          help: 'Intuit lo envía con el consentimiento (parámetro realmId).',
        },
      },
    ),
    app: z.literal('operator').optional().meta({
      description:
        "operator: the stage's own Intuit app (clientId and clientSecret are read from its secret)",
    }),
    clientId: secret('the app client id').optional(),
    clientSecret: secret('the app client secret').optional(),
    refreshToken: credentialField(secret('the OAuth refresh token'), {
      en: { label: 'Refresh token', help: 'From the OAuth consent; rotated by ERP Bridge at every refresh.' },
      es: {
        label: 'Refresh token',
        help: 'Del consentimiento OAuth; ERP Bridge lo rota en cada renovación.',
      },
      ...kept,
    }),
    accessToken: secret('an access token').optional(),
    /** Epoch milliseconds when `accessToken` expires. */
    accessTokenExpiresAt: z.number().int().positive().optional(),
    /** Epoch milliseconds when `refreshToken` expires (Intuit's `x_refresh_token_expires_in`; rolling). */
    refreshTokenExpiresAt: z.number().int().positive().optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.app && !(c.clientId && c.clientSecret)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.clientId ? 'clientSecret' : 'clientId'],
        message: 'give clientId and clientSecret of your Intuit app (or connect through a connect session)',
      });
    }
    if (c.app && (c.clientId || c.clientSecret)) {
      ctx.addIssue({
        code: 'custom',
        path: ['app'],
        message: 'app: "operator" takes no clientId or clientSecret',
      });
    }
  });

export type QuickBooksCredentials = z.output<typeof quickbooksCredentialsSchema>;
