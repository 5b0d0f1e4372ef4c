import type { DeclarationInput } from '../../events/v1/declaration';
import { deviceEvidenceOf } from '../../shared/domain/ingest/device-evidence';
import type { MessageSource } from '../../shared/domain/ingest/ingest-plan';
import { lodgeDeclaration } from '../../shared/use-cases/declarations';
import { reassessOnEvidence } from '../../shared/use-cases/reassess-on-evidence';
import { inMemoryDeclarationDependencies } from '../support/declaration-deps';
import { OPEN_DECLARATION } from '../support/route-samples';

const source: MessageSource = {
  port: 'CNSGH',
  deviceClass: 'rpm',
  deviceId: 'rpm-1',
  receivedAt: '2026-11-26T08:00:01Z',
};
const officer = { sub: 'officer-1', roles: ['customs-officer' as const] };

const deps = inMemoryDeclarationDependencies;

const alarmOn = (container: string, alertId = 'AL-1') =>
  deviceEvidenceOf(source, 'm-1', [
    {
      type: 'alert',
      alert: {
        alertId,
        port: 'CNSGH',
        type: 'rpm.alarm',
        severity: 'high',
        subject: { kind: 'container', id: container },
        observedAt: '2026-11-26T08:00:00Z',
        deviceId: 'rpm-1',
        evidence: { containers: [container] },
      },
    },
  ]);

describe('deviceEvidenceOf', () => {
  it('turns an rpm.alarm into a radiation alarm fact on its containers, with the alert id', () => {
    expect(alarmOn('MSKU9070323')).toEqual({
      subjects: ['container:MSKU9070323'],
      evidence: {
        radiationAlarms: [{ id: 'AL-1', at: '2026-11-26T08:00:00Z', containers: ['MSKU9070323'] }],
      },
      factIds: ['AL-1'],
    });
  });

  it('turns a gate crossing into sightings on the truck and the gate window that crossing closes', () => {
    const ev = deviceEvidenceOf(source, 'm-g', [
      {
        type: 'gate.transaction',
        laneId: 'OUT-1',
        direction: 'out',
        plate: 'SH-B2002',
        containers: [
          { number: 'CSQU3054383', checkDigitValid: true },
          { number: 'CSQU3054384', checkDigitValid: false },
        ],
        observedAt: '2026-11-26T08:00:00Z',
        visitIdIfNew: 'v-1',
      },
    ]);
    expect(ev?.subjects).toEqual(['truck:SHB2002']);
    expect(ev?.evidence.gateWindow).toMatchObject({
      plate: 'SH-B2002',
      crossing: 'out',
      seen: [{ container: 'CSQU3054383' }],
    });
    expect(ev?.evidence.undeclaredContainers).toHaveLength(1);
  });

  it('turns an ais.dark alert into a vessel-dark fact on the vessel (by MMSI and IMO)', () => {
    const ev = deviceEvidenceOf(source, 'm-d', [
      {
        type: 'alert',
        alert: {
          alertId: 'AL-dark',
          port: 'CNSGH',
          type: 'ais.dark',
          severity: 'medium',
          subject: { kind: 'vessel', id: '477123456' },
          observedAt: '2026-11-26T08:00:00Z',
          deviceId: 'ais-1',
          evidence: { imo: 9321483, gapMinutes: 95 },
        },
      },
    ]);
    expect(ev).toEqual({
      subjects: ['mmsi:477123456', 'imo:9321483'],
      evidence: {
        vesselDark: [{ id: 'AL-dark', at: '2026-11-26T08:00:00Z', mmsi: 477123456, imo: '9321483', gapMinutes: 95 }],
      },
      factIds: ['AL-dark'],
    });
  });

  it('finds no evidence in a projection that is not about cargo', () => {
    expect(
      deviceEvidenceOf(source, 'm-2', [
        {
          type: 'equipment.status',
          equipment: {
            port: 'CNSGH',
            equipmentId: 'QC-1',
            type: 'sts-crane',
            status: 'idle',
            observedAt: '2026-11-26T08:00:00Z',
            deviceId: 'eq-1',
          },
        },
      ]),
    ).toBeUndefined();
  });
});

describe('reassessOnEvidence', () => {
  it('makes an open declaration red once, however often the same evidence arrives', async () => {
    const d = deps();
    const lodged = await lodgeDeclaration(d, officer, {
      ...OPEN_DECLARATION,
      containers: ['MSKU9070323'],
    } as DeclarationInput);
    const evidence = alarmOn('MSKU9070323');
    if (!evidence) throw new Error('no evidence');

    const first = await reassessOnEvidence(d, evidence);
    const second = await reassessOnEvidence(d, evidence);

    expect(first.get(lodged.id)).toBe('reassessed');
    expect(second.get(lodged.id)).toBe('unchanged');
    const stored = await d.store.get(lodged.id);
    expect(stored).toMatchObject({ status: 'inspection', assessment: { lane: 'red' } });
    expect((await d.store.readLog(lodged.id)).filter((e) => e.action === 'reassess')).toHaveLength(1);
  });

  it('never touches a declaration of other containers', async () => {
    const d = deps();
    const lodged = await lodgeDeclaration(d, officer, {
      ...OPEN_DECLARATION,
      containers: ['CSQU3054383'],
    } as DeclarationInput);
    const evidence = alarmOn('MSKU9070323');
    if (!evidence) throw new Error('no evidence');

    const outcome = await reassessOnEvidence(d, evidence);

    expect(outcome.size).toBe(0);
    expect((await d.store.get(lodged.id))?.version).toBe(1);
  });
});
