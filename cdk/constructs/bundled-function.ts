import { basename, dirname, join } from 'node:path';
import { type Duration, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import type { LogLevel, StageConfig } from '../stage';

export interface BundledFunctionProps {
  stage: StageConfig;
  /** Physical name, already stage-prefixed. */
  functionName: string;
  /** TypeScript entry exporting `handler`. */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  environment: Record<string, string>;
}

/**
 * Lambda's own log filter (advanced logging controls). Lines without a `level` — Powertools' EMF metric lines —
 * count as INFO, so the filter stays at INFO (DEBUG when the stage asks for debug logs) and metrics are never
 * dropped; the stage's level (WARN, ERROR) is applied by the Powertools logger itself (LOG_LEVEL, see
 * shared/runtime/observability.ts).
 */
export function lambdaLogFilter(level: LogLevel): lambda.ApplicationLogLevel {
  return level === 'DEBUG' ? lambda.ApplicationLogLevel.DEBUG : lambda.ApplicationLogLevel.INFO;
}

/**
 * The Lambda runtime of every function and the esbuild target that matches it: the Node major that `npm test` runs
 * on (the pinned `node` devDependency; test/infra/stack.test.ts checks they agree).
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ESBUILD_TARGET = 'node24';

/** Where synth leaves each bundle's source map (kept out of the zips): `<cdk.out>/source-maps/<entry>.mjs.map`. */
export const SOURCE_MAPS_DIR = 'source-maps';

/**
 * One Lambda function the way every function of this stack is built: esbuild bundle (local, no Docker) that is
 * minified ESM with function names kept (readable stack traces) and the AWS SDK v3 bundled and tree-shaken (faster
 * cold starts than the runtime's copy, and pinned to the version we test); Node.js 24 on arm64; JSON logs into its
 * own log group with the stage's retention, Lambda's REPORT lines included; X-Ray active tracing (Powertools
 * Tracer in the handlers); its own role that may write only to its own log group. The source map is written next
 * to the cloud assembly instead of into the zip: `npm run stack-trace` maps a deployed stack trace back to the
 * TypeScript sources.
 */
export class BundledFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.stage.logRetention,
      removalPolicy: props.stage.removalPolicy,
    });
    // Own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: least privilege, granted per resource by the stack`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambdaLogFilter(props.stage.logLevel),
      // INFO: the platform's START/REPORT lines (duration, billed duration, memory, init duration) are kept.
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        LOG_LEVEL: props.stage.logLevel,
      },
      bundling: bundlingOptions({
        metafile: this.node.tryGetContext('bundleMetafile') === 'true',
        sourceMapsDir: join(Stage.of(this)?.outdir ?? 'cdk.out', SOURCE_MAPS_DIR),
        entryName: entryName(props.entry),
      }),
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions (service authorization
    // reference), so the statement CDK adds for active tracing must name "*".
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions; CDK adds them for active tracing only.',
    );
  }
}

/** `functions/worker/handler.ts` → `worker`: the name of its source map. */
export const entryName = (entry: string) => basename(dirname(entry));

/** Shared by every function so identical entries hit esbuild once per synth (CDK caches by entry + options). */
export function bundlingOptions(opts: {
  metafile: boolean;
  sourceMapsDir: string;
  entryName: string;
}): nodejs.BundlingOptions {
  const map = join(opts.sourceMapsDir, `${opts.entryName}.mjs.map`);
  return {
    format: nodejs.OutputFormat.ESM,
    target: ESBUILD_TARGET,
    minify: true,
    // Minified, but functions and methods keep their names, so a stack trace in the logs reads without a map.
    keepNames: true,
    sourceMap: true,
    // No sourceMappingURL comment: the map is not in the zip (it would double its size and slow cold starts).
    sourceMapMode: nodejs.SourceMapMode.EXTERNAL,
    sourcesContent: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_in, out) => [
        `mkdir -p '${opts.sourceMapsDir}'`,
        `mv '${join(out, 'index.mjs.map')}' '${map}'`,
      ],
    },
    // Bundle and tree-shake the AWS SDK v3 instead of loading the runtime's full copy.
    bundleAwsSDK: true,
    externalModules: [],
    // Prefer packages' ESM builds: esbuild can only tree-shake ES modules.
    mainFields: ['module', 'main'],
    // Some dependencies still call require() for Node built-ins; give the ESM bundle one.
    banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
    // `-c bundleMetafile=true` adds esbuild's index.meta.json (what is in each bundle) for cdk/bundle-report.ts;
    // off by default because it would ship inside the function's zip.
    metafile: opts.metafile,
    forceDockerBundling: false,
    logLevel: nodejs.LogLevel.WARNING,
  };
}
