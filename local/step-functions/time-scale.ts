/**
 * The one transformation the local runner applies to the committed definition: with a time scale of N, every
 * duration that waits on people or on the clock is divided by N — the `TimeoutSeconds` and `HeartbeatSeconds` of the
 * callback tasks (`.waitForTaskToken`), a Wait state's `Seconds`, and the execution's top-level `TimeoutSeconds` — so
 * that `--time-scale 60` turns a 30-minute agency task timeout into 30 seconds and escalation can be watched. The
 * `TimeoutSeconds` of the other Lambda tasks stay as they are: they bound computation, which runs no faster locally.
 * Nothing else changes: states, paths, Retry and Catch are the cloud's. (Retry intervals are not in the definition's
 * copy: they are scaled through the runner's `retryIntervalOverrides`, see local-step-functions.ts.)
 */

export class TimeScaleError extends Error {
  readonly code = 'TIME_SCALE_INVALID';
}

/** Parses a time scale (`--time-scale 60`, `KOUAN_TIME_SCALE=60`): a number ≥ 1. */
export function parseTimeScale(raw: string | undefined, fallback = 1): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1 || n > 100_000)
    throw new TimeScaleError(
      `the time scale must be a number from 1 to 100000 (60: a minute runs in a second), got "${raw}"`,
    );
  return n;
}

type Graph = { States?: Record<string, Record<string, unknown>>; TimeoutSeconds?: unknown };

/** A copy of the definition with its durations divided by `scale` (fractions of a second are kept). */
export function scaleDefinition<T extends object>(definition: T, scale: number): T {
  // A JSON copy, not structuredClone: the runner recognises objects by `Object.prototype`, and structuredClone builds
  // them in Node's own realm, which differs from a test sandbox's (jest), so the runner would skip nested templates.
  const copy = JSON.parse(JSON.stringify(definition)) as T;
  const scaled = (v: unknown) => (typeof v === 'number' ? v / scale : v);
  const visit = (graph: Graph) => {
    // The top-level timeout of the execution; sub-graphs (Map item processors, branches) have none.
    if (graph.TimeoutSeconds !== undefined) graph.TimeoutSeconds = scaled(graph.TimeoutSeconds);
    for (const state of Object.values(graph.States ?? {})) {
      if (typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken'))
        for (const field of ['TimeoutSeconds', 'HeartbeatSeconds'])
          if (state[field] !== undefined) state[field] = scaled(state[field]);
      if (state.Type === 'Wait' && state.Seconds !== undefined) state.Seconds = scaled(state.Seconds);
      for (const sub of [state.ItemProcessor, state.Iterator, ...((state.Branches as unknown[]) ?? [])])
        if (sub && typeof sub === 'object') visit(sub as Graph);
    }
  };
  if (scale !== 1) visit(copy as Graph);
  return copy;
}
