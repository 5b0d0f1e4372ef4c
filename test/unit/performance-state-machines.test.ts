import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAisSentences } from '../../shared/domain/ais';
import {
  closeIfIdle,
  type EquipmentState,
  type FactOf,
  keepsReport,
  PORT_AREAS,
  type PortArea,
  stepEquipment,
  stepVessel,
  type VesselCallState,
} from '../../shared/domain/performance';

const CNSGH = PORT_AREAS.CNSGH as PortArea;
const H = 3_600_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();
// Points of the CNSGH area (see shared/domain/performance/port-areas.ts).
const SEA = { lat: 31.05, lon: 122.55 };
const ANCHORAGE = { lat: 31.235, lon: 121.96 };
const FAIRWAY = { lat: 31.3, lon: 121.8 };
const BERTH = { lat: 31.3475, lon: 121.6125 };

type Position = { mmsi: number; lat: number; lon: number; sog: number | undefined };
type Report = [hours: number, where: { lat: number; lon: number }, sog: number];
const position = (mmsi: number, [h, p, sog]: Report): FactOf<'ais.position'> => ({
  type: 'ais.position',
  port: 'CNSGH',
  mmsi,
  ...p,
  sog,
  at: at(h),
});

/** Runs a vessel's reports through the state machine; returns the completed calls and the final state. */
function replay(mmsi: number, reports: Report[], state?: VesselCallState) {
  const calls: FactOf<'vessel.call'>[] = [];
  let s = state;
  for (const r of reports) {
    const step = stepVessel(s, CNSGH, position(mmsi, r));
    calls.push(...step.calls);
    s = step.state;
  }
  return { calls, state: s };
}

const every = (from: number, to: number, stepH: number, where: Report[1], sog: number): Report[] =>
  Array.from({ length: Math.floor((to - from) / stepH) + 1 }, (_, i) => [from + i * stepH, where, sog]);

// A container ship's track: in from sea at 14 kn, 20 h at anchor, shifting to the berth at 8 kn (not kept), 30 h
// alongside, out at 12 kn; back three days later for a second call straight to the berth.
const TRACK: Report[] = [
  [0, SEA, 14],
  [1, FAIRWAY, 12],
  ...every(2, 22, 0.5, ANCHORAGE, 0.3),
  [22.5, FAIRWAY, 8],
  ...every(23, 53, 0.05, BERTH, 0),
  [53.5, FAIRWAY, 12],
  [54.5, SEA, 15],
  [120, SEA, 14],
  ...every(121, 131, 0.25, BERTH, 0.1),
  [131.5, SEA, 13],
];

