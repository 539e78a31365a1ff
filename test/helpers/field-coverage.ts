import { simulators } from '../../local/simulators';
import { customerSchema, type UnifiedCustomer } from '../../shared/customer/schema';
import { resolveEndpoint } from '../../shared/erps/endpoints';
import type { ErpAdapter, FieldWarning, NativeRequest } from '../../shared/erps/types';
import { type Issue, issuesFromZod } from '../../shared/errors';

/** What the API does with a body before it queues anything: the unified schema, then the ERP's requirements. */
export type Accepted =
  | { kind: 'rejected'; issues: Issue[] }
  | { kind: 'accepted'; customer: UnifiedCustomer; warnings: FieldWarning[] };

export function accept(adapter: ErpAdapter<unknown>, body: unknown): Accepted {
  const parsed = customerSchema.safeParse(body);
  if (!parsed.success) return { kind: 'rejected', issues: issuesFromZod(parsed.error) };
  const issues = adapter.requirements(parsed.data);
  if (issues.length) return { kind: 'rejected', issues };
  return { kind: 'accepted', customer: parsed.data, warnings: adapter.warnings?.(parsed.data) ?? [] };
}

/** The native request a dry run returns, for the ERP's demo connection (real hosts, a fixed job id). */
export function dryRun(
  adapter: ErpAdapter<unknown>,
  customer: UnifiedCustomer,
  jobId = '00000000-0000-4000-8000-000000000000',
): NativeRequest {
  const credentials = adapter.credentialsSchema.parse(simulators[adapter.id]?.demoCredentials);
  return adapter.buildCreateRequest(customer, {
    jobId,
    endpoint: (name) => resolveEndpoint(adapter, name, 'sandbox', {}),
    connection: {
      environment: 'sandbox',
      credentials,
      tenantId: 'tenant-test',
      connectionId: `demo-${adapter.id}`,
    },
  });
}

/** Whether a pointer names `field` or something around it (an issue at `/phones` covers `/phones/0/kind`). */
export const related = (a: string, field: string) =>
  a === field || field.startsWith(`${a}/`) || a.startsWith(`${field}/`);

/** Whether a warning names `field` or one of its parents. */
export const warnedAbout = (warnings: readonly FieldWarning[], field: string) =>
  warnings.some((w) => w.pointer === field || field.startsWith(`${w.pointer}/`));

/** Every leaf pointer of a value (arrays by index), `erpFields` excluded. */
export function leaves(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}/${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      at === '' && k === 'erpFields' ? [] : leaves(v, `${at}/${k}`),
    );
  }
  return [at];
}

/** Reads a pointer's value. */
export function valueAt(value: unknown, pointer: string): unknown {
  let v = value;
  for (const k of pointer.split('/').slice(1))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Sets (or with `undefined`, deletes) a pointer's value in place, creating objects on the way. */
export function setAt(body: Record<string, unknown>, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  let node = body as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) {
    node[k] ??= {};
    node = node[k] as Record<string, unknown>;
  }
  const last = keys.at(-1) as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}
