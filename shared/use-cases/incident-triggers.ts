import { raiseRequestOfAlert, raiseRequestOfDeclaration } from '../domain/incidents/raise-from';
import type { Alert } from '../domain/model';
import type { AlertSink } from '../ports/alert-sink';
import type { StoredDeclaration } from '../ports/declaration-store';
import type { EvidenceSink } from '../ports/evidence-sink';
import { type IncidentRaiseDependencies, raiseIncident } from './incidents';
import { type ReassessDependencies, reassessOnEvidence } from './reassess-on-evidence';

/**
 * What raises incidents automatically (issue 4): alerts on the stream (radiation alarm, X-ray anomaly, a vessel
 * dark near the port, a gate OCR read that fails its check digit) and a declaration assessed red at or above a
 * configured score (`KOUAN_INCIDENT_MIN_SCORE`). Both are idempotent: the incident id derives from the alert id or
 * from the declaration and the log position of its assessment, and the dedupe window suppresses the same cause on
 * the same subject. Failures propagate (a stream record is retried; a lodgement answers 500).
 */

/** The ingest pipeline's `alerts` hook: raises an incident for every alert type that calls for one. */
export function incidentRaisingAlertSink(deps: IncidentRaiseDependencies): AlertSink {
  return {
    alert: async (alert: Alert) => {
      const request = raiseRequestOfAlert(alert);
      if (request) await raiseIncident(deps, request);
    },
  };
}

/** Called after a declaration is assessed (lodged or re-assessed): a red lane at or above `minScore` raises one. */
export type DeclarationAssessedHook = (declaration: StoredDeclaration) => Promise<void>;

export function redLaneIncidentHook(deps: IncidentRaiseDependencies, minScore: number): DeclarationAssessedHook {
  return async (d) => {
    const request = raiseRequestOfDeclaration(
      {
        id: d.id,
        port: d.port,
        containers: d.containers,
        items: d.items,
        assessment: d.assessment,
        logSeq: d.logHead.seq,
      },
      minScore,
      (deps.now ?? (() => new Date()))().toISOString(),
    );
    if (request) await raiseIncident(deps, request);
  };
}

/**
 * The evidence re-assessment (reassess-on-evidence.ts) followed by the red-lane trigger for every open declaration
 * it looked at: a declaration the evidence sent to red raises its incident here. Declarations left unchanged are
 * checked too, so that a stream retry after a failed raise still raises it (the raise is idempotent).
 */
export function redLaneRaisingEvidenceSink(
  reassess: ReassessDependencies,
  hook: DeclarationAssessedHook,
): EvidenceSink {
  return {
    evidence: async (e) => {
      const outcomes = await reassessOnEvidence(reassess, e);
      for (const [id, outcome] of outcomes) {
        if (outcome !== 'reassessed' && outcome !== 'unchanged') continue;
        const d = await reassess.store.get(id);
        if (d?.assessment.lane === 'red') await hook(d);
      }
    },
  };
}
