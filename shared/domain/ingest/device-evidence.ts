import {
  containerSubject,
  imoSubject,
  mmsiSubject,
  type SubjectKey,
  truckSubject,
} from '../clearance/declaration-subjects';
import type {
  GateWindowFact,
  NiiAnomalyFact,
  RadiationAlarmFact,
  RiskEvidence,
  UndeclaredContainerFact,
  VesselDarkFact,
} from '../risk';
import type { MessageSource, Projection } from './ingest-plan';

/**
 * Device evidence about cargo and conveyances in one accepted message: what the risk engine may count against the
 * declarations that name its subjects. Pure. Fact ids are derived from the message (alert ids, or the device and
 * messageId), so the same message re-delivered yields the same ids and re-assessment recognises it.
 */
export interface DeviceEvidence {
  /** What the facts are about (containers, trucks, vessels): the declarations naming any of them are re-assessed. */
  subjects: SubjectKey[];
  evidence: RiskEvidence;
  /** Every fact id in `evidence`. */
  factIds: string[];
}

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function anomalyCodesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x: unknown) =>
    typeof x === 'object' && x !== null && typeof (x as { code?: unknown }).code === 'string'
      ? [(x as { code: string }).code]
      : [],
  );
}

/**
 * The evidence of a message's projections:
 * - radiation alarms (`rpm.alarm`) and X-ray anomalies (`nii.anomaly`) on containers or a truck;
 * - a vessel that went dark on AIS near the port (`ais.dark`);
 * - a truck crossing a gate: every valid container read on it (the engine counts one as undeclared only for a
 *   declaration naming that truck and not that container), and the gate window that crossing closes (the engine
 *   counts a declared container missing from it as not seen at the gate, for the declaration naming that truck
 *   and only in the direction its containers must cross). Both count only for the truck's declarations, so the
 *   truck is the subject to look up (not each container: one index query per crossing, not one per box).
 * Undefined when there is none.
 */
export function deviceEvidenceOf(
  source: MessageSource,
  messageId: string,
  projections: readonly Projection[],
): DeviceEvidence | undefined {
  const subjects = new Set<SubjectKey>();
  const radiationAlarms: RadiationAlarmFact[] = [];
  const niiAnomalies: NiiAnomalyFact[] = [];
  const undeclaredContainers: UndeclaredContainerFact[] = [];
  const vesselDark: VesselDarkFact[] = [];
  let gateWindow: GateWindowFact | undefined;
  const factIds: string[] = [];
  for (const p of projections) {
    if (p.type === 'alert' && (p.alert.type === 'rpm.alarm' || p.alert.type === 'nii.anomaly')) {
      const a = p.alert;
      const on = [
        ...new Set([...(a.subject.kind === 'container' ? [a.subject.id] : []), ...stringsOf(a.evidence.containers)]),
      ];
      const plate =
        typeof a.evidence.plate === 'string' ? a.evidence.plate : a.subject.kind === 'truck' ? a.subject.id : undefined;
      const fact = { id: a.alertId, at: a.observedAt, containers: on, ...(plate ? { plate } : {}) };
      if (a.type === 'rpm.alarm') radiationAlarms.push(fact);
      else niiAnomalies.push({ ...fact, codes: anomalyCodesOf(a.evidence.anomalies) });
      for (const c of on) subjects.add(containerSubject(c));
      if (plate) subjects.add(truckSubject(plate));
      factIds.push(a.alertId);
    }
    if (p.type === 'alert' && p.alert.type === 'ais.dark' && p.alert.subject.kind === 'vessel') {
      const a = p.alert;
      const mmsi = Number(a.subject.id);
      const imo =
        typeof a.evidence.imo === 'number' || typeof a.evidence.imo === 'string' ? String(a.evidence.imo) : undefined;
      const gapMinutes = typeof a.evidence.gapMinutes === 'number' ? a.evidence.gapMinutes : undefined;
      vesselDark.push({
        id: a.alertId,
        at: a.observedAt,
        ...(Number.isSafeInteger(mmsi) ? { mmsi } : {}),
        ...(imo !== undefined ? { imo } : {}),
        ...(gapMinutes !== undefined ? { gapMinutes } : {}),
      });
      if (Number.isSafeInteger(mmsi)) subjects.add(mmsiSubject(mmsi));
      if (imo !== undefined) subjects.add(imoSubject(imo));
      factIds.push(a.alertId);
    }
    if (p.type === 'gate.transaction') {
      const seen = [];
      for (const c of p.containers) {
        if (!c.checkDigitValid) continue;
        const id = `GATE-${source.deviceId}-${messageId}-${c.number}`;
        undeclaredContainers.push({ id, at: p.observedAt, container: c.number, plate: p.plate });
        seen.push({ id, at: p.observedAt, container: c.number });
        factIds.push(id);
      }
      // One gate crossing per message (a gate read is one truck): the first closes the window.
      if (gateWindow === undefined) {
        const id = `GATEWIN-${source.deviceId}-${messageId}`;
        gateWindow = { id, at: p.observedAt, seen, plate: p.plate, crossing: p.direction };
        subjects.add(truckSubject(p.plate));
        factIds.push(id);
      }
    }
  }
  if (factIds.length === 0) return undefined;
  const evidence: RiskEvidence = {
    ...(radiationAlarms.length > 0 ? { radiationAlarms } : {}),
    ...(niiAnomalies.length > 0 ? { niiAnomalies } : {}),
    ...(undeclaredContainers.length > 0 ? { undeclaredContainers } : {}),
    ...(vesselDark.length > 0 ? { vesselDark } : {}),
    ...(gateWindow ? { gateWindow } : {}),
  };
  return { subjects: [...subjects], evidence, factIds };
}
