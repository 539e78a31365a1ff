import * as z from 'zod';
import { credentialField } from '../credential-fields';

/**
 * An Alegra connection: the Alegra user's email and the API token generated under
 * Configuración → API – Integraciones con otros sistemas. Sent as HTTP Basic (email:token) on every call;
 * the token is static until regenerated, so there is nothing to exchange or refresh.
 */
export const alegraCredentialsSchema = z.strictObject({
  email: credentialField(
    z.string().trim().pipe(z.email('the email of the Alegra user that generated the token').max(254)),
    {
      en: {
        label: 'Alegra user e-mail',
        help: 'The e-mail you sign in to Alegra with (the user that made the token).',
      },
      es: {
        label: 'Correo del usuario de Alegra',
        help: 'El correo con el que entras a Alegra (el del usuario que generó el token).',
      },
    },
  ),
  // A colon cannot be carried by HTTP Basic in the user part; tokens are hex, so refuse whitespace too.
  token: credentialField(
    z.string().trim().min(1, 'the Alegra API token').max(200).regex(/^\S+$/, 'the token has no spaces'),
    {
      en: {
        label: 'API token',
        help: 'In Alegra: Configuración > API - Integraciones con otros sistemas; copy the token shown there.',
      },
      es: {
        label: 'Token de la API',
        help: 'En Alegra: Configuración > API - Integraciones con otros sistemas; copia el token que aparece allí.',
      },
      secret: true,
    },
  ),
});

export type AlegraCredentials = z.output<typeof alegraCredentialsSchema>;

/** Konvex-style inline headers: `username` is the Alegra user's email, `apikey` its API token. */
export function alegraFromInlineCredentials(username: string, apikey: string): AlegraCredentials {
  return alegraCredentialsSchema.parse({ email: username, token: apikey });
}
