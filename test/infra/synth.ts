import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ErpBridgeStack, type ErpBridgeStackProps } from '../../cdk/erp-bridge-stack';
import { addNagChecks } from '../../cdk/nag';
import { resourcePrefix, stageConfig } from '../../cdk/stage';
import { tempDir } from '../helpers/temp';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
  return cdkJson.context;
}

export interface SynthOptions {
  context?: Record<string, unknown>;
  adapters?: ErpBridgeStackProps['adapters'];
  /** Run esbuild for real (slow); otherwise bundling is skipped and assets are placeholders. */
  bundle?: boolean;
  nag?: boolean;
}

/** aws-cdk-lib writes "Bundling asset <path>..." to stderr for every bundled function; test output stays results. */
function withoutBundlingNotices<T>(build: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === 'string' && chunk.startsWith('Bundling asset ')
      ? true
      : (write as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest)) as typeof write;
  try {
    return build();
  } finally {
    process.stderr.write = write;
  }
}

/** Builds the app the way cdk/app.ts does, into a temp outdir. Call once per test file. */
export function synthStack(opts: SynthOptions = {}) {
  const context: Record<string, unknown> = { ...cdkJsonContext(), stage: 'dev', ...opts.context };
  if (!opts.bundle) context['aws:cdk:bundling-stacks'] = [];
  const outdir = tempDir('erp-bridge-cdk-');
  const app = new App({ context, outdir });
  const stage = stageConfig((k) => app.node.tryGetContext(k), opts.adapters);
  const stack = withoutBundlingNotices(
    () =>
      new ErpBridgeStack(app, resourcePrefix(stage), {
        stage,
        ...(opts.adapters ? { adapters: opts.adapters } : {}),
      }),
  );
  if (opts.nag) addNagChecks(app);
  return { app, stack, stage, outdir, template: () => Template.fromStack(stack) };
}
