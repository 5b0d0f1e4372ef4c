import { CustomsEvent } from '../../events/v1/customs-events';
import type { DecisionLogEntry } from '../../events/v1/declaration-audit';
import { customsEventsFor } from '../../shared/domain/clearance/customs-events';

const declaration = { id: 'd-1', reference: 'ref-1', port: 'CNSGH', containers: ['CSQU3054383', 'TGHU7599330'] };
const CREATED = '2026-11-26T10:00:01.000Z';

function entry(seq: number, fromStatus: DecisionLogEntry['fromStatus'], toStatus: DecisionLogEntry['toStatus']) {
  return {
    declarationId: 'd-1',
    seq,
    at: '2026-11-26T10:00:00.000Z',
    actor: { sub: 'o', role: 'customs-officer' },
    action: 'reroute',
    ...(fromStatus ? { fromStatus } : {}),
    toStatus,
    reason: 'r',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  } as DecisionLogEntry;
}

const codes = (events: CustomsEvent[]) => events.map((e) => e.equipmentEventTypeCode ?? e.shipmentEventTypeCode);

describe('customsEventsFor', () => {
  it('writes CUSI per container when a declaration enters inspection', () => {
    const events = customsEventsFor(entry(1, 'lodged', 'inspection'), declaration, CREATED);

    expect(codes(events)).toEqual(['CUSI', 'CUSI']);
    expect(events.map((e) => e.equipmentReference)).toEqual(declaration.containers);
    for (const e of events) expect(CustomsEvent.safeParse(e).error).toBeUndefined();
  });

  it("writes CUSS per container for an officer's inspect by scan", () => {
    const scan = { ...entry(1, 'documentary-check', 'inspection'), action: 'inspect', details: { method: 'scan' } };
    expect(codes(customsEventsFor(scan as DecisionLogEntry, declaration, CREATED))).toEqual(['CUSS', 'CUSS']);
  });

  it('writes CUSR per container and one RELS on release, HOLD on hold', () => {
    expect(codes(customsEventsFor(entry(3, 'inspection', 'released'), declaration, CREATED))).toEqual([
      'CUSR',
      'CUSR',
      'RELS',
    ]);
    expect(codes(customsEventsFor(entry(2, 'inspection', 'held'), declaration, CREATED))).toEqual(['HOLD']);
  });

  it('writes nothing for a documentary check or a step that keeps the status', () => {
    expect(customsEventsFor(entry(1, 'lodged', 'documentary-check'), declaration, CREATED)).toEqual([]);
    expect(customsEventsFor(entry(4, 'inspection', 'inspection'), declaration, CREATED)).toEqual([]);
  });

  it('derives ids from the log entry, so a retry yields the same ids', () => {
    const a = customsEventsFor(entry(3, 'inspection', 'released'), declaration, CREATED);
    const b = customsEventsFor(entry(3, 'inspection', 'released'), declaration, '2026-11-26T11:00:00.000Z');

    expect(a.map((e) => e.eventId)).toEqual(b.map((e) => e.eventId));
    expect(new Set(a.map((e) => e.eventId)).size).toBe(a.length);
  });
});
