import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
  type Tag,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Environment, ErpId } from '../erps/types';
import { type ConnectionLimits, isConnectionLimits } from '../pacing/limits';
import type {
  ConnectionMetadata,
  ConnectionStatus,
  ConnectionStore,
  NewConnection,
  StoredConnection,
} from './store';

/** The tag naming a secret's ERP: IAM lets each ERP's worker read (and write) only secrets tagged with its own. */
export const ERP_TAG_KEY = 'erp-bridge:erp';
/** The only tags a worker (re)writes (setStatus, updateCredentials); IAM allows it no others. */
export const WORKER_TAG_KEYS = ['erp-bridge:status', 'erp-bridge:status-reason', 'erp-bridge:updated'];

/**
 * ConnectionStore on Secrets Manager: one secret per connection, named
 * `<prefix><tenantId>/<connectionId>` (prefix `erp-bridge/<stage>/`), so IAM can scope each stage and the
 * name itself carries the tenant taken from the API key. The secret value holds only the credentials;
 * metadata lives in tags so listing a tenant's connections never reads a secret value.
 */
export class SecretsManagerConnectionStore implements ConnectionStore {
  constructor(
    private readonly sm: SecretsManagerClient,
    private readonly prefix: string,
    private readonly kmsKeyId?: string,
    /**
     * A worker's store reads only its own ERP's secret values (IAM denies the rest): a connection of another ERP
     * comes back without credentials, so the worker fails the job cleanly instead of retrying an AccessDenied.
     */
    private readonly onlyErp?: ErpId,
  ) {}

  private name(tenantId: string, connectionId: string) {
    return `${this.prefix}${tenantId}/${connectionId}`;
  }

  private tags(m: Omit<ConnectionMetadata, 'tenantId' | 'connectionId'> & { tenantId: string }): Tag[] {
    const t: Tag[] = [
      { Key: 'erp-bridge:tenant', Value: m.tenantId },
      { Key: ERP_TAG_KEY, Value: m.erp },
      { Key: 'erp-bridge:environment', Value: m.environment },
      { Key: 'erp-bridge:status', Value: m.status },
      { Key: 'erp-bridge:created', Value: m.createdAt },
      { Key: 'erp-bridge:updated', Value: m.updatedAt },
      { Key: 'erp-bridge:inline', Value: m.inline ? 'true' : 'false' },
    ];
    if (m.statusReason) t.push({ Key: 'erp-bridge:status-reason', Value: m.statusReason.slice(0, 250) });
    // Always written, so storing a connection again without limits clears an earlier override.
    t.push({ Key: 'erp-bridge:limits', Value: m.limits ? formatLimitsTag(m.limits) : 'none' });
    return t;
  }

