/**
 * The local stand-in for the EventBridge schedule of the performance evaluation (infra/stacks/evaluation-stack.ts):
 * the same handler module on a timer. A run never overlaps the previous one; a failure is logged and the next tick
 * tries again (the run is idempotent), as EventBridge's retries would.
 */
export interface EvaluationTimer {
  /** Runs now (and waits for it), e.g. from a test. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startEvaluationTimer(
  run: () => Promise<unknown>,
  intervalMs: number,
  log: (message: string) => void,
): EvaluationTimer {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    running ??= run()
      .then(
        () => undefined,
        (e: unknown) => log(`evaluation failed: ${(e as Error).message}`),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    runNow: tick,
    async stop() {
      clearInterval(timer);
      // Let a run in progress finish its write, but never hold up the platform's 5-second shutdown for it.
      await Promise.race([running, new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
