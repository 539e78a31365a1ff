import * as z from 'zod';
import { credentialField } from '../credential-fields';

/** A Siigo API user: the user's email and the access key from Siigo Nube (Alianzas > Mi Credencial API). */
export const siigoCredentialsSchema = z.strictObject({
  username: credentialField(z.string().trim().min(1, 'must not be empty').max(200), {
    en: {
      label: 'API user',
      help: 'The e-mail of the Siigo Nube user with API access (Siigo Nube: Alianzas > Mi credencial API).',
    },
    es: {
      label: 'Usuario API',
      help: 'El correo del usuario de Siigo Nube con acceso a la API (Siigo Nube: Alianzas > Mi credencial API).',
    },
  }),
  accessKey: credentialField(z.string().trim().min(1, 'must not be empty').max(500), {
    en: {
      label: 'Access key',
      help: 'The access key shown for that user under Alianzas > Mi credencial API (a long text that often ends in =).',
    },
    es: {
      label: 'Llave de acceso (access key)',
      help: 'La llave de acceso de ese usuario en Alianzas > Mi credencial API (un texto largo que suele terminar en =).',
    },
    secret: true,
  }),
});

export type SiigoCredentials = z.output<typeof siigoCredentialsSchema>;

/** Konvex sends the Siigo user as `username` and the access key as `apikey`. */
export function siigoFromInlineCredentials(username: string, apikey: string): SiigoCredentials {
  return siigoCredentialsSchema.parse({ username, accessKey: apikey });
}

const PARTNER_ID = /^[A-Za-z0-9]{3,100}$/;
export const DEFAULT_PARTNER_ID = 'ERPBridge';

/**
 * The `Partner-Id` header Siigo requires on every call: our application's name, the same for every company.
 * A malformed value would be refused by Siigo on every call (and Siigo blocks fake ids), so fail loudly.
 */
export function siigoPartnerId(env: Record<string, string | undefined> = process.env): string {
  const value = env.SIIGO_PARTNER_ID?.trim() || DEFAULT_PARTNER_ID;
  const problem = partnerIdProblem(value);
  if (problem) throw new Error(`SIIGO_PARTNER_ID ${problem}`);
  return value;
}

/** Why a Partner-Id is malformed (Siigo: 3–100 alphanumeric characters, no spaces), or undefined. */
export function partnerIdProblem(value: string): string | undefined {
  return PARTNER_ID.test(value) ? undefined : 'must be 3 to 100 letters or digits, without spaces';
}
