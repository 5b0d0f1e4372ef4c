import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { STAGES } from '../config/stages';
import { JointControlWorkflow } from '../constructs/joint-control-workflow';

/** The committed definition the local runner executes (`npm run docs:workflow` writes it). */
export const JOINT_CONTROL_ASL_PATH = path.join(__dirname, '..', 'generated', 'joint-control.asl.json');

/**
 * Stands in for the workflow function in the rendered definition. The local runner never calls it: it runs a local
 * handler for every Task state, and AWS_ENDPOINT_URL_LAMBDA points at loopback in case one were missing.
 */
export const LOCAL_WORKFLOW_FUNCTION_ARN =
  'arn:aws:lambda:us-east-1:000000000000:function:kouan-local-incident-workflow';

/** The ASL of a state machine, as an object. */
export type AslDefinition = { StartAt: string; States: Record<string, Record<string, unknown>> } & Record<
  string,
  unknown
>;

/** Options of the rendering; the timeouts default to the dev stage's, which the local platform plays. */
export interface RenderOptions {
  taskTimeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/**
 * Synthesizes `JointControlWorkflow` (the very construct the workflow stack deploys) in a throwaway app and returns
 * its ASL with the CloudFormation pseudo parameters filled in (`aws` partition), so that the local runner executes
 * what the cloud executes.
 */
export function renderJointControlDefinition(options: RenderOptions = {}): AslDefinition {
  const jc = STAGES.dev.jointControl;
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Render');
  const workflow = new JointControlWorkflow(stack, 'JointControl', {
    stepFunction: lambda.Function.fromFunctionArn(stack, 'StepFunction', LOCAL_WORKFLOW_FUNCTION_ARN),
    taskTimeout: Duration.seconds(options.taskTimeoutSeconds ?? jc.taskTimeoutSeconds),
    heartbeat: Duration.seconds(options.heartbeatSeconds ?? jc.heartbeatSeconds),
    logRetention: RetentionDays.ONE_DAY,
  });
  const cfn = workflow.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const text = resolveIntrinsics(stack.resolve(cfn.definitionString));
  if (typeof text !== 'string') throw new Error('the state machine definition did not render to a string');
  return JSON.parse(text) as AslDefinition;
}

/** The ASL as the committed artifact holds it: stable key order as CDK emits it, two-space indent, final newline. */
export function renderJointControlAsl(options: RenderOptions = {}): string {
  return `${JSON.stringify(renderJointControlDefinition(options), null, 2)}\n`;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Resolves the only intrinsics a rendered definition holds (`Fn::Join` over `Ref`s of pseudo parameters). */
function resolveIntrinsics(value: unknown): unknown {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  const entries = Object.entries(value);
  const [key, arg] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref' && typeof arg === 'string') {
    const v = PSEUDO_PARAMETERS[arg];
    if (v === undefined) throw new Error(`cannot render Ref ${arg} locally`);
    return v;
  }
  if (entries.length === 1 && key === 'Fn::Join' && Array.isArray(arg)) {
    const [sep, parts] = arg as [string, unknown[]];
    return parts.map((p) => resolveIntrinsics(p)).join(sep);
  }
  if (entries.length === 1 && key?.startsWith('Fn::')) throw new Error(`cannot render ${key} locally`);
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v)]));
}
