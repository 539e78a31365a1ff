import * as z from 'zod';
import { connectionIdSchema } from '../connections/connection-id';
import { ERP_IDS } from '../erps/types';
import { DEFAULT_EXPIRES_IN, MAX_EXPIRES_IN } from './session';

// The request body apart from the session itself: it is classic zod with OpenAPI metadata, and the sweeper,
// which makes reconnect sessions but parses no request, bundles session.ts without it.
const erpName = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(ERP_IDS));

/** POST /v1/connect-sessions */
export const createSessionBody = z.strictObject({
  endUser: z
    .strictObject({
      id: z
        .string()
        .trim()
        .min(1)
        .max(200)
        // Control characters (Unicode Cc: C0, DEL, C1) would forge log lines and break the page's text.
        // `*`: an empty id is min(1)'s one error, not two for one pointer.
        .regex(/^[^\x00-\x1f\x7f-\x9f]*$/, 'printable text')
        .meta({ description: "your own id of the end user (your customer's account)", example: 'acct_8842' }),
      email: z.email().max(254).optional().meta({ example: 'finance@stark.co' }),
    })
    .meta({ description: 'who will open the link (shown back in the session and its webhooks)' }),
  allowedErps: z
    .array(erpName)
    .min(1)
    .max(ERP_IDS.length)
    .optional()
    .meta({ description: 'the ERPs the page offers (default: all)', example: ['siigo', 'alegra'] }),
  connectionId: z.optional(connectionIdSchema).meta({
    description: 'reconnect this existing connection in place (same ERP and company; new credentials)',
    example: 'cs-quickbooks-acme',
  }),
  environment: z
    .enum(['sandbox', 'production'])
    .optional()
    .meta({ description: "default production; a reconnect takes the connection's" }),
  returnUrl: z.string().max(2000).optional().meta({
    description:
      'where the browser goes when done, with ?session=<id>&status=completed|failed (https, public host)',
    example: 'https://app.example.com/integrations/erp/done',
  }),
  expiresIn: z
    .number()
    .int()
    .min(60)
    .max(MAX_EXPIRES_IN)
    .default(DEFAULT_EXPIRES_IN)
    .meta({ description: 'seconds the link stays usable (default 1800, at most 7 days)' }),
  locale: z
    .enum(['es', 'en'])
    .optional()
    .meta({ description: "the page's language (default: the browser's)" }),
});
export type CreateSessionInput = z.output<typeof createSessionBody>;