  private fromTags(name: string, tags: Tag[] | undefined): ConnectionMetadata | undefined {
    const t = Object.fromEntries((tags ?? []).map((x) => [x.Key, x.Value]));
    const rest = name.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0 || !t[ERP_TAG_KEY]) return undefined;
    return {
      tenantId: rest.slice(0, slash),
      connectionId: rest.slice(slash + 1),
      erp: t[ERP_TAG_KEY] as ErpId,
      environment: t['erp-bridge:environment'] as Environment,
      status: (t['erp-bridge:status'] ?? 'active') as ConnectionStatus,
      statusReason: t['erp-bridge:status-reason'],
      inline: t['erp-bridge:inline'] === 'true',
      ...limitsFromTag(t['erp-bridge:limits']),
      createdAt: t['erp-bridge:created'] ?? '',
      updatedAt: t['erp-bridge:updated'] ?? '',
    };
  }

  async put(conn: NewConnection): Promise<ConnectionMetadata> {
    const name = this.name(conn.tenantId, conn.connectionId);
    const now = new Date().toISOString();
    const secret = JSON.stringify({ credentials: conn.credentials });
    const meta: ConnectionMetadata = {
      tenantId: conn.tenantId,
      connectionId: conn.connectionId,
      erp: conn.erp,
      environment: conn.environment,
      inline: conn.inline,
      ...(conn.limits ? { limits: conn.limits } : {}),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.sm.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: secret,
          KmsKeyId: this.kmsKeyId,
          Tags: this.tags(meta),
          Description: `ERP Bridge ${conn.erp} connection`,
        }),
      );
      return meta;
    } catch (e) {
      if (!(e instanceof ResourceExistsException)) throw e;
    }
    const existing = await this.getMetadata(conn.tenantId, conn.connectionId);
    const updated = { ...meta, createdAt: existing?.createdAt || now };
    await this.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: secret }));
    await this.sm.send(new TagResourceCommand({ SecretId: name, Tags: this.tags(updated) }));
    return updated;
  }

  async get(tenantId: string, connectionId: string): Promise<StoredConnection | undefined> {
    const meta = await this.getMetadata(tenantId, connectionId);
    if (!meta) return undefined;
    if (this.onlyErp && meta.erp !== this.onlyErp) return { ...meta, credentials: undefined };
    try {
      const r = await this.sm.send(
        new GetSecretValueCommand({ SecretId: this.name(tenantId, connectionId) }),
      );
      const value = JSON.parse(r.SecretString ?? '{}') as { credentials?: unknown };
      return { ...meta, credentials: value.credentials };
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }

  async getMetadata(tenantId: string, connectionId: string): Promise<ConnectionMetadata | undefined> {
    try {
      const r = await this.sm.send(
        new DescribeSecretCommand({ SecretId: this.name(tenantId, connectionId) }),
      );
      if (r.DeletedDate) return undefined;
      return this.fromTags(r.Name ?? '', r.Tags);
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return undefined;
      throw e;
    }
  }

  async list(tenantId: string): Promise<ConnectionMetadata[]> {
    const out: ConnectionMetadata[] = [];
    let token: string | undefined;
    do {
      const r = await this.sm.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: [`${this.prefix}${tenantId}/`] }],
          NextToken: token,
          MaxResults: 100,
        }),
      );
      for (const s of r.SecretList ?? []) {
        const m = s.Name ? this.fromTags(s.Name, s.Tags) : undefined;
        // The name filter is a prefix match; keep only this tenant's own secrets.
        if (m && m.tenantId === tenantId && !s.DeletedDate) out.push(m);
      }
      token = r.NextToken;
    } while (token);
    return out.sort((a, b) => a.connectionId.localeCompare(b.connectionId));
  }

  async delete(tenantId: string, connectionId: string): Promise<boolean> {
    try {
      // Without recovery window: the same connection id can be stored again at once.
      await this.sm.send(
        new DeleteSecretCommand({
          SecretId: this.name(tenantId, connectionId),
          ForceDeleteWithoutRecovery: true,
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ResourceNotFoundException) return false;
      throw e;
    }
  }

  async updateCredentials(tenantId: string, connectionId: string, credentials: unknown): Promise<void> {
    const name = this.name(tenantId, connectionId);
    await this.sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify({ credentials }) }),
    );
    await this.sm.send(
      new TagResourceCommand({
        SecretId: name,
        Tags: [{ Key: 'erp-bridge:updated', Value: new Date().toISOString() }],
      }),
    );
  }

  async setStatus(
    tenantId: string,
    connectionId: string,
    status: ConnectionStatus,
    reason?: string,
  ): Promise<void> {
    const tags: Tag[] = [
      { Key: 'erp-bridge:status', Value: status },
      { Key: 'erp-bridge:updated', Value: new Date().toISOString() },
    ];
    if (reason) tags.push({ Key: 'erp-bridge:status-reason', Value: reason.slice(0, 250) });
    await this.sm.send(new TagResourceCommand({ SecretId: this.name(tenantId, connectionId), Tags: tags }));
  }
}

/** Limits as a tag value (tags allow digits and `/`): `requests/perSeconds[/concurrency]`. */
function formatLimitsTag(l: ConnectionLimits): string {
  return [l.requests, l.perSeconds, ...(l.concurrency ? [l.concurrency] : [])].join('/');
}

/** A tag in formatLimitsTag's form and within the API's rule; anything else ("none", hand-edited) is no override. */
function limitsFromTag(value: string | undefined): { limits?: ConnectionLimits } {
  const m = /^(\d+)\/(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(value ?? '');
  if (!m) return {};
  const [requests, perSeconds, concurrency] = m
    .slice(1)
    .map((v) => (v === undefined ? undefined : Number(v)));
  const limits = { requests, perSeconds, ...(concurrency === undefined ? {} : { concurrency }) };
  return isConnectionLimits(limits) ? { limits } : {};
}
