/**
 * The seam between the joint-control workflow (the Step Functions state machine, defined once in CDK and run
 * locally by aws-local-stepfunctions) and the incident use cases. The state machine knows only these steps and
 * their payloads; what each step does to the port's database lives in shared/use-cases/incident-steps.ts.
 *
 * Every step is idempotent: Step Functions retries a failed Lambda task, so a step may run twice for one state.
 */

/** The execution input: one execution per incident, named after it (StartExecution is then idempotent). */
export interface IncidentWorkflowInput {
  incidentId: string;
}

/** One agency task as planned by the `plan` step; the state machine maps over these in parallel. */
export interface PlannedTask {
  incidentId: string;
  taskId: string;
  agency: 'customs' | 'border' | 'maritime' | 'quarantine' | 'port-operator';
  /** Seconds the agency has to complete (the callback task's TimeoutSeconds is the stage's; this is for the record). */
  dueInSeconds: number;
}

/** What the callback task returns when an agency completes (the SendTaskSuccess output). */
export interface TaskCompletion {
  taskId: string;
  outcome: 'cleared' | 'seized' | 'referred' | 'no-finding' | 'finding';
  findings?: string;
}

/** How one task ended, as the state machine's map iteration reports it to `close`. */
export interface TaskEnding {
  taskId: string;
  ended: 'completed' | 'overdue' | 'failed';
  completion?: TaskCompletion;
  error?: string;
}

/** The step payloads, as the state machine's Lambda tasks send them (`step` selects the use case). */
export type IncidentStepRequest =
  | { step: 'plan'; incidentId: string }
  /** A callback task: stores the token server-side with the task and notifies the agency. `attempt` 1 or 2. */
  | { step: 'dispatch'; incidentId: string; taskId: string; taskToken: string; attempt: number }
  /** The first timeout: notify the supervisor role of the agency (the task is then dispatched once more). */
  | { step: 'escalate'; incidentId: string; taskId: string }
  /** The second timeout: the task is overdue; the incident goes on without it. */
  | { step: 'overdue'; incidentId: string; taskId: string }
  /** The callback failed (SendTaskFailure, or a dispatch that kept failing). */
  | { step: 'fail-task'; incidentId: string; taskId: string; error: string }
  /** Consolidate the findings, close with an outcome, feed back to declarations, rules and KPIs. */
  | { step: 'close'; incidentId: string; tasks: TaskEnding[] };

export type IncidentStepResult =
  | { step: 'plan'; tasks: PlannedTask[] }
  | { step: 'dispatch' | 'escalate' | 'overdue' | 'fail-task'; taskId: string }
  | { step: 'close'; outcome: 'cleared' | 'seized' | 'referred' };

/** Runs one step (implemented by the incident use cases, called by the workflow Lambda handler). */
export interface IncidentSteps {
  run(request: IncidentStepRequest): Promise<IncidentStepResult>;
}

/** Starts the workflow of a new incident (StartExecution; locally the embedded runner). Idempotent per incident. */
export interface IncidentWorkflowStarter {
  start(input: IncidentWorkflowInput): Promise<void>;
}

/**
 * The agency side of a callback task (SendTaskHeartbeat / SendTaskSuccess / SendTaskFailure). The token is read
 * from the task's stored record by the use case; it never leaves the server.
 */
export interface TaskCallbacks {
  heartbeat(taskToken: string): Promise<void>;
  succeed(taskToken: string, completion: TaskCompletion): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Notifications to agencies (EventBridge in the cloud; a local feed locally). */
export interface AgencyNotifier {
  notify(event: AgencyNotification): Promise<void>;
}

export interface AgencyNotification {
  /** e.g. `incident.raised`, `task.dispatched`, `task.escalated`, `task.overdue`, `incident.closed` */
  type: string;
  incidentId: string;
  taskId?: string;
  /** The role that should act (`customs-officer`, `border`, …) or, for an escalation, the supervisor role. */
  audience: string;
  at: string;
  detail: Record<string, unknown>;
}
