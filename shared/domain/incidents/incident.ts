import { createHash } from 'node:crypto';
import type {
  Agency,
  Incident,
  IncidentOutcome,
  IncidentSeverity,
  IncidentSubject,
  IncidentTask,
  IncidentType,
  TaskOutcome,
} from '../../../events/v1/incidents';
import { ConflictError } from '../errors';
import { AGENCY_PLANS, agenciesFor, DEFAULT_TASK_DUE_SECONDS, roleForAgency } from './agency-plan';

/**
 * The incident's life, pure (issue 4): raise → plan tasks → dispatch, acknowledge, complete | escalate → overdue |
 * fail → close with a consolidated outcome. Every function takes the incident and returns the next one plus
 * whether anything changed, so that the use cases write only real changes and a repeated step (a Step Functions
 * retry, a client's repeated completion) is a no-op. A transition the state does not allow is a
 * `IncidentTransitionError` (409) with a stable code.
 */

/** The actor of the platform's own steps in timelines and decision logs. */
export const JOINT_CONTROL = 'joint-control';

export class IncidentTransitionError extends ConflictError {}

export interface RaiseRequest {
  type: IncidentType;
  port: string;
  subject: IncidentSubject;
  summary: string;
  source: Incident['source'];
  severity?: IncidentSeverity;
  evidence?: Record<string, unknown>;
  containers?: readonly string[];
  /** Besides the type's plan (a manual raise naming agencies replaces its plan). */
  agencies?: readonly Agency[];
  /** The role that raised it by hand, or `joint-control`. */
  raisedBy: string;
  at: string;
}

export interface Change {
  incident: Incident;
  changed: boolean;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Derived from what raised it, so that raising from the same alert (a stream retry) names the same incident. */
export function incidentIdFor(source: Incident['source']): string {
  return `INC-${digest(`${source.kind}:${source.id}`).slice(0, 24)}`;
}

/** "One incident per subject and cause": the key the dedupe window is kept under. */
export function dedupeKeyOf(i: Pick<Incident, 'port' | 'subject' | 'type'>): string {
  return `${i.port}#${i.type}#${i.subject.kind}#${i.subject.id}`;
}

export function newIncident(id: string, r: RaiseRequest): Incident {
  return {
    incidentId: id,
    port: r.port,
    type: r.type,
    severity: r.severity ?? AGENCY_PLANS[r.type].severity,
    status: 'open',
    subject: r.subject,
    summary: r.summary,
    source: r.source,
    evidence: r.evidence ?? {},
    containers: [...new Set(r.containers ?? (r.subject.kind === 'container' ? [r.subject.id] : []))],
    agencies: agenciesFor(r.type, r.agencies),
    raisedAt: r.at,
    raisedBy: r.raisedBy,
    duplicates: 0,
    tasks: [],
    timeline: [{ at: r.at, what: `raised: ${r.summary}`, by: r.raisedBy }],
    responseTimes: {},
    version: 1,
  };
}

const addSeconds = (at: string, s: number) => new Date(Date.parse(at) + s * 1000).toISOString();
const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 600) / 100;

/** Seconds an agency has for a task of an incident of this severity. */
export type DueSeconds = (severity: IncidentSeverity) => number;
export const defaultDueSeconds: DueSeconds = () => DEFAULT_TASK_DUE_SECONDS;

/** One pending task per agency (the task id is the agency's name); planning twice changes nothing. */
export function planTasks(incident: Incident, at: string, due: DueSeconds = defaultDueSeconds): Change {
  if (incident.tasks.length > 0) return { incident, changed: false };
  const tasks: IncidentTask[] = incident.agencies.map((agency) => ({
    taskId: agency,
    agency,
    role: roleForAgency(agency),
    status: 'pending',
    dueAt: addSeconds(at, due(incident.severity)),
    escalated: false,
    attempt: 0,
  }));
  return {
    incident: {
      ...incident,
      tasks,
      timeline: [...incident.timeline, { at, what: `planned: ${incident.agencies.join(', ')}`, by: JOINT_CONTROL }],
    },
    changed: true,
  };
}

export function findTask(incident: Incident, taskId: string): IncidentTask | undefined {
  return incident.tasks.find((t) => t.taskId === taskId);
}

/** Statuses a task does not leave. */
export const FINAL_TASK_STATUSES: readonly IncidentTask['status'][] = ['completed', 'overdue', 'failed'];
const isFinal = (t: IncidentTask) => FINAL_TASK_STATUSES.includes(t.status);

