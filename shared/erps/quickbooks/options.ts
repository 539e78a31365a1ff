import { field, readNetworkFailure, rowsOf, valuesOf } from '../options-kit';
import type { FailureOutcome, OptionField, OptionsSpec } from '../types';
import { send } from './client';
import type { QuickBooksCredentials } from './credentials';
import { companyUrl, MINOR_VERSION } from './endpoints';
import { ERP, QuickBooksFailure } from './failure';
import { failureFromResponse } from './outcomes';

type Ctx = Parameters<OptionsSpec<QuickBooksCredentials>['fetch']>[0];

/** One query (`select * from <Entity>`): the entity's rows, or the failure. */
async function query(ctx: Ctx, entity: string): Promise<Record<string, unknown>[] | FailureOutcome> {
  const { realmId } = ctx.connection.credentials;
  const q = encodeURIComponent(`select * from ${entity} maxresults 1000`);
  try {
    const res = await send(ctx, {
      method: 'GET',
      url: `${companyUrl(ctx.endpoint('base'), realmId)}/query?query=${q}&minorversion=${MINOR_VERSION}`,
      headers: { Accept: 'application/json' },
    });
    if (res.status !== 200) return failureFromResponse(res, { write: false, now: ctx.now() });
    return rowsOf((res.json as { QueryResponse?: unknown } | undefined)?.QueryResponse, entity);
  } catch (err) {
    if (err instanceof QuickBooksFailure) return err.outcome;
    return readNetworkFailure(ERP, err);
  }
}

/**
 * QuickBooks Online: `SalesTermRef` names a Term (`select * from Term`: Id, Name, Active) and `CurrencyRef` a
 * currency the company uses: its home currency (`Preferences.CurrencyPrefs.HomeCurrency`) and, with multicurrency
 * on, each one it added (`select * from CompanyCurrency`: Code, Name, Active). Intuit API reference, entities
 * Term, Preferences and CompanyCurrency.
 */
export const quickbooksOptions: OptionsSpec<QuickBooksCredentials> = {
  pointers: ['/erpFields/SalesTermRef/value', '/currency'],
  requests: 3,
  async fetch(ctx) {
    const terms = await query(ctx, 'Term');
    if (!Array.isArray(terms)) return terms;
    const prefs = await query(ctx, 'Preferences');
    if (!Array.isArray(prefs)) return prefs;
    const currencyPrefs = prefs[0]?.CurrencyPrefs as
      | { HomeCurrency?: { value?: unknown }; MultiCurrencyEnabled?: unknown }
      | undefined;
    const currencies = currencyPrefs?.MultiCurrencyEnabled ? await query(ctx, 'CompanyCurrency') : [];
    if (!Array.isArray(currencies)) return currencies;
    const isActive = (r: Record<string, unknown>) => r.Active !== false;
    const fields: OptionField[] = [
      field(
        '/erpFields/SalesTermRef/value',
        'Sales terms',
        valuesOf(terms, 'Id', (r) => r.Name, isActive),
      ),
    ];
    const home = currencyPrefs?.HomeCurrency?.value;
    const codes = valuesOf(
      [...(typeof home === 'string' ? [{ Code: home, Name: 'home currency' }] : []), ...currencies],
      'Code',
      (r) => (r.Name ? `${r.Code} ${r.Name}` : r.Code),
      isActive,
    );
    if (codes.length) fields.push(field('/currency', 'Currency (home, or enabled in the company)', codes));
    return { kind: 'ok', fields };
  },
};
