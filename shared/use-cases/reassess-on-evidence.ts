import type { DeclarationStatus } from '../../events/v1/declaration';
import type { DecisionActor } from '../../events/v1/declaration-audit';
import { customsEventsFor } from '../domain/clearance/customs-events';
import { appendEntry } from '../domain/clearance/decision-log';
import { OPEN_STATUSES, statusForLane } from '../domain/clearance/lifecycle';
import type { DeviceEvidence } from '../domain/ingest/device-evidence';
import { type Assessment, assess, type RiskProfile, reassess, type SelectivitySettings } from '../domain/risk';
import type { CustomsEventStore } from '../ports/customs-event-store';
import { type DeclarationStore, StaleWriteError } from '../ports/declaration-store';
import type { EvidenceSink } from '../ports/evidence-sink';
import { rolledForward } from './declarations';

/**
 * Evidence → re-assessment (issue 3): device evidence from the stream (a radiation alarm, an X-ray anomaly, a gate
 * read of a container on a truck) re-assesses every open declaration that names one of its containers. The engine
 * runs again with the evidence (`assess`) and `reassess` folds the result into the standing assessment, so the lane
 * only ever gets stricter automatically; only an officer relaxes it.
 *
 * Idempotent: a fact id already in the assessment's evidence ids is no new information, so a re-delivered message
 * appends nothing. Writes follow the declaration use cases: the log entry first (the commit point, a conditional
 * put on its position), then the state on its version; a crash in between is rolled forward from the entry's
 * `details.assessment` on the next attempt. Every failure propagates (the stream record is retried).
 */

export interface ReassessDependencies {
  store: DeclarationStore;
  profile: () => Promise<RiskProfile>;
  settings: SelectivitySettings;
  /** Where the DCSA-style customs events of a re-assessment go (CUSI when it sends a declaration to inspection). */
  events?: CustomsEventStore;
  now?: () => Date;
}

/** The actor of automatic re-assessment in the decision log. */
export const INGEST_ACTOR: DecisionActor = { sub: 'kouan-ingest', role: 'system' };

export type ReassessOutcome = 'reassessed' | 'unchanged' | 'closed' | 'missing';

const ATTEMPTS = 4;

function evidenceIdsOf(a: Assessment): Set<string> {
  return new Set(a.reasons.flatMap((r) => r.evidenceIds ?? []));
}

/** Where a stricter lane sends an open declaration: a held one stays held (an officer holds it already). */
function statusAfter(current: DeclarationStatus, laneChanged: boolean, next: Assessment): DeclarationStatus {
  if (!laneChanged || current === 'held') return current;
  return statusForLane(next.lane);
}

async function reassessOne(deps: ReassessDependencies, id: string, input: DeviceEvidence): Promise<ReassessOutcome> {
  const now = deps.now ?? (() => new Date());
  const [stored, latest] = await Promise.all([deps.store.get(id), deps.store.latestLogEntry(id)]);
  if (stored === undefined) return 'missing';
  const current = rolledForward(stored, latest);
  if (!OPEN_STATUSES.includes(current.status)) return 'closed';

  const known = evidenceIdsOf(current.assessment);
  const fresh = assess(current, input.evidence, await deps.profile(), deps.settings, { now });
  const next = reassess(current.assessment, fresh);
  const added = [...evidenceIdsOf(next)].filter((x) => !known.has(x));
  if (added.length === 0) {
    // Nothing new (already counted, or about another truck): only finish a committed entry's lost state write.
    if (current !== stored) await deps.store.update({ ...current, version: stored.version + 1 }, stored.version);
    return 'unchanged';
  }

  const laneChanged = next.lane !== current.assessment.lane;
  const toStatus = statusAfter(current.status, laneChanged, next);
  const codes = [
    ...new Set(next.reasons.filter((r) => r.evidenceIds?.some((e) => added.includes(e))).map((r) => r.code)),
  ];
  const at = next.assessedAt;
  const entry = appendEntry(latest, {
    declarationId: id,
    at,
    actor: INGEST_ACTOR,
    action: 'reassess',
    fromStatus: current.status,
    toStatus,
    lane: next.lane,
    reason: `device evidence: ${codes.join(', ')}`,
    details: {
      evidenceIds: added,
      fromLane: current.assessment.lane,
      toLane: next.lane,
      score: next.score,
      assessment: JSON.parse(JSON.stringify(next)),
    },
  });
  await deps.store.appendLogEntry(entry);
  await deps.store.update(
    {
      ...current,
      status: toStatus,
      assessment: next,
      version: stored.version + 1,
      logHead: { seq: entry.seq, hash: entry.hash },
      updatedAt: at,
    },
    stored.version,
  );
  // After the state, as the officers' decisions do: ids derive from the entry, so a retry writes nothing twice.
  if (deps.events) await deps.events.append(customsEventsFor(entry, current, now().toISOString()));
  return 'reassessed';
}

/**
 * Re-assesses the open declarations that name the evidence's containers; returns what happened to each.
 * A lost race with an officer's decision or another re-assessment is retried on fresh state.
 *
 * @throws whatever the store throws (after {@link ATTEMPTS} lost races, the StaleWriteError).
 */
export async function reassessOnEvidence(
  deps: ReassessDependencies,
  evidence: DeviceEvidence,
): Promise<Map<string, ReassessOutcome>> {
  const ids = new Set<string>();
  for (const s of evidence.subjects) for (const id of await deps.store.declarationIdsBySubject(s)) ids.add(id);
  const out = new Map<string, ReassessOutcome>();
  for (const id of ids) {
    for (let attempt = 1; ; attempt++) {
      try {
        out.set(id, await reassessOne(deps, id, evidence));
        break;
      } catch (e) {
        if (!(e instanceof StaleWriteError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }
  return out;
}

/** The use case as the ingest pipeline's evidence port. */
export function reassessingEvidenceSink(deps: ReassessDependencies): EvidenceSink {
  return {
    evidence: async (e) => {
      await reassessOnEvidence(deps, e);
    },
  };
}
