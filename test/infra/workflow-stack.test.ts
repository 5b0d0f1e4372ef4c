import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { loadStageConfig } from '../../infra/config/load-stage-config';
import { STAGES } from '../../infra/config/stages';
import { PORT_FUNCTION_RUNTIME } from '../../infra/constructs/port-function';
import { TASK_RESPONSE_ACTIONS } from '../../infra/stacks/workflow-stack';
import { JOINT_CONTROL_ASL_PATH, LOCAL_WORKFLOW_FUNCTION_ARN } from '../../infra/workflows/render-definition';
import { ENV } from '../../shared/config/env';
import { contextSource, onlyResource, synthKouan } from './fixture';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Policy = { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const importedValue = (pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(pattern)) });

const PROD = {
  stage: 'prod',
  portCode: 'NLRTM',
  riskSeed: 'prod-test-selectivity-seed',
  account: '111111111111',
  region: 'eu-west-1',
};

const dev = synthKouan();
const workflow = Template.fromStack(dev.stacks.workflow);
const prod = synthKouan(PROD);
const prodWorkflow = Template.fromStack(prod.stacks.workflow);

/** Every statement of the IAM policies attached to the roles whose logical id starts with `rolePrefix`. */
function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  return (Object.values(template.findResources('AWS::IAM::Policy')) as Policy[])
    .filter((p) => p.Properties.Roles.some((r) => (r as { Ref?: string }).Ref?.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** The deployed definition with the function ARN and pseudo parameters filled in, as the local runner sees it. */
function deployedDefinition(template: Template): unknown {
  const sm = onlyResource(template, 'AWS::StepFunctions::StateMachine') as {
    DefinitionString: { 'Fn::Join': [string, unknown[]] };
  };
  const [sep, parts] = sm.DefinitionString['Fn::Join'];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const ref = p as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (ref.Ref === 'AWS::Partition') return 'aws';
      if (ref['Fn::GetAtt']?.[0]?.startsWith('WorkflowFunction') && ref['Fn::GetAtt'][1] === 'Arn')
        return LOCAL_WORKFLOW_FUNCTION_ARN;
      throw new Error(`unexpected part of the definition: ${JSON.stringify(p)}`);
    })
    .join(sep);
  return JSON.parse(text);
}

