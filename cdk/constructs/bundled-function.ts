import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import type { StageConfig } from '../stage';

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
 * One Lambda function the way every function of this stack is built: esbuild bundle (local, no Docker) that is
 * minified, ESM, with source maps and the AWS SDK v3 bundled and tree-shaken (faster cold starts than the
 * runtime's copy, and pinned to the version we test); Node.js 22 on arm64; JSON logs into its own log group with
 * the stage's retention; X-Ray active tracing; its own role that may write only to its own log group.
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
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.stage.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        // Stack traces point into the TypeScript sources (the .map file ships next to the bundle).
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: bundlingOptions({ metafile: this.node.tryGetContext('bundleMetafile') === 'true' }),
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions (service authorization
    // reference), so the statement CDK adds for active tracing must name "*".
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions; CDK adds them for active tracing only.',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the project builds, tests and pins (engines, @types/node); moving to nodejs24.x is a deliberate upgrade, not a lint fix.',
    );
  }
}

/** Shared by every function so identical entries hit esbuild once per synth (CDK caches by entry + options). */
export function bundlingOptions(opts: { metafile: boolean }): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    // Linked .map file (sourceMappingURL), read by --enable-source-maps.
    sourceMapMode: nodejs.SourceMapMode.DEFAULT,
    sourcesContent: false,
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
