import { createPortTraffic, generateTraffic, inRush, rushRateFactor } from '../../local/simulator';
import { TimeScale } from '../../local/simulator/time-scale';

// The congested gate hour (local/simulator/trucks.ts, `GateRush`): once a port day, trucks arrive three times as fast
// for a port hour, and a little slower the rest of the day so that the day's average, and the simulator's total
// rate, stay at the target. The pure traffic has no rush unless asked (simulator.test.ts checks the steady rate);
// the running simulator (`startSimulator`) has one by default.

const START = Date.parse('2026-11-26T00:00:00.000Z');
const MINUTE = 60_000;
const RUSH = { startsAfterPortHours: 2 };

describe('gate rush timing', () => {
  const time = new TimeScale(START, 60);

  it('is on for one port hour a port day, from the stated offset', () => {
    expect(inRush(RUSH, time, START + 1.99 * MINUTE)).toBe(false);
    expect(inRush(RUSH, time, START + 2 * MINUTE)).toBe(true);
    expect(inRush(RUSH, time, START + 2.99 * MINUTE)).toBe(true);
    expect(inRush(RUSH, time, START + 3 * MINUTE)).toBe(false);
    expect(inRush(RUSH, time, START + 26.5 * MINUTE)).toBe(true);
    // The warm-up before the start is a day's rush too: the day before's.
    expect(inRush(RUSH, time, START - 21.5 * MINUTE)).toBe(true);
  });

  it('keeps the average arrival rate over a port day at 1', () => {
    let sum = 0;
    const steps = 24 * 60;
    for (let i = 0; i < steps; i++) sum += rushRateFactor(RUSH, time, START + (i + 0.5) * (MINUTE / 60));
    expect(sum / steps).toBeCloseTo(1, 6);
    expect(rushRateFactor(RUSH, time, START + 2.5 * MINUTE)).toBe(3);
  });

  it('refuses a rush that cannot be averaged out', () => {
    expect(() => rushRateFactor({ startsAfterPortHours: 0, factor: 30 }, time, START)).toThrow(RangeError);
  });
});

describe('port traffic with a gate rush (CNSGH, 10 msg/s, one port day = 24 wall minutes)', () => {
  const traffic = createPortTraffic({
    port: 'CNSGH',
    seed: 9,
    startMs: START,
    ratePerSecond: 10,
    gateRush: RUSH,
  });
  const published = traffic.advance(START + 24 * MINUTE);
  const trips = traffic.drainTrips();
  const gateInsPerMinute = new Array<number>(24).fill(0);
  for (const { envelope: e } of published) {
    if (e.kind !== 'gate.transaction' || e.payload.direction !== 'in') continue;
    const minute = Math.floor((Date.parse(e.observedAt) - START) / MINUTE);
    if (minute < 24) gateInsPerMinute[minute] = (gateInsPerMinute[minute] ?? 0) + 1;
  }

  it('brings about three times the trucks to the gate in the rush hour', () => {
    const rush = gateInsPerMinute[2] ?? 0;
    const others = gateInsPerMinute.filter((_, i) => i !== 2);
    const usual = others.reduce((a, b) => a + b, 0) / others.length;

    expect(rush / usual).toBeGreaterThan(2.4);
    expect(rush / usual).toBeLessThan(4);
  });

  it('holds the target rate over the day, within the 15 % the steady-rate tests allow', () => {
    const perSecond = published.length / (24 * 60);
    expect(perSecond).toBeGreaterThan(10 * 0.85);
    expect(perSecond).toBeLessThan(10 * 1.15);
  });

  it('tells of each truck trip as it checks in: the plate and the boxes the gate then sees going in and out', () => {
    const gate = published.flatMap(({ envelope: e }) =>
      e.kind === 'gate.transaction' ? [{ at: Date.parse(e.observedAt), ...e.payload }] : [],
    );
    const byKey = new Map(gate.map((g) => [`${g.direction}|${g.plate}|${g.at}`, g]));
    const inside = trips.filter((t) => t.outAt < START + 24 * MINUTE);

    expect(inside.length).toBeGreaterThan(1_000);
    for (const t of inside.slice(0, 300)) {
      const gateIn = byKey.get(`in|${t.plate}|${Math.floor(t.inAt)}`);
      const gateOut = byKey.get(`out|${t.plate}|${Math.floor(t.outAt)}`);
      expect(gateIn?.containers.length).toBe(t.carriedIn.length);
      expect(gateOut?.containers.length).toBe(t.carriedOut.length);
    }
  });

  it('spaces arrivals out before the rush, and still holds the target rate from the first minute', () => {
    const a = generateTraffic({ port: 'CNSGH', seed: 9, startMs: START, durationMs: MINUTE });
    const b = generateTraffic({ port: 'CNSGH', seed: 9, startMs: START, durationMs: MINUTE, gateRush: RUSH });
    // The first port hour is before the rush, but its arrivals are already spaced for the quieter rest of the day.
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(b.length / 60).toBeGreaterThan(40 * 0.85);
  });
});
