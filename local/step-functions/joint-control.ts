import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LambdaInvoker, LocalStepFunctions } from './local-step-functions';
import { type SfnEndpoint, startSfnEndpoint } from './sfn-endpoint';

/**
 * The joint-control workflow on one machine: the committed definition (infra/generated/joint-control.asl.json,
 * synthesized from the CDK construct by `npm run docs:workflow` and checked against a fresh render by the tests) in
 * the local runner, behind the local Step Functions endpoint. The handlers reach it with the real SFNClient through
 * `AWS_ENDPOINT_URL_SFN` and the ARN below in `KOUAN_INCIDENT_WORKFLOW_ARN`.
 */
export const JOINT_CONTROL_DEFINITION_FILE = join(
  __dirname,
  '..',
  '..',
  'infra',
  'generated',
  'joint-control.asl.json',
);
export const LOCAL_JOINT_CONTROL_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:kouan-local-joint-control';

export interface LocalJointControlOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The workflow function: the real handler module (functions/incident-workflow/handler.ts) or a test's. */
  invoke: LambdaInvoker;
  /** Durations of the definition divided by this (`--time-scale`). @default 1 */
  timeScale?: number;
  log?: (message: string) => void;
}

export interface LocalJointControl {
  url: string;
  port: number;
  stateMachineArn: string;
  runtime: LocalStepFunctions;
  /** Aborts running executions, then closes the endpoint. */
  stop(): Promise<void>;
}

export async function startLocalJointControl(options: LocalJointControlOptions): Promise<LocalJointControl> {
  const runtime = new LocalStepFunctions({ ...(options.log ? { log: options.log } : {}) });
  runtime.register({
    arn: LOCAL_JOINT_CONTROL_ARN,
    definition: JSON.parse(readFileSync(JOINT_CONTROL_DEFINITION_FILE, 'utf8')),
    invoke: options.invoke,
    timeScale: options.timeScale ?? 1,
  });
  const endpoint: SfnEndpoint = await startSfnEndpoint({
    port: options.port ?? 0,
    runtime,
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    url: endpoint.url,
    port: endpoint.port,
    stateMachineArn: LOCAL_JOINT_CONTROL_ARN,
    runtime,
    stop: async () => {
      await runtime.stop();
      await endpoint.stop();
    },
  };
}