function withTask(
  incident: Incident,
  task: IncidentTask,
  next: Partial<IncidentTask>,
  entry: { at: string; what: string; by: string },
): Incident {
  return {
    ...incident,
    tasks: incident.tasks.map((t) => (t.taskId === task.taskId ? { ...t, ...next } : t)),
    timeline: [...incident.timeline, entry],
  };
}

function taskOf(incident: Incident, taskId: string): IncidentTask {
  const t = findTask(incident, taskId);
  if (!t) throw new IncidentTransitionError('TASK_NOT_FOUND', `incident ${incident.incidentId} has no task ${taskId}`);
  return t;
}

/**
 * The workflow dispatched a task (attempt 1, or 2 after an escalation): due again from now. A dispatch of an
 * attempt already recorded, of a final task or on a closed incident changes nothing.
 */
export function dispatchTask(
  incident: Incident,
  taskId: string,
  attempt: number,
  at: string,
  due: DueSeconds = defaultDueSeconds,
): Change {
  const t = taskOf(incident, taskId);
  if (incident.status === 'closed' || isFinal(t) || t.attempt >= attempt) return { incident, changed: false };
  const next = withTask(
    incident,
    t,
    {
      status: t.status === 'acknowledged' ? 'acknowledged' : 'dispatched',
      attempt,
      dispatchedAt: at,
      dueAt: addSeconds(at, due(incident.severity)),
    },
    { at, what: `${t.agency}: task dispatched${attempt > 1 ? ` again (attempt ${attempt})` : ''}`, by: JOINT_CONTROL },
  );
  return { incident: next, changed: true };
}

/** The agency is on it. The first acknowledgement of the incident sets its response time. */
export function acknowledgeTask(incident: Incident, taskId: string, at: string, by: string): Change {
  const t = taskOf(incident, taskId);
  if (t.status === 'acknowledged' || t.status === 'completed') return { incident, changed: false };
  refuseUnlessActive(incident, t);
  const next = withTask(
    incident,
    t,
    { status: 'acknowledged', acknowledgedAt: at },
    {
      at,
      what: `${t.agency}: task acknowledged`,
      by,
    },
  );
  return { incident: withFirstResponse(next, at), changed: true };
}

/**
 * The agency completed its task. A repeated completion with the same outcome and findings changes nothing; with
 * another, it is refused (`TASK_ALREADY_COMPLETED`): the first completion stands.
 */
export function completeTask(
  incident: Incident,
  taskId: string,
  completion: { outcome: TaskOutcome; findings?: string },
  at: string,
  by: string,
): Change {
  const t = taskOf(incident, taskId);
  if (t.status === 'completed') {
    if (t.outcome === completion.outcome && t.findings === completion.findings) return { incident, changed: false };
    throw new IncidentTransitionError(
      'TASK_ALREADY_COMPLETED',
      `task ${taskId} was completed with ${t.outcome} already; the first completion stands`,
    );
  }
  refuseUnlessActive(incident, t);
  const next = withTask(
    incident,
    t,
    {
      status: 'completed',
      completedAt: at,
      outcome: completion.outcome,
      ...(completion.findings !== undefined ? { findings: completion.findings } : {}),
    },
    { at, what: `${t.agency}: task completed, ${completion.outcome}`, by },
  );
  return { incident: withFirstResponse(next, at), changed: true };
}

function refuseUnlessActive(incident: Incident, t: IncidentTask): void {
  if (incident.status === 'closed' || isFinal(t)) {
    throw new IncidentTransitionError(
      'TASK_CLOSED',
      `task ${t.taskId} is ${t.status}${incident.status === 'closed' ? ' and the incident is closed' : ''}`,
    );
  }
  if (t.status === 'pending') {
    throw new IncidentTransitionError('TASK_NOT_DISPATCHED', `task ${t.taskId} has not been dispatched yet`);
  }
}

function withFirstResponse(incident: Incident, at: string): Incident {
  if (incident.responseTimes.firstAckAt !== undefined) return incident;
  return {
    ...incident,
    responseTimes: {
      ...incident.responseTimes,
      firstAckAt: at,
      firstAckMinutes: minutesBetween(incident.raisedAt, at),
    },
  };
}

/** The task timed out once: the supervisors are told and it is dispatched once more. */
export function escalateTask(incident: Incident, taskId: string, at: string): Change {
  const t = taskOf(incident, taskId);
  if (t.escalated || isFinal(t) || incident.status === 'closed') return { incident, changed: false };
  const next = withTask(
    incident,
    t,
    { escalated: true },
    {
      at,
      what: `${t.agency}: no answer in time, escalated to the supervisor`,
      by: JOINT_CONTROL,
    },
  );
  return { incident: next, changed: true };
}

