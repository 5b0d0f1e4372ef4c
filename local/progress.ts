/**
 * The local platform's heartbeat on the console: one readable line every few seconds, so whoever runs
 * `npm start` sees traffic flow (or stall) without opening the API.
 *
 *   [kouan] 12:00:05 in 1,234 (+200/s) processed 1,230 rejected 3 dead-lettered 3 lag 12 ms failures 0
 */

export interface ProgressSample {
  /** Device publishes the broker routed to the stream. */
  in: number;
  /** Stream records the ingest function finished with. */
  processed: number;
  /** Publishes and connections the broker's policy refused. */
  rejected: number;
  /** Messages the ingest function dead-lettered (undefined while unknown). */
  deadLettered: number | undefined;
  lagMs: number;
  /** Batches given to the on-failure destination plus records the producer could not write. */
  failures: number;
}

export interface Progress {
  stop(): void;
}

const count = new Intl.NumberFormat('en-US');

/** Formats one progress line; `ratePerSecond` is the publish rate since the previous line. */
export function formatProgress(at: Date, sample: ProgressSample, ratePerSecond: number): string {
  const time = at.toTimeString().slice(0, 8);
  const dead = sample.deadLettered === undefined ? '?' : count.format(sample.deadLettered);
  return (
    `[kouan] ${time} in ${count.format(sample.in)} (+${count.format(Math.round(ratePerSecond))}/s)` +
    ` processed ${count.format(sample.processed)} rejected ${count.format(sample.rejected)}` +
    ` dead-lettered ${dead} lag ${count.format(Math.round(sample.lagMs))} ms failures ${count.format(sample.failures)}`
  );
}

/**
 * Writes a progress line every `intervalMs`. `sample` may be async (the dead-letter count comes from the API);
 * a slow sample skips a tick rather than stacking up.
 */
export function startProgress(options: {
  sample: () => Promise<ProgressSample>;
  write: (line: string) => void;
  /** @default 5000 */
  intervalMs?: number;
}): Progress {
  const intervalMs = options.intervalMs ?? 5000;
  let previous = { at: Date.now(), in: 0 };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    options
      .sample()
      .then((s) => {
        const now = Date.now();
        const rate = ((s.in - previous.in) * 1000) / Math.max(1, now - previous.at);
        previous = { at: now, in: s.in };
        options.write(formatProgress(new Date(now), s, rate));
      })
      .catch((e: unknown) => options.write(`[kouan] progress unavailable: ${(e as Error).message}`))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  // The progress line alone must never keep the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
