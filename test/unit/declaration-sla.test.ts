import fc from 'fast-check';
import {
  DEFAULT_AT_RISK_WITHIN_MS,
  DEFAULT_SLA_SETTINGS,
  SlaError,
  slaDueAt,
  slaState,
} from '../../shared/domain/clearance/sla';

const HOUR = 3_600_000;

describe('slaDueAt (RCEP Art. 4.11)', () => {
  it('is 48 h after lodgement for ordinary goods and 6 h for perishables by default', () => {
    expect(DEFAULT_SLA_SETTINGS).toEqual({ standardHours: 48, perishableHours: 6 });
    expect(slaDueAt('2026-11-26T08:00:00Z', { perishable: false })).toBe('2026-11-28T08:00:00.000Z');
    expect(slaDueAt('2026-11-26T08:00:00Z', {})).toBe('2026-11-28T08:00:00.000Z');
    expect(slaDueAt('2026-11-26T08:00:00Z', { perishable: true })).toBe('2026-11-26T14:00:00.000Z');
  });

  it('reads offsets and returns UTC', () => {
    expect(slaDueAt('2026-11-26T16:00:00+08:00', { perishable: true })).toBe('2026-11-26T14:00:00.000Z');
    expect(slaDueAt(new Date('2026-11-26T08:00:00Z'), {})).toBe('2026-11-28T08:00:00.000Z');
  });

  it('starts the clock at arrival when the goods arrive after a pre-arrival lodgement, never before lodgement', () => {
    expect(slaDueAt('2026-11-26T08:00:00Z', { arrivedAt: '2026-11-27T08:00:00Z' })).toBe('2026-11-29T08:00:00.000Z');
    expect(slaDueAt('2026-11-26T08:00:00Z', { arrivedAt: '2026-11-25T08:00:00Z' })).toBe('2026-11-28T08:00:00.000Z');
  });

  it('uses configured hours', () => {
    const settings = { standardHours: 24, perishableHours: 0.5 };
    expect(slaDueAt('2026-11-26T08:00:00Z', {}, settings)).toBe('2026-11-27T08:00:00.000Z');
    expect(slaDueAt('2026-11-26T08:00:00Z', { perishable: true }, settings)).toBe('2026-11-26T08:30:00.000Z');
  });

  it.each<[string, () => unknown, string]>([
    ['an unparseable lodgement time', () => slaDueAt('soon', {}), 'SLA_INVALID_TIME'],
    ['an unparseable arrival time', () => slaDueAt('2026-11-26T08:00:00Z', { arrivedAt: 'x' }), 'SLA_INVALID_TIME'],
    [
      'zero hours',
      () => slaDueAt('2026-11-26T08:00:00Z', {}, { standardHours: 0, perishableHours: 6 }),
      'SLA_INVALID_SETTINGS',
    ],
    [
      'infinite hours',
      () => slaDueAt('2026-11-26T08:00:00Z', { perishable: true }, { standardHours: 48, perishableHours: Infinity }),
      'SLA_INVALID_SETTINGS',
    ],
  ])('refuses %s', (_name, call, code) => {
    expect(call).toThrow(SlaError);
    expect(call).toThrow(expect.objectContaining({ code }));
  });

  it('a perishable consignment is never due later than the same consignment unperishable', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => {
        const lodged = d.toISOString();
        expect(Date.parse(slaDueAt(lodged, { perishable: true }))).toBeLessThan(Date.parse(slaDueAt(lodged, {})));
        expect(Date.parse(slaDueAt(lodged, {})) - d.getTime()).toBe(48 * HOUR);
      }),
    );
  });
});

describe('slaState', () => {
  const due = '2026-11-28T08:00:00.000Z';

  it('is on-time well before the due time, at-risk within the last two hours, breached after it', () => {
    expect(DEFAULT_AT_RISK_WITHIN_MS).toBe(2 * HOUR);
    expect(slaState(due, '2026-11-27T08:00:00Z')).toBe('on-time');
    expect(slaState(due, '2026-11-28T05:59:59.999Z')).toBe('on-time');
    expect(slaState(due, '2026-11-28T06:00:00Z')).toBe('at-risk');
    expect(slaState(due, due)).toBe('at-risk');
    expect(slaState(due, '2026-11-28T08:00:00.001Z')).toBe('breached');
  });

  it('judges a released declaration by its release time, whatever the time now', () => {
    expect(slaState(due, '2026-12-31T00:00:00Z', '2026-11-28T08:00:00Z')).toBe('on-time');
    expect(slaState(due, '2026-11-28T07:59:00Z', '2026-11-28T07:00:00Z')).toBe('on-time');
    expect(slaState(due, '2026-11-27T00:00:00Z', '2026-11-28T08:00:00.001Z')).toBe('breached');
  });

  it('takes the at-risk window as an option', () => {
    expect(slaState(due, '2026-11-28T02:00:00Z', undefined, { atRiskWithinMs: 6 * HOUR })).toBe('at-risk');
    expect(slaState(due, '2026-11-28T07:59:00Z', undefined, { atRiskWithinMs: 0 })).toBe('on-time');
  });

  it('refuses an unparseable time', () => {
    expect(() => slaState('never', due)).toThrow(SlaError);
    expect(() => slaState(due, 'now')).toThrow(SlaError);
    expect(() => slaState(due, due, 'later')).toThrow(SlaError);
  });

  it('once breached, stays breached as time goes on (monotonic)', () => {
    const order = { 'on-time': 0, 'at-risk': 1, breached: 2 } as const;
    fc.assert(
      fc.property(fc.integer({ min: -72 * HOUR, max: 72 * HOUR }), fc.integer({ min: 0, max: 72 * HOUR }), (t, dt) => {
        const dueMs = Date.parse(due);
        const earlier = slaState(due, new Date(dueMs + t));
        const later = slaState(due, new Date(dueMs + t + dt));
        expect(order[later]).toBeGreaterThanOrEqual(order[earlier]);
      }),
    );
  });
});
