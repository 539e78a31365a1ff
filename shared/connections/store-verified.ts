import { type AdapterRuntime, adapterContext } from '../erps/context';
import { UpstreamRedactor } from '../erps/redaction';
import type { Environment, ErpAdapter, FailureOutcome } from '../erps/types';
import type { ConnectionLimits } from '../pacing/limits';
import { type ConnectionMetadata, type ConnectionStore, metadataOf, type StoredConnection } from './store';

export interface StoreConnectionRequest {
  tenantId: string;
  connectionId: string;
  adapter: ErpAdapter<unknown>;
  environment: Environment;
  /** Already parsed with the adapter's credentials schema. */
  credentials: unknown;
  limits?: ConnectionLimits;
  /** Prove the credentials upstream (the adapter's `verify`) before anything is written. */
  verify: boolean;
}

export type StoreConnectionResult =
  | { kind: 'stored'; meta: ConnectionMetadata; existed: boolean; verified: boolean }
  | { kind: 'refused'; outcome: FailureOutcome };

/**
 * Stores a connection the one way both PUT /v1/connections and the connect page do: nothing is written until the
 * ERP has accepted what must be checked (NEXT's one-time key is exchanged here, `verify` proves the rest); tokens
 * an adapter rotates meanwhile (QuickBooks) are kept for the final write. A refusal comes back as the ERP's outcome,
 * redacted (an ERP may echo the credentials); an adapter that throws does not carry a credential out either.
 */
export async function storeConnection(
  rt: Omit<AdapterRuntime, 'connections'> & { connections: ConnectionStore },
  r: StoreConnectionRequest,
): Promise<StoreConnectionResult> {
  const now = new Date().toISOString();
  const pendingStore = new PendingConnection({
    tenantId: r.tenantId,
    connectionId: r.connectionId,
    erp: r.adapter.id,
    environment: r.environment,
    status: 'active',
    credentials: r.credentials,
    createdAt: now,
    updatedAt: now,
  });
  const redactor = new UpstreamRedactor();
  const runtime = { ...rt, connections: pendingStore, redactor };
  const redacted = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      throw new Error(redactor.text((e as Error).message ?? ''));
    }
  };
  const ctx = () =>
    adapterContext(
      r.adapter,
      pendingStore.current,
      pendingStore.current.credentials,
      `connection:${r.connectionId}`,
      runtime,
    );
  if (r.adapter.prepareConnection) {
    const prepareConnection = r.adapter.prepareConnection.bind(r.adapter);
    const prepared = await redacted(() => prepareConnection(ctx()));
    if (prepared.kind !== 'ok') return { kind: 'refused', outcome: redactor.outcome(prepared) };
    pendingStore.current = { ...pendingStore.current, credentials: prepared.credentials };
  }
  if (r.verify) {
    const result = await redacted(() => r.adapter.verify(ctx()));
    if (result.kind !== 'ok') return { kind: 'refused', outcome: redactor.outcome(result) };
  }
  const existed = !!(await rt.connections.getMetadata(r.tenantId, r.connectionId));
  const meta = await rt.connections.put({
    tenantId: r.tenantId,
    connectionId: r.connectionId,
    erp: r.adapter.id,
    environment: r.environment,
    credentials: pendingStore.current.credentials,
    ...(r.limits ? { limits: r.limits } : {}),
  });
  // Tokens of the replaced credentials must not outlive them (workers drop theirs when the new ones arrive).
  rt.tokens.dropConnection(r.tenantId, r.connectionId);
  return { kind: 'stored', meta, existed, verified: r.verify };
}

/** The connection being stored, as a one-entry store: adapter writes land here until the real put. */
class PendingConnection implements ConnectionStore {
  constructor(public current: StoredConnection) {}
  async get() {
    return this.current;
  }
  async getMetadata() {
    return metadataOf(this.current);
  }
  async list() {
    return [metadataOf(this.current)];
  }
  async put() {
    return metadataOf(this.current);
  }
  async delete() {
    return false;
  }
  async updateCredentials(_t: string, _c: string, credentials: unknown) {
    this.current = { ...this.current, credentials };
  }
  async setStatus() {}
}
