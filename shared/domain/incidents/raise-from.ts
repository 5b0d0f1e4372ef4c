import type { IncidentType } from '../../../events/v1/incidents';
import type { Alert } from '../model';
import { isBiosecurityHsCode } from './agency-plan';
import { JOINT_CONTROL, type RaiseRequest } from './incident';

/**
 * What raises an incident automatically (issue 4), pure: an alert on the stream, or a declaration assessed red
 * above the configured score. Everything else is raised by hand.
 */

/** Alert types that raise an incident, and the incident type each becomes. */
export const INCIDENT_TYPE_OF_ALERT: Readonly<Record<string, IncidentType>> = {
  'rpm.alarm': 'radiation-alarm',
  'nii.anomaly': 'xray-anomaly',
  'ais.dark': 'vessel-dark',
  'gate.container.invalid': 'gate-ocr-mismatch',
};

const SUMMARY: Readonly<Record<string, (a: Alert) => string>> = {
  'rpm.alarm': (a) =>
    `radiation alarm on ${a.subject.kind} ${a.subject.id} at ${String(a.evidence.laneId ?? a.deviceId)}`,
  'nii.anomaly': (a) => `X-ray anomaly on ${a.subject.kind} ${a.subject.id}`,
  'ais.dark': (a) => `vessel ${a.subject.id} stopped transmitting AIS near the port`,
  'gate.container.invalid': (a) => `gate OCR read ${a.subject.id} fails the ISO 6346 check digit`,
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The raise request of an alert, or undefined for an alert type that does not raise incidents. */
export function raiseRequestOfAlert(alert: Alert): RaiseRequest | undefined {
  const type = INCIDENT_TYPE_OF_ALERT[alert.type];
  if (type === undefined) return undefined;
  // An occupancy id (RPM without plate or container) is the best subject there is; equipment and devices are not
  // subjects of joint control.
  if (alert.subject.kind === 'equipment' || alert.subject.kind === 'device') return undefined;
  // A gate misread's subject is a number that is not a container: it names no declaration.
  const containers =
    type === 'gate-ocr-mismatch'
      ? []
      : [
          ...new Set([
            ...(alert.subject.kind === 'container' ? [alert.subject.id] : []),
            ...strings(alert.evidence.containers),
          ]),
        ];
  return {
    type,
    port: alert.port,
    subject: { kind: alert.subject.kind, id: alert.subject.id },
    summary: SUMMARY[alert.type]?.(alert) ?? alert.type,
    source: { kind: 'alert', id: alert.alertId },
    severity: alert.severity,
    evidence: { alertType: alert.type, deviceId: alert.deviceId, observedAt: alert.observedAt, ...alert.evidence },
    containers,
    raisedBy: JOINT_CONTROL,
    at: alert.observedAt,
  };
}

/** What the red-lane trigger needs of a declaration. */
export interface AssessedDeclaration {
  id: string;
  port: string;
  containers: readonly string[];
  items: readonly { hsCode: string }[];
  assessment: {
    lane: string;
    score: number;
    reasons: readonly { code: string; lane?: string; evidenceIds?: readonly string[] }[];
  };
  /** The decision-log position of the assessment: a re-assessment is another source. */
  logSeq: number;
}

/**
 * A declaration assessed red with a score at or above `minScore` raises an incident; one carrying animals, plants
 * or wood is a biosecurity case (quarantine first). Undefined otherwise, and undefined when device evidence sent it
 * to red: the alarm or anomaly behind that evidence raised its own incident on the same containers, which the
 * declaration's close feedback reaches (one case, not two).
 */
export function raiseRequestOfDeclaration(
  d: AssessedDeclaration,
  minScore: number,
  at: string,
): RaiseRequest | undefined {
  if (d.assessment.lane !== 'red' || d.assessment.score < minScore) return undefined;
  if (d.assessment.reasons.some((r) => r.lane === 'red' && (r.evidenceIds?.length ?? 0) > 0)) return undefined;
  const biosecurity = d.items.some((i) => isBiosecurityHsCode(i.hsCode));
  const codes = [...new Set(d.assessment.reasons.map((r) => r.code))];
  return {
    type: biosecurity ? 'biosecurity-risk' : 'red-lane-declaration',
    port: d.port,
    subject: { kind: 'declaration', id: d.id },
    summary: `declaration ${d.id} assessed red, score ${d.assessment.score}${codes.length ? ` (${codes.join(', ')})` : ''}`,
    source: { kind: 'declaration', id: `${d.id}.${d.logSeq}` },
    severity: biosecurity ? 'high' : 'medium',
    evidence: { score: d.assessment.score, reasons: codes, minScore },
    containers: d.containers,
    raisedBy: JOINT_CONTROL,
    at,
  };
}
