import { describe, expect, it } from 'vitest';

// Apart from sqs-queue.test.ts, which mocks SQSClient for the whole file: this one talks to a real socket.
describe('sqsClient with a request timeout (the API)', () => {
  it('gives up on a SendMessage that never gets an answer, so the caller’s error path runs', async () => {
    const { createServer } = await import('node:net');
    const { sqsClient } = await import('../../shared/runtime/aws');
    const { SqsJobQueue } = await import('../../shared/queue/sqs-queue');
    // Accepts connections and never answers: an SQS endpoint that hangs.
    const sockets: import('node:net').Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const url = `http://127.0.0.1:${port}/000000000000/q`;
      const queue = new SqsJobQueue(sqsClient(`http://127.0.0.1:${port}`, { requestTimeoutMs: 200 }), {
        siigo: url,
      });
      await expect(
        queue.send('siigo', {
          version: 1,
          jobId: '00000000-0000-4000-8000-000000000000',
          tenantId: 't',
          connectionId: 'c',
          customer: {},
        }),
      ).rejects.toThrow();
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 20_000);
});
