import type { DecisionLogEntry } from '../../events/v1/declaration-audit';
import { bucketOf, type ClearanceSubject, clearanceFactsOf, computeKpis } from '../../shared/domain/performance';

// Decision-log entries → WCO TRS facts. Hashes are irrelevant here (the log is verified elsewhere).
const hash = '0'.repeat(64);
const entry = (seq: number, at: string, e: Partial<DecisionLogEntry>): DecisionLogEntry => ({
  declarationId: 'D9',
  seq,
  at,
  actor: { sub: 'officer-1', role: 'customs-officer' },
  action: 'lodge',
  toStatus: 'lodged',
  reason: 'r',
  prevHash: hash,
  hash,
  ...e,
});
const subject: ClearanceSubject = {
  id: 'D9',
  port: 'CNSGH',
  direction: 'import',
  transport: { mode: 'sea' },
  lodgedAt: '2026-11-26T08:00:00.000Z',
  slaDueAt: '2026-11-28T08:00:00.000Z',
  assessment: {
    lane: 'red',
    reasons: [{ ruleId: 'HS93-WEAPONS' }, { ruleId: 'HS93-WEAPONS' }],
    selectedBy: 'criteria',
    assessedAt: '2026-11-26T08:00:00.300Z',
  },
};

const log: DecisionLogEntry[] = [
  entry(0, '2026-11-26T08:00:00.000Z', { action: 'lodge', toStatus: 'lodged' }),
  entry(1, '2026-11-26T08:00:00.300Z', { action: 'assess', fromStatus: 'lodged', toStatus: 'inspection', lane: 'red' }),
  entry(2, '2026-11-26T11:00:00.000Z', {
    action: 'inspection-result',
    fromStatus: 'inspection',
    toStatus: 'inspection',
    lane: 'red',
    details: { inspectionSeq: 1, inspectedAt: '2026-11-26T10:00:00.000Z', found: false, ruleIds: ['HS93-WEAPONS'] },
  }),
  entry(3, '2026-11-26T12:00:00.000Z', {
    action: 'release',
    fromStatus: 'inspection',
    toStatus: 'released',
    lane: 'red',
  }),
];

describe('clearance facts from the decision log', () => {
  it('gives lodged and assessed at lodgement, with time to lane, rules and selection', () => {
    const facts = clearanceFactsOf(subject, log.slice(0, 2), log.slice(0, 2));
    expect(facts).toEqual([
      {
        type: 'declaration.lodged',
        port: 'CNSGH',
        declarationId: 'D9',
        direction: 'import',
        mode: 'sea',
        at: log[0]?.at,
      },
      expect.objectContaining({
        type: 'declaration.assessed',
        lane: 'red',
        ruleIds: ['HS93-WEAPONS'],
        selection: 'targeted',
        lodgedAt: subject.lodgedAt,
      }),
    ]);
  });

  it('times the inspection from selection to the officer’s inspectedAt to the result, then the release', () => {
    const facts = clearanceFactsOf(subject, log, log.slice(2));
    expect(facts.map((f) => [f.type, f.at])).toEqual([
      ['inspection.started', '2026-11-26T10:00:00.000Z'],
      ['inspection.result', '2026-11-26T11:00:00.000Z'],
      ['declaration.released', '2026-11-26T12:00:00.000Z'],
    ]);
    const kpis = computeKpis(bucketOf(clearanceFactsOf(subject, log, log)), 24);
    const stage = (key: string) =>
      kpis.breakdowns.find((b) => b.id === 'clearance.stage.mean_h' && b.key === key)?.value ?? Number.NaN;
    // Queue 08:00:00.3 → 10:00, inspection 10:00 → 11:00, release 11:00 → 12:00.
    expect(stage('queue')).toBeCloseTo(2, 2);
    expect(stage('inspection')).toBeCloseTo(1, 2);
    expect(stage('release')).toBeCloseTo(1, 2);
    expect(kpis.items.find((k) => k.id === 'inspection.hit_rate')).toMatchObject({ value: 0, n: 1 });
    expect(kpis.items.find((k) => k.id === 'sla.release.compliance')).toMatchObject({ value: 1, n: 1 });
  });

  it('releases a green lane at its assessment with a zero release stage', () => {
    const green = { ...subject, assessment: { ...subject.assessment, lane: 'green' as const, selectedBy: null } };
    const entries = [
      log[0] as DecisionLogEntry,
      entry(1, '2026-11-26T08:00:00.300Z', {
        action: 'assess',
        fromStatus: 'lodged',
        toStatus: 'released',
        lane: 'green',
      }),
    ];
    const released = clearanceFactsOf(green, entries, entries).find((f) => f.type === 'declaration.released');
    expect(released).toMatchObject({ readyAt: '2026-11-26T08:00:00.300Z', lane: 'green' });
  });
});
