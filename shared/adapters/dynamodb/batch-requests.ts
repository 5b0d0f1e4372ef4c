/**
 * Runs DynamoDB batch requests (BatchGetItem ≤ 100 keys, BatchWriteItem ≤ 25 writes) over any number of entries:
 * splits them into chunks, sends the chunks concurrently and re-sends what DynamoDB left unprocessed (throttling)
 * with exponential backoff, failing loudly after `maxAttempts` so the caller's batch is retried, never dropped.
 *
 * `send` takes a chunk and returns the entries DynamoDB did not process.
 */
export async function inChunks<T>(
  what: string,
  entries: readonly T[],
  chunkSize: number,
  send: (chunk: T[]) => Promise<T[]>,
  maxAttempts = 9,
): Promise<void> {
  const chunks: T[][] = [];
  for (let i = 0; i < entries.length; i += chunkSize) chunks.push(entries.slice(i, i + chunkSize));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= maxAttempts) {
          throw new Error(`${what}: ${pending.length} entries still unprocessed after ${attempt} attempts (throttled)`);
        }
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 10));
        pending = await send(pending);
      }
    }),
  );
}
