import { connectAsync } from 'mqtt';
import { eventsTopic } from '../../events/v1';
import type { Incident } from '../../events/v1/incidents';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import type { Role } from '../../shared/domain/roles';
import { callApi } from '../support/api-client';
import { nextId, rpmAlarm, withFreshReference } from '../support/envelopes';
import { OPEN_DECLARATION } from '../support/route-samples';

// Joint control as agencies meet it on the local platform (issue 4, acceptance): a radiation alarm published over
// MQTT raises one incident with tasks for several agencies, each agency acknowledges and completes through the API,
// the incident closes and the declaration follows; a task left alone escalates and goes overdue (with a time scale)
// and the incident still closes. In-process, ephemeral ports, in memory.

const PORT = 'CNSGH';
const tokens = new Map<Role, string>();
const token = async (role: Role) => {
  if (!tokens.has(role)) tokens.set(role, await signLocalToken({ roles: [role], sub: `e2e-${role}` }));
  return tokens.get(role) ?? '';
};

async function publish(platform: PlatformHandle, deviceId: string, message: unknown) {
  const client = await connectAsync(platform.mqttUrl, { clientId: deviceId, protocolVersion: 4, reconnectPeriod: 0 });
  await client.publishAsync(eventsTopic({ port: PORT, deviceClass: 'rpm', deviceId }), JSON.stringify(message), {
    qos: 1,
  });
  await client.endAsync();
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a radiation alarm, end to end', () => {
  let platform: PlatformHandle;
  const api = async (method: string, path: string, role: Role, body?: unknown) =>
    callApi(platform.httpUrl, method, path, await token(role), body);
  const incident = async (id: string) =>
    (await api('GET', `/v1/incidents/${id}`, 'border')).body as unknown as Incident;

  beforeAll(async () => {
    platform = await startPlatform({ portCode: PORT, log: () => {} });
  }, 30_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('raises one incident for several agencies, each acts through the API, it closes and the declaration follows', async () => {
    const container = 'TGHU7599330';
    const lodged = await api('POST', '/v1/declarations', 'declarant', {
      ...withFreshReference(OPEN_DECLARATION),
      containers: [container],
    });
    expect(lodged.status).toBe(201);
    const declarationId = String(lodged.body.id);

    const alarm = rpmAlarm(container);
    const started = Date.now();
    await publish(platform, 'rpm-e2e-1', alarm);
    await publish(platform, 'rpm-e2e-1', alarm); // a QoS 1 re-send
    await publish(platform, 'rpm-e2e-1', rpmAlarm(container)); // the same cause again, another alarm

    const raised = await until('the incident, its tasks dispatched', async () => {
      const page = await api('GET', '/v1/incidents?status=open', 'maritime');
      const items = (page.body.items as Incident[]).filter((i) => i.subject.id === container);
      const one = items[0];
      return items.length === 1 && one && one.tasks.length > 0 && one.tasks.every((t) => t.status === 'dispatched')
        ? one
        : undefined;
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(raised.tasks.map((t) => t.agency)).toEqual(['customs', 'border', 'port-operator']);
    const id = raised.incidentId;
    await until('the second alarm counted as a duplicate', async () =>
      (await incident(id)).duplicates === 1 ? true : undefined,
    );

    // Another agency's task: 403; a malformed body: 400; neither changes anything.
    const before = await incident(id);
    expect(
      (await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'customs-officer', { outcome: 'cleared' }))
        .status,
    ).toBe(403);
    expect(
      (await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'border', { outcome: 'maybe' })).status,
    ).toBe(400);
    expect(await incident(id)).toEqual(before);

    expect((await api('POST', `/v1/incidents/${id}/tasks/border/ack`, 'border')).status).toBe(200);
    const done = { outcome: 'no-finding', findings: 'driver checked, papers in order' };
    expect((await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'border', done)).status).toBe(200);
    const again = await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'border', done);
    expect(again.status).toBe(200);
    expect(
      (await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'border', { outcome: 'seized' })).body,
    ).toMatchObject({
      error: { code: 'TASK_ALREADY_COMPLETED' },
    });
    expect(
      (await api('POST', `/v1/incidents/${id}/tasks/port-operator/complete`, 'port-operator', { outcome: 'cleared' }))
        .status,
    ).toBe(200);
    expect(
      (
        await api('POST', `/v1/incidents/${id}/tasks/customs/complete`, 'customs-officer', {
          outcome: 'cleared',
          findings: 'NORM: glazed ceramic tiles',
        })
      ).status,
    ).toBe(200);

    const closed = await until('the incident closed', async () => {
      const i = await incident(id);
      return i.status === 'closed' && i.feedback ? i : undefined;
    });
    expect(closed.outcome).toBe('cleared');
    expect(closed.responseTimes.firstAckMinutes).toEqual(expect.any(Number));
    expect(closed.timeline.filter((e) => e.what === 'border: task completed, no-finding')).toHaveLength(1);
    expect(JSON.stringify(closed)).not.toMatch(/[Tt]oken/);
    const declaration = await api('GET', `/v1/declarations/${declarationId}`, 'customs-officer');
    expect(closed.feedback?.declarations).toEqual([
      expect.objectContaining({ declarationId, action: declaration.body.status === 'released' ? 'release' : 'none' }),
    ]);
    expect(declaration.body.status).toBe('released');
    // The alarm turned the declaration red: one case (the radiation incident), not a second red-lane one.
    const all = (await api('GET', '/v1/incidents?limit=100', 'border')).body.items as Incident[];
    expect(all.filter((i) => i.subject.id === declarationId)).toEqual([]);
    const told = platform.notifications().filter((n) => (n.detail as { incidentId?: string }).incidentId === id);
    expect(told.map((n) => n.detailType)).toEqual(
      expect.arrayContaining(['incident.raised', 'task.dispatched', 'incident.closed']),
    );
  }, 30_000);
});

