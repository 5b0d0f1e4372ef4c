import { type App, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { loadStageConfig } from '../../infra/config/load-stage-config';
import { type HttpApiToFunction, routeConstructId } from '../../infra/constructs/http-api-to-function';
import { addKouanStage } from '../../infra/kouan-app';
import { ROUTES } from '../../shared/http/routes';
import { type Context, contextSource, fastApp } from './fixture';

/** Findings of a fresh AwsSolutions pack over the whole app, as `rule @ construct path` lines. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

function kouanApp(context: Context): App {
  const app = fastApp();
  addKouanStage(app, loadStageConfig(contextSource(context), {}));
  return app;
}

/** Every acknowledgement in the tree: `rule @ path` → reason. */
function acknowledgements(app: App): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
        found.set(`${id.replace(/^annotation::/i, '')} @ ${c.node.path}`, reason);
    }
    for (const child of c.node.children) visit(child);
  };
  visit(app);
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev', {}],
    ['dev with an alarm e-mail', { alarmEmail: 'ops@port.example' }],
    [
      'prod',
      {
        stage: 'prod',
        portCode: 'NLRTM',
        riskSeed: 'prod-test-selectivity-seed',
        account: '111111111111',
        region: 'eu-west-1',
      },
    ],
  ] as const)('reports no unacknowledged finding for %s, and synth passes the checks', (_, context) => {
    const app = kouanApp(context);
    // Synth runs the pack as a validation plugin and throws on any finding (how `cdk synth` fails).
    expect(() => app.synth()).not.toThrow();
    expect(findings(app)).toEqual([]);
  });

  it('fails synth on a finding, so the check above can fail', () => {
    const app = kouanApp({});
    const stack = Stack.of(app.node.findChild('Kouan-dev-Ingest'));
    // Unencrypted, no TLS policy, no dead-letter queue: AwsSolutions-SQS2, SQS3 and SQS4.
    new sqs.Queue(stack, 'CarelessQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(findings(app)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS2 @ Kouan-dev-Ingest/CarelessQueue/Resource',
        'AwsSolutions-SQS3 @ Kouan-dev-Ingest/CarelessQueue/Resource',
        'AwsSolutions-SQS4 @ Kouan-dev-Ingest/CarelessQueue/Resource',
      ]),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  /** One APIG4 acknowledgement per public route of the route table, on that route only. */
  const publicRouteAcks = (stage: string) =>
    ROUTES.filter((r) => r.access === 'public').map(
      (r) => `AwsSolutions-APIG4 @ Kouan-${stage}-Api/AgencyApi/${routeConstructId(r)}`,
    );

  it('acknowledges exactly the reviewed findings, each on its own resource with a reason', () => {
    const acks = acknowledgements(kouanApp({}));
    expect([...acks.keys()].sort()).toEqual(
      [
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Ingest/Ingest/Role/DefaultPolicy',
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Api/ApiFunction/Role/DefaultPolicy',
        // One-stop gate release: publish to the gate commands topics, and the IoT data endpoint lookup.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/kouan/v1/*/gate/*/commands] @ Kouan-dev-Ingest/Ingest/Role/DefaultPolicy',
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Ingest/IotDataEndpoint/Describe',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] @ Kouan-dev-Ingest/AWS679f53fac002430cb0da5b7982bd2287',
        'AwsSolutions-KDS3 @ Kouan-dev-Stateful/DeviceEvents',
        'AwsSolutions-SQS3 @ Kouan-dev-Stateful/IngestFailures',
        'AwsSolutions-COG2 @ Kouan-dev-Stateful/Agencies/UserPool',
        // Joint control: X-Ray of the workflow function; the state machine's log delivery and X-Ray, and its invoke
        // of the workflow function's versions (`…:*`).
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Workflow/WorkflowFunction/Role/DefaultPolicy',
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Workflow/JointControl/StateMachine/Role/DefaultPolicy',
        'AwsSolutions-IAM5[Resource::<WorkflowFunction30483B6C.Arn>:*] @ Kouan-dev-Workflow/JointControl/StateMachine/Role/DefaultPolicy',
        // Scheduled performance evaluation: X-Ray of its function.
        'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Evaluation/EvaluationFunction/Role/DefaultPolicy',
        ...publicRouteAcks('dev'),
      ].sort(),
    );
    for (const reason of acks.values()) expect(reason.length).toBeGreaterThan(60);
  });

  it('acknowledges optional MFA only outside production', () => {
    const acks = acknowledgements(
      kouanApp({
        stage: 'prod',
        portCode: 'NLRTM',
        riskSeed: 'prod-test-selectivity-seed',
        account: '111111111111',
        region: 'eu-west-1',
      }),
    );
    expect([...acks.keys()].filter((k) => k.includes('COG2'))).toEqual([]);
    expect([...acks.keys()].filter((k) => k.includes('APIG4')).sort()).toEqual(publicRouteAcks('prod').sort());
  });

  it('fails synth on a route without authorization that the route table does not mark public', () => {
    const app = kouanApp({});
    const api = app.node.findChild('Kouan-dev-Api').node.findChild('AgencyApi') as HttpApiToFunction;
    new apigwv2.HttpRoute(api, 'Unguarded', {
      httpApi: api.api,
      routeKey: apigwv2.HttpRouteKey.with('/v1/unguarded', apigwv2.HttpMethod.GET),
      integration: new integrations.HttpLambdaIntegration('Unguarded', lambda.Function.fromFunctionName(api, 'F', 'f')),
    });
    expect(findings(app)).toEqual(['AwsSolutions-APIG4 @ Kouan-dev-Api/AgencyApi/Unguarded/Resource']);
  });

  it('allows Resource "*" in IAM policies only for X-Ray, the IoT endpoint lookup and Step Functions log delivery, which have no resource-level permissions', () => {
    type Policy = { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
    type Resources = Record<string, { Type: string; Properties: Policy }>;
    const starActions: string[] = [];
    for (const artifact of kouanApp({}).synth().stacks) {
      for (const resource of Object.values((artifact.template as { Resources: Resources }).Resources)) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        for (const s of resource.Properties.PolicyDocument.Statement) {
          const targets = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
          if (targets.includes('*')) starActions.push(...(Array.isArray(s.Action) ? s.Action : [s.Action]));
        }
      }
    }
    // X-Ray once per function role (ingest, API, workflow, evaluation); DescribeEndpoint once, for the IoT data endpoint lookup;
    // the state machine's execution-log delivery and X-Ray (with sampling rules) once.
    expect([...new Set(starActions)].sort()).toEqual([
      'iot:DescribeEndpoint',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(starActions).toHaveLength(5 + 2 + 12 + 2);
  });
});
