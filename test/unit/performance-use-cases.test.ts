import { KpiReport, PortPerformance, PortRanking } from '../../events/v1/performance';
import type { IngestPlan, Projection } from '../../shared/domain/ingest/ingest-plan';
import { bucketOf, computeKpis, type PerformanceFact, PORT_AREAS } from '../../shared/domain/performance';
import {
  getKpis,
  getPerformance,
  rankEvaluatedPorts,
  runScheduledEvaluation,
} from '../../shared/use-cases/performance';
import { performanceFeed } from '../../shared/use-cases/performance-feed';
import { NotFoundError } from '../../shared/use-cases/port-queries';
import { DAY_FACTS, DAY_FROM, DAY_TO } from '../fixtures/performance/day-facts';
import { InMemoryPerformanceStore } from '../support/in-memory-performance-store';

type Accepted = Extract<IngestPlan, { outcome: 'accepted' }>;
const H = 3_600_000;

const plan = (
  deviceId: string,
  messageId: string,
  kind: string,
  observedAt: string,
  projections: Projection[],
  extra: Partial<Accepted> = {},
): Accepted => ({
  outcome: 'accepted',
  source: { port: 'CNSGH', deviceClass: 'gate', deviceId, receivedAt: observedAt },
  messageId,
  kind,
  observedAt,
  projections,
  deadLetters: [],
  ...extra,
});
const gate = (id: string, direction: 'in' | 'out', laneId: string, at: string) =>
  plan(`gate-${laneId}`, id, 'gate.transaction', at, [
    {
      type: 'gate.transaction',
      laneId,
      direction,
      plate: 'SH-A12345',
      containers: [],
      observedAt: at,
      visitIdIfNew: `v-${id}`,
    },
  ]);
const position = (id: string, at: string, lat: number, lon: number, sog: number) =>
  plan('ais-01', id, 'ais.nmea', at, [
    { type: 'vessel.position', mmsi: 413000001, position: { lat, lon, sog, observedAt: at, aisClass: 'A' } },
  ]);
const crane = (id: string, at: string, status: 'operating' | 'fault') =>
  plan('crane-07', id, 'equipment.telemetry', at, [
    {
      type: 'equipment.status',
      equipment: {
        port: 'CNSGH',
        equipmentId: 'STS-07',
        type: 'sts-crane',
        status,
        observedAt: at,
        deviceId: 'crane-07',
      },
    },
  ]);

const allFacts = (store: InMemoryPerformanceStore) => [...store.facts.values()].flatMap((m) => [...m.values()]);
const ofType = (store: InMemoryPerformanceStore, type: PerformanceFact['type']) =>
  allFacts(store).filter((f) => f.type === type);

