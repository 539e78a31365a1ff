import * as z from 'zod';
import { customerSchema } from '../customer/schema';
import { erpFieldsJsonSchema } from '../erps/native-fields';
import type { ErpAdapter, SchemaHints } from '../erps/types';
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

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  maxLength?: number;
  [k: string]: unknown;
};

/** The node a pointer names, creating it under open objects (erpFields); each parent is marked on the way. */
function nodeAt(root: JsonSchema, pointer: string, markRequired: boolean): JsonSchema {
  let node = root;
  for (const key of pointer.split('/').slice(1)) {
    node.properties ??= {};
    if (markRequired && !node.required?.includes(key)) node.required = [...(node.required ?? []), key];
    node.properties[key] ??= {};
    node = node.properties[key] as JsonSchema;
  }
  return node;
}

/** The unified body's JSON Schema with one ERP's hints folded in (stricter, never looser). */
export function foldHints(schema: JsonSchema, hints: SchemaHints | undefined): JsonSchema {
  const out = structuredClone(schema);
  if (hints?.erpFields) {
    // The open record becomes the ERP's own fields: anything else is refused at accept time.
    const { propertyNames: _keys, additionalProperties: _any, ...rest } = nodeAt(out, '/erpFields', false);
    out.properties = { ...out.properties, erpFields: { ...rest, ...erpFieldsJsonSchema(hints.erpFields) } };
  }
  for (const p of hints?.required ?? []) nodeAt(out, p, true);
  for (const [p, max] of Object.entries(hints?.maxLength ?? {})) {
    const node = nodeAt(out, p, false);
    node.maxLength = Math.min(node.maxLength ?? max, max);
  }
  for (const [p, codes] of Object.entries(hints?.codes ?? {})) nodeAt(out, p, false)['x-erp-codes'] = codes;
  for (const [p, note] of Object.entries(hints?.notes ?? {})) nodeAt(out, p, false)['x-erp-note'] = note;
  return out;
}

/** GET /v1/erps/{erp}/customer-schema: the unified body's JSON Schema, with that ERP's requirements folded in. */
export function customerSchemaFor(erp: string, deps: ApiDeps): ApiResponse {
  const adapter = deps.adapters.get(erp);
  if (!adapter) throw notFound(`ERP ${erp.slice(0, 50)}`);
  const base = z.toJSONSchema(customerSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json(200, { erp: adapter.id, schema: foldHints(base, adapter.schemaHints) });
}
