import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '../../events/v1/incidents';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { keys } from '../../shared/adapters/dynamodb/keys';
import { newIncident, planTasks } from '../../shared/domain/incidents/incident';
import { StaleWriteError } from '../../shared/ports/declaration-store';
import { createIncidentSteps } from '../../shared/use-cases/incident-steps';
import { completeIncidentTask, type IncidentDependencies, raiseIncident } from '../../shared/use-cases/incidents';
import { InMemoryDeclarationStore } from '../support/in-memory-declaration-store';
import { RecordingCallbacks, RecordingNotifier, RecordingWorkflow } from '../support/incident-fakes';
import { type LocalTable, startLocalTable } from '../support/local-table';

// The incident store against the local emulator (dynalite): the dedupe window, versioned writes, tokens kept beside
// the incident (never in it), paging by port and status.

let table: LocalTable;
let store: DynamoIncidentStore;

beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoIncidentStore(table.db, table.tableName);
}, 30_000);

afterAll(async () => {
  await table?.stop();
});

const incident = (id: string, raisedAt: string, over: Partial<Incident> = {}): Incident => ({
  ...planTasks(
    newIncident(id, {
      type: 'radiation-alarm',
      port: 'CNSGH',
      subject: { kind: 'container', id: 'CSQU3054383' },
      summary: 'radiation alarm',
      source: { kind: 'alert', id: `AL-${id}` },
      raisedBy: 'joint-control',
      at: raisedAt,
    }),
    raisedAt,
  ).incident,
  ...over,
});