describe('a task left alone (time scale 900: 2 s timeouts)', () => {
  let platform: PlatformHandle;
  const api = async (method: string, path: string, role: Role, body?: unknown) =>
    callApi(platform.httpUrl, method, path, await token(role), body);

  beforeAll(async () => {
    platform = await startPlatform({ portCode: PORT, log: () => {}, timeScale: 900 });
  }, 30_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('escalates to the supervisor, goes overdue, and the incident still closes with the others’ outcome', async () => {
    const raised = await api('POST', '/v1/incidents', 'border', {
      type: 'manual',
      subject: { kind: 'truck', id: nextId('HU').toUpperCase().slice(0, 16) },
      summary: 'driver refused the secondary check',
      agencies: ['border', 'maritime'],
    });
    expect(raised.status).toBe(201);
    const id = String(raised.body.incidentId);
    const read = async () => (await api('GET', `/v1/incidents/${id}`, 'border')).body as unknown as Incident;

    await until('border dispatched', async () =>
      (await read()).tasks.find((t) => t.taskId === 'border')?.status === 'dispatched' ? true : undefined,
    );
    expect(
      (
        await api('POST', `/v1/incidents/${id}/tasks/border/complete`, 'border', {
          outcome: 'finding',
          findings: 'forged permit',
        })
      ).status,
    ).toBe(200);

    const closed = await until(
      'the incident closed',
      async () => {
        const i = await read();
        return i.status === 'closed' ? i : undefined;
      },
      15_000,
    );
    expect(closed.outcome).toBe('referred');
    expect(closed.tasks.find((t) => t.taskId === 'maritime')).toMatchObject({
      status: 'overdue',
      escalated: true,
      attempt: 2,
    });
    expect(closed.tasks.find((t) => t.taskId === 'border')).toMatchObject({ status: 'completed', outcome: 'finding' });
    const told = await until('both agencies told of the close', async () => {
      const mine = platform
        .notifications()
        .filter((n) => (n.detail as { incidentId?: string }).incidentId === id)
        .map((n) => [n.detailType, (n.detail as { audience: string }).audience]);
      return mine.filter(([type]) => type === 'incident.closed').length === 2 ? mine : undefined;
    });
    expect(told).toEqual(
      expect.arrayContaining([
        ['task.escalated', 'maritime:supervisor'],
        ['task.overdue', 'maritime:supervisor'],
        ['incident.closed', 'maritime'],
      ]),
    );
  }, 30_000);
});
