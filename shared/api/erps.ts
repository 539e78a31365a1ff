import { z } from 'zod';
import { customerSchema } from '../customer/schema';
import type { ErpAdapter } from '../erps/types';
import type { ApiDeps } from './deps';
import { type ApiResponse, json, notFound } from './http';

function describe(a: ErpAdapter<unknown>) {
  return {
    erp: a.id,
    displayName: a.displayName,
    capabilities: a.capabilities,
    maxAttempts: a.worker.maxAttempts,
    credentials: z.toJSONSchema(a.credentialsSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

/** GET /v1/erps: what each ERP supports and what its connection needs. */
export function listErps(deps: ApiDeps): ApiResponse {
  return json(200, { items: deps.adapters.list().map(describe) });
}

/** GET /v1/erps/{erp}/customer-schema: the unified body's JSON Schema, for that ERP. */
export function customerSchemaFor(erp: string, deps: ApiDeps): ApiResponse {
  const adapter = deps.adapters.get(erp);
  if (!adapter) throw notFound(`ERP ${erp.slice(0, 50)}`);
  return json(200, {
    erp: adapter.id,
    schema: z.toJSONSchema(customerSchema, { io: 'input', unrepresentable: 'any' }),
  });
}