describe('DynamoIncidentStore', () => {
  it('claims a dedupe key once per window; the holder may claim again; after the window anyone may', async () => {
    const key = 'CNSGH#radiation-alarm#container#DEDUPE1';
    expect(await store.claimDedupe(key, 'INC-a', '2026-11-26T08:00:00.000Z', '2026-11-26T09:00:00.000Z')).toEqual({
      claimed: true,
    });
    expect(await store.claimDedupe(key, 'INC-b', '2026-11-26T08:30:00.000Z', '2026-11-26T09:30:00.000Z')).toEqual({
      claimed: false,
      incidentId: 'INC-a',
    });
    expect(await store.claimDedupe(key, 'INC-a', '2026-11-26T08:31:00.000Z', '2026-11-26T09:31:00.000Z')).toEqual({
      claimed: true,
    });
    expect(await store.claimDedupe(key, 'INC-c', '2026-11-26T09:31:00.000Z', '2026-11-26T10:31:00.000Z')).toEqual({
      claimed: true,
    });
  });

  it('creates once, reads back, and writes only on the version it read', async () => {
    const i = incident('INC-v1', '2026-11-26T08:00:00.000Z');
    expect(await store.create(i)).toBe(true);
    expect(await store.create(i)).toBe(false);
    expect(await store.get('INC-v1')).toEqual(i);

    await store.update({ ...i, duplicates: 1, version: 2 }, 1);
    await expect(store.update({ ...i, duplicates: 5, version: 2 }, 1)).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.get('INC-v1'))?.duplicates).toBe(1);
    expect(await store.get('INC-missing')).toBeUndefined();
  });

  it('marks a duplicate source once', async () => {
    expect(await store.markDuplicate('INC-v1', 'alert:AL-x', '2026-11-26T08:05:00.000Z')).toBe(true);
    expect(await store.markDuplicate('INC-v1', 'alert:AL-x', '2026-11-26T08:06:00.000Z')).toBe(false);
  });

  it('keeps the newest attempt’s token beside the incident, never in what a read returns', async () => {
    await store.putTaskToken('INC-v1', 'border', 'token-1', 1);
    await store.putTaskToken('INC-v1', 'border', 'token-2', 2);
    await store.putTaskToken('INC-v1', 'border', 'token-1-late', 1);

    expect(await store.getTaskToken('INC-v1', 'border')).toEqual({ taskToken: 'token-2', attempt: 2 });
    expect(await store.getTaskToken('INC-v1', 'customs')).toBeUndefined();
    expect(JSON.stringify(await store.get('INC-v1'))).not.toContain('token-');
    const listed = await store.listByPort('CNSGH', undefined, { limit: 100 });
    expect(JSON.stringify(listed)).not.toContain('token-');
    // The token item exists, in the incident's partition, outside every index.
    const raw = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.incidentTaskToken('INC-v1', 'border') }),
    );
    expect(raw.Item).toMatchObject({ taskToken: 'token-2' });
    expect(raw.Item).not.toHaveProperty('gsi1pk');
  });

  it('lists a port’s incidents newest first, by status through its own index, in pages', async () => {
    await store.create(incident('INC-p1', '2026-11-27T08:00:00.000Z', { port: 'NLRTM' }));
    await store.create(incident('INC-p2', '2026-11-27T09:00:00.000Z', { port: 'NLRTM' }));
    const p3 = incident('INC-p3', '2026-11-27T10:00:00.000Z', { port: 'NLRTM' });
    await store.create(p3);
    await store.update({ ...p3, status: 'closed', outcome: 'cleared', version: 2 }, 1);

    const first = await store.listByPort('NLRTM', undefined, { limit: 2 });
    expect(first.items.map((i) => i.incidentId)).toEqual(['INC-p3', 'INC-p2']);
    const second = await store.listByPort('NLRTM', undefined, { limit: 2, nextToken: first.nextToken ?? '' });
    expect(second.items.map((i) => i.incidentId)).toEqual(['INC-p1']);
    expect((await store.listByPort('NLRTM', 'open', { limit: 10 })).items.map((i) => i.incidentId)).toEqual([
      'INC-p2',
      'INC-p1',
    ]);
    expect((await store.listByPort('NLRTM', 'closed', { limit: 10 })).items.map((i) => i.incidentId)).toEqual([
      'INC-p3',
    ]);
    await expect(
      store.listByPort('CNSGH', 'open', { limit: 10, nextToken: first.nextToken ?? '' }),
    ).rejects.toMatchObject({ code: 'INVALID_NEXT_TOKEN' });
  });

  it('reads what the open incidents are about (containers and subject only), newest first, up to a maximum', async () => {
    await store.create(incident('INC-s1', '2026-11-27T08:00:00.000Z', { port: 'SGSIN' }));
    await store.create(
      incident('INC-s2', '2026-11-27T09:00:00.000Z', { port: 'SGSIN', subject: { kind: 'truck', id: 'HH-AB 123' } }),
    );
    const s3 = incident('INC-s3', '2026-11-27T10:00:00.000Z', { port: 'SGSIN' });
    await store.create(s3);
    await store.update({ ...s3, status: 'closed', outcome: 'cleared', version: 2 }, 1);

    expect(await store.openSubjects('SGSIN', 10)).toEqual([
      { incidentId: 'INC-s2', containers: ['CSQU3054383'], subject: { kind: 'truck', id: 'HH-AB 123' } },
      { incidentId: 'INC-s1', containers: ['CSQU3054383'], subject: { kind: 'container', id: 'CSQU3054383' } },
    ]);
    expect((await store.openSubjects('SGSIN', 1)).map((i) => i.incidentId)).toEqual(['INC-s2']);
  });

  it('keeps one incident through concurrent raises of the same cause and concurrent completions', async () => {
    const deps: IncidentDependencies = {
      store,
      workflow: new RecordingWorkflow(),
      notifier: new RecordingNotifier(),
      callbacks: new RecordingCallbacks(),
      servedPort: 'CNSGH',
      dedupeWindowMinutes: 60,
    };
    const raise = (n: number) =>
      raiseIncident(deps, {
        type: 'xray-anomaly',
        port: 'DEHAM',
        subject: { kind: 'container', id: 'TGHU7599330' },
        summary: 'X-ray anomaly',
        source: { kind: 'alert', id: `AL-race-${n}` },
        raisedBy: 'joint-control',
        at: new Date().toISOString(),
      });
    const results = await Promise.all([1, 2, 3, 4, 5].map(raise));
    const ids = new Set(results.map((r) => r.incident.incidentId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    if (id === undefined) throw new Error('no incident');

    const steps = createIncidentSteps({
      store,
      notifier: deps.notifier,
      declarations: new InMemoryDeclarationStore(),
    });
    await steps.run({ step: 'plan', incidentId: id });
    await Promise.all(
      ['customs', 'border'].map((taskId) =>
        steps.run({ step: 'dispatch', incidentId: id, taskId, taskToken: `t-${taskId}`, attempt: 1 }),
      ),
    );
    const border = { sub: 'b', roles: ['border' as const] };
    await Promise.all([1, 2, 3].map(() => completeIncidentTask(deps, border, id, 'border', { outcome: 'no-finding' })));

    const after = (await store.listByPort('DEHAM', undefined, { limit: 10 })).items;
    expect(after).toHaveLength(1);
    expect(after[0]?.duplicates).toBe(4);
    expect(after[0]?.tasks.map((t) => [t.taskId, t.status])).toEqual([
      ['customs', 'dispatched'],
      ['border', 'completed'],
    ]);
    expect(after[0]?.timeline.filter((e) => e.what.startsWith('border: task completed'))).toHaveLength(1);
    const raw = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.incident(id).pk },
      }),
    );
    expect((raw.Items ?? []).map((i) => String(i.sk).split('#')[0]).sort()).toEqual([
      'DUP',
      'DUP',
      'DUP',
      'DUP',
      'STATE',
      'TOKEN',
      'TOKEN',
    ]);
  });
});