describe('vessel calls from AIS (ADB/KMI method)', () => {
  it('splits a track into calls on gaps over 24 h, with waiting and berth hours (a constructed track: realdata has no ship reported more than twice)', () => {
    const { calls, state } = replay(477123456, TRACK);
    expect(calls).toEqual([
      {
        type: 'vessel.call',
        port: 'CNSGH',
        mmsi: 477123456,
        arrivalAt: at(2),
        berthAt: at(23),
        berthId: 'WGQ',
        at: at(53),
      },
    ]);
    // Waiting 21 h (anchorage 02:00 → berth 23:00), berth 30 h. The second call is still open…
    expect(state?.call).toMatchObject({ arrivalAt: at(121), berthAt: at(121), lastAt: at(131) });
    // …until 24 h pass without a kept report.
    expect(closeIfIdle(state as VesselCallState, T0 + 154 * H).calls).toEqual([]);
    const closed = closeIfIdle(state as VesselCallState, T0 + 156 * H);
    expect(closed.calls).toEqual([
      expect.objectContaining({ arrivalAt: at(121), berthAt: at(121), at: at(131), berthId: 'WGQ' }),
    ]);
    expect(closed.state.call).toBeUndefined();
    // Where time is compressed (the local simulator, 60×) the schedule closes on a shorter silence.
    expect(closeIfIdle(state as VesselCallState, T0 + 131.5 * H, 0.4 * H).calls).toHaveLength(1);
  });

  it('keeps one call when a ship leaves and returns within 24 h, and ignores fast or outside reports', () => {
    const { calls, state } = replay(1, [
      ...every(0, 4, 1, ANCHORAGE, 1),
      [5, SEA, 3],
      [6, FAIRWAY, 9],
      ...every(20, 22, 1, BERTH, 0),
    ]);
    expect(calls).toEqual([]);
    expect(state?.call).toEqual({ arrivalAt: at(0), berthAt: at(20), berthId: 'WGQ', lastAt: at(22) });
  });

  it('treats replayed and stale reports as no change (idempotent under stream retries)', () => {
    const once = replay(2, TRACK);
    const twice = replay(2, [...TRACK, ...TRACK.slice(10, 40)]);
    expect(twice).toEqual(once);
    const step = stepVessel(once.state, CNSGH, position(2, [125, BERTH, 0]));
    expect(step).toMatchObject({ calls: [], transition: false });
  });

  it('marks only opening, berthing and closing as transitions (an extended call may be stored later)', () => {
    const open = stepVessel(undefined, CNSGH, position(3, [0, ANCHORAGE, 0.2]));
    const extend = stepVessel(open.state, CNSGH, position(3, [0.1, ANCHORAGE, 0.2]));
    const berth = stepVessel(extend.state, CNSGH, position(3, [3, BERTH, 0]));
    expect([open.transition, extend.transition, berth.transition]).toEqual([true, false, true]);
  });

  it('keeps a real receiver report of a ship stopped in harbour, not one under way (gpsd/libais samples)', () => {
    // Two real type 1 reports from test/fixtures/ais (gpsd sample.aivdm): one at 0.0 kn in Portsmouth harbour (NH),
    // one at 12.3 kn off Victoria (BC). A rough polygon around Portsmouth harbour, for this test only.
    const portsmouth: PortArea = {
      port: 'USPSM',
      polygon: [
        { lat: 43.05, lon: -70.8 },
        { lat: 43.12, lon: -70.8 },
        { lat: 43.12, lon: -70.7 },
        { lat: 43.05, lon: -70.7 },
      ],
      berths: [],
    };
    const lines = readFileSync(join(__dirname, '../fixtures/ais/ais-cases.jsonl'), 'utf8').split('\n').filter(Boolean);
    const reports = lines
      .map((l) => JSON.parse(l) as { sentences: string[]; expect: { mmsi?: number } })
      .filter((c) => c.expect.mmsi === 440348000 || c.expect.mmsi === 371798000)
      .flatMap((c) => decodeAisSentences(c.sentences).messages.map((d) => d.message as Partial<Position>))
      .filter((m): m is Position => m.lat !== undefined && m.lon !== undefined && m.mmsi !== undefined);
    expect(reports).toHaveLength(2);
    expect(reports.map((r) => [r.mmsi, keepsReport(portsmouth, r)])).toEqual([
      [371798000, false],
      [440348000, true],
    ]);
  });
});

describe('equipment availability state machine', () => {
  const report = (h: number, condition: 'ok' | 'fault' | 'maintenance'): FactOf<'equipment.report'> => ({
    type: 'equipment.report',
    port: 'CNSGH',
    equipmentId: 'STS-03',
    equipmentType: 'sts-crane',
    condition,
    at: at(h),
  });
  const run = (reports: FactOf<'equipment.report'>[]) => {
    let s: EquipmentState | undefined;
    const out: FactOf<'equipment.interval'>[] = [];
    for (const r of reports) {
      const step = stepEquipment(s, r, { maxGapMs: H, flushMs: 0.25 * H });
      out.push(...step.intervals);
      s = step.state;
    }
    return out.map((i) => [i.condition, (Date.parse(i.at) - Date.parse(i.from)) / H]);
  };

  it('turns reports into intervals, closing one at each change and every flush period', () => {
    expect(
      run([report(0, 'ok'), report(0.1, 'ok'), report(0.2, 'fault'), report(0.3, 'fault'), report(0.5, 'ok')]),
    ).toEqual([
      ['ok', 0.2],
      ['fault', 0.3],
    ]);
  });

  it('leaves a silence longer than the gap unobserved', () => {
    const got = run([report(0, 'fault'), report(0.2, 'fault'), report(3, 'ok'), report(3.1, 'ok'), report(3.3, 'ok')]);
    expect(got.map(([c, h]) => [c, Math.round(Number(h) * 100) / 100])).toEqual([
      ['fault', 0.2],
      ['ok', 0.3],
    ]);
  });

  it('ignores replayed reports', () => {
    const first = stepEquipment(undefined, report(0, 'ok'));
    const again = stepEquipment(first.state, report(0, 'ok'));
    expect(again).toEqual({ state: first.state, intervals: [], transition: false });
  });
});

describe('port areas', () => {
  it('hold every port the simulator plays, each berth line inside its polygon', async () => {
    const { PORTS } = await import('../../local/simulator/ports');
    const { insidePolygon } = await import('../../shared/domain/performance');
    expect(Object.keys(PORT_AREAS).sort()).toEqual(Object.keys(PORTS).sort());
    for (const area of Object.values(PORT_AREAS)) {
      for (const b of area.berths) for (const p of b.line) expect(insidePolygon(p, area.polygon)).toBe(true);
      expect(area.polygon).toEqual(PORTS[area.port]?.polygon);
    }
  });
});