describe('the ingest hook', () => {
  it('turns a gate exit seen before its entry into one timed visit, whatever the order and the retries', async () => {
    const store = new InMemoryPerformanceStore();
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    const exit = gate('m2', 'out', 'O1', '2026-11-26T09:40:00Z');
    const entry = gate('m1', 'in', 'L3', '2026-11-26T09:00:00Z');
    for (const p of [exit, entry, exit, entry]) await feed.observe(p);
    expect(ofType(store, 'gate.transaction')).toHaveLength(2);
    expect(ofType(store, 'gate.visit')).toEqual([
      expect.objectContaining({
        laneIn: 'L3',
        laneOut: 'O1',
        inAt: '2026-11-26T09:00:00Z',
        at: '2026-11-26T09:40:00Z',
      }),
    ]);
  });

  it('counts portal occupancies with and without alarm', async () => {
    const store = new InMemoryPerformanceStore();
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    const at = '2026-11-26T10:00:00Z';
    await feed.observe(plan('rpm-1', 'a', 'rpm.scan', at, []));
    await feed.observe(
      plan('rpm-1', 'b', 'rpm.scan', at, [
        {
          type: 'alert',
          alert: {
            alertId: 'x',
            port: 'CNSGH',
            type: 'rpm.alarm',
            severity: 'high',
            subject: { kind: 'occupancy', id: 'o' },
            observedAt: at,
            deviceId: 'rpm-1',
            evidence: { laneId: 'L2' },
          },
        },
      ]),
    );
    expect(ofType(store, 'rpm.occupancy').map((f) => f.type === 'rpm.occupancy' && [f.alarm, f.laneId])).toEqual([
      [false, undefined],
      [true, 'L2'],
    ]);
  });

  it("writes a batch's device facts together at its flush, none before", async () => {
    const store = new InMemoryPerformanceStore();
    const batch = performanceFeed({ store, areas: PORT_AREAS }).batch?.();
    if (!batch) throw new Error('the feed batches');
    const at = '2026-11-26T10:00:00Z';
    await batch.observe(plan('rpm-1', 'c', 'rpm.scan', at, []));
    await batch.observe(plan('rpm-1', 'd', 'rpm.scan', at, []));
    expect(ofType(store, 'rpm.occupancy')).toHaveLength(0);

    await batch.flush();
    expect(ofType(store, 'rpm.occupancy')).toHaveLength(2);
    await batch.flush(); // nothing left: no second write
    expect(ofType(store, 'rpm.occupancy')).toHaveLength(2);
  });

  it('times a crane fault from its telemetry', async () => {
    const store = new InMemoryPerformanceStore();
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    await feed.observe(crane('1', '2026-11-26T10:00:00Z', 'operating'));
    await feed.observe(crane('2', '2026-11-26T10:10:00Z', 'fault'));
    await feed.observe(crane('3', '2026-11-26T10:40:00Z', 'operating'));
    const kpis = computeKpis(bucketOf(allFacts(store)), 1);
    expect(kpis.items.find((k) => k.id === 'equipment.availability')?.value).toBeCloseTo(10 / 40, 6);
  });

  it('builds a vessel call from kept AIS reports and closes it after 24 h of silence (the schedule)', async () => {
    const t0 = Date.parse('2026-11-20T00:00:00Z');
    let now = t0;
    const store = new InMemoryPerformanceStore(() => now);
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    const at = (h: number) => new Date(t0 + h * H).toISOString();
    await feed.observe(position('p0', at(0), 31.05, 122.55, 14)); // at sea: ignored
    for (let h = 1; h <= 5; h++) await feed.observe(position(`a${h}`, at(h), 31.235, 121.96, 0.2)); // anchorage
    for (let h = 6; h <= 20; h++) await feed.observe(position(`b${h}`, at(h), 31.3475, 121.6125, 0)); // berth
    expect(ofType(store, 'vessel.call')).toEqual([]);
    now = t0 + 45 * H;
    const [report] = await runScheduledEvaluation({ store, ports: ['CNSGH'], now: () => now });
    expect(report?.callsClosed).toBe(1);
    expect(ofType(store, 'vessel.call')).toEqual([
      expect.objectContaining({ arrivalAt: at(1), berthAt: at(6), at: at(20), berthId: 'WGQ' }),
    ]);
    // The call belongs to hour 20, long closed: marked dirty and folded in the same run.
    expect(report?.hoursFolded).toContain(at(20).slice(0, 13));
    const kpis = await getKpis({ store, ports: ['CNSGH'], now: () => now }, 'CNSGH', { from: at(0), to: at(24) });
    expect(kpis.items.find((k) => k.id === 'vessel.waiting.median_h')?.value).toBeCloseTo(5, 1);
    expect(kpis.coverage).toMatchObject({ buckets: 1 });
  });
});

