import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { loadConfig } from '../../shared/config';
import { dynamoDocumentClient } from '../../shared/runtime/aws';
import { createLogger, lazy } from '../../shared/runtime/observability';
import { apiKeyFromHeader, hashApiKey, type TenantStore } from '../../shared/tenants/api-keys';
import { DynamoTenantStore } from '../../shared/tenants/dynamo-tenant-store';

const logger = createLogger('erp-bridge-authorizer');

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<{ tenantId: string }>;

/** HTTP API Lambda authorizer (simple responses): the tenant comes from the API key's hash and nothing else. */
export function createAuthorizer(store: () => TenantStore) {
  return middy(async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    const key = apiKeyFromHeader(header);
    if (!key) return { isAuthorized: false, context: { tenantId: '' } };
    const record = await store().findByKeyHash(hashApiKey(key));
    if (!record) {
      logger.info('unknown API key');
      return { isAuthorized: false, context: { tenantId: '' } };
    }
    return { isAuthorized: true, context: { tenantId: record.tenantId } };
  });
}

export const handler = createAuthorizer(
  lazy(() => new DynamoTenantStore(dynamoDocumentClient(), loadConfig().TABLE_NAME)),
);
