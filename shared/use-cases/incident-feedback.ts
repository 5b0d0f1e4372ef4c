import type { DecisionActor, DecisionLogEntry } from '../../events/v1/declaration-audit';
import type { Incident, IncidentFeedback } from '../../events/v1/incidents';
import { customsEventsFor } from '../domain/clearance/customs-events';
import { appendEntry } from '../domain/clearance/decision-log';
import { containerSubject, mmsiSubject, type SubjectKey, truckSubject } from '../domain/clearance/declaration-subjects';
import { nextStatus } from '../domain/clearance/lifecycle';
import { declarationFeedback, isFind } from '../domain/incidents/feedback';
import { customsCleared, JOINT_CONTROL } from '../domain/incidents/incident';
import { clearanceFactsOf } from '../domain/performance/clearance-facts';
import type { CustomsEventStore } from '../ports/customs-event-store';
import { type DeclarationStore, StaleWriteError, type StoredDeclaration } from '../ports/declaration-store';
import type { PerformanceRecorder } from '../ports/performance-store';
import type { RuleHitStore } from '../ports/rule-hit-store';
import { rolledForward } from './declarations';

/**
 * The closed loop of a closed incident (issue 4): holds or releases on the related declarations, through their
 * hash-chained decision logs as the system actor `joint-control`, and the hit-rate feedback for the rules that
 * selected them. What to do is decided by `declarationFeedback` (pure, shared/domain/incidents/feedback.ts).
 *
 * Idempotent: an entry whose `details.incidentId` is this incident marks the declaration done (a retried close
 * step appends nothing; it only finishes a state write a crash cut off). Writes follow the declaration use cases:
 * the log entry first (the commit point, a conditional put on its position), then the state on its version, then
 * the customs events (HOLD, RELS, CUSR), whose ids derive from the entry.
 */

export interface IncidentFeedbackDependencies {
  declarations: DeclarationStore;
  /** Where the DCSA customs events of the holds and releases go (`GET /v1/events`). */
  events?: CustomsEventStore;
  /** The risk rules' hit-rate counters. */
  hits?: RuleHitStore;
  /** Where the time-release facts of a release or hold go (docs/performance.md). */
  performance?: PerformanceRecorder;
  now?: () => Date;
}

export const JOINT_CONTROL_ACTOR: DecisionActor = { sub: JOINT_CONTROL, role: 'system' };

const ATTEMPTS = 4;

/** The subject index keys of an incident: its containers, and its truck or vessel subject. */
function subjectKeysOf(incident: Incident): SubjectKey[] {
  const keys = incident.containers.map(containerSubject);
  const { kind, id } = incident.subject;
  if (kind === 'truck') keys.push(truckSubject(id));
  if (kind === 'vessel' && /^\d{9}$/.test(id)) keys.push(mmsiSubject(Number(id)));
  return keys;
}

/**
 * The declarations an incident is about: its subject when that is one, and every declaration naming its containers,
 * its truck or its vessel (the declarations' subject index).
 */
export async function relatedDeclarationIds(store: DeclarationStore, incident: Incident): Promise<string[]> {
  const ids = new Set<string>();
  if (incident.subject.kind === 'declaration') ids.add(incident.subject.id);
  for (const key of subjectKeysOf(incident)) for (const id of await store.declarationIdsBySubject(key)) ids.add(id);
  return [...ids].sort();
}

function heldByJointControl(log: readonly DecisionLogEntry[]): boolean {
  const hold = [...log].reverse().find((e) => e.toStatus === 'held' && e.fromStatus !== 'held');
  return hold?.actor.sub === JOINT_CONTROL;
}

type DeclarationResult = IncidentFeedback['declarations'][number];

