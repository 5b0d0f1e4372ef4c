import * as z from 'zod';
import { ContainerNumber, Timestamp } from './declaration';
import { PortCode } from './topic';

/**
 * Joint-control incidents, v1 (CONTRACT.md §3, issue 4): an incident raised from device evidence, a red-lane
 * declaration or by hand; the agency tasks the workflow plans for it; their acknowledgement and completion; the
 * outcome and the feedback applied on close. These schemas are the types (`z.infer`) and the OpenAPI description.
 * See docs/joint-control.md.
 */

/** The agencies that take part in joint control (CONTRACT.md §3); `ROLE_FOR_AGENCY` names the role acting for each. */
export const Agency = z.enum(['customs', 'border', 'maritime', 'quarantine', 'port-operator']);
export type Agency = z.infer<typeof Agency>;

/** What caused an incident; the cause of the dedupe key and the key of the agency plan. */
export const IncidentType = z.enum([
  'radiation-alarm',
  'xray-anomaly',
  'red-lane-declaration',
  'biosecurity-risk',
  'vessel-dark',
  'gate-ocr-mismatch',
  'manual',
]);
export type IncidentType = z.infer<typeof IncidentType>;

export const IncidentSeverity = z.enum(['low', 'medium', 'high', 'critical']);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

export const IncidentStatus = z.enum(['open', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const IncidentOutcome = z.enum(['cleared', 'seized', 'referred']);
export type IncidentOutcome = z.infer<typeof IncidentOutcome>;

/** What an agency reports when it completes its task (the workflow's `TaskCompletion.outcome`). */
export const TaskOutcome = z.enum(['cleared', 'seized', 'referred', 'no-finding', 'finding']);
export type TaskOutcome = z.infer<typeof TaskOutcome>;

/** pending (planned) → dispatched → acknowledged → completed | overdue | failed (docs/joint-control.md). */
export const TaskStatus = z.enum(['pending', 'dispatched', 'acknowledged', 'completed', 'overdue', 'failed']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** An incident id: `INC-` and 24 hex digits, derived from what raised it. */
export const IncidentId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an incident id such as INC-…');
/** A task id within its incident: the agency's name. */
export const TaskId = z.string().regex(/^[a-z-]{1,32}$/, 'a task id such as customs or port-operator');

const SubjectId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9 ._:-]+$/, 'letters, digits, space and . _ : -');

export const IncidentSubject = z.strictObject({
  kind: z.enum(['declaration', 'container', 'truck', 'vessel', 'occupancy']),
  id: SubjectId,
});
export type IncidentSubject = z.infer<typeof IncidentSubject>;

/** One line of text, no control characters. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s), 'no control characters');

export const IncidentTask = z.object({
  taskId: TaskId,
  agency: Agency,
  /** The role that acts for the agency: `customs` → `customs-officer`, the others by name. */
  role: z.string(),
  status: TaskStatus,
  /** When the agency is due to complete (from its latest dispatch; set at planning until then). */
  dueAt: Timestamp,
  /** The task timed out once and the agency's supervisor was notified (it is then dispatched once more). */
  escalated: z.boolean(),
  /** Dispatches so far (0 while pending; 2 after the re-dispatch that follows an escalation). */
  attempt: z.number().int().min(0),
  dispatchedAt: Timestamp.optional(),
  acknowledgedAt: Timestamp.optional(),
  completedAt: Timestamp.optional(),
  outcome: TaskOutcome.optional(),
  findings: z.string().optional(),
  /** Why the task failed (status `failed`). */
  error: z.string().optional(),
});
export type IncidentTask = z.infer<typeof IncidentTask>;

