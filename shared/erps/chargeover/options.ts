import { field, readNetworkFailure, rowsOf, valuesOf } from '../options-kit';
import type { FailureOutcome, OptionsSpec } from '../types';
import { baseUrl, send } from './client';
import type { ChargeOverCredentials } from './credentials';
import { failureFromResponse } from './outcomes';
import { ERP } from './responses';

type Ctx = Parameters<OptionsSpec<ChargeOverCredentials>['fetch']>[0];

async function list(ctx: Ctx, type: string): Promise<Record<string, unknown>[] | FailureOutcome> {
  try {
    const res = await send(ctx, (creds) => ({
      method: 'GET',
      url: `${baseUrl(ctx, creds)}/${type}?limit=500`,
    }));
    if (res.status !== 200) return failureFromResponse(res, false, ctx.now());
    return rowsOf(res.json, 'response');
  } catch (err) {
    return readNetworkFailure(ERP, err);
  }
}

/**
 * ChargeOver: `currency_id` and `language_id` are ints on the customer [DOC]. Their lists: `GET /api/v3/currency`
 * and `GET /api/v3/language` in the REST envelope `{code, status, message, response: [...]}` with `currency_id`,
 * `currency_iso4217`, `currency_name` and `language_id`, `language_name` — UNVERIFIED object names, by the API's
 * `<type>_id` convention.
 */
export const chargeoverOptions: OptionsSpec<ChargeOverCredentials> = {
  pointers: ['/erpFields/currency_id', '/erpFields/language_id'],
  requests: 2,
  async fetch(ctx) {
    const currencies = await list(ctx, 'currency');
    if (!Array.isArray(currencies)) return currencies;
    const languages = await list(ctx, 'language');
    if (!Array.isArray(languages)) return languages;
    return {
      kind: 'ok',
      fields: [
        field(
          '/erpFields/currency_id',
          'Currency',
          valuesOf(currencies, 'currency_id', (r) =>
            `${r.currency_iso4217 ?? ''} ${r.currency_name ?? ''}`.trim(),
          ),
        ),
        field(
          '/erpFields/language_id',
          'Language',
          valuesOf(languages, 'language_id', (r) => r.language_name),
        ),
      ],
    };
  },
};
