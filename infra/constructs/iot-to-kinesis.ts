import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TOPIC_RULE } from '../../shared/platform/topic-rule';

export interface IotToKinesisProps {
  /** IoT rule name: letters, digits and underscores. */
  readonly ruleName: string;
  /** The device event stream; its key encrypts the records the rule puts. */
  readonly stream: kinesis.IStream;
  /** Key of the stream (and of the error log group). */
  readonly key: kms.IKey;
  /** Name of the log group that keeps messages the rule could not deliver. */
  readonly errorLogGroupName: string;
  readonly errorLogRetention: logs.RetentionDays;
  /**
   * @default RemovalPolicy.RETAIN
   */
  readonly errorLogRemovalPolicy?: RemovalPolicy;
}

/**
 * Routes device events from IoT Core into the stream with the one topic rule definition (`TOPIC_RULE`, also
 * played by the local broker). A message the Kinesis action cannot deliver is not dropped: the error action
 * writes it, original payload included (`base64OriginalPayload`), to an encrypted log group.
 */
export class IotToKinesis extends Construct {
  readonly rule: iot.CfnTopicRule;
  readonly role: iam.Role;
  readonly errorLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: IotToKinesisProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const ruleArn = stack.formatArn({
      service: 'iot',
      resource: 'rule',
      resourceName: props.ruleName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.errorLogGroup = new logs.LogGroup(this, 'ErrorLogs', {
      logGroupName: props.errorLogGroupName,
      retention: props.errorLogRetention,
      encryptionKey: props.key,
      ...(props.errorLogRemovalPolicy ? { removalPolicy: props.errorLogRemovalPolicy } : {}),
    });

    this.role = new iam.Role(this, 'Role', {
      description: `IoT topic rule ${props.ruleName}: put device events on the stream, log failures`,
      // Only this account's rule of this name may assume the role (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('iot.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
    });
    // Written out rather than `stream.grantWrite`, which adds PutRecords, ListShards and kms:ReEncrypt*/
    // GenerateDataKey* wildcards that the rule's single-record Kinesis action never uses.
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kinesis:PutRecord'], resources: [props.stream.streamArn] }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [props.key.keyArn] }));
    // The CloudWatch Logs action creates one log stream per message batch and looks streams up first.
    this.errorLogGroup.grant(this.role, 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents');

    this.rule = new iot.CfnTopicRule(this, 'Rule', {
      ruleName: props.ruleName,
      topicRulePayload: {
        description: 'Device events → Kinesis, partitioned by device id (shared/platform/topic-rule.ts)',
        sql: TOPIC_RULE.sql,
        awsIotSqlVersion: TOPIC_RULE.sqlVersion,
        ruleDisabled: false,
        actions: [
          {
            kinesis: {
              streamName: props.stream.streamName,
              partitionKey: TOPIC_RULE.partitionKey,
              roleArn: this.role.roleArn,
            },
          },
        ],
        errorAction: {
          cloudwatchLogs: {
            logGroupName: this.errorLogGroup.logGroupName,
            roleArn: this.role.roleArn,
            batchMode: false,
          },
        },
      },
    });
    // The rule validates its role when created: the policy must exist first.
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy) this.rule.node.addDependency(policy);
  }
}
