import { field, rowsOf, valuesOf } from '../options-kit';
import type { FailureOutcome, OptionsSpec } from '../types';
import { send } from './client';
import type { AlegraCredentials } from './credentials';
import { classifyFailure } from './errors';

type Ctx = Parameters<OptionsSpec<AlegraCredentials>['fetch']>[0];

async function list(ctx: Ctx, path: string): Promise<Record<string, unknown>[] | FailureOutcome> {
  const sent = await send(ctx, { method: 'GET', url: `${ctx.endpoint('base').replace(/\/+$/, '')}/${path}` });
  if (!sent.ok) return sent.outcome;
  if (sent.res.status >= 200 && sent.res.status < 300) return rowsOf(sent.res.json, 'data');
  const f = classifyFailure(sent.res, { write: false, creds: ctx.connection.credentials, now: ctx.now() });
  return f.kind === 'duplicate' ? { kind: 'invalid', upstream: f.upstream } : f;
}

const active = (r: Record<string, unknown>) => r.status === undefined || r.status === 'active';

/**
 * Alegra: `priceList` and `seller` are references `{id}` on a contact (AL-CLI). Their lists: `GET /price-lists`
 * and `GET /sellers` (Alegra API reference: arrays of {id, name, status}); UNCONFIRMED against a live account.
 */
export const alegraOptions: OptionsSpec<AlegraCredentials> = {
  pointers: ['/erpFields/priceList/id', '/erpFields/seller/id'],
  requests: 2,
  async fetch(ctx) {
    const prices = await list(ctx, 'price-lists');
    if (!Array.isArray(prices)) return prices;
    const sellers = await list(ctx, 'sellers');
    if (!Array.isArray(sellers)) return sellers;
    return {
      kind: 'ok',
      fields: [
        field(
          '/erpFields/priceList/id',
          'Price list',
          valuesOf(prices, 'id', (r) => r.name, active),
        ),
        field(
          '/erpFields/seller/id',
          'Seller',
          valuesOf(sellers, 'id', (r) => r.name, active),
        ),
      ],
    };
  },
};
