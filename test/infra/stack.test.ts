import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ROUTES, PUBLIC_ROUTES, TENANT_ROUTES } from '../../cdk/constructs/http-api';
import { FIXTURE_ADAPTERS } from './fixtures/adapters';
import { synthStack } from './synth';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let t: Template;
const fnByName = (name: string) => {
  const [fn] = Object.values(
    t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: name } }) as Resources,
  );
  if (!fn) throw new Error(`no function ${name}`);
  return fn.Properties;
};
const logicalIdOf = (type: string, props: Record<string, unknown>) => {
  const [id] = Object.keys(t.findResources(type, { Properties: props }));
  if (!id) throw new Error(`no ${type} like ${JSON.stringify(props)}`);
  return id;
};
/** All policy statements attached to the role of a function. */
const statementsOf = (functionName: string) => {
  const role = (fnByName(functionName).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const policies = Object.values(t.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role),
  );
  return policies.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
  );
};
const actionsOf = (stmts: Record<string, unknown>[]) => stmts.flatMap((s) => [s.Action].flat() as string[]);

beforeAll(() => {
  t = synthStack({ adapters: FIXTURE_ADAPTERS, context: { alarmEmail: 'ops@example.com' } }).template();
});

describe('HTTP API', () => {
  it('routes every DESIGN.md route to the api function, public ones without the authorizer', () => {
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route') as Resources).map((r) => ({
      key: r.Properties.RouteKey,
      auth: r.Properties.AuthorizationType,
    }));
    const expected = [
      ...TENANT_ROUTES.map(([m, p]) => ({ key: `${m} ${p}`, auth: 'CUSTOM' })),
      ...PUBLIC_ROUTES.map(([m, p]) => ({ key: `${m} ${p}`, auth: 'NONE' })),
      ...DOCS_ROUTES.map(([m, p]) => ({ key: `${m} ${p}`, auth: 'NONE' })),
    ];
    expect(routes.sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual(
      expected.sort((a, b) => a.key.localeCompare(b.key)),
    );
    expect(routes.map((r) => r.key)).toEqual(
      expect.arrayContaining([
        'POST /v1/customers',
        'PUT /v1/connections/{connectionId}',
        'GET /v1/erps/{erp}/customer-schema',
        'GET /health',
      ]),
    );
  });

  it('uses a cached Lambda authorizer with simple responses keyed on Authorization', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it('has a $default stage with throttling and JSON access logs that name the tenant, not the key', () => {
    const [stage] = Object.values(t.findResources('AWS::ApiGatewayV2::Stage') as Resources);
    const p = stage!.Properties as {
      StageName: string;
      AutoDeploy: boolean;
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
      AccessLogSettings: { Format: string; DestinationArn: unknown };
    };
    expect(p.StageName).toBe('$default');
    expect(p.AutoDeploy).toBe(true);
    expect(p.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    const format = JSON.parse(p.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      tenantId: '$context.authorizer.tenantId',
    });
    expect(p.AccessLogSettings.Format).not.toMatch(/authorization|header/i);
  });

  it('has CORS off unless origins are configured', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });
});

