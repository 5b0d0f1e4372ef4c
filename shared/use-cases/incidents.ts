import { randomUUID } from 'node:crypto';
import type {
  Incident,
  IncidentRaiseInput,
  IncidentStatus,
  IncidentSummary,
  TaskCompletionInput,
} from '../../events/v1/incidents';
import type { Caller } from '../domain/caller';
import { KouanError } from '../domain/errors';
import { roleForAgency } from '../domain/incidents/agency-plan';
import {
  acknowledgeTask as acknowledge,
  type Change,
  completeTask as complete,
  dedupeKeyOf,
  findTask,
  incidentIdFor,
  newIncident,
  type RaiseRequest,
} from '../domain/incidents/incident';
import { ROLES, type Role } from '../domain/roles';
import { TaskCallbackGoneError } from '../domain/task-callback-errors';
import { StaleWriteError } from '../ports/declaration-store';
import type { IncidentStore } from '../ports/incident-store';
import type { AgencyNotifier, IncidentWorkflowStarter, TaskCallbacks } from '../ports/incident-workflow';
import type { PerformanceRecorder } from '../ports/performance-store';
import type { PageRequest, PageResult } from '../ports/port-reader';
import { NotFoundError } from './port-queries';

/**
 * Joint-control incidents (issue 4): raise (from an alert, a red-lane declaration or by hand), read, and the
 * agencies' acknowledgement and completion of their tasks. The workflow's own steps are in incident-steps.ts.
 *
 * - **One incident per subject and cause within a window:** the raise claims the dedupe key (a conditional put);
 *   a cause that finds it held is counted on the holding incident as a duplicate (once per source) and raises
 *   nothing. Incident ids derive from the source (an alert's id), so a retried stream record names the same one.
 * - **Writes:** the incident is one item written on its version (single-item conditional writes, no transactions);
 *   a lost race re-reads and re-applies the pure transition, which is a no-op when the step happened already.
 * - **Tokens** of the callback tasks are stored beside the incident, never in it, and no route returns them.
 */

/** What raising needs (the ingest function raises but never answers callback tasks). */
export interface IncidentRaiseDependencies {
  store: IncidentStore;
  workflow: IncidentWorkflowStarter;
  notifier: AgencyNotifier;
  /** The port this deployment serves: the default of the list and of a manual raise. */
  servedPort: string;
  /** How long one subject and cause raise no second incident. @default 60 */
  dedupeWindowMinutes?: number;
  /** Where the response-time facts go (raised, first acknowledgement: `incident.response.median_min`). */
  performance?: PerformanceRecorder;
  now?: () => Date;
  newId?: () => string;
}

/** What the incident routes need: raising, and answering the workflow's callback tasks. */
export interface IncidentDependencies extends IncidentRaiseDependencies {
  callbacks: TaskCallbacks;
}

export const DEFAULT_DEDUPE_WINDOW_MINUTES = 60;
const ATTEMPTS = 8;

/** The caller may not act on this task: it is another agency's (HTTP 403, like a route's role check). */
export class NotTaskAgencyError extends KouanError {
  constructor(taskId: string, role: string) {
    super('FORBIDDEN', `task ${taskId} is for ${role}; only that role may act on it`);
  }
}

const clock = (deps: Pick<IncidentRaiseDependencies, 'now'>) => (deps.now ?? (() => new Date()))();

/**
 * Applies a pure transition to the stored incident on its version, retrying on a lost race with fresh state.
 * Returns the incident as stored after it, and whether this call changed it.
 */
export async function mutateIncident(
  store: IncidentStore,
  incidentId: string,
  transition: (i: Incident) => Change,
): Promise<Change> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(incidentId);
    if (current === undefined) throw new NotFoundError('incident', incidentId);
    const { incident, changed } = transition(current);
    if (!changed) return { incident: current, changed: false };
    const next = { ...incident, version: current.version + 1 };
    try {
      await store.update(next, current.version);
      return { incident: next, changed: true };
    } catch (e) {
      if (!(e instanceof StaleWriteError) || attempt >= ATTEMPTS) throw e;
    }
  }
}

/**
 * Raises an incident, or finds the one that holds its subject and cause within the window. Starts the workflow
 * (idempotent per incident: the execution is named after it) in both cases, so a raise whose start failed is
 * completed by the next one. Notifies the agencies of a new incident.
 *
 * @throws whatever the store, the workflow or the notifier throw: the caller retries (the stream record, the
 *   client), and the retry completes what is missing.
 */
