import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../shared/config/env';
import { synthKouan } from './fixture';

// The scheduled performance evaluation: an hourly rule → the evaluation function, on the port table, alarmed.
const kouan = synthKouan();
const t = Template.fromStack(kouan.stacks.evaluation);

describe('the evaluation stack', () => {
  it('runs the evaluation function every five minutes, with retries', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EvaluationFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 },
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });

  it('gives the function the table and the served port, on the platform defaults (Node 24, arm64)', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          [ENV.portCode]: kouan.config.portCode,
          [ENV.tableName]: Match.anyValue(),
          // The ADB/KMI rule: 24 h.
          [ENV.portCallSplitMinutes]: '1440',
        }),
      },
    });
  });

  it('grants item access on the port table only, without Scan', () => {
    const policies = t.findResources('AWS::IAM::Policy');
    const actions = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
        Array.isArray(s.Action) ? s.Action : [s.Action],
      ),
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem']));
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('alarms on a failed run to the platform’s alarm topic', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Threshold: 0,
      AlarmActions: [Match.anyValue()],
      OKActions: [Match.anyValue()],
    });
  });
});