/** The ARN of the joint-control state machine as the API and ingest stacks spell it (their own pseudo parameters). */
const stateMachineArnIn = (stage: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:stateMachine:kouan-${stage}-joint-control`,
    ],
  ],
});

describe('workflow stack: the state machine', () => {
  it('is named by stage, tagged, and protected in production', () => {
    expect(dev.stacks.workflow.stackName).toBe('Kouan-dev-Workflow');
    expect(prod.stacks.workflow.terminationProtection).toBe(true);
    workflow.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'kouan-dev-joint-control',
      StateMachineType: 'STANDARD',
      Tags: Match.arrayWith([
        { Key: 'project', Value: 'kouan' },
        { Key: 'stage', Value: 'dev' },
      ]),
    });
  });

  it('deploys exactly the committed definition the local platform runs (dev timeouts)', () => {
    expect(deployedDefinition(workflow)).toEqual(JSON.parse(readFileSync(JOINT_CONTROL_ASL_PATH, 'utf8')));
  });

  it("takes the agency task timeouts from the stage config (prod's differ from dev's)", () => {
    const text = JSON.stringify(deployedDefinition(prodWorkflow));
    const { taskTimeoutSeconds, heartbeatSeconds } = STAGES.prod.jointControl;
    expect(text).toContain(`"TimeoutSeconds":${taskTimeoutSeconds},"HeartbeatSeconds":${heartbeatSeconds}`);
    expect(text).not.toContain(`"TimeoutSeconds":${STAGES.dev.jointControl.taskTimeoutSeconds},`);
    // Two task windows and an hour for the steps, past which the execution itself times out (alarmed).
    expect(JSON.parse(text).TimeoutSeconds).toBe(2 * taskTimeoutSeconds + 3600);
  });

  it('logs every event with execution data to an encrypted log group with the stage retention, and traces', () => {
    const sm = onlyResource(workflow, 'AWS::StepFunctions::StateMachine');
    expect(sm.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: true,
      Destinations: [
        {
          CloudWatchLogsLogGroup: {
            LogGroupArn: { 'Fn::GetAtt': [expect.stringMatching(/^JointControlLogs/), 'Arn'] },
          },
        },
      ],
    });
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    workflow.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/kouan/dev/joint-control-workflow',
      RetentionInDays: RetentionDays.ONE_WEEK,
      KmsKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('Kouan-dev-Stateful:.*DataKey.*Arn') },
    });
    prodWorkflow.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/kouan/prod/joint-control-workflow',
      RetentionInDays: RetentionDays.ONE_YEAR,
    });
  });

  it('lets the state machine invoke the workflow function (and its versions) and nothing else', () => {
    const statements = statementsOfRole(workflow, 'JointControlStateMachineRole');
    const invokes = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invokes).toHaveLength(1);
    expect(actionsOf(invokes[0] as Statement)).toEqual(['lambda:InvokeFunction']);
    expect(invokes[0]?.Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^WorkflowFunction[0-9A-F]{8}$/), 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^WorkflowFunction[0-9A-F]{8}$/), 'Arn'] }, ':*']] },
    ]);
    // Besides the invoke: log delivery and X-Ray only (no resource-level permissions exist for those).
    const others = statements.filter((s) => s !== invokes[0]).flatMap(actionsOf);
    expect(others.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
  });
});

describe('workflow stack: the workflow function', () => {
  const fn = () =>
    (Object.values(workflow.findResources('AWS::Lambda::Function')) as { Properties: Record<string, unknown> }[]).find(
      (f) =>
        (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME ===
        'kouan-incident-workflow',
    )?.Properties;

  it('runs the workflow handler through PortFunction, with the table and the bus from ENV', () => {
    expect(fn()).toMatchObject({
      Runtime: PORT_FUNCTION_RUNTIME.name,
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          [ENV.tableName]: importedValue('Kouan-dev-Stateful:.*PortTable'),
          [ENV.notificationBusName]: 'kouan-dev-agency-notifications',
        },
      },
    });
    // It answers no callbacks and holds no secret it does not use.
    const vars = (fn()?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(vars[ENV.riskSeed]).toBeUndefined();
  });

  it('may write the port table, put events on the bus, and answer tasks of this state machine only', () => {
    const statements = statementsOfRole(workflow, 'WorkflowFunctionRole');
    const actions = statements.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'events:PutEvents']));
    expect(actions.filter((a) => a.startsWith('states:'))).toEqual(['states:SendTaskSuccess']);
    const answer = statements.find((s) => actionsOf(s).includes('states:SendTaskSuccess'));
    expect(JSON.stringify(answer?.Resource)).toMatch(/stateMachine:kouan-dev-joint-control/);
    expect(statements.find((s) => actionsOf(s).includes('events:PutEvents'))?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^AgencyNotifications/), 'Arn'],
    });
  });
});

describe('workflow stack: callers and notifications', () => {
  const api = Template.fromStack(dev.stacks.api);
  const ingest = Template.fromStack(dev.stacks.ingest);
  const stepActionsOf = (template: Template, rolePrefix: string) =>
    statementsOfRole(template, rolePrefix).filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));

  it("creates the agencies' notification bus under its fixed name", () => {
    workflow.hasResourceProperties('AWS::Events::EventBus', { Name: 'kouan-dev-agency-notifications' });
  });

  it('lets the API function start executions and answer callbacks on this state machine only', () => {
    const statements = stepActionsOf(api, 'ApiFunctionRole');
    expect(statements.flatMap(actionsOf).sort()).toEqual(['states:StartExecution', ...TASK_RESPONSE_ACTIONS].sort());
    for (const s of statements) expect(s.Resource).toEqual(stateMachineArnIn('dev'));
  });

  it('lets the ingest function start executions on this state machine only, and answer none', () => {
    const statements = stepActionsOf(ingest, 'IngestRole');
    expect(statements.flatMap(actionsOf)).toEqual(['states:StartExecution']);
    expect(statements[0]?.Resource).toEqual(stateMachineArnIn('dev'));
  });

  it('gives both the state machine ARN and the bus name in their environment, naming what the workflow stack creates', () => {
    for (const template of [api, ingest]) {
      const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { Environment?: { Variables: Record<string, unknown> }; Handler: string };
      }[];
      const kouan = functions.filter((f) => f.Properties.Environment?.Variables.POWERTOOLS_SERVICE_NAME);
      for (const f of kouan) {
        expect(f.Properties.Environment?.Variables[ENV.incidentWorkflowArn]).toEqual(stateMachineArnIn('dev'));
        expect(f.Properties.Environment?.Variables[ENV.notificationBusName]).toBe('kouan-dev-agency-notifications');
      }
      expect(kouan.length).toBeGreaterThan(0);
      const bus = statementsOfRole(template, '').find((s) => actionsOf(s).includes('events:PutEvents'));
      expect(bus?.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':event-bus/kouan-dev-agency-notifications',
          ],
        ],
      });
    }
  });

  it('keeps the API and ingest stacks free of references to the workflow stack (no dependency cycle)', () => {
    for (const template of [api, ingest]) expect(JSON.stringify(template.toJSON())).not.toContain('Kouan-dev-Workflow');
    expect(dev.stacks.workflow.dependencies.map((s) => s.stackName).sort()).toEqual([
      'Kouan-dev-Ingest',
      'Kouan-dev-Stateful',
    ]);
  });
});

describe('workflow stack: alarms', () => {
  const alarms = () =>
    Object.values(workflow.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];

  it('alarms on failed, timed-out and aborted executions and on function errors, notifying the alarm topic both ways', () => {
    const topic = importedValue('Kouan-dev-Ingest:.*AlarmTopic');
    expect(
      alarms()
        .map((a) => a.Properties.MetricName)
        .sort(),
    ).toEqual(['Errors', 'ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut'].sort());
    for (const a of alarms()) {
      expect(a.Properties.AlarmActions).toEqual([topic]);
      expect(a.Properties.OKActions).toEqual([topic]);
      expect(a.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Sum',
      });
    }
    workflow.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^JointControlStateMachine') } }],
    });
  });
});

describe('stage config: joint-control timeouts', () => {
  const load = (context: Record<string, string>) => loadStageConfig(contextSource(context), {});

  it('sets a heartbeat below the task timeout in every stage', () => {
    for (const stage of Object.values(STAGES))
      expect(stage.jointControl.heartbeatSeconds).toBeLessThan(stage.jointControl.taskTimeoutSeconds);
    expect(load({}).jointControl).toEqual(STAGES.dev.jointControl);
  });

  it('refuses a heartbeat that is not below the timeout (Step Functions would refuse the definition)', async () => {
    const { validateStageConfig } = await import('../../infra/config/stage-config');
    const config = load({});
    expect(() =>
      validateStageConfig({
        ...config,
        jointControl: { ...config.jointControl, taskTimeoutSeconds: 600, heartbeatSeconds: 600 },
      }),
    ).toThrow(/heartbeat below the timeout/);
    expect(() =>
      validateStageConfig({
        ...config,
        jointControl: { ...config.jointControl, taskTimeoutSeconds: 0, heartbeatSeconds: -1 },
      }),
    ).toThrow(/jointControl/);
    expect(() =>
      validateStageConfig({ ...config, jointControl: { ...config.jointControl, incidentMinScore: 101 } }),
    ).toThrow(/incidentMinScore/);
  });

  it('gives the API and ingest functions the incident threshold and dedupe window of the stage', () => {
    for (const stack of [dev.stacks.api, dev.stacks.ingest]) {
      const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(
        (r) => r.Properties?.Environment?.Variables?.KOUAN_INCIDENT_WORKFLOW_ARN !== undefined,
      );
      expect(fns).toHaveLength(1);
      expect(fns[0]?.Properties.Environment.Variables).toMatchObject({
        KOUAN_INCIDENT_MIN_SCORE: '80',
        KOUAN_INCIDENT_DEDUPE_MINUTES: '60',
      });
    }
  });
});
