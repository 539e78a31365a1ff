import { generateApiKey, hashApiKey } from '../shared/tenants/api-keys';
import type { DynamoTenantStore } from '../shared/tenants/dynamo-tenant-store';
import { tenantIdSchema } from '../shared/tenants/tenant-id';

export const TENANT_KEY_USAGE = [
  'usage: npm run tenant-key -- --tenant <id> [--label <text>] [--stage <stage>]',
  '       npm run tenant-key -- --list --tenant <id> [--stage <stage>]',
  '       npm run tenant-key -- --revoke <key-id> [--stage <stage>]',
  '  --tenant: letters, digits, _ and -, at most 64; key ids are printed on creation and by --list',
].join('\n');

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.[0-9a-f]{12}$/;

/**
 * `npm run tenant-key`: create a key (printed once; only its hash is stored), list a tenant's keys (id, creation
 * date, state, label — never a key or its hash), or revoke one by its id. Returns the exit code: 0 done,
 * 1 nothing to revoke, 2 usage.
 */
export async function tenantKeyCommand(
  args: string[],
  store: Pick<DynamoTenantStore, 'putKey' | 'listKeys' | 'revokeKey'>,
  print: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<number> {
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--revoke')) {
    const keyId = arg('revoke') ?? '';
    if (!KEY_ID.test(keyId)) return usage(print);
    if (!(await store.revokeKey(keyId, now()))) {
      print(`no key ${keyId}`);
      return 1;
    }
    print(`revoked ${keyId}. API Gateway may still accept it for up to 5 minutes (its authorizer cache).`);
    return 0;
  }
  const tenant = tenantIdSchema.safeParse(arg('tenant'));
  if (!tenant.success) return usage(print);
  if (args.includes('--list')) {
    const keys = await store.listKeys(tenant.data);
    if (!keys.length)
      print(`tenant ${tenant.data}: no keys listed (keys made before key ids existed are not)`);
    for (const k of keys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
      print([k.keyId, k.createdAt, state, k.label ?? ''].join('\t').trimEnd());
    }
    return 0;
  }
  const key = generateApiKey();
  const keyId = await store.putKey(hashApiKey(key), {
    tenantId: tenant.data,
    label: arg('label'),
    createdAt: now().toISOString(),
  });
  print(`tenant ${tenant.data}: ${key}`);
  print(`key id ${keyId}. This key is shown once; ERP Bridge keeps only its SHA-256.`);
  return 0;
}

function usage(print: (line: string) => void): number {
  print(TENANT_KEY_USAGE);
  return 2;
}
