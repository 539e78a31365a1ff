import { createHash } from 'node:crypto';
import * as z from 'zod';
import { credentialField } from '../credential-fields';

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
  apiKey: credentialField(
    z.string().trim().regex(API_KEY, 'a GUID, e.g. {39478ac6-ac2a-44d8-a31c-7e7e14af4de3}'),
    {
      en: {
        label: 'API key',
        help: "The Sage developer API key of the application you are connecting (a GUID such as {39478ac6-…}); ask that application's provider if you do not have it.",
      },
      es: {
        label: 'Llave de la API (API key)',
        help: 'La API key de desarrollador de Sage de la aplicación que estás conectando (un GUID como {39478ac6-…}); pídesela a su proveedor si no la tienes.',
      },
      secret: true,
    },
  ),
  /** The Sage Accounting login (usually an e-mail) and password: HTTP Basic on every call. */
  username: credentialField(z.string().trim().min(1).max(256), {
    en: {
      label: 'Sage login',
      help: 'The e-mail (or user name) you sign in to Sage Business Cloud Accounting with.',
    },
    es: {
      label: 'Usuario de Sage',
      help: 'El correo (o usuario) con el que entras a Sage Business Cloud Accounting.',
    },
  }),
  password: credentialField(z.string().min(1).max(256), {
    en: { label: 'Sage password', help: 'The password of that Sage login.' },
    es: { label: 'Contraseña de Sage', help: 'La contraseña de ese usuario de Sage.' },
    secret: true,
  }),
  /** The company the customers belong to (`companyid` query parameter); see GET Company/Get. */
  companyId: credentialField(
    z.union([
      z.number().int().positive(),
      z
        .string()
        .trim()
        .regex(/^\d{1,12}$/, 'digits only')
        .transform(Number),
    ]),
    {
      en: {
        label: 'Company ID',
        help: 'The number of the Sage company the customers belong to (digits): in Sage, Company > Company Details, or the companyid in the address bar.',
      },
      es: {
        label: 'ID de la empresa',
        help: 'El número de la empresa de Sage a la que pertenecen los clientes (solo dígitos): en Sage, Company > Company Details, o el companyid de la barra de direcciones.',
      },
    },
  ),
  regionHost: credentialField(z.enum(SAGE_REGION_HOSTS).default('accounting.sageone.co.za'), {
    en: {
      label: 'Sage region',
      help: 'The address you sign in to Sage at (South Africa, Australia, or the reseller host).',
    },
    es: {
      label: 'Región de Sage',
      help: 'La dirección en la que entras a Sage (Sudáfrica, Australia o el sitio de revendedores).',
    },
  }),
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
