import { decideGateRelease } from '../../shared/domain/clearance/gate-release';

const ok = (number: string) => ({ number, checkDigitValid: true });

describe('decideGateRelease (one-stop gate release)', () => {
  it('opens for a truck whose every container has only released declarations', () => {
    const d = decideGateRelease(
      [ok('CSQU3054383'), ok('TGHU7599330')],
      new Map([
        ['CSQU3054383', [{ id: 'd1', status: 'released' as const }]],
        ['TGHU7599330', [{ id: 'd2', status: 'released' as const }]],
      ]),
    );
    expect(d).toEqual({ action: 'open', reason: 'every container is released', holds: [] });
  });

  it('opens for an empty truck', () => {
    expect(decideGateRelease([], new Map()).action).toBe('open');
  });

  it('holds when one declaration of a container is not released, naming it and its status', () => {
    const d = decideGateRelease(
      [ok('CSQU3054383')],
      new Map([
        [
          'CSQU3054383',
          [
            { id: 'd1', status: 'released' as const },
            { id: 'd2', status: 'inspection' as const },
          ],
        ],
      ]),
    );
    expect(d.action).toBe('hold');
    expect(d.holds).toEqual([
      { container: 'CSQU3054383', code: 'NOT_RELEASED', declarations: [{ id: 'd2', status: 'inspection' }] },
    ]);
    expect(d.reason).toContain('d2 inspection');
  });

  it('holds for an undeclared container and for an unreadable number', () => {
    const d = decideGateRelease([ok('MSKU9070323'), { number: 'CSQU3054384', checkDigitValid: false }], new Map());
    expect(d.action).toBe('hold');
    expect(d.holds.map((h) => h.code)).toEqual(['UNDECLARED_CONTAINER', 'UNREADABLE_CONTAINER']);
  });

  it('holds a released container (or the truck) while a joint-control incident on it is open', () => {
    const released = new Map([['CSQU3054383', [{ id: 'd1', status: 'released' as const }]]]);
    const onBox = [{ incidentId: 'INC-1', containers: ['CSQU3054383'] }];
    const d = decideGateRelease([ok('CSQU3054383')], released, onBox, 'SH-A1');
    expect(d).toMatchObject({ action: 'hold', holds: [{ code: 'OPEN_INCIDENT', incidents: ['INC-1'] }] });
    expect(d.reason).toContain('open joint-control incident INC-1');
    // An incident on the truck holds it even empty; one on another box or truck does not.
    expect(
      decideGateRelease([], new Map(), [{ incidentId: 'INC-2', containers: [], plate: 'sh a1' }], 'SH-A1').action,
    ).toBe('hold');
    expect(
      decideGateRelease(
        [ok('CSQU3054383')],
        released,
        [{ incidentId: 'INC-3', containers: ['TGHU7599330'], plate: 'X' }],
        'SH-A1',
      ).action,
    ).toBe('open');
  });
});
