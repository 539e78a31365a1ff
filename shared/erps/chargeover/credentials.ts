import * as z from 'zod';
import { credentialField } from '../credential-fields';

/**
 * A ChargeOver connection: the instance (the sub-domain of `https://{instance}.chargeover.com`) and one REST API
 * credential pair (Settings → Developer → REST API). Sent as HTTP Basic: username = API username, password = private key.
 * People paste the whole host, so `acme.chargeover.com` and `https://acme.chargeover.com/` are reduced to `acme`.
 */
export const chargeoverCredentialsSchema = z.strictObject({
  instance: credentialField(
    z
      .string()
      .trim()
      .toLowerCase()
      .transform((v) =>
        v
          .replace(/^https?:\/\//, '')
          .replace(/\/.*$/, '')
          .replace(/\.chargeover\.com$/, ''),
      )
      .pipe(
        z
          .string()
          .regex(
            /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
            'the ChargeOver sub-domain, e.g. "acme" for acme.chargeover.com',
          ),
      ),
    {
      en: {
        label: 'ChargeOver address',
        help: 'Your ChargeOver sub-domain: acme for https://acme.chargeover.com (pasting the whole address works too).',
      },
      es: {
        label: 'Dirección de ChargeOver',
        help: 'Tu subdominio de ChargeOver: acme para https://acme.chargeover.com (también puedes pegar la dirección completa).',
      },
    },
  ),
  username: credentialField(z.string().trim().min(1, 'the REST API username').max(200), {
    en: {
      label: 'REST API username',
      help: 'ChargeOver: Settings > Developer > REST API: the username of an API credential.',
    },
    es: {
      label: 'Usuario de la API REST',
      help: 'En ChargeOver: Settings > Developer > REST API: el usuario (username) de una credencial de la API.',
    },
  }),
  privateKey: credentialField(z.string().trim().min(1, 'the REST API private key').max(200), {
    en: {
      label: 'REST API private key',
      help: 'Shown next to that username (Settings > Developer > REST API).',
    },
    es: {
      label: 'Llave privada de la API REST',
      help: 'Aparece junto a ese usuario (Settings > Developer > REST API).',
    },
    secret: true,
  }),
});

export type ChargeOverCredentials = z.output<typeof chargeoverCredentialsSchema>;
