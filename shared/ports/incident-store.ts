import type { Incident, IncidentStatus } from '../../events/v1/incidents';
import type { PageRequest, PageResult } from './port-reader';

/**
 * Where incidents live (issue 4). Single-item conditional writes only (DESIGN.md): the incident is one item written
 * on its `version`; the dedupe window, the suppressed duplicates and each task's callback token are items of their
 * own. The token item is never part of an incident read: nothing that returns an incident can leak it.
 */
export interface IncidentStore {
  /**
   * Claims "one incident per subject and cause" for `incidentId` until `windowEndsAt`. Succeeds when the key is free,
   * its window has ended (`now` is past it), or it is this incident's already (a retry). Otherwise returns the
   * incident that holds it.
   */
  claimDedupe(
    key: string,
    incidentId: string,
    now: string,
    windowEndsAt: string,
  ): Promise<{ claimed: true } | { claimed: false; incidentId: string }>;
  /** Writes a new incident; false when one with that id exists (a retry). */
  create(incident: Incident): Promise<boolean>;
  get(incidentId: string): Promise<Incident | undefined>;
  /** Replaces the incident if it is still at `expectedVersion`. @throws StaleWriteError otherwise. */
  update(incident: Incident, expectedVersion: number): Promise<void>;
  /** Records that `sourceId` was suppressed into the incident; false when it was recorded before (a retry). */
  markDuplicate(incidentId: string, sourceId: string, at: string): Promise<boolean>;
  /** Keeps the callback token of a task's dispatch; an older attempt never replaces a newer one. */
  putTaskToken(incidentId: string, taskId: string, taskToken: string, attempt: number): Promise<void>;
  getTaskToken(incidentId: string, taskId: string): Promise<{ taskToken: string; attempt: number } | undefined>;
  /** A port's incidents newest first, optionally only open or closed ones (a key condition, so pages are full). */
  listByPort(port: string, status: IncidentStatus | undefined, page: PageRequest): Promise<PageResult<Incident>>;
  /**
   * What the port's open incidents are about (their containers and subject), newest first, at most `max`: the gate's
   * check on every exit, so it reads these three attributes only, not whole incidents.
   */
  openSubjects(port: string, max: number): Promise<OpenIncidentSubject[]>;
}

export type OpenIncidentSubject = Pick<Incident, 'incidentId' | 'containers' | 'subject'>;
