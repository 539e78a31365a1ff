import type { Environment, ErpAdapter } from './types';

/** Base URL of one adapter endpoint: the env override (e.g. SIIGO_BASE_URL) or the real host for the environment. */
export function resolveEndpoint(
  adapter: Pick<ErpAdapter, 'id' | 'endpoints'>,
  name: string,
  environment: Environment,
  env: Record<string, string | undefined> = process.env,
): string {
  const spec = adapter.endpoints[name];
  if (!spec) throw new Error(`${adapter.id} has no endpoint named ${name}`);
  return env[spec.env] || spec[environment];
}
