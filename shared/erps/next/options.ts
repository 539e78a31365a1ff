import { field, readNetworkFailure, rowsOf, valuesOf } from '../options-kit';
import type { OptionsSpec } from '../types';
import { baseUrl, bearer, COMMON_HEADERS, tokenOf } from './client';
import type { NextCredentials } from './credentials';
import { failureFromResponse } from './outcomes';
import { ERP } from './responses';

/** NEXT's list pages are `{items, total, page, size}` (docs/filtering); 100 types is far more than a database has. */
export const CUSTOMER_TYPE_PATH = '/customertype/';

/**
 * NEXT: `customertypeid` is required, "Type (id) of customer/supplier (Company, Private, Government…)", and
 * per database. Listed by `GET /v1/customertype/` — UNVERIFIED path, inferred like `/v1/customer/` from the
 * documented `/v1/project/` pattern.
 */
export const nextOptions: OptionsSpec<NextCredentials> = {
  pointers: ['/erpFields/customertypeid'],
  requests: 1,
  async fetch(ctx) {
    const token = tokenOf(ctx.connection.credentials);
    if (typeof token !== 'string') return token;
    try {
      const res = await ctx.http.request({
        method: 'GET',
        url: `${baseUrl(ctx)}${CUSTOMER_TYPE_PATH}?page=1&size=100`,
        headers: { ...COMMON_HEADERS, ...bearer(token) },
      });
      if (res.status < 200 || res.status >= 300) return failureFromResponse(res, { write: false });
      const types = valuesOf(rowsOf(res.json, 'items'), 'id', (r) => r.name);
      return {
        kind: 'ok',
        fields: [field('/erpFields/customertypeid', 'Customer type', types, { required: true })],
      };
    } catch (err) {
      return readNetworkFailure(ERP, err);
    }
  },
};
