import { loadConfig } from '../shared/config';
import { dynamoDocumentClient } from '../shared/runtime/aws';
import { DynamoTenantStore } from '../shared/tenants/dynamo-tenant-store';
import { tenantKeyCommand } from './tenant-key-command';

/**
 * Tenant API keys (see tenant-key-command.ts):
 *   npm run tenant-key -- --tenant acme [--label <text>]    # the running local stack (npm start)
 *   npm run tenant-key -- --list --tenant acme
 *   npm run tenant-key -- --revoke acme.3f9a0c1d2e4b
 *   … --stage dev                                           # the deployed stack's table (AWS credentials from your environment)
 */
const args = process.argv.slice(2);
const i = args.indexOf('--stage');
const stage = i >= 0 ? args[i + 1] : undefined;
if (!stage) process.env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${process.env.LOCAL_DYNAMODB_PORT ?? 4569}`;
const table = process.env.TABLE_NAME ?? `${stage ?? 'local'}-erp-bridge`;
loadConfig({ ...process.env, TABLE_NAME: table });

try {
  const store = new DynamoTenantStore(dynamoDocumentClient(), table);
  process.exitCode = await tenantKeyCommand(args, store, (line) => console.log(line));
} catch (e) {
  console.error(`could not reach the keys in ${table}: ${(e as Error).message}`);
  if (!stage) console.error('is the local stack running (npm start)?');
  process.exitCode = 1;
}
