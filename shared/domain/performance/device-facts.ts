import type { IngestPlan } from '../ingest/ingest-plan';
import type { FactOf, PerformanceFact } from './facts';
import type { PortArea } from './port-areas';
import { keepsReport } from './vessel-calls';

/** What one accepted device message means for the performance evaluation (pure). */
export interface DeviceFacts {
  /** Facts counted as they are (gate transactions, portal occupancies). */
  facts: PerformanceFact[];
  /** Inputs of the per-entity state machines. */
  gate: FactOf<'gate.transaction'>[];
  positions: FactOf<'ais.position'>[];
  equipment: FactOf<'equipment.report'>[];
}

type AcceptedPlan = Extract<IngestPlan, { outcome: 'accepted' }>;

const CONDITION = { operating: 'ok', idle: 'ok', fault: 'fault', maintenance: 'maintenance' } as const;

/**
 * Facts of an accepted message's projections. AIS positions are kept only where the port-call method keeps them
 * (inside the port's polygon, under 5 kn), so that ships at sea cost nothing. A heartbeat counts as the device's
 * own status report (`device:{class}`), so scanners, portals and gate lanes have an availability too.
 */
export function deviceFactsOf(plan: AcceptedPlan, area: PortArea | undefined): DeviceFacts {
  const { source, messageId } = plan;
  const port = source.port;
  const out: DeviceFacts = { facts: [], gate: [], positions: [], equipment: [] };
  for (const p of plan.projections) {
    if (p.type === 'gate.transaction') {
      const tx: FactOf<'gate.transaction'> = {
        type: 'gate.transaction',
        port,
        transactionId: `${source.deviceId}/${messageId}`,
        laneId: p.laneId,
        direction: p.direction,
        plate: p.plate,
        at: p.observedAt,
      };
      out.facts.push(tx);
      out.gate.push(tx);
    } else if (p.type === 'vessel.position' && area) {
      const { lat, lon, sog, observedAt } = p.position;
      if (keepsReport(area, { lat, lon, sog })) {
        out.positions.push({ type: 'ais.position', port, mmsi: p.mmsi, lat, lon, sog: sog ?? 0, at: observedAt });
      }
    } else if (p.type === 'equipment.status') {
      out.equipment.push({
        type: 'equipment.report',
        port,
        equipmentId: p.equipment.equipmentId,
        equipmentType: p.equipment.type,
        condition: CONDITION[p.equipment.status],
        at: p.equipment.observedAt,
      });
    }
  }
  if (plan.kind === 'rpm.scan') {
    const alarm = plan.projections.find((p) => p.type === 'alert' && p.alert.type === 'rpm.alarm');
    const laneId = alarm?.type === 'alert' ? alarm.alert.evidence.laneId : undefined;
    out.facts.push({
      type: 'rpm.occupancy',
      port,
      occupancyId: `${source.deviceId}/${messageId}`,
      ...(typeof laneId === 'string' ? { laneId } : {}),
      alarm: alarm !== undefined,
      at: plan.observedAt,
    });
  }
  if (plan.deviceHealth) {
    out.equipment.push({
      type: 'equipment.report',
      port,
      equipmentId: source.deviceId,
      equipmentType: `device:${source.deviceClass}`,
      condition: plan.deviceHealth.health === 'fault' ? 'fault' : 'ok',
      at: plan.observedAt,
    });
  }
  return out;
}
