import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { commandsTopic, eventsTopic } from '../../events/v1';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import type { GateCommand } from '../../shared/ports/gate-command-publisher';
import { callApi } from '../support/api-client';
import { withFreshReference } from '../support/envelopes';
import { OPEN_DECLARATION } from '../support/route-samples';

// Issue 3 acceptance: one-stop gate release. A gate device subscribed to its commands topic gets `open` for a truck
// whose containers are all released and `hold` (with the reason) for one that is not, through the local broker's
// IoT data endpoint (the same IoTDataPlaneClient call as in the cloud).

const PORT = 'CNSGH';
const DEVICE = 'gate-e2e-out';
let platform: PlatformHandle;
let officer: string;
let gate: MqttClient;
const received: GateCommand[] = [];

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  officer = await signLocalToken({ roles: ['customs-officer'], sub: 'officer-gate' });
  gate = await connectAsync(platform.mqttUrl, { clientId: DEVICE, protocolVersion: 4, reconnectPeriod: 0 });
  gate.on('message', (_topic, payload) => received.push(JSON.parse(payload.toString('utf8')) as GateCommand));
  await gate.subscribeAsync(commandsTopic({ port: PORT, deviceClass: 'gate', deviceId: DEVICE }), { qos: 1 });
}, 30_000);

afterAll(async () => {
  await gate?.endAsync(true).catch(() => undefined);
  await platform?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(platform.httpUrl, method, path, officer, body);

async function lodge(container: string): Promise<string> {
  const res = await call(
    'POST',
    '/v1/declarations',
    withFreshReference({ ...OPEN_DECLARATION, containers: [container] }),
  );
  expect(res.status).toBe(201);
  return String(res.body.id);
}

/** The truck leaves through the exit lane; resolves with the command the gate device receives for it. */
async function exit(plate: string, containers: string[]): Promise<GateCommand> {
  const message = {
    messageId: randomUUID(),
    observedAt: new Date().toISOString(),
    kind: 'gate.transaction',
    payload: { laneId: 'OUT-1', direction: 'out', plate, containers, ocrConfidence: 0.98 },
  };
  await gate.publishAsync(eventsTopic({ port: PORT, deviceClass: 'gate', deviceId: DEVICE }), JSON.stringify(message), {
    qos: 1,
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const command = received.find((c) => c.plate === plate);
    if (command) return command;
    if (Date.now() > deadline) throw new Error(`no command for ${plate}; received ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one-stop gate release, end to end', () => {
  it('opens the gate for a truck whose every container is released', async () => {
    const id = await lodge('CSQU3054383');
    const released = await call('POST', `/v1/declarations/${id}/decisions`, {
      action: 'release',
      reason: 'documents checked',
    });
    expect(released.body.status).toBe('released');

    const command = await exit('SH-G1001', ['CSQU3054383']);

    expect(command).toMatchObject({ action: 'open', plate: 'SH-G1001', containers: ['CSQU3054383'] });
    expect(command.commandId).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(command.issuedAt))).toBe(false);
  });

  it('holds a truck whose container is not released yet, and says why', async () => {
    const id = await lodge('TGHU7599330');

    const command = await exit('SH-G2002', ['TGHU7599330']);

    expect(command).toMatchObject({ action: 'hold', plate: 'SH-G2002', containers: ['TGHU7599330'] });
    expect(command.reason).toContain('TGHU7599330');
    expect(command.reason).toContain(id);
    const alerts = await call('GET', `/v1/alerts?port=${PORT}&type=gate.hold`);
    expect((alerts.body.items as { subject: { id: string } }[]).map((a) => a.subject.id)).toContain('SH-G2002');
  });
});
