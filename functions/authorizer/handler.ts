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

/**
 * HTTP API Lambda authorizer (simple responses): the tenant comes from the API key's hash and nothing else.
 * An unknown key is passed on WITHOUT a tenant rather than denied, so the API answers with the documented
 * 401 error envelope (a denial would be API Gateway's bare 403). Every authenticated route refuses a request
 * without a tenant. A missing Authorization header never reaches here: API Gateway answers 401 itself.
 */
export function createAuthorizer(store: () => TenantStore) {
  return middy(async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    const key = apiKeyFromHeader(header);
    if (!key) return { isAuthorized: true, context: { tenantId: '' } };
    const record = await store().findByKeyHash(hashApiKey(key));
    if (!record) {
      logger.info('unknown API key');
      return { isAuthorized: true, context: { tenantId: '' } };
    }
    return { isAuthorized: true, context: { tenantId: record.tenantId } };
  });
}

export const handler = createAuthorizer(
  lazy(() => new DynamoTenantStore(dynamoDocumentClient(), loadConfig().TABLE_NAME)),
);
