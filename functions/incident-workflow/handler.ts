import { createIncidentSteps } from './dependencies';
import { createStepHandler } from './step-handler';

/**
 * The joint-control state machine's Lambda tasks (plan, dispatch, escalate, overdue, fail-task, close), in the cloud
 * and in the local runner alike: the step handler over the production incident use cases, built once per cold start.
 */
export const handler = createStepHandler(createIncidentSteps());
