import * as z from 'zod';
import { credentialField } from '../credential-fields';

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

/** Either spelling is accepted (`1234567_SB1` or `1234567-sb1`); stored canonical. */
export const accountIdSchema = credentialField(
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]+([_-][A-Za-z0-9]+)?$/, 'a NetSuite account id such as 1234567 or 1234567_SB1')
    .max(40)
    .transform(canonicalAccountId),
  {
    en: {
      label: 'Account ID',
      help: 'Setup > Company > Company Information > Account ID, e.g. 1234567, or 1234567_SB1 for a sandbox.',
    },
    es: {
      label: 'ID de la cuenta',
      help: 'Setup > Company > Company Information > Account ID, p. ej. 1234567, o 1234567_SB1 para un sandbox.',
    },
  },
);

/** Internal id of the subsidiary new customers belong to (required by OneWorld accounts). */
export const subsidiaryId = credentialField(
  z
    .string()
    .trim()
    .regex(/^\d{1,12}$/, 'the internal id of a subsidiary, digits only')
    .optional(),
  {
    en: {
      label: 'Subsidiary internal ID (OneWorld only)',
      help: 'Setup > Company > Subsidiaries: the ID column of the subsidiary new customers belong to. Leave empty if your account has no subsidiaries.',
    },
    es: {
      label: 'ID interno de la subsidiaria (solo OneWorld)',
      help: 'Setup > Company > Subsidiaries: la columna ID de la subsidiaria a la que pertenecen los clientes nuevos. Déjalo vacío si tu cuenta no tiene subsidiarias.',
    },
  },
);

/**
 * Token-Based Authentication (OAuth 1.0a): an Integration record's consumer pair + an Access Token pair. `auth`
 * may be left out (connections stored before OAuth 2.0 existed). Closed to new integrations from 2027.1.
 */
export const netsuiteTbaSchema = z.strictObject({
  auth: z.literal('tba').optional(),
  accountId: accountIdSchema,
  consumerKey: credentialField(secret('consumerKey'), {
    en: {
      label: 'Consumer key',
      help: 'From the integration record (Setup > Integration > Manage Integrations), shown once when it is saved.',
    },
    es: {
      label: 'Consumer key',
      help: 'Del registro de integración (Setup > Integration > Manage Integrations); se muestra una sola vez al guardarlo.',
    },
  }),
  consumerSecret: credentialField(secret('consumerSecret'), {
    en: {
      label: 'Consumer secret',
      help: 'Shown with the consumer key when the integration record is saved.',
    },
    es: {
      label: 'Consumer secret',
      help: 'Se muestra junto con el consumer key al guardar el registro de integración.',
    },
    secret: true,
  }),
  tokenId: credentialField(secret('tokenId'), {
    en: {
      label: 'Token ID',
      help: 'From the access token (Setup > Users/Roles > Access Tokens > New) for that integration, shown once.',
    },
    es: {
      label: 'Token ID',
      help: 'Del token de acceso (Setup > Users/Roles > Access Tokens > New) de esa integración; se muestra una sola vez.',
    },
  }),
  tokenSecret: credentialField(secret('tokenSecret'), {
    en: { label: 'Token secret', help: 'Shown with the token ID when the access token is created.' },
    es: { label: 'Token secret', help: 'Se muestra junto con el token ID al crear el token de acceso.' },
    secret: true,
  }),
  subsidiaryId,
});

/** JWT client assertion algorithms NetSuite accepts for client credentials that this adapter signs with. */
export const M2M_ALGORITHMS = ['PS256', 'ES256'] as const;

/**
 * OAuth 2.0 client credentials (machine to machine): the integration record's client id, the certificate id of
 * the M2M mapping (Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup) and the private key of that
 * certificate (PEM: RSA for PS256, P-256 EC for ES256). Nothing rotates; an access token is minted per hour.
 */
export const netsuiteM2mSchema = z.strictObject({
  auth: z.literal('oauth2_m2m'),
  accountId: accountIdSchema,
  clientId: secret('clientId').describe('the integration record client id (consumer key)'),
  certificateId: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{8,128}$/, 'the certificate ID NetSuite shows for the M2M mapping'),
  privateKey: z
    .string()
    .max(16_384)
    .refine(
      (v) => /-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (RSA |EC )?PRIVATE KEY-----/.test(v),
      {
        message: 'a PEM private key (-----BEGIN PRIVATE KEY----- …)',
      },
    ),
  /** Default: PS256 for an RSA key, ES256 for an EC key. */
  algorithm: z.enum(M2M_ALGORITHMS).optional(),
  subsidiaryId,
});

/**
 * OAuth 2.0 authorization code, as the connect page obtains it (with PKCE): a refresh token of the operator's
 * integration (`app: "operator"`, the stage's own client id and secret, never stored here) or of an integration
 * whose client id and secret are given. Refresh tokens last 7 days by default (then `invalid_grant`: the end user
 * must consent again); access tokens an hour.
 */
export const netsuiteOAuth2Schema = z
  .strictObject({
    auth: z.literal('oauth2'),
    accountId: accountIdSchema,
    app: z.literal('operator').optional(),
    clientId: secret('clientId').optional(),
    clientSecret: secret('clientSecret').optional(),
    refreshToken: z.string().trim().min(8).max(8192),
    /** Epoch milliseconds when the refresh token stops working (informational: NetSuite answers invalid_grant). */
    refreshTokenExpiresAt: z.number().int().positive().optional(),
    subsidiaryId,
  })
  .superRefine((c, ctx) => {
    if (!c.app && !(c.clientId && c.clientSecret)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'give clientId and clientSecret, or app: "operator" for the stage\'s own integration',
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

/** A NetSuite connection: TBA (`auth` absent or `tba`), `oauth2_m2m` or `oauth2` (authorization code). */
export const netsuiteCredentialsSchema = z.discriminatedUnion('auth', [
  netsuiteTbaSchema,
  netsuiteM2mSchema,
  netsuiteOAuth2Schema,
]);

export type NetSuiteCredentials = z.output<typeof netsuiteCredentialsSchema>;
export type NetSuiteTbaCredentials = z.output<typeof netsuiteTbaSchema>;
export type NetSuiteM2mCredentials = z.output<typeof netsuiteM2mSchema>;
export type NetSuiteOAuth2Credentials = z.output<typeof netsuiteOAuth2Schema>;

export const isTba = (c: NetSuiteCredentials): c is NetSuiteTbaCredentials => !c.auth || c.auth === 'tba';
