import type { NiiAnomalyFact, RadiationAlarmFact, RiskEvidence, UndeclaredContainerFact } from '../risk';
import type { MessageSource, Projection } from './ingest-plan';

/**
 * Device evidence about cargo in one accepted message: what the risk engine may count against the declarations
 * that name these containers. Pure. Fact ids are derived from the message (alert ids, or the device and messageId),
 * so the same message re-delivered yields the same ids and re-assessment recognises it.
 */
export interface DeviceEvidence {
  /** The containers the facts are about: the declarations naming any of them are re-assessed. */
  containers: string[];
  evidence: RiskEvidence;
  /** Every fact id in `evidence`. */
  factIds: string[];
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The evidence of a message's projections: radiation alarms (`rpm.alarm`) and X-ray anomalies (`nii.anomaly`) on
 * containers or a truck, and every container a gate read on a truck (the engine counts it as undeclared only for a
 * declaration whose truck that is and which does not name the container). Undefined when there is none.
 */
export function deviceEvidenceOf(
  source: MessageSource,
  messageId: string,
  projections: readonly Projection[],
): DeviceEvidence | undefined {
  const containers: string[] = [];
  const evidence: {
    radiationAlarms: RadiationAlarmFact[];
    niiAnomalies: NiiAnomalyFact[];
    undeclaredContainers: UndeclaredContainerFact[];
  } = { radiationAlarms: [], niiAnomalies: [], undeclaredContainers: [] };
  const factIds: string[] = [];
  for (const p of projections) {
    if (p.type === 'alert' && (p.alert.type === 'rpm.alarm' || p.alert.type === 'nii.anomaly')) {
      const a = p.alert;
      const on = uniq([...(a.subject.kind === 'container' ? [a.subject.id] : []), ...stringsOf(a.evidence.containers)]);
      const plate = typeof a.evidence.plate === 'string' ? a.evidence.plate : undefined;
      const fact = { id: a.alertId, at: a.observedAt, containers: on, ...(plate ? { plate } : {}) };
      if (a.type === 'rpm.alarm') evidence.radiationAlarms.push(fact);
      else {
        const codes = Array.isArray(a.evidence.anomalies)
          ? a.evidence.anomalies.flatMap((x: unknown) =>
              typeof x === 'object' && x !== null && typeof (x as { code?: unknown }).code === 'string'
                ? [(x as { code: string }).code]
                : [],
            )
          : [];
        evidence.niiAnomalies.push({ ...fact, codes });
      }
      containers.push(...on);
      factIds.push(a.alertId);
    }
    if (p.type === 'gate.transaction') {
      for (const c of p.containers) {
        if (!c.checkDigitValid) continue;
        const id = `GATE-${source.deviceId}-${messageId}-${c.number}`;
        evidence.undeclaredContainers.push({ id, at: p.observedAt, container: c.number, plate: p.plate });
        containers.push(c.number);
        factIds.push(id);
      }
    }
  }
  if (factIds.length === 0) return undefined;
  return { containers: uniq(containers), evidence, factIds };
}
