import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../functions/authorizer/handler';
import { lambdaContext } from '../../local/api-server';
import { tenantKeyCommand } from '../../local/tenant-key-command';
import { generateApiKey, hashApiKey, type TenantStore } from '../../shared/tenants/api-keys';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';
import { dynamoForTest } from '../helpers/emulators';
import { capture } from '../helpers/leak-guard';

/**
 * Issue 12 §5: the authorizer denies malformed keys without a read and unknown ones with one read (then from
 * memory), accepts `bearer` in any case; `npm run tenant-key` lists a tenant's keys (ids and dates, never a key)
 * and revokes one by its id.
 */

let env: Awaited<ReturnType<typeof dynamoForTest>>;
let store: DynamoTenantStore;
beforeAll(async () => {
  env = await dynamoForTest();
  store = new DynamoTenantStore(env.db, env.table);
});
afterAll(() => env.close());

function counting(inner: TenantStore) {
  const reads: string[] = [];
  const s: TenantStore = {
    putKey: (h, r) => inner.putKey(h, r),
    consumeRequest: (t, l, n) => inner.consumeRequest(t, l, n),
    findByKeyHash: (h) => {
      reads.push(h);
      return inner.findByKeyHash(h);
    },
  };
  return { store: s, reads };
}

const event = (authorization: string) =>
  ({ headers: { authorization }, requestContext: {} }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('authorizer', () => {
  it('allows a known key, with Bearer spelled in any case', async () => {
    const key = generateApiKey();
    await store.putKey(hashApiKey(key), { tenantId: 'acme', createdAt: new Date().toISOString() });
    const auth = createAuthorizer(() => store);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      expect(await auth(event(`${scheme} ${key}`), lambdaContext('authorizer'))).toEqual({
        isAuthorized: true,
        context: { tenantId: 'acme' },
      });
    }
  });

  it.each([
    ['no scheme', () => generateApiKey()],
    ['Basic', () => `Basic ${Buffer.from('u:p').toString('base64')}`],
    ['too short', () => 'Bearer erpb_short'],
    ['too long', () => `Bearer ${generateApiKey()}x`],
    ['a character outside base64url', () => `Bearer ${generateApiKey().slice(0, -1)}!`],
    ['another prefix', () => `Bearer sk_${generateApiKey().slice(5)}`],
    ['empty', () => ''],
  ])('denies a malformed key (%s) without reading the table', async (_what, header) => {
    const c = counting(store);
    const auth = createAuthorizer(() => c.store);
    const r = await auth(event(header()), lambdaContext('authorizer'));
    expect(r.isAuthorized).toBe(false);
    expect(c.reads).toEqual([]);
  });

  it('denies a well-formed unknown key after one read, and remembers the denial', async () => {
    let t = 0;
    const c = counting(store);
    const auth = createAuthorizer(
      () => c.store,
      () => t,
    );
    const unknown = `Bearer ${generateApiKey()}`;
    expect((await auth(event(unknown), lambdaContext('authorizer'))).isAuthorized).toBe(false);
    expect(
      (await auth(event(unknown.replace('Bearer', 'bearer')), lambdaContext('authorizer'))).isAuthorized,
    ).toBe(false);
    expect(c.reads).toHaveLength(1);
    t += 5 * 60_000 + 1;
    await auth(event(unknown), lambdaContext('authorizer'));
    expect(c.reads).toHaveLength(2);
  });
});

const run = promisify(execFile);

async function tenantKey(...args: string[]) {
  const lines: string[] = [];
  const code = await tenantKeyCommand(args, store, (l) => lines.push(l));
  const stdout = `${lines.join('\n')}\n`;
  capture('log', stdout);
  return { stdout, code };
}

describe('npm run tenant-key: create, --list, --revoke', () => {
  it('lists ids and dates, never a key; a revoked key is denied', async () => {
    const made = await tenantKey('--tenant', 'listed', '--label', 'CRM sync');
    const key = /: (erpb_\S+)/.exec(made.stdout)?.[1] as string;
    const keyId = /key id (\S+)\./.exec(made.stdout)?.[1] as string;
    expect(keyId).toMatch(/^listed\.[0-9a-f]{12}$/);
    await tenantKey('--tenant', 'listed');

    const list = await tenantKey('--list', '--tenant', 'listed');
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^${keyId.replace('.', '\\.')}\\t\\d{4}-\\d{2}-\\d{2}T[^\\t]+\\tactive\\tCRM sync$`),
    );
    expect(list.stdout).not.toContain(key);
    expect(list.stdout).not.toContain(hashApiKey(key));
    expect((await tenantKey('--list', '--tenant', 'someone-else')).stdout).not.toContain(keyId);

    const auth = createAuthorizer(() => store);
    expect((await auth(event(`Bearer ${key}`), lambdaContext('authorizer'))).isAuthorized).toBe(true);
    const revoked = await tenantKey('--revoke', keyId);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${keyId}`);
    const fresh = createAuthorizer(() => store);
    expect((await fresh(event(`Bearer ${key}`), lambdaContext('authorizer'))).isAuthorized).toBe(false);
    expect((await tenantKey('--list', '--tenant', 'listed')).stdout).toMatch(/\trevoked \d{4}-/);
    expect((await tenantKey('--revoke', 'listed.000000000000')).code).toBe(1);
    expect((await tenantKey('--revoke', 'not a key id')).code).toBe(2);
  });

  it('the npm script runs the same command against the table it is given', async () => {
    const r = await run(
      process.execPath,
      ['--import', 'tsx', 'local/tenant-key.ts', '--list', '--tenant', 'listed'],
      {
        env: { ...process.env, DYNAMODB_ENDPOINT: env.endpoint, TABLE_NAME: env.table },
      },
    );
    capture('log', r.stdout + r.stderr);
    expect(r.stdout).toMatch(/^listed\.[0-9a-f]{12}\t/m);
  }, 60_000);
});