async function feedbackOne(
  deps: IncidentFeedbackDependencies,
  incident: Incident,
  id: string,
): Promise<{ result: DeclarationResult; declaration?: StoredDeclaration }> {
  const outcome = incident.outcome ?? 'referred';
  const [stored, log] = await Promise.all([deps.declarations.get(id), deps.declarations.readLog(id)]);
  if (stored === undefined) return { result: { declarationId: id, action: 'none', result: 'missing' } };
  const latest = log.at(-1);
  const current = rolledForward(stored, latest);

  const done = log.find((e) => e.details?.incidentId === incident.incidentId);
  if (done) {
    // Applied before; finish the state write if a crash cut it off.
    if (current !== stored) {
      await deps.declarations.update({ ...current, version: stored.version + 1 }, stored.version);
    }
    const action = done.action === 'hold' || done.action === 'release' ? done.action : 'none';
    return { result: { declarationId: id, action, result: 'applied' }, declaration: current };
  }

  const fb = declarationFeedback(
    outcome,
    { status: current.status, heldByJointControl: heldByJointControl(log) },
    customsCleared(incident),
  );
  if (fb.action === 'none')
    return { result: { declarationId: id, action: 'none', result: fb.result }, declaration: current };

  const at = (deps.now ?? (() => new Date()))().toISOString();
  const toStatus = nextStatus(current.status, fb.action);
  const entry = appendEntry(latest, {
    declarationId: id,
    at,
    actor: JOINT_CONTROL_ACTOR,
    action: fb.action,
    fromStatus: current.status,
    toStatus,
    lane: current.assessment.lane,
    reason: `joint control: incident ${incident.incidentId} (${incident.type}) closed ${outcome}`,
    details: { incidentId: incident.incidentId, incidentType: incident.type, outcome },
  });
  await deps.declarations.appendLogEntry(entry);
  const next: StoredDeclaration = {
    ...current,
    status: toStatus,
    ...(toStatus === 'released' && current.releasedAt === undefined ? { releasedAt: at } : {}),
    version: stored.version + 1,
    logHead: { seq: entry.seq, hash: entry.hash },
    updatedAt: at,
  };
  await deps.declarations.update(next, stored.version);
  await deps.events?.append(customsEventsFor(entry, next, at));
  await deps.performance?.record(clearanceFactsOf(next, [...log, entry], [entry]));
  return { result: { declarationId: id, action: fb.action, result: 'applied' }, declaration: next };
}

/**
 * Applies the outcome of a closed incident to its related declarations; returns what happened to each (recorded on
 * the incident). A lost race with an officer's decision is retried on fresh state.
 *
 * @throws whatever the stores throw (after {@link ATTEMPTS} lost races, the StaleWriteError): the close step fails
 *   and the workflow retries it.
 */
export async function applyDeclarationFeedback(
  deps: IncidentFeedbackDependencies,
  incident: Incident,
): Promise<{ results: DeclarationResult[]; declarations: StoredDeclaration[] }> {
  const results: DeclarationResult[] = [];
  const declarations: StoredDeclaration[] = [];
  for (const id of await relatedDeclarationIds(deps.declarations, incident)) {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await feedbackOne(deps, incident, id);
        results.push(r.result);
        if (r.declaration) declarations.push(r.declaration);
        break;
      } catch (e) {
        if (!(e instanceof StaleWriteError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }
  return { results, declarations };
}

/**
 * Counts the incident as one inspection of each related declaration for the hit rates of the rules among its
 * reasons: a find unless the outcome is `cleared`. The caller marks the incident first (`feedback.hitsCounted`),
 * so a crash in between under-counts, never double-counts (as inspection results do).
 */
export async function countRuleHits(
  deps: IncidentFeedbackDependencies,
  incident: Incident,
  declarations: readonly StoredDeclaration[],
): Promise<void> {
  if (!deps.hits || incident.outcome === undefined) return;
  for (const d of declarations) {
    const ruleIds = [...new Set(d.assessment.reasons.map((r) => r.ruleId))];
    if (ruleIds.length === 0) continue;
    await deps.hits.count({ ruleIds, selectedBy: d.assessment.selectedBy ?? 'none', found: isFind(incident.outcome) });
  }
}