describe('the state cache of the ingest hook', () => {
  it('reads a crane’s state once and stores it only on changes and every five minutes', async () => {
    const store = new InMemoryPerformanceStore();
    const gets = jest.spyOn(store, 'getState');
    const puts = jest.spyOn(store, 'putState');
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    const t0 = Date.parse('2026-11-26T10:00:00Z');
    for (let i = 0; i < 600; i++) {
      const at = new Date(t0 + i * 1000).toISOString();
      await feed.observe(crane(`c${i}`, at, i >= 300 && i < 360 ? 'fault' : 'operating'));
    }
    expect(gets).toHaveBeenCalledTimes(1);
    // First report, fault at 5:00, back at 6:00, and the 5-minute "last seen" writes in between.
    expect(puts.mock.calls.length).toBeLessThanOrEqual(6);
    const kpis = computeKpis(bucketOf(allFacts(store)), 1);
    expect(kpis.items.find((k) => k.id === 'equipment.availability')?.value).toBeCloseTo(300 / 360, 6); // closed intervals: ok 0–300 s, fault 300–360 s
  });

  it('recovers from a stale cache: two processes advancing one vessel end in one call', async () => {
    const t0 = Date.parse('2026-11-20T00:00:00Z');
    const store = new InMemoryPerformanceStore(() => t0 + 100 * H);
    const a = performanceFeed({ store, areas: PORT_AREAS });
    const b = performanceFeed({ store, areas: PORT_AREAS });
    const at = (h: number) => new Date(t0 + h * H).toISOString();
    await a.observe(position('x1', at(1), 31.235, 121.96, 0.2));
    await b.observe(position('x2', at(2), 31.3475, 121.6125, 0)); // b berths it: a's cached state is now stale
    await a.observe(position('x3', at(30), 31.235, 121.96, 0.2)); // > 24 h later: a new call, the first one closes
    expect(ofType(store, 'vessel.call')).toEqual([
      expect.objectContaining({ arrivalAt: at(1), berthAt: at(2), at: at(2) }),
    ]);
  });
});

describe('a crash between a state and its facts', () => {
  it('leaves the facts in the state’s outbox, recorded by the next reader', async () => {
    const store = new InMemoryPerformanceStore();
    const record = store.record.bind(store);
    let failNext = true;
    jest.spyOn(store, 'record').mockImplementation(async (facts) => {
      if (failNext && facts.some((f) => f.type === 'gate.visit')) {
        failNext = false;
        throw new Error('crash after the state write');
      }
      return record(facts);
    });
    const feed = performanceFeed({ store, areas: PORT_AREAS });
    await feed.observe(gate('m1', 'in', 'L1', '2026-11-26T09:00:00Z'));
    await expect(feed.observe(gate('m2', 'out', 'O1', '2026-11-26T09:30:00Z'))).rejects.toThrow('crash');
    expect(ofType(store, 'gate.visit')).toEqual([]);
    // The stream retries the record in a new process (no cache): the exit is a replay, the outbox is recorded.
    await performanceFeed({ store, areas: PORT_AREAS }).observe(gate('m2', 'out', 'O1', '2026-11-26T09:30:00Z'));
    expect(ofType(store, 'gate.visit')).toHaveLength(1);
    expect((await store.getState<{ outbox?: unknown }>('CNSGH', 'gate#SH-A12345'))?.value.outbox).toBeUndefined();
  });
});

