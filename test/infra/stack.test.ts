import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK_DOC } from '../../cdk/constructs/alarm-sink';
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from '../../cdk/constructs/bundled-function';
import { DURATION_ALARM_SHARE } from '../../cdk/constructs/erp-worker';
import { CONNECT_ROUTES, DOCS_ROUTES, PUBLIC_ROUTES, TENANT_ROUTES } from '../../cdk/constructs/http-api';
import { API_TIMEOUT_SECONDS } from '../../cdk/erp-bridge-stack';
import { workerSizing } from '../../cdk/worker-sizing';
import { MAX_WAIT_SECONDS } from '../../shared/answers/prefer';
import { FINISH_CLAIM_MS } from '../../shared/batches/progress';
import { docAnchors } from './doc-anchors';
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
  t = synthStack({
    adapters: FIXTURE_ADAPTERS,
    context: { stages: { dev: { ephemeral: true, alarms: { email: 'ops@example.com' } } } },
  }).template();
}, 180_000);

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
      ...CONNECT_ROUTES.map(([m, p]) => ({ key: `${m} ${p}`, auth: 'NONE' })),
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
        'POST /v1/customers/batch',
        'GET /v1/batches/{batchId}',
        'GET /v1/connections/{connectionId}/options',
      ]),
    );
  });

  it('lets the api answer a Prefer: wait before API Gateway’s 30 s: wait cap < function timeout < 30 s', () => {
    const timeout = fnByName('dev-erp-bridge-api').Timeout as number;
    expect(timeout).toBe(API_TIMEOUT_SECONDS);
    expect(timeout).toBeLessThan(30);
    // The handler stops waiting 1.5 s before the function's deadline; the cap leaves that and more.
    expect(MAX_WAIT_SECONDS + 1.5).toBeLessThan(timeout);
  });

  it('redelivers a worker message only after a batch.finished claim has lapsed (a stopped sender is taken over)', () => {
    const workerQueues = Object.values(t.findResources('AWS::SQS::Queue') as Resources).filter((q) =>
      /^dev-erp-bridge-[a-z]+-jobs$/.test(String(q.Properties.QueueName)),
    );
    expect(workerQueues.length).toBe(FIXTURE_ADAPTERS.length);
    for (const q of workerQueues) {
      expect(q.Properties.VisibilityTimeout as number, String(q.Properties.QueueName)).toBeGreaterThan(
        FINISH_CLAIM_MS / 1000,
      );
    }
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

  it('all run the Node major the tests run on (nodejs24.x), bundled for that same Node', () => {
    const nodeMajor = process.versions.node.split('.')[0];
    const runtimes = Object.values(t.findResources('AWS::Lambda::Function') as Resources).map((f) => [
      f.Properties.FunctionName,
      f.Properties.Runtime,
    ]);
    expect(runtimes.length).toBeGreaterThanOrEqual(names.length);
    // Every function of the template, not only ours: a CDK-provided helper function on an older runtime fails too.
    expect(runtimes).toEqual(runtimes.map(([n]) => [n, `nodejs${nodeMajor}.x`]));
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${nodeMajor}.x`);
    expect(ESBUILD_TARGET).toBe(`node${nodeMajor}`);
  });

  it('run on arm64 with JSON logs (REPORT lines kept), active tracing and their own log group', () => {
    for (const name of names) {
      const p = fnByName(name);
      expect(p, name).toMatchObject({
        Runtime: LAMBDA_RUNTIME.name,
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        // System INFO keeps START/REPORT (duration, memory, init duration); the application filter stays at INFO
        // so EMF metric lines (no level = INFO) are never dropped; LOG_LEVEL is the logger's own level.
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' },
        Environment: {
          Variables: expect.objectContaining({ LOG_LEVEL: 'INFO' }),
        },
      });
      // Source maps are not in the zip, so Node is not asked to load them.
      expect(JSON.stringify(p.Environment)).not.toContain('enable-source-maps');
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
        'OAUTH_APPS_PREFIX',
        'LOG_LEVEL',
        // A replayed batch whose items are all final already sends batch.finished from the API.
        'WEBHOOK_QUEUE_URL',
      ].sort(),
    );
    expect(env('dev-erp-bridge-connect')).toEqual(
      [
        'STAGE',
        'TABLE_NAME',
        'SECRETS_PREFIX',
        'SECRETS_KMS_KEY_ID',
        'CONNECTION_STORE',
        'OAUTH_APPS_PREFIX',
        'WEBHOOK_QUEUE_URL',
        'POWERTOOLS_SERVICE_NAME',
        'LOG_LEVEL',
      ].sort(),
    );
    expect(env('dev-erp-bridge-authorizer')).toEqual(
      ['STAGE', 'TABLE_NAME', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL'].sort(),
    );
    expect(env('dev-erp-bridge-sweeper')).toEqual(
      [
        'STAGE',
        'TABLE_NAME',
        'JOB_QUEUE_URLS',
        'SWEEP_STUCK_AFTER_SECONDS',
        // Connection notices: the connection's status, the webhook queue, the reconnect link's address.
        'SECRETS_PREFIX',
        'CONNECTION_STORE',
        'WEBHOOK_QUEUE_URL',
        'PUBLIC_BASE_URL',
        'LOG_LEVEL',
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
        // Neither index projects ALL (issue 14 §3): gsi1 (the listing) carries what it filters on, gsi2 (the
        // sweeper's) keys only; both read the jobs themselves from the table.
        Projection:
          n === 2
            ? { ProjectionType: 'KEYS_ONLY' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'erp'] },
      })),
    });
  });

  it('is deletable on a disposable stage (no deletion protection, destroy on delete, key too)', () => {
    const [table] = Object.values(t.findResources('AWS::DynamoDB::Table'));
    if (!table) throw new Error('no table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect((table.Properties as Record<string, unknown>).DeletionProtectionEnabled).toBe(false);
    for (const [id, r] of Object.entries(t.findResources('AWS::KMS::Key')))
      expect(r.DeletionPolicy, id).toBe('Delete');
  });

  it('is encrypted with its own customer-managed, rotating KMS key', () => {
    const key = logicalIdOf('AWS::KMS::Key', { Description: Match.stringLikeRegexp('jobs table') });
    t.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('jobs table'),
      EnableKeyRotation: true,
    });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/dev-erp-bridge-table' });
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } },
    });
  });
});

describe('IAM', () => {
  const secretsArn = ':secret:erp-bridge/dev/*';
  const secretStatements = (fn: string) =>
    statementsOf(fn).filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));

  it('the connect page stores and reads connections but cannot list or delete them; only reads OAuth apps', () => {
    const stmts = secretStatements('dev-erp-bridge-connect');
    const onConnections = stmts.filter((x) => JSON.stringify(x.Resource).includes(secretsArn));
    expect([...new Set(actionsOf(onConnections))].sort()).toEqual(
      [
        'secretsmanager:CreateSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
      ].sort(),
    );
    const onApps = stmts.filter((x) => JSON.stringify(x.Resource).includes(':secret:erp-bridge-oauth/dev/'));
    expect(actionsOf(onApps)).toEqual(['secretsmanager:GetSecretValue']);
    expect(stmts.length).toBe(onConnections.length + onApps.length);
    // The sweeper re-reads a connection's status: metadata only, never a value.
    expect(actionsOf(secretStatements('dev-erp-bridge-sweeper'))).toEqual(['secretsmanager:DescribeSecret']);
    // A worker of an ERP without consent reads no OAuth app.
    expect(JSON.stringify(secretStatements('dev-erp-bridge-siigo-worker'))).not.toContain('erp-bridge-oauth');
  });

  it('lets the authorizer only GetItem on the table (and decrypt it through DynamoDB)', () => {
    expect(actionsOf(statementsOf('dev-erp-bridge-authorizer')).sort()).toEqual(
      [
        'dynamodb:GetItem',
        'kms:Decrypt',
        'kms:DescribeKey',
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
      } else if (JSON.stringify(s.Resource).includes(':secret:erp-bridge-oauth/dev/*')) {
        // The operator's OAuth apps: read, never written.
        expect(actions).toEqual(['secretsmanager:GetSecretValue']);
      } else {
        expect(JSON.stringify(s.Resource)).toContain(secretsArn);
      }
    }
    expect([...new Set(actionsOf(stmts).filter((a) => a.startsWith('secretsmanager:')))].sort()).toEqual(
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
    const secretsKey = logicalIdOf('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('connection secrets'),
    });
    const kms = statementsOf('dev-erp-bridge-api').filter((s) =>
      JSON.stringify(s.Resource).includes(secretsKey),
    );
    expect(kms).toHaveLength(1);
    expect(JSON.stringify(kms[0]!.Condition)).toContain('secretsmanager.');
  });

  it('lets each worker read only secrets of its own ERP; only rotating-token ERPs write, only inline-credential ERPs delete (refused inline credentials), each only their own', () => {
    for (const a of FIXTURE_ADAPTERS) {
      const stmts = secretStatements(`dev-erp-bridge-${a.id}-worker`);
      const ownErp = { StringEquals: { 'secretsmanager:ResourceTag/erp-bridge:erp': a.id } };
      const actions = actionsOf(stmts);
      expect(actions).not.toContain('secretsmanager:CreateSecret');
      expect(actions.includes('secretsmanager:DeleteSecret'), a.id).toBe(a.capabilities.inlineCredentials);
      expect(actions).not.toContain('secretsmanager:ListSecrets');
      expect(actions.includes('secretsmanager:PutSecretValue'), a.id).toBe(a.id === 'quickbooks');
      for (const s of stmts) {
        expect(JSON.stringify(s.Resource)).toContain(secretsArn);
        const acts = actionsOf([s]);
        // Values (read or write) and tags only on secrets tagged with the worker's own ERP.
        if (acts.some((x) => /GetSecretValue|PutSecretValue|DeleteSecret|TagResource/.test(x))) {
          expect(s.Condition, `${a.id} ${acts}`).toMatchObject(ownErp);
        } else {
          // Metadata only: a deleted secret must answer ResourceNotFound, not AccessDenied.
          expect(acts).toEqual(['secretsmanager:DescribeSecret']);
        }
      }
      const tag = stmts.find((s) => actionsOf([s]).includes('secretsmanager:TagResource'));
      expect(tag!.Condition).toEqual({
        ...ownErp,
        'ForAllValues:StringEquals': {
          'aws:TagKeys': ['erp-bridge:status', 'erp-bridge:status-reason', 'erp-bridge:updated'],
        },
      });
    }
  });

  describe('table items (dynamodb:LeadingKeys)', () => {
    /** The key prefixes each DynamoDB action is allowed on, per function; unconditioned access throws. */
    const tableAccess = (fn: string) => {
      const out: Record<string, string[]> = {};
      for (const s of statementsOf(fn)) {
        for (const action of actionsOf([s]).filter((x) => x.startsWith('dynamodb:'))) {
          const resource = JSON.stringify(s.Resource);
          if (action === 'dynamodb:Query' && resource.includes('/index/')) {
            // Index queries name their index, never index/*; a base-table query is bound by LeadingKeys below.
            const index = resource.match(/\/index\/([a-z0-9]+)/);
            if (!index || resource.includes('index/*')) throw new Error(`${fn}: ${action} on ${resource}`);
            out[action] = [...(out[action] ?? []), `index:${index[1]}`];
            continue;
          }
          const keys = (s.Condition as Record<string, Record<string, string[]>> | undefined)?.[
            'ForAllValues:StringLike'
          ]?.['dynamodb:LeadingKeys'];
          if (!keys) throw new Error(`${fn}: ${action} without a LeadingKeys condition`);
          out[action] = [...(out[action] ?? []), ...keys].sort((a, b) => a.localeCompare(b));
        }
      }
      return out;
    };
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
    const rw = (read: string[], write: string[]) => ({
      'dynamodb:GetItem': read.sort(),
      ...Object.fromEntries(writes.map((w) => [w, [...write].sort()])),
    });

    it('keeps workers and the sweeper away from API keys and webhook secrets', () => {
      for (const a of FIXTURE_ADAPTERS) {
        expect(tableAccess(`dev-erp-bridge-${a.id}-worker`)).toEqual(
          rw(
            ['T#*', 'LOCK#*', 'PACE#*', 'WEBHOOK#*', 'REFUSED#*', 'CNOTICE#*'],
            ['T#*', 'LOCK#*', 'PACE#*', 'REFUSED#*', 'CNOTICE#*'],
          ),
        );
      }
      expect(tableAccess('dev-erp-bridge-sweeper')).toEqual({
        ...rw(['T#*', 'WEBHOOK#*', 'CNOTICE#*'], ['T#*', 'CSESSION#*', 'CNOTICE#*']),
        'dynamodb:Query': ['index:gsi2'],
      });
    });

    it('lets the connect page touch sessions, notices, locks and pacing slots: no job, key or webhook secret write', () => {
      expect(tableAccess('dev-erp-bridge-connect')).toEqual(
        rw(
          ['CSESSION#*', 'CNOTICE#*', 'WEBHOOK#*', 'LOCK#*', 'PACE#*'],
          ['CSESSION#*', 'CNOTICE#*', 'LOCK#*', 'PACE#*'],
        ),
      );
    });

    it('lets the authorizer read key hashes, the dispatcher webhook settings, and the API everything but keys', () => {
      expect(tableAccess('dev-erp-bridge-authorizer')).toEqual({ 'dynamodb:GetItem': ['APIKEY#*'] });
      expect(tableAccess('dev-erp-bridge-webhooks-dispatcher')).toEqual({
        'dynamodb:GetItem': ['WEBHOOK#*'],
      });
      expect(tableAccess('dev-erp-bridge-api')).toEqual({
        ...rw(
          ['T#*', 'WEBHOOK#*', 'LOCK#*', 'PACE#*', 'REFUSED#*', 'CSESSION#*', 'CNOTICE#*'],
          ['T#*', 'RATE#*', 'WEBHOOK#*', 'LOCK#*', 'PACE#*', 'REFUSED#*', 'CSESSION#*', 'CNOTICE#*'],
        ),
        // A batch's items: their own partition (T#), queried in order and written 25 at a time; the job listing
        // reads its page of jobs in one BatchGetItem.
        'dynamodb:Query': ['T#*', 'index:gsi1'],
        'dynamodb:BatchWriteItem': ['T#*'],
        'dynamodb:BatchGetItem': ['T#*'],
      });
    });

    it('uses the table key only through DynamoDB, and only for decrypting in read-only functions', () => {
      const key = logicalIdOf('AWS::KMS::Key', { Description: Match.stringLikeRegexp('jobs table') });
      const kmsOf = (fn: string) =>
        statementsOf(fn).filter(
          (s) => JSON.stringify(s.Resource).includes(key) && actionsOf([s])[0]?.startsWith('kms:'),
        );
      for (const [fn, writes] of [
        ['dev-erp-bridge-authorizer', false],
        ['dev-erp-bridge-webhooks-dispatcher', false],
        ['dev-erp-bridge-api', true],
        ['dev-erp-bridge-sweeper', true],
        ['dev-erp-bridge-siigo-worker', true],
      ] as const) {
        const [s, ...more] = kmsOf(fn);
        expect(more, fn).toEqual([]);
        expect(actionsOf([s!]).sort(), fn).toEqual(
          [
            'kms:Decrypt',
            'kms:DescribeKey',
            ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
          ].sort(),
        );
        expect(JSON.stringify(s!.Condition), fn).toMatch(/kms:ViaService.*dynamodb\./);
      }
    });
  });

  it('lets the api send to every jobs queue and each worker send only to its own queue (a wait re-sends), its DLQ and the webhooks queue', () => {
    const apiSend = statementsOf('dev-erp-bridge-api').filter((s) =>
      actionsOf([s]).includes('sqs:SendMessage'),
    );
    const sent = JSON.stringify(apiSend.map((s) => s.Resource));
    // batch.finished: the API queues it when a replayed batch is already complete; no DLQ of the webhooks.
    expect(sent).toContain(logicalIdOf('AWS::SQS::Queue', { QueueName: 'dev-erp-bridge-webhooks' }));
    expect(sent).not.toContain(logicalIdOf('AWS::SQS::Queue', { QueueName: 'dev-erp-bridge-webhooks-dlq' }));
    for (const a of FIXTURE_ADAPTERS) {
      const queue = logicalIdOf('AWS::SQS::Queue', { QueueName: `dev-erp-bridge-${a.id}-jobs` });
      const dlq = logicalIdOf('AWS::SQS::Queue', { QueueName: `dev-erp-bridge-${a.id}-dlq` });
      expect(sent).toContain(queue);
      expect(sent).not.toContain(dlq);
      const workerSend = statementsOf(`dev-erp-bridge-${a.id}-worker`).filter((s) =>
        actionsOf([s]).includes('sqs:SendMessage'),
      );
      const webhooks = logicalIdOf('AWS::SQS::Queue', { QueueName: 'dev-erp-bridge-webhooks' });
      expect(workerSend.flatMap((s) => s.Resource).map((r) => JSON.stringify(r))).toEqual(
        [queue, dlq, webhooks].map((id) => JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })),
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

  it('watch every DLQ (> 0 at once), queue age, worker errors, throttles and duration, and API 5xx', () => {
    const mOfN = { EvaluationPeriods: 5, DatapointsToAlarm: 3, Period: 60 };
    for (const a of FIXTURE_ADAPTERS) {
      expect(alarm(`dev-erp-bridge-${a.id}-dlq-not-empty`)).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
      });
      expect(alarm(`dev-erp-bridge-${a.id}-oldest-message-age`)).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
      });
      expect(alarm(`dev-erp-bridge-${a.id}-worker-errors`)).toMatchObject({
        MetricName: 'Errors',
        Threshold: 1,
        ...mOfN,
      });
      expect(alarm(`dev-erp-bridge-${a.id}-worker-throttles`)).toMatchObject({
        MetricName: 'Throttles',
        ...mOfN,
      });
      // Duration near the worker's own timeout (from the adapter's upstream timeout).
      expect(alarm(`dev-erp-bridge-${a.id}-worker-duration`)).toMatchObject({
        MetricName: 'Duration',
        Statistic: 'Maximum',
        Threshold: workerSizing(a).functionTimeoutSeconds * 1000 * DURATION_ALARM_SHARE,
        ...mOfN,
      });
    }
    expect(alarm('dev-erp-bridge-api-5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      ...mOfN,
    });
    for (const f of ['api', 'authorizer', 'sweeper', 'docs']) {
      expect(alarm(`dev-erp-bridge-${f}-errors`)).toMatchObject({ MetricName: 'Errors', ...mOfN });
    }
  });

  it('watch table throttling and the account Lambda concurrency against its quota', () => {
    const table = logicalIdOf('AWS::DynamoDB::Table', { TableName: 'dev-erp-bridge' });
    const throttles = alarm('dev-erp-bridge-dynamodb-throttles');
    expect(throttles).toMatchObject({ Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    const tm = JSON.stringify(throttles.Metrics);
    for (const m of ['ReadThrottleEvents', 'WriteThrottleEvents', table]) expect(tm).toContain(m);
    const concurrency = alarm('dev-erp-bridge-account-concurrency');
    expect(concurrency).toMatchObject({ Threshold: 80, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = concurrency.Metrics as {
      Expression?: string;
      MetricStat?: { Metric: Record<string, unknown> };
    }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('100 * m / SERVICE_QUOTA(m)');
    expect(metrics.find((m) => m.MetricStat)?.MetricStat?.Metric).toMatchObject({
      Namespace: 'AWS/Usage',
      MetricName: 'ResourceCount',
      Dimensions: expect.arrayContaining([{ Name: 'Resource', Value: 'ConcurrentExecutions' }]),
    });
  });

  it('each link to its runbook entry in docs/deploy.md, and that entry exists', () => {
    const anchors = docAnchors(RUNBOOK_DOC);
    const all = Object.values(t.findResources('AWS::CloudWatch::Alarm') as Resources);
    expect(all.length).toBe(FIXTURE_ADAPTERS.length * 5 + 5 + 1 + 3 + 2);
    for (const a of all) {
      const link = String(a.Properties.AlarmDescription).match(/Runbook: docs\/deploy\.md#([a-z0-9-]+)$/);
      expect(link, String(a.Properties.AlarmName)).not.toBeNull();
      expect(anchors.has(link![1]!), link![1]).toBe(true);
    }
  });

  it('has a dashboard of per-ERP metrics by outcome, named with the region (names are unique per account)', () => {
    const [d] = Object.values(t.findResources('AWS::CloudWatch::Dashboard') as Resources);
    expect(d!.Properties.DashboardName).toEqual({
      'Fn::Join': ['', ['dev-erp-bridge-', { Ref: 'AWS::Region' }]],
    });
    const body = JSON.stringify(d!.Properties.DashboardBody);
    for (const m of ['JobTransitions', 'UpstreamCalls', 'UpstreamLatency']) expect(body).toContain(m);
    expect(body).toContain('ErpBridge/dev');
  });
});
