import type { CustomsEvent } from '../../../events/v1/customs-events';
import type { DecisionLogEntry } from '../../../events/v1/declaration-audit';

/**
 * The DCSA events a decision-log entry stands for (events/v1/customs-events.ts): entering inspection → CUSI per
 * container (CUSS for an officer's inspect by scan); entering released → CUSR per container and RELS; entering held → HOLD. Pure and deterministic in the
 * entry, so writing them again (a retry) writes the same ids.
 */
export function customsEventsFor(
  entry: DecisionLogEntry,
  declaration: { id: string; reference?: string; port: string; containers: readonly string[] },
  createdAt: string,
): CustomsEvent[] {
  if (entry.fromStatus === entry.toStatus) return [];
  const base = {
    eventClassifierCode: 'ACT' as const,
    eventDateTime: entry.at,
    eventCreatedDateTime: createdAt,
    documentReference: declaration.id,
    ...(declaration.reference !== undefined ? { documentClientReference: declaration.reference } : {}),
    port: declaration.port,
  };
  const id = (code: string, container?: string) =>
    [declaration.id, entry.seq, code, ...(container !== undefined ? [container] : [])].join('.');
  const equipment = (code: 'CUSS' | 'CUSI' | 'CUSR'): CustomsEvent[] =>
    declaration.containers.map((c) => ({
      ...base,
      eventId: id(code, c),
      eventType: 'EQUIPMENT',
      equipmentEventTypeCode: code,
      equipmentReference: c,
    }));
  const shipment = (code: 'HOLD' | 'RELS'): CustomsEvent => ({
    ...base,
    eventId: id(code),
    eventType: 'SHIPMENT',
    shipmentEventTypeCode: code,
  });
  switch (entry.toStatus) {
    case 'inspection':
      // An officer's inspect by scan selects the containers for the X-ray first (DCSA CUSS).
      return equipment(entry.details?.method === 'scan' ? 'CUSS' : 'CUSI');
    case 'released':
      return [...equipment('CUSR'), shipment('RELS')];
    case 'held':
      return [shipment('HOLD')];
    default:
      return [];
  }
}
