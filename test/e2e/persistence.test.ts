import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { eventsTopic } from '../../events/v1';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';

// The default `npm start` persists under KOUAN_DATA_DIR: state survives a restart, and the restarted event source
// mapping resumes after its checkpoint instead of replaying the stream.

const PORT = 'CNSGH';
const DEVICE = 'gate-persist-01';
let dataDir: string;
let platform: PlatformHandle | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kouan-e2e-'));
});

afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function heartbeat(p: PlatformHandle, uptimeS: number): Promise<void> {
  const client = await connectAsync(p.mqttUrl, { clientId: DEVICE, protocolVersion: 4, reconnectPeriod: 0 });
  const body = JSON.stringify({
    messageId: randomUUID(),
    observedAt: new Date().toISOString(),
    kind: 'device.heartbeat',
    payload: { uptimeS, health: 'ok' },
  });
  await client.publishAsync(eventsTopic({ port: PORT, deviceClass: 'gate', deviceId: DEVICE }), body, { qos: 1 });
  await client.endAsync();
}

async function accepted(p: PlatformHandle): Promise<number | undefined> {
  const token = await signLocalToken({ roles: ['port-operator'] });
  const res = await fetch(`${p.httpUrl}/v1/devices/${DEVICE}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) return undefined;
  return ((await res.json()) as { accepted: number }).accepted;
}

describe('local platform on a data dir', () => {
  it('keeps the state across a restart and does not replay the stream', async () => {
    platform = await startPlatform({ portCode: PORT, dataDir, log: () => {} });
    await heartbeat(platform, 1);
    expect(await platform.settle()).toBe(true);
    expect(await accepted(platform)).toBe(1);
    await platform.stop();

    platform = await startPlatform({ portCode: PORT, dataDir, log: () => {} });
    // Give the pollers time to read whatever they would replay.
    await new Promise((r) => setTimeout(r, 200));

    expect(await accepted(platform)).toBe(1);
    expect(platform.stats().poller.processed).toBe(0);
    const checkpoints = JSON.parse(readFileSync(join(dataDir, 'checkpoints.json'), 'utf8')) as { shards: object };
    expect(Object.keys(checkpoints.shards)).toHaveLength(1); // the one shard the device's key maps to

    await heartbeat(platform, 2);
    expect(await platform.settle()).toBe(true);
    expect(await accepted(platform)).toBe(2);
    expect(platform.stats().poller.processed).toBe(1);
  }, 30_000);

  it('resumes the workflow of an incident left open by the previous run, which then closes', async () => {
    await platform?.stop();
    platform = await startPlatform({ portCode: PORT, dataDir, log: () => {} });
    const border = await signLocalToken({ roles: ['border'], sub: 'border-persist' });
    const call = async (p: PlatformHandle, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${p.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${border}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return (await res.json()) as { incidentId: string; status: string; tasks: { taskId: string; status: string }[] };
    };
    const raised = await call(platform, 'POST', '/v1/incidents', {
      type: 'manual',
      subject: { kind: 'truck', id: 'SH-PERSIST' },
      summary: 'left open across a restart',
      agencies: ['border'],
    });
    await new Promise((r) => setTimeout(r, 300));
    await platform.stop();

    const lines: string[] = [];
    platform = await startPlatform({ portCode: PORT, dataDir, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes('resumed the joint-control workflow of 1 open incident'))).toBe(true);
    const p = platform;
    // The resumed execution dispatches the task again; completing it closes the incident.
    for (let i = 0; i < 50; i++) {
      const now = await call(p, 'GET', `/v1/incidents/${raised.incidentId}`);
      if (now.tasks.every((t) => t.status === 'dispatched')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await call(p, 'POST', `/v1/incidents/${raised.incidentId}/tasks/border/complete`, { outcome: 'no-finding' });
    let status = '';
    for (let i = 0; i < 50 && status !== 'closed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call(p, 'GET', `/v1/incidents/${raised.incidentId}`)).status;
    }
    expect(status).toBe('closed');
  }, 30_000);
});
