// Imported first by local/start.ts, local/tenant-key.ts and scripts/redrive.ts: the AWS SDK warns on every start that it will need Node 22 from 2027.
// The local stack supports Node 20 and 22; keep every other warning.
const [printWarning] = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!w.message.startsWith('NodeVersionSupportWarning')) printWarning?.(w);
});
