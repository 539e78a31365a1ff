import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { ensureQueuePair, ensureTable } from '../local/emulators';
import { SIIGO_DEMO_PRODUCTION_CREDENTIALS } from '../local/simulators/siigo';
import { LocalFileConnectionStore } from '../shared/connections/local-file-store';
import type { ConnectionLimits } from '../shared/pacing/limits';
import { dynamoDocumentClient, sqsClient } from '../shared/runtime/aws';
import type { Log } from '../shared/worker/deps';
import { countingConnections } from './counters';

export const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * DynamoDB and SQS emulators on loopback in a child process (bench/emulator-process.ts), the stack's table, and
 * process.env pointing at them.
 */
export async function startEmulators() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'emulator-process.ts')],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const endpoints = await new Promise<{ dynamo: string; sqs: string }>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line));
    });
  });
  child.removeAllListeners('exit');
  const table = 'bench-erp-bridge';
  await ensureTable(endpoints.dynamo, table);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-'));
  Object.assign(process.env, {
    STAGE: 'bench',
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: endpoints.dynamo,
    SQS_ENDPOINT: endpoints.sqs,
    CONNECTION_STORE: 'local-file',
    LOCAL_DATA_DIR: dataDir,
    AWS_REGION: 'us-east-1',
    // The per-tenant request budget still runs (its counter write is part of the accept path), it just never bites.
    TENANT_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const db = dynamoDocumentClient();
  const sqs = sqsClient();
  return {
    table,
    dataDir,
    db,
    sqs,
    dynamoEndpoint: endpoints.dynamo,
    sqsEndpoint: endpoints.sqs,
    async queue(name: string, visibilityTimeoutSeconds = 60) {
      const pair = await ensureQueuePair(sqs, name, { visibilityTimeoutSeconds, maxReceiveCount: 20 });
      const a = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: pair.url, AttributeNames: ['QueueArn'] }),
      );
      return { ...pair, arn: a.Attributes?.QueueArn as string };
    },
    async close() {
      // The emulator process stops when its stdin closes.
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
      // The local connection store's key and encrypted credentials: nothing of a run stays behind.
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Emulators = Awaited<ReturnType<typeof startEmulators>>;

/** The Siigo production company every accept/worker bench job goes to, in a connection store counted as `who`. */
export async function benchSiigoConnection(dataDir: string, who: string, limits?: ConnectionLimits) {
  const connections = countingConnections(LocalFileConnectionStore.open(dataDir), who);
  await connections.put({
    tenantId: BENCH_TENANT,
    connectionId: 'bench-siigo',
    erp: 'siigo',
    environment: 'production',
    credentials: SIIGO_DEMO_PRODUCTION_CREDENTIALS,
    ...(limits ? { limits } : {}),
  });
  return connections;
}

export const BENCH_TENANT = 'bench-tenant';

/** A valid Colombian company for customer `i` (distinct NITs: Siigo and QuickBooks reject duplicates). */
export function benchCustomer(i: number) {
  return {
    personType: 'company',
    name: { company: `Bench Company ${i}` },
    identification: { type: 'NIT', number: String(800_000_000 + i) },
    email: `bench${i}@example.co`,
    billingAddress: { lines: [`Calle ${i} # 10-20`], cityCode: '11001', stateCode: '11', country: 'CO' },
    phones: [{ number: '3006003345' }],
  };
}
