import {
  type Assessment,
  assess,
  DEFAULT_RISK_PROFILE,
  defaultSelectivitySettings,
  RiskDecisionError,
  type RiskDeclaration,
  type RiskEvidence,
  reassess,
  relax,
  reroute,
  type SelectivitySettings,
} from '../../shared/domain/risk';

const C1 = 'CSQU3054383';
const AT = '2026-03-01T07:00:00.000Z';
const SETTINGS = defaultSelectivitySettings({ seedId: 'test', seed: 'test-seed-not-secret-0001' }, {});

const declaration = (over: Partial<RiskDeclaration> = {}): RiskDeclaration => ({
  id: 'DCL-7',
  port: 'CNSGH',
  direction: 'import',
  trader: { id: 'TR-1', country: 'CN', aeo: false },
  transport: { mode: 'sea', vesselMmsi: 477_123_456, truckPlate: 'HU-A 12345' },
  containers: [C1],
  items: [
    {
      hsCode: '940360',
      originCountry: 'VN',
      quantity: 1,
      unit: 'PCE',
      grossWeightKg: 100,
      customsValue: { amount: 900, currency: 'USD' },
    },
  ],
  documents: [{ type: 'invoice', ref: 'I-1' }],
  ...over,
});

let minute = 0;
/** Each assessment one minute after the previous, so a fresh one is recognisable by its time. */
function assessAt(
  d: RiskDeclaration,
  evidence: RiskEvidence = {},
  settings: SelectivitySettings = SETTINGS,
): Assessment {
  minute++;
  const now = new Date(Date.UTC(2026, 2, 1, 8, minute));
  return assess(d, evidence, DEFAULT_RISK_PROFILE, settings, { now: () => now, random: { draw: () => 0.5 } });
}

const alarm = (id: string): RiskEvidence => ({ radiationAlarms: [{ id, at: AT, containers: [C1] }] });
const officer = { officer: 'officer-17', reason: 'Inspected: ceramic tiles (NORM), nothing else found.', at: AT };

describe('reassess', () => {
  it('new evidence makes the lane stricter, keeps the old reasons and takes the fresh time', () => {
    const lodged = assessAt(declaration({ documents: [] }));
    const fresh = assessAt(declaration({ documents: [] }), alarm('rpm-1'));
    const merged = reassess(lodged, fresh);
    expect(lodged.lane).toBe('yellow');
    expect(merged).toMatchObject({ lane: 'red', score: 100, selectedBy: 'evidence', assessedAt: fresh.assessedAt });
    expect(merged.reasons.map((r) => r.code)).toEqual(['INVOICE_MISSING', 'RPM_ALARM']);
  });

  it('never relaxes automatically: a fresh green leaves a red red, with its reason', () => {
    const red = assessAt(declaration(), alarm('rpm-1'));
    const green = assessAt(declaration());
    const merged = reassess(red, green);
    expect(merged).toMatchObject({ lane: 'red', score: 100, selectedBy: 'evidence' });
    expect(merged.reasons.map((r) => r.code)).toEqual(['RPM_ALARM']);
  });

  it('merges a reason of the same rule, uniting its evidence ids', () => {
    const first = assessAt(declaration(), alarm('rpm-1'));
    const second = assessAt(declaration(), { radiationAlarms: [{ id: 'rpm-2', at: AT, containers: [C1] }] });
    const merged = reassess(first, second);
    expect(merged.reasons).toEqual([expect.objectContaining({ code: 'RPM_ALARM', evidenceIds: ['rpm-1', 'rpm-2'] })]);
  });

  it('is idempotent: folding the same fresh assessment twice changes nothing more, and a into a is a', () => {
    const a = assessAt(declaration({ documents: [] }));
    const b = assessAt(declaration({ documents: [] }), alarm('rpm-1'));
    const once = reassess(a, b);
    expect(reassess(once, b)).toEqual(once);
    expect(reassess(a, a)).toEqual(a);
  });

  it('does not mutate its inputs', () => {
    const a = assessAt(declaration(), alarm('rpm-1'));
    const b = assessAt(declaration(), alarm('rpm-2'));
    const copyA = structuredClone(a);
    const copyB = structuredClone(b);
    reassess(a, b);
    expect(a).toEqual(copyA);
    expect(b).toEqual(copyB);
  });

  it('refuses to fold an assessment of another declaration', () => {
    const a = assessAt(declaration());
    const b = assessAt(declaration({ id: 'DCL-8' }));
    expect(() => reassess(a, b)).toThrow(RiskDecisionError);
    expect(() => reassess(a, b)).toThrow(expect.objectContaining({ code: 'REASSESS_OTHER_DECLARATION' }));
  });
});

