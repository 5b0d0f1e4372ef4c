import type { Incident, IncidentTask } from '../../events/v1/incidents';
import { roleForAgency, supervisorAudience } from '../domain/incidents/agency-plan';
import {
  closeIncident,
  type DueSeconds,
  defaultDueSeconds,
  dispatchTask,
  escalateTask,
  failTask,
  findTask,
  markTaskOverdue,
  planTasks,
} from '../domain/incidents/incident';
import { TaskCallbackGoneError } from '../domain/task-callback-errors';
import type {
  AgencyNotification,
  IncidentStepRequest,
  IncidentStepResult,
  IncidentSteps,
  PlannedTask,
  TaskCallbacks,
} from '../ports/incident-workflow';
import { applyDeclarationFeedback, countRuleHits, type IncidentFeedbackDependencies } from './incident-feedback';
import { type IncidentRaiseDependencies, mutateIncident } from './incidents';

/**
 * The joint-control workflow's steps (the seam in shared/ports/incident-workflow.ts): what each Lambda task of the
 * state machine does to the port's database. Every step is idempotent (Step Functions retries a failed task): the
 * pure transitions of shared/domain/incidents/incident.ts change nothing when the step happened already, and a
 * notification goes out only with the change that causes it (at least once: a crash between the write and the
 * notification loses it, a retry of the step before the write sends it again; subscribers dedupe on
 * `detail.notificationId`).
 */

export interface IncidentStepDependencies
  extends Pick<IncidentRaiseDependencies, 'store' | 'notifier' | 'now'>,
    IncidentFeedbackDependencies {
  /** Seconds an agency has per task, by severity (for `dueAt`; the state machine's timeouts are its own). */
  dueSeconds?: DueSeconds;
  /**
   * Answers a re-dispatch of a task the agency completed meanwhile (after the first timeout), so the workflow does
   * not wait a second window for an answer already given. Without it, that branch ends overdue and the close still
   * takes the recorded completion.
   */
  callbacks?: TaskCallbacks;
}

function plannedOf(incident: Incident, due: DueSeconds): PlannedTask[] {
  return incident.tasks.map((t) => ({
    incidentId: incident.incidentId,
    taskId: t.taskId,
    agency: t.agency,
    dueInSeconds: due(incident.severity),
  }));
}

function note(
  incident: Incident,
  task: IncidentTask | undefined,
  type: string,
  audience: string,
  at: string,
  extra: Record<string, unknown> = {},
): AgencyNotification {
  return {
    type,
    incidentId: incident.incidentId,
    ...(task ? { taskId: task.taskId } : {}),
    audience,
    at,
    detail: {
      notificationId: [incident.incidentId, task?.taskId, type, task?.attempt].filter((x) => x !== undefined).join('.'),
      incidentType: incident.type,
      severity: incident.severity,
      subject: incident.subject,
      summary: incident.summary,
      ...(task ? { agency: task.agency, dueAt: task.dueAt, attempt: task.attempt } : {}),
      ...extra,
    },
  };
}

