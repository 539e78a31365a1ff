import { z } from 'zod';

/**
 * A ChargeOver connection: the instance (the sub-domain of `https://{instance}.chargeover.com`) and one REST API
 * credential pair (Settings → Developer → REST API). Sent as HTTP Basic: username = API username, password = private key.
 * People paste the whole host, so `acme.chargeover.com` and `https://acme.chargeover.com/` are reduced to `acme`.
 */
export const chargeoverCredentialsSchema = z.strictObject({
  instance: z
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
  username: z.string().trim().min(1, 'the REST API username').max(200),
  privateKey: z.string().trim().min(1, 'the REST API private key').max(200),
});

export type ChargeOverCredentials = z.output<typeof chargeoverCredentialsSchema>;
