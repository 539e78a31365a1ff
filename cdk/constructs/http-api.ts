import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { resourcePrefix, type StageConfig } from '../stage';
import { type AlarmSink, ERRORS_M_OF_N, RUNBOOK } from './alarm-sink';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** DESIGN.md §1. Everything goes through the tenant-key authorizer except these. */
export const PUBLIC_ROUTES: ReadonlyArray<[Method, string]> = [['GET', '/health']];
/** Public, served by the docs function (its bundle carries Swagger UI's assets). */
export const DOCS_ROUTES: ReadonlyArray<[Method, string]> = [
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/docs/{proxy+}'],
];
/** Public, served by the connect function: the page a session link opens, its forms and the OAuth callbacks. */
export const CONNECT_ROUTES: ReadonlyArray<[Method, string]> = [
  ['GET', '/connect/{proxy+}'],
  ['POST', '/connect/{proxy+}'],
];
export const TENANT_ROUTES: ReadonlyArray<[Method, string]> = [
  ['POST', '/v1/customers'],
  ['POST', '/v1/customers/dry-run'],
  ['GET', '/v1/jobs'],
  ['GET', '/v1/jobs/{jobId}'],
  ['POST', '/v1/jobs/{jobId}/retry'],
  ['GET', '/v1/connections'],
  ['PUT', '/v1/connections/{connectionId}'],
  ['GET', '/v1/connections/{connectionId}'],
  ['DELETE', '/v1/connections/{connectionId}'],
  ['GET', '/v1/erps'],
  ['GET', '/v1/erps/{erp}/customer-schema'],
  ['PUT', '/v1/webhook'],
  ['GET', '/v1/webhook'],
  ['DELETE', '/v1/webhook'],
  ['POST', '/v1/webhook/secret'],
  ['POST', '/v1/connect-sessions'],
  ['GET', '/v1/connect-sessions/{sessionId}'],
];

/** One JSON object per request; the tenant comes from the authorizer context, never a header or a key. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  tenantId: '$context.authorizer.tenantId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
};

export interface HttpApiProps {
  stage: StageConfig;
  api: lambda.IFunction;
  docs: lambda.IFunction;
  connect: lambda.IFunction;
  authorizer: lambda.IFunction;
  alarms: AlarmSink;
}

/**
 * API Gateway HTTP API: Lambda authorizer (cached), the routes, throttling, JSON access logs, optional CORS, and
 * optionally a custom domain (stage setting `customDomain`) with the execute-api endpoint switched off
 * (`disableExecuteApiEndpoint`).
 */
export class ErpBridgeHttpApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly domain?: apigw.DomainName;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { stage } = props;
    const prefix = resourcePrefix(stage);

    const authorizer = new HttpLambdaAuthorizer('TenantKey', props.authorizer, {
      authorizerName: `${prefix}-tenant-key`,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // Cached per Authorization header: one DynamoDB read per key per 5 minutes. A revoked key keeps
      // working until its cache entry expires (documented in docs/deploy.md).
      resultsCacheTtl: Duration.minutes(5),
    });

    this.httpApi = new apigw.HttpApi(this, 'Api', {
      apiName: prefix,
      description: `ERP Bridge ${stage.name}: creates customers in ERPs`,
      createDefaultStage: false,
      // With a custom domain, clients (or CloudFront) must come through it; the default URL answers 403.
      disableExecuteApiEndpoint: stage.disableExecuteApiEndpoint,
      // A server-to-server API: no CORS unless origins are configured (stages.<stage>.api.corsOrigins).
      corsPreflight: stage.corsOrigins.length
        ? {
            allowOrigins: stage.corsOrigins,
            allowMethods: [apigw.CorsHttpMethod.ANY],
            allowHeaders: [
              'authorization',
              'content-type',
              'idempotency-key',
              'x-erp',
              'x-connection',
              'x-testing',
              'username',
              'apikey',
              'x-callback-url',
            ],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${prefix}/access`,
      retention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integration = new HttpLambdaIntegration('ApiFunction', props.api);
    for (const [method, path] of TENANT_ROUTES) {
      this.httpApi.addRoutes({ path, methods: [apigw.HttpMethod[method]], integration, authorizer });
    }
    const docsIntegration = new HttpLambdaIntegration('DocsFunction', props.docs);
    const connectIntegration = new HttpLambdaIntegration('ConnectFunction', props.connect);
    const publicRoutes = [
      ...PUBLIC_ROUTES.map(([m, p]) => [m, p, integration] as const),
      ...DOCS_ROUTES.map(([m, p]) => [m, p, docsIntegration] as const),
      ...CONNECT_ROUTES.map(([m, p]) => [m, p, connectIntegration] as const),
    ];
    for (const [method, path, target] of publicRoutes) {
      const [route] = this.httpApi.addRoutes({
        path,
        methods: [apigw.HttpMethod[method]],
        integration: target,
      });
      if (route) {
        acknowledge(
          route,
          'AwsSolutions-APIG4',
          `${method} ${path} is public by design (liveness, the API description, the connect page whose session link token is the access); it needs no tenant key.`,
        );
      }
    }

    if (stage.customDomain) {
      this.domain = new apigw.DomainName(this, 'Domain', {
        domainName: stage.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          stage.customDomain.certificateArn,
        ),
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      new apigw.ApiMapping(this, 'Mapping', {
        api: this.httpApi,
        domainName: this.domain,
        stage: this.stage,
      });
    }

    props.alarms.add(this, 'Api5xx', 'api-5xx', {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5xx',
        dimensionsMap: { ApiId: this.httpApi.apiId, Stage: '$default' },
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      ...ERRORS_M_OF_N,
      description:
        'The API answered 5xx (function error, timeout or authorizer failure). See the access logs.',
      runbook: RUNBOOK.api5xx,
    });
  }

  /** Where clients reach the API: the custom domain when configured, else the execute-api endpoint. */
  get url(): string {
    return this.domain ? `https://${this.domain.name}` : this.httpApi.apiEndpoint;
  }
}
