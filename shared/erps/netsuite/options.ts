import { field, rowsOf, valuesOf } from '../options-kit';
import type { FailureOutcome, OptionField, OptionsSpec } from '../types';
import { baseUrl, netsuiteCall } from './client';
import type { NetSuiteCredentials } from './credentials';
import { failureFromResponse } from './errors';

type Ctx = Parameters<OptionsSpec<NetSuiteCredentials>['fetch']>[0];
type Rows = Record<string, unknown>[];

function readFailure(res: Parameters<typeof failureFromResponse>[0]): FailureOutcome {
  const f = failureFromResponse(res, { write: false });
  return f.kind === 'duplicate' ? { kind: 'invalid', upstream: f.upstream } : f;
}

/** SuiteQL (`POST /services/rest/query/v1/suiteql`, `Prefer: transient`): rows of `items`. */
async function suiteql(ctx: Ctx, q: string): Promise<Rows | FailureOutcome> {
  const r = await netsuiteCall(ctx, {
    method: 'POST',
    url: `${baseUrl(ctx)}/services/rest/query/v1/suiteql?limit=1000`,
    headers: { 'Content-Type': 'application/json', Prefer: 'transient' },
    body: { q },
  });
  if ('failure' in r) return r.failure;
  return r.res.status === 200 ? rowsOf(r.res.json, 'items') : readFailure(r.res);
}

/**
 * The customer form ids, from the record's per-account JSON Schema (`GET …/metadata-catalog/customer`,
 * `Accept: application/schema+json`): `properties.customForm.properties.id.enum`. UNCERTAIN: where NetSuite lists
 * the forms in that schema is our reading; when it is absent no customForm field is offered.
 */
async function customForms(ctx: Ctx): Promise<Rows | FailureOutcome> {
  const r = await netsuiteCall(ctx, {
    method: 'GET',
    url: `${baseUrl(ctx)}/services/rest/record/v1/metadata-catalog/customer`,
    headers: { Accept: 'application/schema+json' },
  });
  if ('failure' in r) return r.failure;
  if (r.res.status !== 200) return readFailure(r.res);
  const id = (r.res.json as { properties?: { customForm?: { properties?: { id?: { enum?: unknown } } } } })
    ?.properties?.customForm?.properties?.id;
  const ids = Array.isArray(id?.enum) ? id.enum : [];
  const labels = (id as { 'x-ns-enum-labels'?: unknown } | undefined)?.['x-ns-enum-labels'];
  return ids.map((v, i) => ({ id: v, name: Array.isArray(labels) ? labels[i] : undefined }));
}

/**
 * NetSuite (OneWorld): `subsidiary`, `currency` and `customForm` are references `{id}` (netsuite.md §4.3).
 * Subsidiaries and currencies by SuiteQL (`SELECT id, name FROM subsidiary WHERE isinactive = 'F'`, the same for
 * currency with its symbol); custom forms from the metadata catalog.
 */
export const netsuiteOptions: OptionsSpec<NetSuiteCredentials> = {
  pointers: ['/erpFields/subsidiary/id', '/erpFields/currency/id', '/erpFields/customForm/id'],
  requests: 3,
  async fetch(ctx) {
    const subsidiaries = await suiteql(ctx, "SELECT id, name FROM subsidiary WHERE isinactive = 'F'");
    if (!Array.isArray(subsidiaries)) return subsidiaries;
    const currencies = await suiteql(ctx, "SELECT id, symbol, name FROM currency WHERE isinactive = 'F'");
    if (!Array.isArray(currencies)) return currencies;
    const forms = await customForms(ctx);
    if (!Array.isArray(forms)) return forms;
    const fields: OptionField[] = [
      field(
        '/erpFields/subsidiary/id',
        'Subsidiary',
        valuesOf(subsidiaries, 'id', (r) => r.name),
        {
          // A OneWorld account needs one; the connection's subsidiaryId is sent when the customer names none.
          required: false,
        },
      ),
      field(
        '/erpFields/currency/id',
        'Currency',
        valuesOf(currencies, 'id', (r) => (r.symbol ? `${r.symbol} ${r.name ?? ''}`.trim() : r.name)),
      ),
    ];
    if (forms.length)
      fields.push(
        field(
          '/erpFields/customForm/id',
          'Custom form',
          valuesOf(forms, 'id', (r) => r.name),
        ),
      );
    return { kind: 'ok', fields };
  },
};