export function createIncidentSteps(deps: IncidentStepDependencies): IncidentSteps {
  const due = deps.dueSeconds ?? defaultDueSeconds;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const { store, notifier } = deps;

  const taskStep = async (
    step: 'escalate' | 'overdue' | 'fail-task',
    incidentId: string,
    taskId: string,
    error?: string,
  ): Promise<IncidentStepResult> => {
    const at = now();
    const { incident, changed } = await mutateIncident(store, incidentId, (i) =>
      step === 'escalate'
        ? escalateTask(i, taskId, at)
        : step === 'overdue'
          ? markTaskOverdue(i, taskId, at)
          : failTask(i, taskId, error ?? 'failed', at),
    );
    const task = findTask(incident, taskId);
    if (changed && task) {
      const type = step === 'escalate' ? 'task.escalated' : step === 'overdue' ? 'task.overdue' : 'task.failed';
      await notifier.notify(note(incident, task, type, supervisorAudience(task.agency), at, error ? { error } : {}));
    }
    return { step, taskId };
  };

  return {
    async run(request: IncidentStepRequest): Promise<IncidentStepResult> {
      switch (request.step) {
        case 'plan': {
          const at = now();
          const { incident } = await mutateIncident(store, request.incidentId, (i) => planTasks(i, at, due));
          return { step: 'plan', tasks: plannedOf(incident, due) };
        }
        case 'dispatch': {
          const { incidentId, taskId, taskToken, attempt } = request;
          // The token first: a dispatched task always has one to answer with.
          await store.putTaskToken(incidentId, taskId, taskToken, attempt);
          const at = now();
          const { incident, changed } = await mutateIncident(store, incidentId, (i) =>
            dispatchTask(i, taskId, attempt, at, due),
          );
          const task = findTask(incident, taskId);
          if (changed && task) {
            await notifier.notify(note(incident, task, 'task.dispatched', roleForAgency(task.agency), at));
          }
          if (task?.status === 'completed' && task.outcome && deps.callbacks) {
            const completion = {
              taskId,
              outcome: task.outcome,
              ...(task.findings !== undefined ? { findings: task.findings } : {}),
            };
            await deps.callbacks.succeed(taskToken, completion).catch((e: unknown) => {
              if (!(e instanceof TaskCallbackGoneError)) throw e;
            });
          }
          return { step: 'dispatch', taskId };
        }
        case 'escalate':
          return taskStep('escalate', request.incidentId, request.taskId);
        case 'overdue':
          return taskStep('overdue', request.incidentId, request.taskId);
        case 'fail-task':
          return taskStep('fail-task', request.incidentId, request.taskId, request.error);
        case 'close':
          return { step: 'close', outcome: await close(deps, request.incidentId, request.tasks, now) };
      }
    },
  };
}

/**
 * Close: consolidate and record the outcome (the commit point), apply it to the related declarations, mark the
 * hit-rate feedback as counted and count it, then tell the agencies. A retried close re-runs only what is left.
 */
async function close(
  deps: IncidentStepDependencies,
  incidentId: string,
  endings: Extract<IncidentStepRequest, { step: 'close' }>['tasks'],
  now: () => string,
): Promise<'cleared' | 'seized' | 'referred'> {
  const at = now();
  const closed = await mutateIncident(deps.store, incidentId, (i) =>
    closeIncident(
      i,
      endings.map((e) => ({
        taskId: e.taskId,
        ended: e.ended,
        ...(e.completion
          ? {
              completion: {
                outcome: e.completion.outcome,
                ...(e.completion.findings !== undefined ? { findings: e.completion.findings } : {}),
              },
            }
          : {}),
        ...(e.error !== undefined ? { error: e.error } : {}),
      })),
      at,
    ),
  );
  const incident = closed.incident;
  const outcome = incident.outcome ?? 'referred';
  if (incident.feedback?.hitsCounted) return outcome;

  const { results, declarations } = await applyDeclarationFeedback(deps, incident);
  const marked = await mutateIncident(deps.store, incidentId, (i) =>
    i.feedback?.hitsCounted
      ? { incident: i, changed: false }
      : {
          incident: {
            ...i,
            feedback: { declarations: results, hitsCounted: true },
            timeline: [
              ...i.timeline,
              ...results
                .filter((r) => r.action !== 'none' && r.result === 'applied')
                .map((r) => ({ at, what: `declaration ${r.declarationId}: ${r.action}`, by: 'joint-control' })),
            ],
          },
          changed: true,
        },
  );
  if (marked.changed) {
    await countRuleHits(deps, incident, declarations);
    for (const agency of incident.agencies) {
      await deps.notifier.notify(
        note(incident, undefined, 'incident.closed', roleForAgency(agency), at, {
          notificationId: `${incidentId}.closed.${agency}`,
          outcome,
          declarations: results,
        }),
      );
    }
  }
  return outcome;
}
