import { dispatchTask, newIncident, planTasks } from '../../shared/domain/incidents/incident';
import { TaskCallbackGoneError } from '../../shared/domain/task-callback-errors';
import type { IncidentStore } from '../../shared/ports/incident-store';
import type {
  AgencyNotification,
  AgencyNotifier,
  IncidentWorkflowInput,
  IncidentWorkflowStarter,
  TaskCallbacks,
  TaskCompletion,
} from '../../shared/ports/incident-workflow';

/** Records what the use cases started, notified and answered; `gone` makes answers fail as a closed token would. */
export class RecordingWorkflow implements IncidentWorkflowStarter {
  readonly started: IncidentWorkflowInput[] = [];
  async start(input: IncidentWorkflowInput): Promise<void> {
    this.started.push(input);
  }
}

export class RecordingNotifier implements AgencyNotifier {
  readonly sent: AgencyNotification[] = [];
  async notify(event: AgencyNotification): Promise<void> {
    this.sent.push(event);
  }
}

export class RecordingCallbacks implements TaskCallbacks {
  readonly heartbeats: string[] = [];
  readonly successes: { token: string; completion: TaskCompletion }[] = [];
  readonly failures: string[] = [];
  gone = false;
  async heartbeat(token: string): Promise<void> {
    this.check();
    this.heartbeats.push(token);
  }
  async succeed(token: string, completion: TaskCompletion): Promise<void> {
    this.check();
    this.successes.push({ token, completion });
  }
  async fail(token: string): Promise<void> {
    this.check();
    this.failures.push(token);
  }
  private check() {
    if (this.gone) throw new TaskCallbackGoneError('timed-out', 'the task no longer accepts answers (TaskTimedOut)');
  }
}

/** The incident the authorization matrix reads and acts on: its `border` task dispatched. */
export const MATRIX_INCIDENT_ID = 'INC-matrix0000000000000000';
export const MATRIX_TASK_ID = 'border';

/**
 * Writes the matrix's incident as the workflow leaves it after planning and dispatching every task (each with a
 * token), so that the agencies' routes find a dispatched task. Idempotent.
 */
export async function seedMatrixIncident(store: IncidentStore): Promise<void> {
  const at = new Date().toISOString();
  let incident = newIncident(MATRIX_INCIDENT_ID, {
    type: 'radiation-alarm',
    port: 'CNSGH',
    subject: { kind: 'truck', id: 'MATRIX1' },
    summary: 'seeded for the authorization matrix',
    source: { kind: 'manual', id: 'matrix' },
    raisedBy: 'border',
    at,
  });
  incident = planTasks(incident, at).incident;
  for (const t of incident.agencies) incident = dispatchTask(incident, t, 1, at).incident;
  await store.create(incident);
  for (const t of incident.agencies) await store.putTaskToken(MATRIX_INCIDENT_ID, t, `matrix-token-${t}`, 1);
}
