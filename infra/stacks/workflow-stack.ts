import * as path from 'node:path';
import {
  Arn,
  ArnFormat,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { type ResourceNames, resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { JointControlWorkflow } from '../constructs/joint-control-workflow';
import { WorkflowAlarms } from '../constructs/monitoring';
import { PortFunction } from '../constructs/port-function';
import { grantPortTableReadWrite } from '../constructs/port-table-access';
import type { StatefulResources } from './stateful-stack';

/** The workflow handler module; the path is fixed by the repository layout (DESIGN.md). */
export const WORKFLOW_ENTRY = path.join(__dirname, '..', '..', 'functions', 'incident-workflow', 'handler.ts');

/**
 * The callback answers, on the joint-control state machine only. The service authorization reference lists no
 * resource type for these actions, but IAM evaluates a task token's answer against the state machine that issued it
 * (AccessDenied messages name `…:stateMachine:<name>`, and CDK's own grantTaskResponse scopes it so): if a deploy
 * ever answers AccessDenied, widen to "*" with an acknowledged AwsSolutions-IAM5 finding.
 */
export const TASK_RESPONSE_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];

export interface WorkflowStackProps extends StackProps {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** Topic the workflow's alarms notify (one topic for all of Kouan). */
  readonly alarmTopic: sns.ITopic;
  /** The agency API's function: raises incidents by hand (StartExecution), answers callbacks, notifies agencies. */
  readonly apiFunction: PortFunction;
  /** The ingest function: raises incidents from device alerts (StartExecution), notifies agencies. */
  readonly ingestFunction: PortFunction;
}

/** The joint-control state machine's ARN as seen from `scope`'s stack, from its fixed name (no cross-stack token). */
export function jointControlStateMachineArn(scope: Construct, names: ResourceNames): string {
  return Arn.format(
    {
      service: 'states',
      resource: 'stateMachine',
      resourceName: names.jointControlStateMachine,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
}

/** The agencies' notification bus ARN as seen from `scope`'s stack, from its fixed name. */
export function notificationBusArn(scope: Construct, names: ResourceNames): string {
  return Arn.format(
    {
      service: 'events',
      resource: 'event-bus',
      resourceName: names.notificationBus,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
}

/**
 * The joint-control workflow: the incident workflow function, the Standard state machine (JointControlWorkflow) with
 * its execution logs (ALL, encrypted) and tracing, the agencies' notification bus, the alarms, and the permissions
 * of the API and ingest functions on all of it.
 *
 * Its own stack, by lifecycle: stateless like the API and ingest stacks, and deployed after them. The API and ingest
 * functions need the state machine's ARN and the bus (to start executions, answer callbacks and notify agencies);
 * both have fixed names, so those functions get their ARNs as strings built in their own stacks instead of
 * cross-stack references, which would make the API and ingest stacks depend on this one while this one reads the
 * ingest stack's alarm topic (a cycle). Their permissions are statements on their own roles, scoped to those ARNs.
 */
export class WorkflowStack extends Stack {
  readonly function: PortFunction;
  readonly workflow: JointControlWorkflow;
  readonly notificationBus: events.EventBus;
  readonly alarms: WorkflowAlarms;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, stateful } = props;
    const names = resourceNames(config.stage);

    this.notificationBus = new events.EventBus(this, 'AgencyNotifications', {
      eventBusName: names.notificationBus,
      description: 'Kouan joint control: incidents raised, tasks dispatched, escalated, overdue, incidents closed',
    });

    this.function = new PortFunction(this, 'WorkflowFunction', {
      entry: WORKFLOW_ENTRY,
      serviceName: 'kouan-incident-workflow',
      description: 'Joint-control steps: plan, dispatch (store the task token), escalate, overdue, fail-task, close',
      timeout: Duration.seconds(30),
      environment: {
        [ENV.tableName]: stateful.table.tableName,
        [ENV.notificationBusName]: names.notificationBus,
      },
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.workflowFunctionLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    grantPortTableReadWrite(this.function.function, stateful.table, stateful.key);
    this.notificationBus.grantPutEventsTo(this.function.function);
    // A task completed through the API just after its first window closed is answered on its second dispatch
    // (SendTaskSuccess with the new token) instead of waiting out that window. The ARN from the fixed name: the
    // state machine's role already refers to this function, so a reference back would be a cycle.
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [jointControlStateMachineArn(this, names)],
      }),
    );

    this.workflow = new JointControlWorkflow(this, 'JointControl', {
      stepFunction: this.function.function,
      taskTimeout: Duration.seconds(config.jointControl.taskTimeoutSeconds),
      heartbeat: Duration.seconds(config.jointControl.heartbeatSeconds),
      // Above the function's 30 s, so a hung invocation fails the state (and is retried) instead of holding it.
      stepTimeout: Duration.seconds(60),
      stateMachineName: names.jointControlStateMachine,
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.jointControlLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    const stateMachine = this.workflow.stateMachine;

    // The API and ingest functions: statements on their own roles, with the ARNs built in their own stacks from the
    // fixed names, so that no stack references another for them (no export that would pin the order of deletes).
    const grantCaller = (fn: PortFunction, actions: { startExecution: boolean; answer: boolean }) => {
      const stateMachineArn = jointControlStateMachineArn(fn, names);
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [notificationBusArn(fn, names)] }),
      );
      if (actions.startExecution)
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
        );
      if (actions.answer)
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: TASK_RESPONSE_ACTIONS, resources: [stateMachineArn] }),
        );
      fn.function.addEnvironment(ENV.incidentWorkflowArn, stateMachineArn);
      fn.function.addEnvironment(ENV.notificationBusName, names.notificationBus);
      fn.function.addEnvironment(ENV.incidentMinScore, String(config.jointControl.incidentMinScore));
      fn.function.addEnvironment(ENV.incidentDedupeMinutes, String(config.jointControl.dedupeMinutes));
    };
    grantCaller(props.apiFunction, { startExecution: true, answer: true });
    grantCaller(props.ingestFunction, { startExecution: true, answer: false });

    // Invoking the function covers its versions and aliases (`…:*`), which is what LambdaInvoke grants.
    const smPolicy = stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (smPolicy) {
      const fnArn = this.resolveLogicalId(this.function.function);
      Validations.of(smPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${fnArn}.Arn>:*]`,
        reason:
          'The state machine invokes the workflow function only; the ":*" suffix is that function\'s versions and ' +
          'aliases (how the Lambda invoke integration is granted). test/infra asserts the exact resources.',
      });
      Validations.of(smPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Execution logging to CloudWatch Logs (logs:CreateLogDelivery and the other log-delivery actions) and X-Ray ' +
          'tracing support no resource-level permissions. test/infra asserts these are the only Resource "*" actions.',
      });
    }

    this.alarms = new WorkflowAlarms(this, 'Alarms', {
      stateMachine,
      function: this.function.function,
      alarmTopic: props.alarmTopic,
    });

    new CfnOutput(this, 'StateMachineArn', {
      value: stateMachine.stateMachineArn,
      description: 'Joint-control state machine (one execution per incident, named after it)',
    });
    new CfnOutput(this, 'NotificationBusName', {
      value: this.notificationBus.eventBusName,
      description: 'EventBridge bus agencies subscribe to for incident and task notifications',
    });
  }

  /** The logical id of a construct's CloudFormation resource, as cdk-nag names it in a finding. */
  private resolveLogicalId(fn: { node: { defaultChild?: unknown } }): string {
    const resource = fn.node.defaultChild as { logicalId: string } | undefined;
    if (!resource) throw new Error('the workflow function has no CloudFormation resource');
    const id = this.resolve(resource.logicalId);
    return Token.isUnresolved(id) ? String(id) : id;
  }
}