describe('functions', () => {
  const names = [
    'dev-erp-bridge-api',
    'dev-erp-bridge-authorizer',
    'dev-erp-bridge-sweeper',
    ...FIXTURE_ADAPTERS.map((a) => `dev-erp-bridge-${a.id}-worker`),
  ];

  it('run Node.js 22 on arm64 with JSON logs, active tracing, source maps and their own log group', () => {
    for (const name of names) {
      const p = fnByName(name);
      expect(p, name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
      t.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/${name}`,
        RetentionInDays: 7,
      });
    }
  });

  it('use their own roles, without the AWS managed basic execution policy', () => {
    for (const role of Object.values(t.findResources('AWS::IAM::Role') as Resources)) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('get exactly the documented environment variables', () => {
    const env = (name: string) =>
      Object.keys((fnByName(name).Environment as { Variables: Record<string, unknown> }).Variables).sort();
    expect(env('dev-erp-bridge-api')).toEqual(
      [
        'STAGE',
        'TABLE_NAME',
        'JOB_QUEUE_URLS',
        'SECRETS_PREFIX',
        'SECRETS_KMS_KEY_ID',
        'CONNECTION_STORE',
        'TENANT_RATE_LIMIT_PER_MINUTE',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(env('dev-erp-bridge-authorizer')).toEqual(
      ['STAGE', 'TABLE_NAME', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL', 'NODE_OPTIONS'].sort(),
    );
    expect(env('dev-erp-bridge-sweeper')).toEqual(
      [
        'STAGE',
        'TABLE_NAME',
        'JOB_QUEUE_URLS',
        'SWEEP_STUCK_AFTER_SECONDS',
        'LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(env('dev-erp-bridge-siigo-worker')).toEqual(
      [
        'STAGE',
        'ERP',
        'TABLE_NAME',
        'JOB_QUEUE_URL',
        'DEAD_LETTER_QUEUE_URL',
        'SECRETS_PREFIX',
        'CONNECTION_STORE',
        'CREDENTIALS_CACHE_TTL_SECONDS',
        'WEBHOOK_QUEUE_URL',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'LOG_LEVEL',
        'NODE_OPTIONS',
      ].sort(),
    );
    const api = (fnByName('dev-erp-bridge-api').Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(api).toMatchObject({
      STAGE: 'dev',
      SECRETS_PREFIX: 'erp-bridge/dev/',
      CONNECTION_STORE: 'secrets-manager',
      TENANT_RATE_LIMIT_PER_MINUTE: '600',
      POWERTOOLS_METRICS_NAMESPACE: 'ErpBridge/dev',
    });
    // JOB_QUEUE_URLS is a JSON object erp → queue URL, one entry per ERP.
    const urls = JSON.stringify(api.JOB_QUEUE_URLS);
    for (const a of FIXTURE_ADAPTERS) expect(urls).toContain(`\\"${a.id}\\":\\"`);
  });

  it('run the sweeper every minute without event retries', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });
});

describe('DynamoDB', () => {
  it('is one on-demand table with TTL, PITR and the two job indexes', () => {
    t.resourceCountIs('AWS::DynamoDB::Table', 1);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'dev-erp-bridge',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: [1, 2].map((n) => ({
        IndexName: `gsi${n}`,
        KeySchema: [
          { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
          { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
        ],
        // gsi2 (the sweeper's) holds keys only: the sweeper reads each job itself.
        Projection: { ProjectionType: n === 2 ? 'KEYS_ONLY' : 'ALL' },
      })),
    });
  });

  it('is deletable on dev (no deletion protection, destroy on delete)', () => {
    const [table] = Object.values(t.findResources('AWS::DynamoDB::Table'));
    if (!table) throw new Error('no table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect((table.Properties as Record<string, unknown>).DeletionProtectionEnabled).toBe(false);
  });
});

describe('IAM', () => {
  const secretsArn = ':secret:erp-bridge/dev/*';
  const secretStatements = (fn: string) =>
    statementsOf(fn).filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));

  it('lets the authorizer only GetItem on the table', () => {
    expect(actionsOf(statementsOf('dev-erp-bridge-authorizer')).sort()).toEqual(
      [
        'dynamodb:GetItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
  });

  it('scopes the api to the stage prefix (ListSecrets alone on *) and uses the key only via Secrets Manager', () => {
    const stmts = secretStatements('dev-erp-bridge-api');
    for (const s of stmts) {
      const actions = actionsOf([s]);
      if (actions.includes('secretsmanager:ListSecrets')) {
        // Merged by minimizePolicies with X-Ray's, the other actions that can't be resource-scoped.
        expect(actions.filter((a) => !a.startsWith('xray:'))).toEqual(['secretsmanager:ListSecrets']);
        expect(s.Resource).toBe('*');
      } else {
        expect(JSON.stringify(s.Resource)).toContain(secretsArn);
      }
    }
    expect(
      actionsOf(stmts)
        .filter((a) => a.startsWith('secretsmanager:'))
        .sort(),
    ).toEqual(
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:ListSecrets',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
      ].sort(),
    );
    const kms = statementsOf('dev-erp-bridge-api').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('kms:')),
    );
    expect(kms).toHaveLength(1);
    expect(JSON.stringify(kms[0]!.Condition)).toContain('secretsmanager.');
  });

  it('lets workers read and re-tag status; only rotating-token ERPs may write credentials', () => {
    for (const a of FIXTURE_ADAPTERS) {
      const stmts = secretStatements(`dev-erp-bridge-${a.id}-worker`);
      const actions = actionsOf(stmts);
      expect(actions).toEqual(
        expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:TagResource']),
      );
      expect(actions).not.toContain('secretsmanager:CreateSecret');
      expect(actions).not.toContain('secretsmanager:DeleteSecret');
      expect(actions.includes('secretsmanager:PutSecretValue'), a.id).toBe(a.id === 'quickbooks');
      for (const s of stmts) expect(JSON.stringify(s.Resource)).toContain(secretsArn);
      const tag = stmts.find((s) => actionsOf([s]).includes('secretsmanager:TagResource'));
      expect(tag!.Condition).toEqual({
        'ForAllValues:StringEquals': {
          'aws:TagKeys': ['erp-bridge:status', 'erp-bridge:status-reason', 'erp-bridge:updated'],
        },
      });
    }
  });

  it('lets the api send to every jobs queue and each worker send only to its own DLQ and the webhooks queue', () => {
    const apiSend = statementsOf('dev-erp-bridge-api').filter((s) =>
      actionsOf([s]).includes('sqs:SendMessage'),
    );
    const sent = JSON.stringify(apiSend.map((s) => s.Resource));
    for (const a of FIXTURE_ADAPTERS) {
      const queue = logicalIdOf('AWS::SQS::Queue', { QueueName: `dev-erp-bridge-${a.id}-jobs` });
      const dlq = logicalIdOf('AWS::SQS::Queue', { QueueName: `dev-erp-bridge-${a.id}-dlq` });
      expect(sent).toContain(queue);
      expect(sent).not.toContain(dlq);
      const workerSend = statementsOf(`dev-erp-bridge-${a.id}-worker`).filter((s) =>
        actionsOf([s]).includes('sqs:SendMessage'),
      );
      const webhooks = logicalIdOf('AWS::SQS::Queue', { QueueName: 'dev-erp-bridge-webhooks' });
      expect(JSON.stringify(workerSend.map((s) => s.Resource))).toBe(
        JSON.stringify([[{ 'Fn::GetAtt': [dlq, 'Arn'] }, { 'Fn::GetAtt': [webhooks, 'Arn'] }]]),
      );
    }
  });
});