describe('the evaluation use cases', () => {
  const now = Date.parse('2026-11-27T00:30:00Z');
  const fresh = async () => {
    const store = new InMemoryPerformanceStore(() => now);
    await store.record(DAY_FACTS);
    return { store, ports: ['CNSGH'], now: () => now };
  };

  it('computes a period from its facts before the schedule has folded it, and the same from its buckets after', async () => {
    const deps = await fresh();
    const live = await getKpis(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    expect(live.coverage).toEqual({ hours: 24, buckets: 0, liveHours: 24, liveSlots: 288, unfoldedHours: 0 });
    const expected = computeKpis(bucketOf(DAY_FACTS), 24);
    expect(live.items).toEqual(expected.items);

    // The schedule folds the hours that got facts late (here: every hour with facts); the hours without any have no
    // bucket (an hourly schedule folds them empty) and are read live, which finds nothing.
    await runScheduledEvaluation(deps);
    const folded = await getKpis(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    // Folded: the hours with facts (dirty: recorded after they closed), and the last six closed hours (18:00–23:00).
    const recent = ['18', '19', '20', '21', '22', '23'].map((h) => `2026-11-26T${h}`);
    const folded_ = new Set([...DAY_FACTS.map((f) => f.at.slice(0, 13)), ...recent]).size;
    expect(folded.coverage).toEqual({
      hours: 24,
      buckets: folded_,
      liveHours: 24 - folded_,
      liveSlots: (24 - folded_) * 12,
      unfoldedHours: 0,
    });
    expect(folded.items).toEqual(expected.items);
  });

  it('folds the open hour slot by slot, and reads only the current slot from facts', async () => {
    const at = Date.parse('2026-11-26T10:17:00Z');
    const store = new InMemoryPerformanceStore(() => at);
    const sofar = DAY_FACTS.filter((f) => Date.parse(f.at) <= at);
    await store.record(sofar);
    const deps = { store, ports: ['CNSGH'], now: () => at };
    const [report] = await runScheduledEvaluation(deps);
    expect(report?.slotsFolded).toEqual(['2026-11-26T10:00', '2026-11-26T10:05', '2026-11-26T10:10']);
    const k = await getKpis(deps, 'CNSGH', { from: '2026-11-26T08:00:00Z', to: '2026-11-26T11:00:00Z' });
    expect(k.coverage).toEqual({ hours: 3, buckets: 2, liveHours: 1, liveSlots: 1, unfoldedHours: 0 });
    const expected = computeKpis(bucketOf(sofar.filter((f) => f.at >= '2026-11-26T08' && f.at < '2026-11-26T11')), 3);
    expect(k.items).toEqual(expected.items);
  });

  it('evaluates the period with a trend and bottlenecks, and writes the hourly and daily snapshots', async () => {
    const deps = await fresh();
    const e = await getPerformance(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    expect(e.period).toEqual({ from: '2026-11-26T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z', hours: 24 });
    expect(e.dimensions.map((d) => d.id)).toHaveLength(8);
    expect(e.index.score).not.toBeNull();
    // Nothing the day before: no trend.
    expect(e.index.trend).toEqual({ previousScore: null, delta: null, direction: null });
    expect(e.bottlenecks.find((b) => b.kind === 'clearance-stage')?.subject).toBe('release');
    await runScheduledEvaluation(deps);
    expect(deps.store.snapshots.map((s) => `${s.granularity}#${s.from}`)).toEqual([
      'hourly#2026-11-26T23:00:00.000Z',
      'daily#2026-11-26T00:00:00.000Z',
    ]);
  });

  it('ranks the evaluated ports side by side, a port without data last', async () => {
    const deps = { ...(await fresh()), ports: ['NLRTM', 'CNSGH'] };
    const ranking = await rankEvaluatedPorts(deps, { from: DAY_FROM, to: DAY_TO });
    const cnsgh = await getPerformance(deps, 'CNSGH', { from: DAY_FROM, to: DAY_TO });
    expect(PortRanking.strict().parse(ranking)).toEqual(ranking);
    expect(ranking.items).toEqual([
      { port: 'CNSGH', rank: 1, score: cnsgh.index.score, grade: cnsgh.index.grade, trend: cnsgh.index.trend },
      {
        port: 'NLRTM',
        rank: 2,
        score: null,
        grade: null,
        trend: { previousScore: null, delta: null, direction: null },
      },
    ]);
  });

  it('widens the period to whole hours and refuses a port it does not evaluate', async () => {
    const deps = await fresh();
    const k = await getKpis(deps, 'CNSGH', { from: '2026-11-26T08:20:00Z', to: '2026-11-26T09:10:00+00:00' });
    expect(k.period).toEqual({ from: '2026-11-26T08:00:00.000Z', to: '2026-11-26T10:00:00.000Z', hours: 2 });
    await expect(getKpis(deps, 'NLRTM', {})).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the response schemas', () => {
  it('describe exactly what the use cases answer', async () => {
    const now = Date.parse('2026-11-27T00:30:00Z');
    const store = new InMemoryPerformanceStore(() => now);
    await store.record(DAY_FACTS);
    const deps = { store, ports: ['CNSGH'], now: () => now };
    const q = { from: DAY_FROM, to: DAY_TO };
    expect(KpiReport.strict().parse(await getKpis(deps, 'CNSGH', q))).toBeDefined();
    const e = await getPerformance(deps, 'CNSGH', q);
    expect(PortPerformance.strict().parse(e)).toEqual(e);
    expect(e.bottlenecks.length).toBeGreaterThan(3);
  });
});
