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

/** As long as API Gateway caches an answer per Authorization header (the stack's resultsCacheTtl). */
const DENIAL_TTL_MS = 5 * 60_000;
const MAX_DENIALS = 10_000;

/**
 * HTTP API Lambda authorizer (simple responses): the tenant comes from the API key's hash and nothing else.
 * Unauthenticated traffic is made cheap: a malformed `Authorization` (not `Bearer erpb_<43 characters>`, scheme
 * in any case) is denied without a read, and a well-formed key we do not know is denied after one read, that
 * denial remembered here for 5 minutes per key (API Gateway also caches each answer per header for 5 minutes).
 * A denial is API Gateway's own `403 {"message":"Forbidden"}`, without our envelope: no API function runs for
 * it. A missing header never reaches here: API Gateway answers `401 {"message":"Unauthorized"}` itself.
 */
export function createAuthorizer(store: () => TenantStore, now: () => number = Date.now) {
  const denied = new Map<string, number>();
  const deny = (): AuthorizerResult => ({ isAuthorized: false, context: { tenantId: '' } });
  return middy(async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    const key = apiKeyFromHeader(header);
    if (!key) return deny();
    const hash = hashApiKey(key);
    const until = denied.get(hash);
    if (until !== undefined && until > now()) return deny();
    const record = await store().findByKeyHash(hash);
    if (!record) {
      logger.info('unknown API key');
      if (denied.size >= MAX_DENIALS) denied.delete(denied.keys().next().value as string);
      denied.set(hash, now() + DENIAL_TTL_MS);
      return deny();
    }
    denied.delete(hash);
    return { isAuthorized: true, context: { tenantId: record.tenantId } };
  });
}

export const handler = createAuthorizer(
  lazy(() => new DynamoTenantStore(dynamoDocumentClient(), loadConfig().TABLE_NAME)),
);
