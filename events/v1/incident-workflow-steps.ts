import * as z from 'zod';
import type { IncidentStepRequest as IncidentStepRequestPort } from '../../shared/ports/incident-workflow';

/**
 * What the joint-control state machine sends its Lambda tasks (infra/constructs/joint-control-workflow.ts), validated
 * at the workflow function's edge. The type is the port's (`shared/ports/incident-workflow.ts`); the check at the end
 * of this file fails the type check if the two drift apart.
 */
const id = z.string().min(1).max(128);
const agency = z.enum(['customs', 'border', 'maritime', 'quarantine', 'port-operator']);

const TaskCompletion = z.object({
  taskId: id,
  outcome: z.enum(['cleared', 'seized', 'referred', 'no-finding', 'finding']),
  findings: z.string().optional(),
});

const TaskEnding = z.object({
  taskId: id,
  ended: z.enum(['completed', 'overdue', 'failed']),
  completion: TaskCompletion.optional(),
  error: z.string().optional(),
});

export const IncidentStepRequest = z.discriminatedUnion('step', [
  z.object({ step: z.literal('plan'), incidentId: id }),
  z.object({
    step: z.literal('dispatch'),
    incidentId: id,
    taskId: id,
    taskToken: z.string().min(1).max(1024),
    attempt: z.number().int().min(1).max(2),
  }),
  z.object({ step: z.literal('escalate'), incidentId: id, taskId: id }),
  z.object({ step: z.literal('overdue'), incidentId: id, taskId: id }),
  z.object({ step: z.literal('fail-task'), incidentId: id, taskId: id, error: z.string().max(4096) }),
  z.object({ step: z.literal('close'), incidentId: id, tasks: z.array(TaskEnding) }),
]);
export type IncidentStepRequest = z.infer<typeof IncidentStepRequest>;

/** Planned tasks as the plan step returns them (the Map's items). */
export const PlannedTask = z.object({ incidentId: id, taskId: id, agency, dueInSeconds: z.number().int().min(0) });

// Both directions: every request the schema accepts is a port request and the other way round.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameAsPort: Same<IncidentStepRequest, IncidentStepRequestPort> = true;
void sameAsPort;
