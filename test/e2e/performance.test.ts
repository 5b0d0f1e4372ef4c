import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { callApi } from '../support/api-client';
import { withFreshReference } from '../support/envelopes';
import { OPEN_DECLARATION } from '../support/route-samples';

// The evaluation as an agency reads it: declarations decided through the API and trucks through the gate over MQTT
// become KPIs with their sample sizes, computed on demand before the schedule has folded the hour.

const PORT = 'CNSGH';
let platform: PlatformHandle;
let officer: string;
let operator: string;

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  officer = await signLocalToken({ roles: ['customs-officer'], sub: 'officer-perf' });
  operator = await signLocalToken({ roles: ['port-operator'], sub: 'operator-perf' });
}, 30_000);

afterAll(async () => {
  await platform?.stop();
});

const kpi = (items: { id: string; value: number | null; n: number }[], id: string) => items.find((k) => k.id === id);

describe('port performance from what happened, end to end', () => {
  it('counts released declarations, assessment times and a gate visit in the KPIs, and grades the port', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    // Two open (yellow or red) declarations, released by an officer: lodgement → release times.
    for (let i = 0; i < 2; i++) {
      const lodged = await callApi(
        platform.httpUrl,
        'POST',
        '/v1/declarations',
        officer,
        withFreshReference(OPEN_DECLARATION),
      );
      expect(lodged.status).toBe(201);
      const released = await callApi(
        platform.httpUrl,
        'POST',
        `/v1/declarations/${String(lodged.body.id)}/decisions`,
        officer,
        {
          action: 'release',
          reason: 'documents checked',
        },
      );
      expect(released.status).toBe(201);
    }
    // A truck in and out of the gate.
    const device = 'gate-perf-1';
    const client = await mqtt.connectAsync(platform.mqttUrl, { clientId: device, protocolVersion: 4 });
    const t0 = Date.now() - 20 * 60_000;
    for (const [direction, at] of [
      ['in', t0],
      ['out', t0 + 12 * 60_000],
    ] as const) {
      const message = {
        messageId: randomUUID(),
        observedAt: new Date(at).toISOString(),
        kind: 'gate.transaction',
        payload: {
          laneId: direction === 'in' ? 'IN-1' : 'OUT-1',
          direction,
          plate: 'SH-PERF1',
          containers: [],
          ocrConfidence: 0.99,
        },
      };
      await client.publishAsync(`kouan/v1/${PORT}/gate/${device}/events`, JSON.stringify(message), { qos: 1 });
    }
    await client.endAsync();
    expect(await platform.settle()).toBe(true);
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    const kpis = await callApi(platform.httpUrl, 'GET', `/v1/ports/${PORT}/kpis?${q}`, operator);

    expect(kpis.status).toBe(200);
    const items = kpis.body.items as { id: string; value: number | null; n: number }[];
    expect(kpi(items, 'clearance.release.median_h')?.n).toBeGreaterThanOrEqual(2);
    expect(kpi(items, 'clearance.assessment.p99_ms')?.n).toBeGreaterThanOrEqual(2);
    expect(kpi(items, 'gate.turnaround.median_min')).toMatchObject({ n: 1 });
    expect(kpi(items, 'gate.turnaround.median_min')?.value).toBeCloseTo(12, 0);

    const perf = await callApi(platform.httpUrl, 'GET', `/v1/ports/${PORT}/performance?${q}`, operator);
    expect(perf.status).toBe(200);
    expect(perf.body).toMatchObject({ port: PORT, index: { score: expect.any(Number), grade: expect.any(String) } });
    expect((perf.body.dimensions as unknown[]).length).toBe(8);
  }, 30_000);
});
