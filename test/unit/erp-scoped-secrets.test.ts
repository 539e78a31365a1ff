import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SecretsManagerConnectionStore } from '../../shared/connections/secrets-manager-store';
import type { StoredConnection } from '../../shared/connections/store';
import { adapterContext } from '../../shared/erps/context';
import { getAdapter } from '../../shared/erps/registry';
import { createTokenCache } from '../../shared/erps/token-cache';
import { createHttpClient } from '../../shared/http/upstream';
import { createMemoryLockService } from '../../shared/locks/memory-lock';

// IAM lets each ERP's worker read only secrets tagged with its ERP (cdk/constructs/connection-secrets.ts); the
// store and the adapter context keep the code inside the same lines, so a local test breaks where AWS would.

const tags = (erp: string) => [
  { Key: 'erp-bridge:tenant', Value: 'acme' },
  { Key: 'erp-bridge:erp', Value: erp },
  { Key: 'erp-bridge:environment', Value: 'sandbox' },
  { Key: 'erp-bridge:status', Value: 'active' },
];

describe("a worker's connection store reads only its own ERP's secret values", () => {
  const sm = mockClient(SecretsManagerClient);
  const client = new SecretsManagerClient({ region: 'us-east-1' });

  it('returns a connection of another ERP without credentials and without calling GetSecretValue', async () => {
    sm.reset();
    sm.on(DescribeSecretCommand).resolves({ Name: 'erp-bridge/prod/acme/main', Tags: tags('alegra') });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: { k: 'v' } }) });
    const siigoWorker = new SecretsManagerConnectionStore(client, 'erp-bridge/prod/', undefined, 'siigo');
    const conn = await siigoWorker.get('acme', 'main');
    // The worker then fails the job as connection_erp_mismatch (shared/worker/attempt.ts), never AccessDenied.
    expect(conn).toMatchObject({ erp: 'alegra', credentials: undefined });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('reads its own ERP, and the API (no ERP) reads any', async () => {
    sm.reset();
    sm.on(DescribeSecretCommand).resolves({ Name: 'erp-bridge/prod/acme/main', Tags: tags('siigo') });
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: { k: 'v' } }) });
    for (const store of [
      new SecretsManagerConnectionStore(client, 'erp-bridge/prod/', undefined, 'siigo'),
      new SecretsManagerConnectionStore(client, 'erp-bridge/prod/'),
    ]) {
      expect(await store.get('acme', 'main')).toMatchObject({ erp: 'siigo', credentials: { k: 'v' } });
    }
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('only ERPs that declare rotatesCredentials may write credentials back', () => {
  const sm = mockClient(SecretsManagerClient);
  const store = new SecretsManagerConnectionStore(
    new SecretsManagerClient({ region: 'us-east-1' }),
    'erp-bridge/prod/',
  );
  const runtime = {
    http: createHttpClient(),
    tokens: createTokenCache(),
    locks: createMemoryLockService(),
    connections: store,
  };
  const stored = (erp: 'siigo' | 'quickbooks'): StoredConnection => ({
    tenantId: 'acme',
    connectionId: 'main',
    erp,
    environment: 'sandbox',
    inline: false,
    status: 'active',
    createdAt: '',
    updatedAt: '',
    credentials: {},
  });

  it('refuses for an ERP without the flag (its worker has no PutSecretValue), writes for QuickBooks', async () => {
    sm.reset();
    sm.on(PutSecretValueCommand).resolves({});
    sm.on(TagResourceCommand).resolves({});
    const siigo = adapterContext(getAdapter('siigo')!, stored('siigo'), {}, 'job-1', runtime);
    await expect(siigo.connection.saveCredentials({ username: 'u', accessKey: 'k' })).rejects.toThrow(
      /siigo does not declare rotatesCredentials/,
    );
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    const quickbooks = adapterContext(getAdapter('quickbooks')!, stored('quickbooks'), {}, 'job-1', runtime);
    await quickbooks.connection.saveCredentials({ refreshToken: 'new' });
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    // Exactly the ERPs whose workers IAM lets write: QuickBooks today.
    expect(
      ['siigo', 'alegra', 'quickbooks', 'netsuite', 'chargeover', 'next', 'sage'].filter(
        (id) => getAdapter(id)?.rotatesCredentials,
      ),
    ).toEqual(['quickbooks']);
  });
});
