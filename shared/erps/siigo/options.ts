import { FISCAL_RESPONSIBILITIES } from '../../customer/codes';
import { field, fullName, rowsOf, valuesOf } from '../options-kit';
import type { OptionsSpec } from '../types';
import { baseUrl, siigoCall, siigoHeaders } from './client';
import type { SiigoCredentials } from './credentials';
import { failureFromResponse } from './errors';

/** DIAN fiscal responsibilities as Siigo names them (blueprint, "Responsabilidades fiscales" table, L2518). */
const FISCAL_NAMES: Record<(typeof FISCAL_RESPONSIBILITIES)[number], string> = {
  'R-99-PN': 'No aplica - Otros',
  'O-13': 'Gran contribuyente',
  'O-15': 'Autorretenedor',
  'O-23': 'Agente de retención IVA',
  'O-47': 'Régimen simple de tributación',
};

/**
 * Siigo: sellers and collectors are Siigo Nube users (`related_users.seller_id` / `collector_id` "must exist",
 * `GET /v1/users`, blueprint "Usuarios", L5360: id, username, first_name, last_name, active). Fiscal
 * responsibilities have no list endpoint: the DIAN table the blueprint prints.
 */
export const siigoOptions: OptionsSpec<SiigoCredentials> = {
  pointers: [
    '/erpFields/related_users/seller_id',
    '/erpFields/related_users/collector_id',
    '/tax/fiscalResponsibilities',
  ],
  requests: 1,
  async fetch(ctx) {
    const r = await siigoCall(
      ctx,
      { method: 'GET', url: `${baseUrl(ctx)}/v1/users`, headers: siigoHeaders() },
      false,
    );
    if ('failure' in r) return r.failure;
    if (r.res.status !== 200) return failureFromResponse(r.res, { write: false });
    // The blueprint documents a bare array; a paginated `results` envelope (as /v1/customers) is read too.
    const users = valuesOf(
      rowsOf(r.res.json, 'results'),
      'id',
      (u) => fullName(u.first_name, u.last_name) || u.username,
      (u) => u.active !== false,
    );
    return {
      kind: 'ok',
      fields: [
        field('/erpFields/related_users/seller_id', 'Seller (Siigo user)', users),
        field('/erpFields/related_users/collector_id', 'Collector (Siigo user)', users),
        field(
          '/tax/fiscalResponsibilities',
          'Fiscal responsibilities (DIAN)',
          FISCAL_RESPONSIBILITIES.map((code) => ({ value: code, label: `${code} ${FISCAL_NAMES[code]}` })),
          { multiple: true },
        ),
      ],
    };
  },
};
