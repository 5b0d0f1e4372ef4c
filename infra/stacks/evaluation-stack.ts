import * as path from 'node:path';
import { CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { PORT_CALL_RULE } from '../../shared/domain/performance/vessel-calls';
import { resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { PortFunction } from '../constructs/port-function';
import { grantPortTableReadWrite } from '../constructs/port-table-access';
import type { StatefulResources } from './stateful-stack';

/** The evaluation handler module; the path is fixed by the repository layout (DESIGN.md). */
export const EVALUATION_ENTRY = path.join(__dirname, '..', '..', 'functions', 'evaluation', 'handler.ts');

export interface EvaluationStackProps extends StackProps {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** Topic the evaluation's alarm notifies (one topic for all of Kouan). */
  readonly alarmTopic: sns.ITopic;
  /**
   * When the evaluation runs: every five minutes (it folds the open hour's closed five-minute slots, and each hour
   * once it has closed).
   * @default events.Schedule.rate(Duration.minutes(5))
   */
  readonly schedule?: events.Schedule;
}

/**
 * The scheduled port performance evaluation (docs/performance.md): an EventBridge rule runs the evaluation function
 * every five minutes; it folds facts into slot and hour buckets and writes KPI snapshots to the port table. Stateless:
 * safe to destroy and redeploy (the API computes any period from the buckets on demand).
 */
export class EvaluationStack extends Stack {
  readonly function: PortFunction;
  readonly rule: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EvaluationStackProps) {
    super(scope, id, props);
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, stateful } = props;
    const names = resourceNames(config.stage);

    this.function = new PortFunction(this, 'EvaluationFunction', {
      entry: EVALUATION_ENTRY,
      serviceName: 'kouan-evaluation',
      description: 'Port performance: fold hour buckets, close silent vessel calls, write KPI snapshots (hourly)',
      memorySize: 512,
      // A busy port's month of buckets evaluates in about a second; folding hours reads their facts.
      timeout: Duration.minutes(5),
      environment: {
        [ENV.tableName]: stateful.table.tableName,
        [ENV.portCode]: config.portCode,
        ...(config.evaluatedPorts ? { [ENV.evaluatedPorts]: config.evaluatedPorts.join(',') } : {}),
        // The ADB/KMI port-call rule: a call ends after 24 h without a kept report.
        [ENV.portCallSplitMinutes]: String(PORT_CALL_RULE.splitGapMs / 60_000),
      },
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.evaluationFunctionLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    // Buckets, snapshots and vessel-call state are written; facts read (single-item writes, no transactions).
    grantPortTableReadWrite(this.function.function, stateful.table, stateful.key);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the port performance evaluation every five minutes',
      schedule: props.schedule ?? events.Schedule.rate(Duration.minutes(5)),
      targets: [
        // The run is idempotent: a retry folds and writes the same items again; a later run catches up anyway.
        new targets.LambdaFunction(this.function.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) }),
      ],
    });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'EvaluationErrors', {
      alarmDescription:
        'The performance evaluation failed: hour buckets and snapshots are stale (the API still computes live hours ' +
        'from their facts, up to its limit). Check the function logs; the next run catches up.',
      metric: this.function.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(15) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const notify = new actions.SnsAction(props.alarmTopic);
    this.errorsAlarm.addAlarmAction(notify);
    this.errorsAlarm.addOkAction(notify);
  }
}
