import { field, fullName, rowsOf, valuesOf } from '../options-kit';
import type { FailureOutcome, OptionsSpec } from '../types';
import { companyUrl, genericFailure, isFailure, sageCall } from './client';
import type { SageCredentials } from './credentials';

type Ctx = Parameters<OptionsSpec<SageCredentials>['fetch']>[0];

async function list(ctx: Ctx, path: string): Promise<Record<string, unknown>[] | FailureOutcome> {
  const res = await sageCall(ctx, { method: 'GET', url: companyUrl(ctx, path) }, false);
  if (isFailure(res)) return res;
  if (res.status < 200 || res.status >= 300) return genericFailure(res, ctx.connection.credentials, false);
  return rowsOf(res.json, 'Results');
}

/**
 * Sage Business Cloud Accounting (ZA/AU, API 2.0.0): a customer's `Category` ({ID}) and `SalesRepresentativeId`
 * (sage.md). Lists: `GET CustomerCategory/Get` and `GET SalesRepresentative/Get`, OData pages
 * `{TotalResults, ReturnedResults, Results}` — the paths from third-party wrappers (Pietervdw/sageone-api-wrapper),
 * UNCONFIRMED against Sage's own reference.
 */
export const sageOptions: OptionsSpec<SageCredentials> = {
  pointers: ['/erpFields/Category/ID', '/erpFields/SalesRepresentativeId'],
  requests: 2,
  async fetch(ctx) {
    const categories = await list(ctx, 'CustomerCategory/Get');
    if (!Array.isArray(categories)) return categories;
    const reps = await list(ctx, 'SalesRepresentative/Get');
    if (!Array.isArray(reps)) return reps;
    return {
      kind: 'ok',
      fields: [
        field(
          '/erpFields/Category/ID',
          'Customer category',
          valuesOf(categories, 'ID', (r) => r.Description),
        ),
        field(
          '/erpFields/SalesRepresentativeId',
          'Sales representative',
          valuesOf(
            reps,
            'ID',
            (r) => fullName(r.FirstName, r.LastName) || r.Name,
            (r) => r.Active !== false,
          ),
        ),
      ],
    };
  },
};
