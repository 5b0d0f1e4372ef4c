import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { type DeviceClass, eventsTopic, MAX_PAYLOAD_BYTES } from '../../events/v1';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { createRouteMatcher } from '../../shared/http/router';
import { ROUTES } from '../../shared/http/routes';

// The local platform used as a client uses it: real MQTT 3.1.1 devices publish, agencies read over HTTP.
// In-process, ephemeral ports, in memory, no simulator; the real ingest and API handlers behind it.

const PORT = 'CNSGH';
let platform: PlatformHandle;
const logLines: string[] = [];
const clients: MqttClient[] = [];

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: (line) => logLines.push(line) });
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform?.stop();
});

// ---- device side -------------------------------------------------------------------------------------------

async function connectDevice(deviceId: string): Promise<MqttClient> {
  // reconnectPeriod 0: a refused publish must show as a closed connection, not be hidden by a silent reconnect.
  const client = await connectAsync(platform.mqttUrl, { clientId: deviceId, protocolVersion: 4, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}

function envelope(kind: string, payload: unknown, messageId: string = randomUUID()): string {
  return JSON.stringify({ messageId, observedAt: new Date().toISOString(), kind, payload });
}

/** QoS 1 publish to the device's own topic; resolves on PUBACK. */
async function publish(client: MqttClient, deviceClass: DeviceClass, body: string | Buffer): Promise<void> {
  const topic = eventsTopic({ port: PORT, deviceClass, deviceId: client.options.clientId ?? '' });
  await client.publishAsync(topic, body, { qos: 1 });
}

// ---- agency side -------------------------------------------------------------------------------------------

interface Page<T> {
  items: T[];
  nextToken?: string;
}

const matchRoute = createRouteMatcher(ROUTES);

/** A token for a role the route admits (test/e2e/auth.test.ts covers who may call what). */
async function authorizationFor(path: string): Promise<Record<string, string>> {
  const m = matchRoute('GET', path.split('?')[0] ?? path);
  if (m.kind !== 'route' || m.route.access === 'public') return {};
  const role = m.route.access[0];
  return role ? { authorization: `Bearer ${await signLocalToken({ roles: [role] })}` } : {};
}

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${platform.httpUrl}${path}`, { headers: await authorizationFor(path) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls the API until `accept` holds (the pipeline is asynchronous: publish → stream → ingest → table). */
async function eventually<T>(path: string, accept: (body: T, status: number) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { status: number; body: T } | undefined;
  while (Date.now() < deadline) {
    last = await get<T>(path);
    if (accept(last.body, last.status)) return last.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`GET ${path} never matched; last answer ${last?.status}: ${JSON.stringify(last?.body)}`);
}

interface Device {
  deviceId: string;
  port: string;
  deviceClass: string;
  health: string;
  accepted: number;
  rejected: number;
  lastSeenAt: string;
}

interface DeadLetter {
  deviceId: string;
  reason: { code: string; message: string };
  receivedAt: string;
}

describe('local platform, end to end', () => {
  it('answers /v1/health', async () => {
    const res = await get<{ status: string }>('/v1/health');

    expect(res).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('turns a gate transaction into a visit whose container passes the ISO 6346 check', async () => {
    const gate = await connectDevice('gate-in-01');
    const plate = 'HU1234';

    await publish(
      gate,
      'gate',
      envelope('gate.transaction', {
        laneId: 'L1',
        direction: 'in',
        plate,
        plateCountry: 'CN',
        containers: ['CSQU3054383'],
        ocrConfidence: 0.97,
        grossWeightKg: 28_500,
      }),
    );

    const visits = await eventually<Page<{ plate: string; laneIn?: string; status: string; containers: unknown[] }>>(
      `/v1/gate/visits?port=${PORT}&plate=${plate}`,
      (b) => b.items?.length === 1,
    );
    expect(visits.items[0]).toMatchObject({
      plate,
      laneIn: 'L1',
      status: 'in-yard',
      containers: [{ number: 'CSQU3054383', checkDigitValid: true }],
    });
  });

  it('shows a heartbeat and the accepted count on the device', async () => {
    const gate = await connectDevice('gate-hb-01');

    await publish(gate, 'gate', envelope('device.heartbeat', { uptimeS: 3600, firmware: 'ocr-2.4.1', health: 'ok' }));
    await publish(
      gate,
      'gate',
      envelope('device.heartbeat', { uptimeS: 3660, firmware: 'ocr-2.4.1', health: 'degraded' }),
    );

    const device = await eventually<Device>('/v1/devices/gate-hb-01', (b, s) => s === 200 && b.accepted === 2);
    expect(device).toMatchObject({
      deviceId: 'gate-hb-01',
      port: PORT,
      deviceClass: 'gate',
      health: 'degraded',
      rejected: 0,
    });
  });

  it('raises an rpm.alarm for a strong gamma excess over background', async () => {
    const rpm = await connectDevice('rpm-01');

    await publish(
      rpm,
      'rpm',
      envelope('rpm.scan', {
        laneId: 'L1',
        occupancyId: 'occ-e2e-1',
        gammaCps: [100, 300, 320, 310, 100],
        gammaBackgroundCps: 100,
        neutronCps: [2, 2, 3, 2, 2],
        neutronBackgroundCps: 2,
        plate: 'HU1234',
        containers: ['CSQU3054383'],
      }),
    );

    const alerts = await eventually<Page<{ type: string; severity: string; evidence: unknown }>>(
      `/v1/alerts?port=${PORT}&type=rpm.alarm`,
      (b) => b.items?.length === 1,
    );
    expect(alerts.items[0]).toMatchObject({ type: 'rpm.alarm', deviceId: 'rpm-01' });
  });

  it('puts a vessel from an AIS position report on the map', async () => {
    const ais = await connectDevice('ais-01');

    await publish(ais, 'ais', envelope('ais.nmea', { sentences: ['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'] }));

    const vessel = await eventually<{ mmsi: number; lat?: number; lon?: number; track?: unknown[] }>(
      '/v1/vessels/371798000',
      // The vessel item is written as the record is applied, its track point with the batch's flush a moment later.
      (b, s) => s === 200 && b.lat !== undefined && (b.track?.length ?? 0) > 0,
    );
    expect(vessel.mmsi).toBe(371798000);
    expect(vessel.lat).toBeCloseTo(48.38163, 4);
    expect(vessel.lon).toBeCloseTo(-123.39538, 4);
    expect(vessel.track?.length).toBeGreaterThanOrEqual(1);
  });

  it('dead-letters garbage with a reason while good messages keep flowing', async () => {
    const gate = await connectDevice('gate-junk-01');
    const ais = await connectDevice('ais-junk-01');
    const tooBig = envelope('device.heartbeat', { uptimeS: 1, health: 'ok', firmware: 'x'.repeat(MAX_PAYLOAD_BYTES) });
    expect(Buffer.byteLength(tooBig)).toBeGreaterThan(MAX_PAYLOAD_BYTES);

    await publish(gate, 'gate', 'this is not JSON {');
    await publish(
      gate,
      'gate',
      envelope('rpm.scan', {
        laneId: 'L1',
        occupancyId: 'o',
        gammaCps: [1],
        gammaBackgroundCps: 1,
        neutronCps: [],
        neutronBackgroundCps: 0,
      }),
    );
    await publish(gate, 'gate', tooBig);
    await publish(gate, 'gate', envelope('device.heartbeat', { uptimeS: 10, health: 'ok' }));
    // A bad checksum: alone it sinks the publish; beside a good sentence only the bad one is dead-lettered.
    const bad = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B';
    await publish(ais, 'ais', envelope('ais.nmea', { sentences: [bad] }));
    await publish(ais, 'ais', envelope('ais.nmea', { sentences: [bad.replace('*4B', '*4A'), bad] }));

    const gateLetters = await eventually<Page<DeadLetter>>(
      '/v1/dead-letters?deviceId=gate-junk-01',
      (b) => b.items?.length === 3,
    );
    expect(gateLetters.items.map((d) => d.reason.code).sort()).toEqual([
      'INVALID_JSON',
      'KIND_NOT_ALLOWED_FOR_CLASS',
      'PAYLOAD_TOO_LARGE',
    ]);
    for (const d of gateLetters.items) {
      expect(d.deviceId).toBe('gate-junk-01');
      expect(d.reason.message.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(d.receivedAt))).toBe(false);
    }
    const aisLetters = await eventually<Page<DeadLetter>>(
      '/v1/dead-letters?deviceId=ais-junk-01',
      (b) => b.items?.length === 2,
    );
    expect(aisLetters.items.map((d) => d.reason.code).sort()).toEqual(['AIS_NO_VALID_SENTENCE', 'NMEA_BAD_CHECKSUM']);
    const sunk = aisLetters.items.find((d) => d.reason.code === 'AIS_NO_VALID_SENTENCE');
    expect(JSON.stringify(sunk?.reason)).toContain('NMEA_BAD_CHECKSUM');
    // The good heartbeat behind the garbage went through.
    const device = await eventually<Device>('/v1/devices/gate-junk-01', (b, s) => s === 200 && b.accepted === 1);
    expect(device).toMatchObject({ accepted: 1, rejected: 3, health: 'ok' });
  });

  it('refuses a publish under another device id: the connection closes without PUBACK and nothing is stored', async () => {
    const victim = await connectDevice('gate-victim-01');
    await publish(victim, 'gate', envelope('device.heartbeat', { uptimeS: 5, health: 'ok' }));
    await eventually<Device>('/v1/devices/gate-victim-01', (b, s) => s === 200 && b.accepted === 1);
    const routedBefore = platform.stats().broker.accepted;

    const intruder = await connectDevice('gate-intruder-01');
    const closed = new Promise<void>((resolve) => intruder.once('close', () => resolve()));
    const outcome = intruder
      .publishAsync(
        eventsTopic({ port: PORT, deviceClass: 'gate', deviceId: 'gate-victim-01' }),
        envelope('device.heartbeat', { uptimeS: 6, health: 'fault' }),
        { qos: 1 },
      )
      .then(
        () => 'acknowledged',
        (e: Error) => e.message,
      );

    // aedes answers a refused publish by closing the connection (MQTT 3.1.1 has no negative PUBACK) ...
    await closed;
    expect(intruder.connected).toBe(false);
    // ... so the QoS 1 publish is never acknowledged; mqtt.js fails it once the client is ended.
    intruder.end(true);
    await expect(outcome).resolves.toBe('Connection closed');

    expect(await platform.settle()).toBe(true);
    expect(platform.stats().broker.accepted).toBe(routedBefore);
    const device = await get<Device>('/v1/devices/gate-victim-01');
    expect(device.body).toMatchObject({ accepted: 1, health: 'ok' });
    expect((await get('/v1/devices/gate-intruder-01')).status).toBe(404);
    expect(logLines.some((l) => l.includes('refused publish from gate-intruder-01'))).toBe(true);
  });

  it('refuses a connection whose client id is not a device id', async () => {
    const attempt = connectAsync(platform.mqttUrl, {
      clientId: 'not a device!',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });

    await expect(attempt).rejects.toMatchObject({ code: 2 }); // CONNACK: identifier rejected
  });

  it('lets a device subscribe to its own commands topic only', async () => {
    const gate = await connectDevice('gate-sub-01');

    const own = await gate.subscribeAsync(`kouan/v1/${PORT}/gate/gate-sub-01/commands`, { qos: 1 });
    const other = gate.subscribeAsync(`kouan/v1/${PORT}/gate/gate-in-01/commands`, { qos: 1 });

    expect(own).toEqual([{ topic: `kouan/v1/${PORT}/gate/gate-sub-01/commands`, qos: 1 }]);
    await expect(other).rejects.toMatchObject({ packet: { granted: [128] } });
  });

  it('gives the same messageId published three times one effect', async () => {
    const gate = await connectDevice('gate-dup-01');
    const messageId = `dup-${randomUUID()}`;
    const body = envelope(
      'gate.transaction',
      { laneId: 'L2', direction: 'in', plate: 'DUP777', containers: ['CSQU3054383'], ocrConfidence: 0.9 },
      messageId,
    );

    for (let i = 0; i < 3; i++) await publish(gate, 'gate', body);

    // All three copies went through the stream and the ingest function ...
    expect(await platform.settle()).toBe(true);
    // ... and the state shows one of them.
    const device = await eventually<Device>('/v1/devices/gate-dup-01', (_body, status) => status === 200);
    expect(device.accepted).toBe(1);
    const visits = await get<Page<unknown>>(`/v1/gate/visits?port=${PORT}&plate=DUP777`);
    expect(visits.body.items).toHaveLength(1);
  });

  it('answers 413 with the error shape to a request body over 1 MB', async () => {
    const res = await fetch(`${platform.httpUrl}/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
  });

  it('counts what flowed: nothing lost between broker, stream and ingest', async () => {
    expect(await platform.settle()).toBe(true);

    const s = platform.stats();
    expect(s.producer).toMatchObject({ pending: 0, undeliverable: 0 });
    expect(s.producer.sent).toBe(s.broker.accepted);
    expect(s.poller.processed).toBe(s.producer.sent);
    expect(s.poller.failures).toBe(0);
  });
});
