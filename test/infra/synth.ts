import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ErpBridgeStack, type ErpBridgeStackProps } from '../../cdk/erp-bridge-stack';
import { addNagChecks } from '../../cdk/nag';
import { resourcePrefix, stageConfig } from '../../cdk/stage';

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

/** Builds the app the way cdk/app.ts does, into a temp outdir. Call once per test file. */
export function synthStack(opts: SynthOptions = {}) {
  const context: Record<string, unknown> = { ...cdkJsonContext(), stage: 'dev', ...opts.context };
  if (!opts.bundle) context['aws:cdk:bundling-stacks'] = [];
  const outdir = mkdtempSync(join(tmpdir(), 'erp-bridge-cdk-'));
  const app = new App({ context, outdir });
  const stage = stageConfig((k) => app.node.tryGetContext(k), opts.adapters);
  const stack = new ErpBridgeStack(app, resourcePrefix(stage), {
    stage,
    ...(opts.adapters ? { adapters: opts.adapters } : {}),
  });
  if (opts.nag) addNagChecks(app);
  return { app, stack, stage, outdir, template: () => Template.fromStack(stack) };
}
