import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { eventsTopic } from '../../events/v1';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { callApi } from '../support/api-client';
import { OPEN_DECLARATION } from '../support/route-samples';

// Issue 3 acceptance: a radiation alarm published over MQTT on a declared container turns its declaration red
// through the stream, end to end (MQTT → topic rule → stream → ingest → re-assessment → API).

const PORT = 'CNSGH';
const CONTAINER = 'MSKU9070323';
let platform: PlatformHandle;
let officer: string;
let rpm: MqttClient;

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  officer = await signLocalToken({ roles: ['customs-officer'], sub: 'officer-evidence' });
  rpm = await connectAsync(platform.mqttUrl, { clientId: 'rpm-e2e-1', protocolVersion: 4, reconnectPeriod: 0 });
}, 30_000);

afterAll(async () => {
  await rpm?.endAsync(true).catch(() => undefined);
  await platform?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(platform.httpUrl, method, path, officer, body);

const alarm = (messageId: string) =>
  JSON.stringify({
    messageId,
    observedAt: new Date().toISOString(),
    kind: 'rpm.scan',
    payload: {
      laneId: 'RPM-1',
      occupancyId: `occ-${messageId}`,
      gammaCps: [100, 320, 340, 330, 100],
      gammaBackgroundCps: 100,
      neutronCps: [0, 1, 0],
      neutronBackgroundCps: 1,
      containers: [CONTAINER],
    },
  });

describe('evidence from devices re-assesses declarations, end to end', () => {
  it('turns a lodged declaration red (RPM_ALARM) when its container alarms at the portal monitor', async () => {
    const lodged = await call('POST', '/v1/declarations', { ...OPEN_DECLARATION, containers: [CONTAINER] });
    expect(lodged.status).toBe(201);
    const id = String(lodged.body.id);
    const messageId = randomUUID();
    const topic = eventsTopic({ port: PORT, deviceClass: 'rpm', deviceId: 'rpm-e2e-1' });

    await rpm.publishAsync(topic, alarm(messageId), { qos: 1 });
    // A QoS 1 duplicate of the same message: no second decision.
    await rpm.publishAsync(topic, alarm(messageId), { qos: 1 });

    const deadline = Date.now() + 10_000;
    let view = await call('GET', `/v1/declarations/${id}`);
    while (view.body.lane !== 'red' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      view = await call('GET', `/v1/declarations/${id}`);
    }
    expect(view.body).toMatchObject({ lane: 'red', status: 'inspection' });
    expect((view.body.reasons as { code: string }[]).map((r) => r.code)).toContain('RPM_ALARM');
    expect(await platform.settle(5000)).toBe(true);
    const audit = await call('GET', `/v1/declarations/${id}/audit`);
    const entries = audit.body.entries as { action: string }[];
    expect(entries.filter((e) => e.action === 'reassess')).toHaveLength(1);
    expect(audit.body.verified).toBe(true);
  });
});
