import * as z from 'zod';
import { credentialField } from '../credential-fields';

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
    clientId: credentialField(secret('client_id issued to the integrator by Next Tech').max(200), {
      en: {
        label: 'Client ID',
        help: "Issued by Next Tech to the application you are connecting; ask that application's provider.",
      },
      es: {
        label: 'Client ID',
        help: 'Next Tech se lo entrega a la aplicación que estás conectando; pídeselo a su proveedor.',
      },
    }),
    clientSecret: credentialField(secret('client_secret issued to the integrator by Next Tech'), {
      en: { label: 'Client secret', help: 'Issued by Next Tech together with the client ID.' },
      es: { label: 'Client secret', help: 'Next Tech lo entrega junto con el client ID.' },
      secret: true,
    }),
    databaseNo: credentialField(
      z
        .union([z.number().int().nonnegative(), z.string().trim()])
        .transform(String)
        .pipe(z.string().regex(/^\d{1,12}$/, 'the NEXT database number (digits, e.g. 1234)')),
      {
        en: {
          label: 'Database number',
          help: 'Your NEXT database (customer) number: the digits after project.next-tech.com/ in the address bar.',
        },
        es: {
          label: 'Número de base de datos',
          help: 'El número de tu base de datos (cliente) de NEXT: los dígitos después de project.next-tech.com/ en la barra de direcciones.',
        },
      },
    ),
    apiKey: credentialField(secret('one-time API key made in NEXT').optional(), {
      en: {
        label: 'One-time API key',
        help: 'In NEXT: Admin > Integrations > API keys > + (needs the admin right "One Time API Key"). It is used once, to connect.',
      },
      es: {
        label: 'Llave de API de un solo uso',
        help: 'En NEXT: Admin > Integrations > API keys > + (requiere el permiso "One Time API Key"). Se usa una sola vez, al conectar.',
      },
      secret: true,
    }),
    accessToken: credentialField(secret('token the one-time API key was exchanged for').optional(), {
      en: {
        label: 'Access token',
        help: 'The token the one-time key was exchanged for (kept by ERP Bridge).',
      },
      es: {
        label: 'Token de acceso',
        help: 'El token por el que se cambió la llave de un solo uso (lo guarda ERP Bridge).',
      },
      secret: true,
      internal: true,
    }),
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