describe('officer decisions', () => {
  it('relax: only an officer, with a reason, makes a lane less strict, and it is recorded', () => {
    const red = assessAt(declaration(), alarm('rpm-1'));
    const released = relax(red, { ...officer, lane: 'green' });
    expect(released.lane).toBe('green');
    expect(released.override).toEqual({
      by: 'officer-17',
      reason: officer.reason,
      at: AT,
      fromLane: 'red',
      toLane: 'green',
    });
    expect(released.reasons).toEqual(red.reasons);
  });

  it('relax refuses a stricter lane, a blank reason and a blank officer', () => {
    const yellow = assessAt(declaration({ documents: [] }));
    expect(() => relax(yellow, { ...officer, lane: 'red' })).toThrow(
      expect.objectContaining({ code: 'DECISION_NOT_A_RELAXATION' }),
    );
    expect(() => relax(yellow, { ...officer, lane: 'green', reason: '  ' })).toThrow(
      expect.objectContaining({ code: 'DECISION_REASON_REQUIRED' }),
    );
    expect(() => relax(yellow, { ...officer, lane: 'green', officer: '' })).toThrow(
      expect.objectContaining({ code: 'DECISION_OFFICER_REQUIRED' }),
    );
  });

  it('after a relaxation, re-assessing on the same evidence keeps the officer’s lane', () => {
    const red = assessAt(declaration(), alarm('rpm-1'));
    const released = relax(red, { ...officer, lane: 'green' });
    const merged = reassess(released, assessAt(declaration(), alarm('rpm-1')));
    expect(merged.lane).toBe('green');
    expect(merged.override).toEqual(released.override);
  });

  it('after a relaxation, new evidence tightens again', () => {
    const released = relax(assessAt(declaration(), alarm('rpm-1')), { ...officer, lane: 'green' });
    const merged = reassess(
      released,
      assessAt(declaration(), { radiationAlarms: [{ id: 'rpm-9', at: AT, plate: 'HUA12345' }] }),
    );
    expect(merged.lane).toBe('red');
    expect(merged.reasons[0]?.evidenceIds).toEqual(['rpm-1', 'rpm-9']);
  });

  it('after a relaxation, a new hit tightens only as far as its own lane', () => {
    const released = relax(assessAt(declaration(), alarm('rpm-1')), { ...officer, lane: 'green' });
    // The fresh assessment is red (the old alarm) and adds INVOICE_MISSING (yellow): only the new hit counts.
    const merged = reassess(released, assessAt(declaration({ documents: [] }), alarm('rpm-1')));
    expect(merged.lane).toBe('yellow');
  });

  it('after a relaxation, a new hit that the fresh assessment itself left green does not select', () => {
    const allowOne = { ...SETTINGS, maxHitsWithNoSelection: 1 };
    const released = relax(assessAt(declaration()), { ...officer, lane: 'green' });
    const fresh = assessAt(declaration({ documents: [] }), {}, allowOne);
    expect(fresh.lane).toBe('green');
    expect(fresh.reasons).toEqual([expect.objectContaining({ code: 'INVOICE_MISSING', lane: 'yellow' })]);
    expect(reassess(released, fresh).lane).toBe('green');
  });

  it('reroute: an officer may also tighten, and automation respects it', () => {
    const green = assessAt(declaration());
    const inspect = reroute(green, { ...officer, lane: 'red', reason: 'Tip-off from the border police.' });
    expect(inspect.lane).toBe('red');
    expect(reassess(inspect, assessAt(declaration())).lane).toBe('red');
  });
});
