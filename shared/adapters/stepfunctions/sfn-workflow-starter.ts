import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { IncidentWorkflowInput, IncidentWorkflowStarter } from '../../ports/incident-workflow';

/**
 * Starts the joint-control workflow of an incident with `StartExecution`, naming the execution after the incident:
 * Step Functions then refuses a second execution for it (`ExecutionAlreadyExists`), which this treats as success, so
 * a re-raised or retried incident never runs twice. Locally the same client reaches the embedded runner through
 * `AWS_ENDPOINT_URL_SFN`.
 */
export class SfnWorkflowStarter implements IncidentWorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: IncidentWorkflowInput): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // Execution names allow 1–80 characters of letters, digits, - and _; incident ids are of that kind.
          name: input.incidentId,
          input: JSON.stringify({ incidentId: input.incidentId }),
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name === 'ExecutionAlreadyExists') return;
      throw e;
    }
  }
}
