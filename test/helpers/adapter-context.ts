import { createTokenCache } from '../../shared/erps/token-cache';
import type {
  AdapterContext,
  Environment,
  ErpAdapter,
  LockService,
  OAuthApps,
} from '../../shared/erps/types';
import { createHttpClient, type HttpClient } from '../../shared/http/upstream';
import { createMemoryLockService } from '../../shared/locks/memory-lock';
import { registerSecrets } from './leak-guard';

/**
 * An AdapterContext for contract tests: credentials held in memory (saveCredentials updates them, like the
 * real store), endpoints pointed at a simulator, a real HTTP client with a short timeout.
 */
export function adapterContext<C>(
  adapter: ErpAdapter<C>,
  opts: {
    credentials: C;
    endpoints: Record<string, string>;
    jobId?: string;
    environment?: Environment;
    timeoutMs?: number;
    http?: HttpClient;
    locks?: LockService;
    tokens?: ReturnType<typeof createTokenCache>;
    tenantId?: string;
    connectionId?: string;
    /** The operator's OAuth apps (connections stored with app: "operator"). */
    apps?: OAuthApps;
  },
): AdapterContext<C> & { saved: C[]; reauth: string[] } {
  registerSecrets(opts.credentials);
  const saved: C[] = [];
  const reauth: string[] = [];
  let current = opts.credentials;
  const ctx = {
    jobId: opts.jobId ?? crypto.randomUUID(),
    connection: {
      tenantId: opts.tenantId ?? 'tenant-test',
      connectionId: opts.connectionId ?? `conn-${adapter.id}`,
      environment: opts.environment ?? 'sandbox',
      get credentials() {
        return current;
      },
      async saveCredentials(next: C) {
        registerSecrets(next);
        current = next;
        saved.push(next);
      },
      async reloadCredentials() {
        return current;
      },
      async markNeedsReauth(reason: string) {
        reauth.push(reason);
      },
    },
    http: opts.http ?? createHttpClient({ defaultTimeoutMs: opts.timeoutMs ?? 2000 }),
    endpoint(name: string) {
      const url = opts.endpoints[name];
      if (!url) throw new Error(`no endpoint ${name} configured for ${adapter.id}`);
      return url;
    },
    tokens: opts.tokens ?? createTokenCache(),
    locks: opts.locks ?? createMemoryLockService(),
    apps: opts.apps,
    now: () => Date.now(),
    saved,
    reauth,
  };
  return ctx;
}