export async function raiseIncident(
  deps: IncidentRaiseDependencies,
  request: RaiseRequest,
): Promise<{ incident: Incident; raised: boolean }> {
  const now = clock(deps);
  const ownId = incidentIdFor(request.source);
  const key = dedupeKeyOf(request);
  const windowEndsAt = new Date(
    now.getTime() + (deps.dedupeWindowMinutes ?? DEFAULT_DEDUPE_WINDOW_MINUTES) * 60_000,
  ).toISOString();
  const claim = await deps.store.claimDedupe(key, ownId, now.toISOString(), windowEndsAt);
  // The key's holder is the incident of this cause; a holder not written yet (its raise is in flight, or died after
  // claiming) is written from this request, so the window never points at nothing and no second incident appears.
  const id = claim.claimed ? ownId : claim.incidentId;
  const holder = claim.claimed ? undefined : await deps.store.get(id);
  const created = holder === undefined && (await deps.store.create(newIncident(id, request)));
  if (!created) {
    const standing = holder ?? (await deps.store.get(id));
    if (standing === undefined) throw new NotFoundError('incident', id);
    const incident = await suppressDuplicate(deps, standing, request, now);
    // Started again in case the raise that created it failed before starting it (idempotent per incident).
    await deps.workflow.start({ incidentId: id });
    return { incident, raised: false };
  }
  const incident = newIncident(id, request);
  // The workflow, the response-time fact and one notification per agency, side by side: each is idempotent (the
  // execution is named after the incident, the fact and the notifications carry ids), so a retry completes the rest.
  await Promise.all([
    deps.workflow.start({ incidentId: id }),
    deps.performance?.record([
      {
        type: 'incident.raised',
        port: incident.port,
        incidentId: id,
        incidentType: incident.type,
        at: incident.raisedAt,
      },
    ]),
    ...incident.agencies.map((agency) =>
      deps.notifier.notify({
        type: 'incident.raised',
        incidentId: id,
        audience: roleForAgency(agency),
        at: now.toISOString(),
        detail: {
          notificationId: `${id}.raised.${agency}`,
          incidentType: incident.type,
          severity: incident.severity,
          subject: incident.subject,
          summary: incident.summary,
        },
      }),
    ),
  ]);
  return { incident, raised: true };
}

async function suppressDuplicate(
  deps: IncidentRaiseDependencies,
  holder: Incident,
  request: RaiseRequest,
  now: Date,
): Promise<Incident> {
  const sourceId = `${request.source.kind}:${request.source.id}`;
  if (holder.source.kind === request.source.kind && holder.source.id === request.source.id) return holder;
  if (!(await deps.store.markDuplicate(holder.incidentId, sourceId, now.toISOString()))) return holder;
  const { incident } = await mutateIncident(deps.store, holder.incidentId, (i) => ({
    incident: { ...i, duplicates: i.duplicates + 1 },
    changed: true,
  }));
  return incident;
}

/** The agency role a person acts in when raising by hand (the first agency role of their token). */
function actingRole(caller: Caller): Role {
  const order: readonly Role[] = [
    'customs-officer',
    'border',
    'maritime',
    'quarantine',
    'port-operator',
    'customs-risk',
  ];
  return order.find((r) => caller.roles.includes(r)) ?? caller.roles[0] ?? ROLES[0];
}

/** `POST /v1/incidents`: one-click dispatch by any agency. A duplicate within the window answers the standing one. */
export async function raiseIncidentByHand(
  deps: IncidentDependencies,
  caller: Caller,
  input: IncidentRaiseInput,
): Promise<Incident> {
  const at = clock(deps).toISOString();
  const { incident } = await raiseIncident(deps, {
    type: input.type,
    port: input.port ?? deps.servedPort,
    subject: input.subject,
    summary: input.summary,
    source: { kind: 'manual', id: (deps.newId ?? randomUUID)() },
    ...(input.severity ? { severity: input.severity } : {}),
    evidence: input.evidence ?? {},
    ...(input.containers ? { containers: input.containers } : {}),
    ...(input.agencies ? { agencies: input.agencies } : {}),
    raisedBy: actingRole(caller),
    at,
  });
  return incident;
}

/**
 * Who sees incidents: every agency and the port operator see every incident of the port. Joint control is shared
 * situational awareness (the guideline's "one map"), and the port operator acts on tasks; declarants and platform
 * admins are refused by the routes.
 */
