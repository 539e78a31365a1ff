import './quiet-warnings';
import { loadConfig } from '../shared/config';
import { dynamoDocumentClient } from '../shared/runtime/aws';
import { generateApiKey, hashApiKey } from '../shared/tenants/api-keys';
import { DynamoTenantStore } from '../shared/tenants/dynamo-tenant-store';
import { tenantIdSchema } from '../shared/tenants/tenant-id';

/**
 * Creates a tenant API key and prints it once; only its hash is stored.
 *   npm run tenant-key -- --tenant acme                 # the running local stack (npm start)
 *   npm run tenant-key -- --tenant acme --stage dev     # the deployed stack's table (AWS credentials from your environment)
 */
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const tenant = tenantIdSchema.safeParse(arg('tenant'));
if (!tenant.success) {
  console.error('usage: npm run tenant-key -- --tenant <id> [--stage <stage>] [--label <text>]');
  console.error('  --tenant: letters, digits, _ and -, at most 64');
  process.exit(2);
}
const stage = arg('stage');
if (!stage) process.env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${process.env.LOCAL_DYNAMODB_PORT ?? 4569}`;
const table = process.env.TABLE_NAME ?? `${stage ?? 'local'}-erp-bridge`;
loadConfig({ ...process.env, TABLE_NAME: table });

const key = generateApiKey();
const store = new DynamoTenantStore(dynamoDocumentClient(), table);
try {
  await store.putKey(hashApiKey(key), {
    tenantId: tenant.data,
    label: arg('label'),
    createdAt: new Date().toISOString(),
  });
} catch (e) {
  console.error(`could not store the key in ${table}: ${(e as Error).message}`);
  if (!stage) console.error('is the local stack running (npm start)?');
  process.exit(1);
}
console.log(`tenant ${tenant.data}: ${key}`);
console.log('This key is shown once. Store it in your secret manager; ERP Bridge keeps only its SHA-256.');
