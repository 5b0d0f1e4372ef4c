import { darkVesselAlert, distanceNm, type Fix } from '../../shared/domain/ais/dark-vessel';

const fix = (minutes: number, over: Partial<Fix> = {}): Fix => ({
  observedAt: new Date(Date.UTC(2026, 10, 26, 8, 0) + minutes * 60_000).toISOString(),
  lat: 31.35,
  lon: 121.6,
  port: 'CNSGH' as Fix['port'],
  ...over,
});

const check = (previous: Fix, current: Fix) =>
  darkVesselAlert({ deviceId: 'ais-1', mmsi: 477123456, previous, current });

describe('darkVesselAlert', () => {
  it('raises ais.dark for a silence of 30 minutes or more heard by the same port, with the gap as evidence', () => {
    const a = check(fix(0), fix(30, { lat: 31.4 }));
    expect(a).toMatchObject({
      type: 'ais.dark',
      subject: { kind: 'vessel', id: '477123456' },
      observedAt: fix(30).observedAt,
      evidence: { gapMinutes: 30, lastSeenAt: fix(0).observedAt, movedNm: 3 },
    });
  });

  it('gives the same alert id for the same reappearance (a replay, a second receiver)', () => {
    expect(check(fix(0), fix(45))?.alertId).toBe(check(fix(1), fix(45))?.alertId);
    expect(check(fix(0), fix(45))?.alertId).not.toBe(check(fix(0), fix(46))?.alertId);
  });

  it('ignores short silences, silences longer than a call, and a vessel last heard by another port', () => {
    expect(check(fix(0), fix(29))).toBeUndefined();
    expect(check(fix(0), fix(24 * 60 + 1))).toBeUndefined();
    expect(check(fix(0, { port: 'CNNGB' as Fix['port'] }), fix(60))).toBeUndefined();
    expect(check(fix(60), fix(0))).toBeUndefined();
  });

  it('measures great-circle distance in nautical miles', () => {
    expect(distanceNm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(60.04, 1);
  });
});
