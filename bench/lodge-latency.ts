import { RAW_DECLARATION_SAMPLES } from '../events/v1/declaration-samples';
import { signLocalToken } from '../local/dev-tokens';
import { startPlatformProcess } from './platform-process';

export interface LodgeLatency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  lanes: Record<string, number>;
}

/**
 * `POST /v1/declarations` → 201 with the lane and its reasons, against the local platform running as `npm start`
 * does: the round trip a declarant sees (HTTP, token check, validation, the stored risk profile, assessment,
 * the decision-log writes and the declaration item). Sequential requests, one at a time.
 */
export async function benchLodge(requests = 300): Promise<LodgeLatency> {
  const platform = await startPlatformProcess();
  try {
    const token = await signLocalToken({ roles: ['declarant'], sub: 'bench-declarant' });
    const samples = Object.values(RAW_DECLARATION_SAMPLES);
    const times: number[] = [];
    const lanes: Record<string, number> = {};
    for (let i = -20; i < requests; i++) {
      const sample = samples[Math.abs(i) % samples.length];
      const body = JSON.stringify({ ...sample, reference: `bench-${i}` });
      const start = performance.now();
      const res = await fetch(`${platform.httpUrl}/v1/declarations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { lane?: string };
      const ms = performance.now() - start;
      if (res.status !== 201 || !json.lane) throw new Error(`lodge failed: ${res.status} ${JSON.stringify(json)}`);
      if (i < 0) continue; // warm-up: first compile of the profile, JIT
      times.push(ms);
      lanes[json.lane] = (lanes[json.lane] ?? 0) + 1;
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? Number.NaN;
    return { requests: times.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: times.at(-1) ?? Number.NaN, lanes };
  } finally {
    platform.child.kill('SIGTERM');
    await new Promise((r) => platform.child.once('exit', r));
  }
}
