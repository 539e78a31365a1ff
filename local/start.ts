import path from 'node:path';
import type { ErpId } from '../shared/erps/types';
import { verbose } from './log-level';
import { simulators } from './simulators';
import { startLocalStack } from './stack';

/**
 * `npm start`: the local stack on http://127.0.0.1:3000. Data under .data/ survives a restart.
 * Flags: --live (real ERP hosts, no simulators), --port N. Every listener's port has its variable (README
 * "Configuration"); LOCAL_RANDOM_PORTS=1 puts every listener on a free port.
 */
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const live = args.includes('--live');

/** Each listener, its port and the variable that sets it (named in the one-line message on a clash). */
const envPort = (variable: string, fallback: number) => {
  const raw = process.env[variable];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    console.error(`${variable}=${raw} is not a port number (0-65535)`);
    process.exit(2);
  }
  return n;
};
const apiPort = portArg >= 0 ? Number(args[portArg + 1]) : envPort('PORT', 3000);
const listeners: { what: string; variable: string; port: number; erp?: ErpId }[] = [
  { what: 'the API', variable: portArg >= 0 ? '--port' : 'PORT', port: apiPort },
  {
    what: 'the DynamoDB emulator',
    variable: 'LOCAL_DYNAMODB_PORT',
    port: envPort('LOCAL_DYNAMODB_PORT', 4569),
  },
  { what: 'the SQS emulator', variable: 'LOCAL_SQS_PORT', port: envPort('LOCAL_SQS_PORT', 4566) },
  ...(Object.entries(simulators) as [ErpId, { port: number }][]).map(([erp, sim]) => {
    const variable = `LOCAL_${erp.toUpperCase()}_SIMULATOR_PORT`;
    return { what: `the ${erp} simulator`, variable, port: envPort(variable, sim.port), erp };
  }),
];
const portOf = (variable: string) => listeners.find((l) => l.variable === variable)?.port;

const line = (level: string) => (msg: string, attrs?: Record<string, unknown>) =>
  console.log(`[${level}] ${msg}${attrs ? ` ${JSON.stringify(attrs)}` : ''}`);

// LOCAL_RANDOM_PORTS=1 (used by the e2e tests): every listener on a free port; the banner says which.
const random = process.env.LOCAL_RANDOM_PORTS === '1';
const stack = await startLocalStack({
  dataDir: path.resolve(process.env.LOCAL_DATA_DIR ?? '.data'),
  apiPort: random ? 0 : apiPort,
  dynamoPort: random ? 0 : portOf('LOCAL_DYNAMODB_PORT'),
  sqsPort: random ? 0 : portOf('LOCAL_SQS_PORT'),
  simulatorPorts: random
    ? undefined
    : Object.fromEntries(listeners.flatMap((l) => (l.erp ? [[l.erp, l.port] as const] : []))),
  randomPorts: random,
  persist: true,
  live,
  log: { info: verbose ? line('info') : () => undefined, warn: line('warn'), error: line('error') },
}).catch((e: NodeJS.ErrnoException & { port?: number }) => {
  if (e.code !== 'EADDRINUSE') throw e;
  // One line a user can act on, instead of a stack trace.
  const l = listeners.find((x) => x.port === e.port);
  console.error(
    `port ${e.port} is in use${l ? ` (${l.what})` : ''}: set ${l?.variable ?? 'its variable'} to a free port, ` +
      'or LOCAL_RANDOM_PORTS=1 to put every listener on a free port',
  );
  process.exit(1);
});

const portIn = (url?: string) => (url ? new URL(url).port : '?');
const keyFile = path.relative(process.cwd(), path.join(stack.dataDir, 'local-api-key'));
const sims = Object.entries(stack.simulators)
  .map(([erp, s]) => `  ${erp.padEnd(11)} ${s?.url}   (connection: demo-${erp})`)
  .join('\n');
console.log(`
ERP Bridge local stack is up.

  API           ${stack.url}
  Docs          ${stack.url}/docs
  Tenant        ${stack.tenantId}
  API key       ${stack.apiKey}   (also in ${path.relative(process.cwd(), path.join(stack.dataDir, 'local-api-key')) || '.data/local-api-key'})
  Re-queued     ${stack.requeuedAtStart} unfinished job(s) from the last run
${live ? '  ERPs          live hosts (--live)' : `  Simulators\n${sims}`}
  Emulators     DynamoDB ${process.env.DYNAMODB_ENDPOINT}, SQS ${process.env.SQS_ENDPOINT}
                (npm run tenant-key and redrive find them with LOCAL_DYNAMODB_PORT=${portIn(process.env.DYNAMODB_ENDPOINT)} LOCAL_SQS_PORT=${portIn(process.env.SQS_ENDPOINT)})

Try it:

  curl -s ${stack.url}/v1/customers \\
    -H "Authorization: Bearer $(cat ${keyFile})" \\
    -H 'content-type: application/json' -H 'x-erp: siigo' -H 'x-connection: demo-siigo' \\
    -d '{"personType":"company","name":{"company":"Stark Industries"},
         "identification":{"type":"NIT","number":"900373913"},"email":"billing@stark.co",
         "billingAddress":{"lines":["Cra. 18 #79A - 42"],"cityCode":"11001","stateCode":"11","country":"CO"},
         "phones":[{"number":"3006003345"}]}'

  curl -s ${stack.url}/v1/jobs/<jobId> -H "Authorization: Bearer $(cat ${keyFile})"

Ctrl-C stops it.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop().catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
