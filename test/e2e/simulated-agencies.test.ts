import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { startAgencyBots } from '../../local/simulator/agencies';
import { callApi } from '../support/api-client';

// `npm start` as a living evaluation: the port simulator's devices plus the simulated declarant, customs officer and
// joint-control agencies, all acting as clients (MQTT and the HTTP API). The agencies' delays run 1200× faster than
// the wall clock here (a 45-minute documentary check takes about 2 s) so that a short run shows every KPI they feed.

const PORT = 'CNSGH';
const KPIS = [
  'clearance.release.median_h',
  'inspection.rate',
  'inspection.hit_rate',
  'incident.response.median_min',
  'gate.throughput.per_hour',
] as const;

let platform: PlatformHandle;
const logLines: string[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    portCode: PORT,
    simulator: { seed: 5, agencies: { timeScale: 1200, declareShare: 0.5, maxDeclarationsPerSecond: 3, pollMs: 500 } },
    log: (line) => logLines.push(line),
  });
}, 30_000);

afterAll(async () => {
  await platform?.stop();
});

type Kpi = { id: string; value: number | null; n: number };

describe('the simulated agencies, end to end', () => {
  it('lodge, decide, inspect and answer incidents through the API until the clearance, inspection, incident and gate KPIs have samples', async () => {
    const operator = await signLocalToken({ roles: ['port-operator'], sub: 'operator-sim-agencies' });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const deadline = Date.now() + 22_000;
    let items: Kpi[] = [];
    const missing = () => KPIS.filter((id) => !((items.find((k) => k.id === id)?.n ?? 0) > 0));
    do {
      await new Promise((r) => setTimeout(r, 1_000));
      const to = new Date(Date.now() + 60_000).toISOString();
      const res = await callApi(
        platform.httpUrl,
        'GET',
        `/v1/ports/${PORT}/kpis?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        operator,
      );
      expect(res.status).toBe(200);
      items = res.body.items as Kpi[];
    } while (missing().length > 0 && Date.now() < deadline);

    expect(missing()).toEqual([]);
    const stats = platform.stats().agencies;
    expect(stats?.lodged).toBeGreaterThan(0);
    expect(stats?.acknowledged).toBeGreaterThan(0);
    expect((stats?.documentaryChecks ?? 0) + (stats?.inspections ?? 0)).toBeGreaterThan(0);
    // The bots' calls are well-formed: whatever failed was a race the API refused (409), never a bad request.
    expect(logLines.filter((l) => / agency .* failed: 4(00|01|03|13)/.test(l))).toEqual([]);
  }, 30_000);
});

describe('the simulated agencies when the API is down', () => {
  it('log each failed call in one line, keep going, and stop cleanly', async () => {
    const lines: string[] = [];
    // Port 9 on loopback (discard) is closed: every call fails to connect.
    const bots = startAgencyBots({
      httpUrl: 'http://127.0.0.1:9',
      port: PORT,
      timeScale: 60,
      runId: 'test',
      vessels: [{ mmsi: 477123456, imo: 9321483 }],
      declareShare: 1,
      pollMs: 50,
      log: (line) => lines.push(line),
    });
    const now = Date.now();
    bots.offer([
      { plate: 'HU1234', plateCountry: 'CN', carriedIn: [], carriedOut: ['CSQU3054383'], inAt: now, outAt: now + 1 },
    ]);
    await new Promise((r) => setTimeout(r, 400));
    await bots.stop();
    const after = lines.length;
    await new Promise((r) => setTimeout(r, 200));

    expect(lines.some((l) => l.startsWith('declarant: lodge SIM-test-1 (import-') && l.includes(' failed: '))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith('agencies: read open incidents failed: '))).toBe(true);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(bots.stats().failures).toBeGreaterThanOrEqual(2);
    // Stopped means silent: no timer is left to call again.
    expect(lines.length).toBe(after);
  });
});
