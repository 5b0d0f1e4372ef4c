import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Customer-managed key whose policy lets cloudwatch.amazonaws.com use it (AWS-managed aws/sns cannot). */
  readonly key: kms.IKey;
  /**
   * Subscribed by e-mail; the address must confirm the subscription once.
   * @default - no subscription: subscribe a pager, chat or ticket integration to the topic yourself
   */
  readonly email?: string;
}

/** The encrypted, TLS-only SNS topic every Kouan alarm notifies. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Kouan alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}

export interface IngestAlarmsProps {
  readonly stream: kinesis.IStream;
  readonly function: lambda.IFunction;
  readonly failureQueue: sqs.IQueue;
  /** Name of the IoT topic rule that feeds the stream. */
  readonly topicRuleName: string;
  /** Log group the topic rule's error action writes to. */
  readonly topicRuleErrorLogGroup: logs.ILogGroup;
  /** Namespace of Kouan's own metrics. */
  readonly metricNamespace: string;
  /** Notified when an alarm fires and when it clears. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Ingest lag that raises the iterator-age alarms. Below the record age at which the mapping gives up, so that
   * someone hears of a stuck shard hours before records leave for the failure queue.
   * @default Duration.seconds(60)
   */
  readonly maxIteratorAge?: Duration;
}

/**
 * An alarm factory for a construct: fires when the metric is above the threshold. No data means no traffic,
 * errors or lag, which is not a reason to page.
 */
function aboveThreshold(scope: Construct) {
  return (
    name: string,
    description: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    evaluationPeriods = 1,
  ): cloudwatch.Alarm =>
    new cloudwatch.Alarm(scope, name, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
}

/**
 * Alarms on the device → table path, each on a symptom an operator must act on: the stream or the function
 * falling behind (iterator age), the function failing, a batch given up on (failure queue not empty), and IoT
 * Core failing to put messages on the stream (rule error action fired, or rule throttled).
 */
export class IngestAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IngestAlarmsProps) {
    super(scope, id);
    const maxAgeMs = (props.maxIteratorAge ?? Duration.seconds(60)).toMilliseconds();
    const oneMinute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    const ruleErrors = new logs.MetricFilter(this, 'TopicRuleErrorCount', {
      logGroup: props.topicRuleErrorLogGroup,
      // Every event in this log group is one message the rule could not deliver.
      filterPattern: logs.FilterPattern.allEvents(),
      metricNamespace: props.metricNamespace,
      metricName: 'TopicRuleErrors',
      metricValue: '1',
    });

    const alarm = aboveThreshold(this);

    this.alarms = [
      alarm(
        'StreamIteratorAge',
        'Device events wait on the stream longer than the ingest budget: a consumer is stuck or too slow.',
        props.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: oneMinute }),
        maxAgeMs,
        3,
      ),
      alarm(
        'FunctionIteratorAge',
        'The ingest mapping lags its shards (retries of a failing batch hold the shard back).',
        props.function.metric('IteratorAge', { statistic: 'Maximum', period: oneMinute }),
        maxAgeMs,
        3,
      ),
      alarm(
        'FunctionErrors',
        'The ingest function failed whole invocations (not single records, which it reports as batch failures).',
        props.function.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
        0,
      ),
      alarm(
        'FailureQueueNotEmpty',
        'The ingest mapping gave up on a batch: replay it from the stream before the stream retention ends.',
        props.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }),
        0,
      ),
      alarm(
        'TopicRuleActionFailures',
        'IoT Core could not put device messages on the stream; they are kept in the rule error log group.',
        ruleErrors.metric({ statistic: 'Sum', period: fiveMinutes }),
        0,
      ),
      alarm(
        'TopicRuleThrottled',
        'IoT Core throttled the ingest topic rule: device messages were not routed.',
        new cloudwatch.Metric({
          namespace: 'AWS/IoT',
          metricName: 'RuleMessageThrottled',
          dimensionsMap: { RuleName: props.topicRuleName },
          statistic: 'Sum',
          period: fiveMinutes,
        }),
        0,
      ),
    ];

    const notify = new actions.SnsAction(props.alarmTopic);
    for (const a of this.alarms) {
      a.addAlarmAction(notify);
      a.addOkAction(notify);
    }
  }
}

