import './quiet-warnings';
import path from 'node:path';
import { startLocalStack } from './stack';

/**
 * `npm start`: the local stack on http://127.0.0.1:3000. Data under .data/ survives a restart.
 * Flags: --live (real ERP hosts, no simulators), --port N.
 */
const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 3000);
const live = args.includes('--live');
const verbose =
  process.env.LOG_LEVEL?.toUpperCase() === 'DEBUG' || process.env.LOG_LEVEL?.toUpperCase() === 'INFO';
process.env.POWERTOOLS_LOG_LEVEL ??= verbose ? 'INFO' : 'WARN';

const line = (level: string) => (msg: string, attrs?: Record<string, unknown>) =>
  console.log(`[${level}] ${msg}${attrs ? ` ${JSON.stringify(attrs)}` : ''}`);

// LOCAL_RANDOM_PORTS=1 (used by the e2e tests): every listener on a free port; the banner says which.
const random = process.env.LOCAL_RANDOM_PORTS === '1';
const stack = await startLocalStack({
  dataDir: path.resolve(process.env.LOCAL_DATA_DIR ?? '.data'),
  apiPort: random ? 0 : port,
  dynamoPort: random ? 0 : Number(process.env.LOCAL_DYNAMODB_PORT ?? 4569),
  sqsPort: random ? 0 : Number(process.env.LOCAL_SQS_PORT ?? 4566),
  randomPorts: random,
  persist: true,
  live,
  log: { info: verbose ? line('info') : () => undefined, warn: line('warn'), error: line('error') },
});

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