/** The task timed out again: the incident goes on without it. A completed task stays completed. */
export function markTaskOverdue(incident: Incident, taskId: string, at: string): Change {
  const t = taskOf(incident, taskId);
  if (isFinal(t) || incident.status === 'closed') return { incident, changed: false };
  const next = withTask(
    incident,
    t,
    { status: 'overdue' },
    {
      at,
      what: `${t.agency}: task overdue after escalation`,
      by: JOINT_CONTROL,
    },
  );
  return { incident: next, changed: true };
}

export function failTask(incident: Incident, taskId: string, error: string, at: string): Change {
  const t = taskOf(incident, taskId);
  if (isFinal(t) || incident.status === 'closed') return { incident, changed: false };
  const next = withTask(
    incident,
    t,
    { status: 'failed', error: error.slice(0, 500) },
    {
      at,
      what: `${t.agency}: task failed (${error.slice(0, 120)})`,
      by: JOINT_CONTROL,
    },
  );
  return { incident: next, changed: true };
}

const SEVERITY_OF_OUTCOME: Readonly<Record<IncidentOutcome, number>> = { cleared: 0, referred: 1, seized: 2 };

/** How a task outcome weighs in the consolidation. */
export function outcomeOfTask(o: TaskOutcome): IncidentOutcome {
  if (o === 'seized') return 'seized';
  if (o === 'referred' || o === 'finding') return 'referred';
  return 'cleared';
}

/**
 * The incident's outcome from its tasks: the strictest completed outcome (seized > referred, a finding without a
 * verdict counts as referred > cleared, no-finding counts as cleared); with no completed task at all, `referred`
 * (nobody answered: it goes to follow-up, never silently cleared). Overdue and failed tasks do not block a
 * clearance that another agency gave; they are on the timeline.
 */
export function consolidate(tasks: readonly IncidentTask[]): IncidentOutcome {
  const outcomes = tasks.flatMap((t) => (t.status === 'completed' && t.outcome ? [outcomeOfTask(t.outcome)] : []));
  if (outcomes.length === 0) return 'referred';
  return outcomes.reduce((a, b) => (SEVERITY_OF_OUTCOME[b] > SEVERITY_OF_OUTCOME[a] ? b : a));
}

/** How one task ended, as the workflow reports it to the close step. */
export interface Ending {
  taskId: string;
  ended: 'completed' | 'overdue' | 'failed';
  completion?: { outcome: TaskOutcome; findings?: string };
  error?: string;
}

/**
 * Closes the incident: the workflow's endings fill in what the record lacks (a completion the API recorded wins
 * over the workflow's view of it), the outcome is consolidated, and the time to close is recorded. Closing a
 * closed incident changes nothing.
 */
export function closeIncident(incident: Incident, endings: readonly Ending[], at: string): Change {
  if (incident.status === 'closed') return { incident, changed: false };
  let next = incident;
  for (const e of endings) {
    const t = findTask(next, e.taskId);
    if (!t || isFinal(t)) continue;
    if (e.ended === 'completed' && e.completion) {
      const { outcome, findings } = e.completion;
      next = withTask(
        next,
        t,
        { status: 'completed', completedAt: at, outcome, ...(findings !== undefined ? { findings } : {}) },
        { at, what: `${t.agency}: task completed, ${outcome} (reported by the workflow)`, by: JOINT_CONTROL },
      );
    } else if (e.ended === 'failed') next = failTask(next, t.taskId, e.error ?? 'failed', at).incident;
    else next = markTaskOverdue(next, t.taskId, at).incident;
  }
  const outcome = consolidate(next.tasks);
  return {
    incident: {
      ...next,
      status: 'closed',
      outcome,
      closedAt: at,
      responseTimes: { ...next.responseTimes, closedMinutes: minutesBetween(next.raisedAt, at) },
      timeline: [...next.timeline, { at, what: `closed: ${outcome}`, by: JOINT_CONTROL }],
    },
    changed: true,
  };
}

/** Whether the customs task ended with customs clearing the goods (the condition of a release on close). */
export function customsCleared(incident: Incident): boolean {
  const t = incident.tasks.find((x) => x.agency === 'customs');
  return t?.status === 'completed' && (t.outcome === 'cleared' || t.outcome === 'no-finding');
}