export interface ApiAlarmsProps {
  readonly api: apigwv2.IHttpApi;
  /** The function behind every route. */
  readonly function: lambda.IFunction;
  /** Notified when an alarm fires and when it clears. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Share of requests answered 5xx, in percent, over 5 minutes, that raises the alarm.
   * @default 5
   */
  readonly serverErrorPercent?: number;
  /**
   * Fewer requests than this in 5 minutes never raise the 5xx alarm: one failed call at night is not 100 % down.
   * @default 20
   */
  readonly minRequestsForErrorRate?: number;
  /**
   * p99 of API Gateway's `Latency` (request in to response out, authorizer included) that raises the alarm.
   * @default Duration.seconds(2)
   */
  readonly p99Latency?: Duration;
}

/**
 * Alarms on the agency API, each on a symptom callers feel: a share of 5xx answers, a slow p99, and the function
 * failing whole invocations (a crash or timeout, which API Gateway turns into a 500 the handler never saw).
 */
export class ApiAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const minRequests = props.minRequestsForErrorRate ?? 20;

    const serverErrorRate = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${minRequests}, 100 * errors / requests, 0)`,
      usingMetrics: {
        errors: props.api.metricServerError({ statistic: 'Sum', period: fiveMinutes }),
        requests: props.api.metricCount({ statistic: 'Sum', period: fiveMinutes }),
      },
      label: '5xx answers (% of requests)',
      period: fiveMinutes,
    });

    const alarm = aboveThreshold(this);

    this.alarms = [
      alarm(
        'ServerErrorRate',
        'The agency API answered more than the accepted share of requests with 5xx over 5 minutes.',
        serverErrorRate,
        props.serverErrorPercent ?? 5,
      ),
      alarm(
        'LatencyP99',
        'The agency API p99 latency (authorizer and function included) stayed above its budget for 15 minutes.',
        props.api.metricLatency({ statistic: 'p99', period: fiveMinutes }),
        (props.p99Latency ?? Duration.seconds(2)).toMilliseconds(),
        3,
      ),
      alarm(
        'FunctionErrors',
        'The API function failed whole invocations (crash, timeout or bad configuration at cold start).',
        props.function.metricErrors({ statistic: 'Sum', period: fiveMinutes }),
        0,
      ),
    ];

    const notify = new actions.SnsAction(props.alarmTopic);
    for (const a of this.alarms) {
      a.addAlarmAction(notify);
      a.addOkAction(notify);
    }
  }
}

export interface WorkflowAlarmsProps {
  /** The joint-control state machine. */
  readonly stateMachine: sfn.IStateMachine;
  /** The function behind its Lambda tasks. */
  readonly function: lambda.IFunction;
  /** Notified when an alarm fires and when it clears. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Alarms on the joint-control workflow: an execution that failed, timed out or was aborted left an incident whose
 * agencies may not have been dispatched or whose outcome was not fed back (a failed execution has still tried to
 * close the incident, see JointControlWorkflow); and the workflow function failing whole invocations, which the
 * state machine retries but an operator should hear of.
 */
export class WorkflowAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: WorkflowAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const alarm = aboveThreshold(this);
    const sum = { statistic: 'Sum', period: fiveMinutes };

    this.alarms = [
      alarm(
        'ExecutionsFailed',
        'A joint-control execution failed: its incident may be closed without findings (ClosedAfterFailure) or not ' +
          'closed at all (CloseFailed). Check the execution history and close or re-raise the incident by hand.',
        props.stateMachine.metricFailed(sum),
        0,
      ),
      alarm(
        'ExecutionsTimedOut',
        'A joint-control execution ran past its own timeout: its incident stays open. Close it by hand.',
        props.stateMachine.metricTimedOut(sum),
        0,
      ),
      alarm(
        'ExecutionsAborted',
        'A joint-control execution was stopped: its incident stays open and its agency tasks no longer time out.',
        props.stateMachine.metricAborted(sum),
        0,
      ),
      alarm(
        'FunctionErrors',
        'The incident workflow function failed invocations (the state machine retries them; a persistent failure ' +
          'ends agency tasks as failed or fails the execution).',
        props.function.metricErrors(sum),
        0,
      ),
    ];

    const notify = new actions.SnsAction(props.alarmTopic);
    for (const a of this.alarms) {
      a.addAlarmAction(notify);
      a.addOkAction(notify);
    }
  }
}