export async function getIncident(deps: IncidentDependencies, id: string): Promise<Incident> {
  const incident = await deps.store.get(id);
  if (incident === undefined) throw new NotFoundError('incident', id);
  return incident;
}

export function incidentSummary(i: Incident): IncidentSummary {
  const { timeline: _t, evidence: _e, feedback: _f, ...summary } = i;
  return summary;
}

export async function listIncidents(
  deps: IncidentDependencies,
  query: PageRequest & { status?: IncidentStatus; port?: string },
): Promise<PageResult<IncidentSummary>> {
  const page: PageRequest = { limit: query.limit, ...(query.nextToken ? { nextToken: query.nextToken } : {}) };
  const res = await deps.store.listByPort(query.port ?? deps.servedPort, query.status, page);
  return { items: res.items.map(incidentSummary), ...(res.nextToken ? { nextToken: res.nextToken } : {}) };
}

/** The incident and task, if the caller acts for the task's agency: 404 for either missing, 403 for another agency. */
async function taskForCaller(deps: IncidentDependencies, caller: Caller, incidentId: string, taskId: string) {
  const incident = await getIncident(deps, incidentId);
  const task = findTask(incident, taskId);
  if (task === undefined) throw new NotFoundError('task', `${incidentId}/${taskId}`);
  if (!caller.roles.includes(task.role as Role)) throw new NotTaskAgencyError(taskId, task.role);
  return { incident, task };
}

/**
 * Sends the agency's answer to the workflow's waiting callback task with the token the store holds. A token the
 * workflow no longer accepts (the task timed out and was re-dispatched or went overdue, or it was answered
 * already) is not the agency's problem once the incident has recorded the answer: the close step reads the
 * record, which wins over the workflow's view.
 */
async function answerWorkflow(
  deps: IncidentDependencies,
  incidentId: string,
  taskId: string,
  send: (token: string) => Promise<void>,
): Promise<void> {
  const token = await deps.store.getTaskToken(incidentId, taskId);
  if (token === undefined) return;
  try {
    await send(token.taskToken);
  } catch (e) {
    if (!(e instanceof TaskCallbackGoneError)) throw e;
  }
}

/**
 * `POST …/tasks/{taskId}/ack`: the agency is on it. Recorded once (the first acknowledgement is the incident's
 * response time); every ack of an open task is a heartbeat to the workflow, so an agency working longer than the
 * heartbeat window acknowledges again to keep its task from escalating.
 */
export async function acknowledgeIncidentTask(
  deps: IncidentDependencies,
  caller: Caller,
  incidentId: string,
  taskId: string,
): Promise<Incident> {
  const { task } = await taskForCaller(deps, caller, incidentId, taskId);
  const at = clock(deps).toISOString();
  const { incident, changed } = await mutateIncident(deps.store, incidentId, (i) =>
    acknowledge(i, taskId, at, task.role),
  );
  const now = incident.tasks.find((t) => t.taskId === taskId);
  if (now?.status === 'acknowledged')
    await answerWorkflow(deps, incidentId, taskId, (t) => deps.callbacks.heartbeat(t));
  if (changed && incident.responseTimes.firstAckAt === at) {
    await deps.performance?.record([
      {
        type: 'incident.acknowledged',
        port: incident.port,
        incidentId,
        raisedAt: incident.raisedAt,
        agency: task.agency,
        at,
      },
    ]);
  }
  return incident;
}

/**
 * `POST …/tasks/{taskId}/complete`: recorded on the incident first (the commit point), then sent to the workflow.
 * The same completion again changes nothing and only re-sends the answer (harmless: a gone token is ignored), so
 * a client that lost the response can retry; another outcome for a completed task is a 409.
 */
export async function completeIncidentTask(
  deps: IncidentDependencies,
  caller: Caller,
  incidentId: string,
  taskId: string,
  input: TaskCompletionInput,
): Promise<Incident> {
  const { task } = await taskForCaller(deps, caller, incidentId, taskId);
  const at = clock(deps).toISOString();
  const completion = { outcome: input.outcome, ...(input.findings !== undefined ? { findings: input.findings } : {}) };
  const { incident } = await mutateIncident(deps.store, incidentId, (i) =>
    complete(i, taskId, completion, at, task.role),
  );
  await answerWorkflow(deps, incidentId, taskId, (t) => deps.callbacks.succeed(t, { taskId, ...completion }));
  return incident;
}
