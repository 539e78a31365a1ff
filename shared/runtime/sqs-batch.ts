import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/**
 * Runs each record of an SQS batch on its own and reports the ones to retry as batch item failures (their
 * visibility was already moved to the retry time). A record that throws — an infrastructure failure — is
 * retried too: SQS brings it back, and the queue's maxReceiveCount is the safety net.
 */
export async function partialBatch(
  records: SQSRecord[],
  run: (r: SQSRecord) => Promise<'ack' | 'retry'>,
  onError: (r: SQSRecord, e: Error) => void,
): Promise<SQSBatchResponse> {
  const results = await Promise.all(
    records.map(async (r) => {
      try {
        return await run(r);
      } catch (e) {
        onError(r, e as Error);
        return 'retry' as const;
      }
    }),
  );
  return {
    batchItemFailures: records
      .filter((_, i) => results[i] === 'retry')
      .map((r) => ({ itemIdentifier: r.messageId })),
  };
}
