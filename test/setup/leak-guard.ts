import { afterAll, expect } from 'vitest';
import { capture, findLeaks } from '../helpers/leak-guard';

// Capture every line written to stdout/stderr (Powertools logs, console) for the whole test file.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    capture('log', typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    capture('log', args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    original(...args);
  };
}

afterAll(() => {
  const leaks = findLeaks();
  expect(leaks, `secrets leaked: ${JSON.stringify(leaks, null, 1)}`).toEqual([]);
});
