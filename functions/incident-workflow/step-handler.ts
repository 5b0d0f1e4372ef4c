import { Logger } from '@aws-lambda-powertools/logger';
import { IncidentStepRequest } from '../../events/v1/incident-workflow-steps';
import { KouanError } from '../../shared/domain/errors';
import type { IncidentStepResult, IncidentSteps } from '../../shared/ports/incident-workflow';

/** A step request the state machine should never send: a bug in the definition or the wiring, not worth a retry. */
export class InvalidStepRequestError extends KouanError {
  constructor(details: unknown) {
    super('INVALID_STEP_REQUEST', 'the workflow sent a step request this function does not understand', details);
  }
}

const logger = new Logger({ serviceName: 'kouan-incident-workflow' });

/**
 * The workflow function over a given `IncidentSteps`: validate the step request, run the step, return its result. A
 * failure throws, so the state's Retry and Catch decide (every step is idempotent; a re-run is safe). handler.ts
 * gives it the production use cases; the tests give it theirs.
 */
export function createStepHandler(steps: IncidentSteps) {
  return async (event: unknown): Promise<IncidentStepResult> => {
    const parsed = IncidentStepRequest.safeParse(event);
    if (!parsed.success) throw new InvalidStepRequestError(parsed.error.issues);
    const request = parsed.data;
    // The task token is a credential: never log it.
    logger.info('step', { step: request.step, incidentId: request.incidentId });
    return steps.run(request);
  };
}
