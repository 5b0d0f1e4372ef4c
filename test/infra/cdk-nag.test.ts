import { type App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { loadStageConfig } from '../../infra/config/load-stage-config';
import { addKouanStage } from '../../infra/kouan-app';
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
    ['prod', { stage: 'prod', portCode: 'NLRTM', account: '111111111111', region: 'eu-west-1' }],
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

  it('acknowledges exactly the reviewed findings, each on its own resource with a reason', () => {
    const acks = acknowledgements(kouanApp({}));
    expect([...acks.keys()].sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ Kouan-dev-Ingest/Ingest/Role/DefaultPolicy',
      'AwsSolutions-KDS3 @ Kouan-dev-Stateful/DeviceEvents',
      'AwsSolutions-SQS3 @ Kouan-dev-Stateful/IngestFailures',
    ]);
    for (const reason of acks.values()) expect(reason.length).toBeGreaterThan(60);
  });

  it('allows Resource "*" in IAM policies only for X-Ray, which has no resource-level permissions', () => {
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
    expect(starActions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});
