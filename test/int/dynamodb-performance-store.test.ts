import { DynamoPerformanceStore } from '../../shared/adapters/dynamodb/dynamodb-performance-store';
import { bucketOf, computeKpis, serialiseBucket } from '../../shared/domain/performance';
import { getKpis, runScheduledEvaluation } from '../../shared/use-cases/performance';
import { DAY_FACTS, DAY_FROM, DAY_TO } from '../fixtures/performance/day-facts';
import { type LocalTable, startLocalTable } from '../support/local-table';

// The performance store against the local emulator (dynalite): idempotent facts, buckets by hour range, versioned
// state, dirty hours, and the use cases on top.

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
}, 30_000);

afterAll(async () => {
  await table?.stop();
});

const NOW = Date.parse('2026-11-27T00:30:00Z');

describe('DynamoPerformanceStore', () => {
  it('stores each fact once however often it is recorded, per port-hour', async () => {
    const store = new DynamoPerformanceStore(table.db, { tableName: table.tableName, now: () => NOW });
    await store.record(DAY_FACTS);
    await store.record([...DAY_FACTS.slice(0, 30), ...DAY_FACTS.slice(0, 30)]);
    const hour = await store.factsOf('CNSGH', '2026-11-26T08');
    expect(hour).toHaveLength(DAY_FACTS.filter((f) => f.at.startsWith('2026-11-26T08')).length);
    // Recorded after their hours closed: every hour with facts is dirty, once.
    const dirty = await store.dirtyHours('CNSGH');
    expect(dirty.map((d) => d.hour)).toEqual([...new Set(DAY_FACTS.map((f) => f.at.slice(0, 13)))].sort());
    // One five-minute slot of an hour reads alone.
    const slot = await store.factsOf('CNSGH', '2026-11-26T08', '2026-11-26T08:15');
    expect(slot.map((f) => f.at)).toEqual(['2026-11-26T08:15:00Z']);
  });

  it('reads buckets of an hour range [from, to)', async () => {
    const store = new DynamoPerformanceStore(table.db, { tableName: table.tableName });
    for (const hour of ['2026-10-01T00', '2026-10-01T01', '2026-10-01T02']) {
      await store.putBucket('SGSIN', { hour, bucket: serialiseBucket(bucketOf([])), facts: 0, builtAt: 'x' });
    }
    expect((await store.buckets('SGSIN', '2026-10-01T01', '2026-10-01T03')).map((b) => b.hour)).toEqual([
      '2026-10-01T01',
      '2026-10-01T02',
    ]);
    expect(await store.buckets('SGSIN', '2026-10-01T01', '2026-10-01T01')).toEqual([]);
    for (const slot of ['2026-10-01T01:55', '2026-10-01T02:00', '2026-10-01T02:05']) {
      await store.putSlotBucket('SGSIN', { hour: slot, bucket: serialiseBucket(bucketOf([])), facts: 0, builtAt: 'x' });
    }
    expect((await store.slotBuckets('SGSIN', '2026-10-01T02')).map((b) => b.hour)).toEqual([
      '2026-10-01T02:00',
      '2026-10-01T02:05',
    ]);
  });

  it('writes state only on the version it read', async () => {
    const store = new DynamoPerformanceStore(table.db, { tableName: table.tableName });
    expect(await store.putState('CNSGH', 'test#1', { a: 1 }, undefined)).toBe(true);
    expect(await store.putState('CNSGH', 'test#1', { a: 2 }, undefined)).toBe(false);
    const s = await store.getState<{ a: number }>('CNSGH', 'test#1');
    expect(s).toEqual({ key: 'test#1', value: { a: 1 }, version: 1 });
    expect(await store.putState('CNSGH', 'test#1', { a: 3 }, 1)).toBe(true);
    expect(await store.putState('CNSGH', 'test#1', { a: 4 }, 1)).toBe(false);
    expect((await store.listStates('CNSGH', 'test#')).map((x) => x.value)).toEqual([{ a: 3 }]);
    // The outbox of a state goes once its facts are recorded, without a new version; a stale version clears nothing.
    await store.putState('CNSGH', 'gate#P1', { state: { n: 1 }, outbox: [DAY_FACTS[0]] }, undefined);
    await store.clearOutbox('CNSGH', 'gate#P1', 7);
    expect((await store.getState<{ outbox?: unknown }>('CNSGH', 'gate#P1'))?.value.outbox).toHaveLength(1);
    await store.clearOutbox('CNSGH', 'gate#P1', 1);
    expect(await store.getState('CNSGH', 'gate#P1')).toEqual({
      key: 'gate#P1',
      value: { state: { n: 1 } },
      version: 1,
    });
  });

  it('folds the dirty hours in the schedule and answers the same KPIs from the buckets as from the facts', async () => {
    const store = new DynamoPerformanceStore(table.db, { tableName: table.tableName, now: () => NOW });
    const deps = { store, ports: ['CNSGH'], now: () => NOW };
    const live = await getKpis(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    await runScheduledEvaluation(deps);
    expect(await store.dirtyHours('CNSGH')).toEqual([]);
    const folded = await getKpis(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    expect(folded.coverage.buckets).toBeGreaterThan(10);
    expect(folded.items).toEqual(live.items);
    expect(folded.items).toEqual(computeKpis(bucketOf(DAY_FACTS), 24).items);
  });
});