describe('secrets key', () => {
  it('is a customer-managed key with rotation and a stage alias', () => {
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dev-erp-bridge-secrets' });
  });
});

describe('alarms', () => {
  const alarm = (name: string) => {
    const [a] = Object.values(
      t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }) as Resources,
    );
    if (!a) throw new Error(`no alarm ${name}`);
    return a.Properties;
  };

  it('watch every DLQ (> 0), queue age, worker errors and throttles, and API 5xx', () => {
    for (const a of FIXTURE_ADAPTERS) {
      expect(alarm(`dev-erp-bridge-${a.id}-dlq-not-empty`)).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarm(`dev-erp-bridge-${a.id}-oldest-message-age`)).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
      });
      expect(alarm(`dev-erp-bridge-${a.id}-worker-errors`)).toMatchObject({
        MetricName: 'Errors',
        Threshold: 1,
      });
      expect(alarm(`dev-erp-bridge-${a.id}-worker-throttles`)).toMatchObject({ MetricName: 'Throttles' });
    }
    expect(alarm('dev-erp-bridge-api-5xx')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx' });
    for (const f of ['api', 'authorizer', 'sweeper']) {
      expect(alarm(`dev-erp-bridge-${f}-errors`)).toMatchObject({ MetricName: 'Errors' });
    }
  });

  it('notify an encrypted, TLS-only SNS topic when one is configured', () => {
    const topic = logicalIdOf('AWS::SNS::Topic', { TopicName: 'dev-erp-bridge-alarms' });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const a of Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources)) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });

  it('has a dashboard of per-ERP metrics by outcome', () => {
    const [d] = Object.values(t.findResources('AWS::CloudWatch::Dashboard') as Resources);
    const body = JSON.stringify(d!.Properties.DashboardBody);
    for (const m of ['JobTransitions', 'UpstreamCalls', 'UpstreamLatency']) expect(body).toContain(m);
    expect(body).toContain('ErpBridge/dev');
  });
});
