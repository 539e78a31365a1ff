import type { Environment, ErpId } from '../erps/types';
import type { ConnectionLimits } from '../pacing/limits';

export type ConnectionStatus = 'active' | 'needs_reauth';

/** What may be shown about a connection: never a credential. */
export interface ConnectionMetadata {
  tenantId: string;
  connectionId: string;
  erp: ErpId;
  environment: Environment;
  status: ConnectionStatus;
  statusReason?: string;
  /** Created from Konvex-style inline headers rather than PUT /v1/connections. */
  inline?: boolean;
  /** Overrides the ERP's documented rate/concurrency limits for this connection (not secret). */
  limits?: ConnectionLimits;
  createdAt: string;
  updatedAt: string;
}

export interface StoredConnection extends ConnectionMetadata {
  credentials: unknown;
}

export type NewConnection = Omit<StoredConnection, 'createdAt' | 'updatedAt' | 'status' | 'statusReason'>;

/**
 * Port: where connections and their credentials live (one Secrets Manager secret per connection on AWS,
 * an encrypted file locally). Every call is scoped by the tenant the API key named.
 */
export interface ConnectionStore {
  put(conn: NewConnection): Promise<ConnectionMetadata>;
  get(tenantId: string, connectionId: string): Promise<StoredConnection | undefined>;
  getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined>;
  list(tenantId: string): Promise<ConnectionMetadata[]>;
  delete(tenantId: string, connectionId: string): Promise<boolean>;
  updateCredentials(tenantId: string, connectionId: string, credentials: unknown): Promise<void>;
  setStatus(tenantId: string, connectionId: string, status: ConnectionStatus, reason?: string): Promise<void>;
}

export function metadataOf(c: StoredConnection): ConnectionMetadata {
  const { credentials: _secret, ...meta } = c;
  return meta;
}