export const TimelineEntry = z.object({
  at: Timestamp,
  what: z.string(),
  /** The role that acted, or `joint-control` for the platform. */
  by: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** What the incident's close did to the declarations and the risk rules (the closed loop). */
export const IncidentFeedback = z.object({
  declarations: z.array(
    z.object({
      declarationId: z.string(),
      action: z.enum(['hold', 'release', 'none']),
      /** `applied`, or why not: `already-held`, `final` (released or seized), `officer-hold`, `missing`, … */
      result: z.string(),
    }),
  ),
  /** Whether the related declarations' rules have had this incident counted in their hit rates (once). */
  hitsCounted: z.boolean(),
});
export type IncidentFeedback = z.infer<typeof IncidentFeedback>;

/** For the KPIs (`incident.response.median_min`): raised → first acknowledgement, raised → close. */
export const ResponseTimes = z.object({
  firstAckAt: Timestamp.optional(),
  firstAckMinutes: z.number().optional(),
  closedMinutes: z.number().optional(),
});
export type ResponseTimes = z.infer<typeof ResponseTimes>;

/** `GET /v1/incidents/{incidentId}`: CONTRACT.md's incident plus evidence, agencies and the loop's records. */
export const Incident = z.object({
  incidentId: IncidentId,
  port: PortCode,
  type: IncidentType,
  severity: IncidentSeverity,
  status: IncidentStatus,
  subject: IncidentSubject,
  summary: z.string(),
  /** What raised it: an alert (its id), a declaration (its id and log position) or a person (`manual`). */
  source: z.object({ kind: z.enum(['alert', 'declaration', 'manual']), id: z.string() }),
  evidence: z.record(z.string(), z.unknown()),
  /** The containers concerned: the related declarations are those naming them (and a declaration subject). */
  containers: z.array(z.string()),
  agencies: z.array(Agency),
  raisedAt: Timestamp,
  /** The role that raised it by hand, or `joint-control`. */
  raisedBy: z.string(),
  /** Identical causes on the same subject within the dedupe window, suppressed into this incident. */
  duplicates: z.number().int().min(0),
  outcome: IncidentOutcome.optional(),
  closedAt: Timestamp.optional(),
  tasks: z.array(IncidentTask),
  timeline: z.array(TimelineEntry),
  responseTimes: ResponseTimes,
  feedback: IncidentFeedback.optional(),
  version: z.number().int().min(1),
});
export type Incident = z.infer<typeof Incident>;

/** `GET /v1/incidents` items: the incident without its timeline and evidence. */
export const IncidentSummary = Incident.omit({ timeline: true, evidence: true, feedback: true });
export type IncidentSummary = z.infer<typeof IncidentSummary>;

export const IncidentPage = z.object({
  items: z.array(IncidentSummary),
  nextToken: z.string().optional().describe('pass as ?nextToken= for the next page; absent on the last page'),
});

/** `POST /v1/incidents`: raise an incident by hand ("one-click dispatch"). Closed: unknown fields are refused. */
export const IncidentRaiseInput = z.strictObject({
  type: IncidentType,
  subject: IncidentSubject,
  summary: text(500),
  /** @default the type's severity (docs/joint-control.md) */
  severity: IncidentSeverity.optional(),
  /** @default the port this deployment serves */
  port: PortCode.optional(),
  /** Agencies to involve besides the type's plan (for `manual`: the plan itself; default customs). */
  agencies: z.array(Agency).min(1).max(5).optional(),
  containers: z.array(ContainerNumber).max(50).optional(),
  /** Free-form evidence (plain JSON), kept with the incident. */
  evidence: z.record(z.string(), z.json()).optional(),
});
export type IncidentRaiseInput = z.infer<typeof IncidentRaiseInput>;

/** `POST /v1/incidents/{incidentId}/tasks/{taskId}/complete`. */
export const TaskCompletionInput = z.strictObject({
  outcome: TaskOutcome,
  findings: text(4000).optional(),
});
export type TaskCompletionInput = z.infer<typeof TaskCompletionInput>;

export const IncidentListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).max(2048).optional(),
  status: IncidentStatus.optional(),
  /** @default the port this deployment serves */
  port: PortCode.optional(),
});
export const IncidentPath = z.strictObject({ incidentId: IncidentId });
export const IncidentTaskPath = z.strictObject({ incidentId: IncidentId, taskId: TaskId });
