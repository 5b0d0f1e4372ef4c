import * as path from 'node:path';
import {
  Arn,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { DeviceFleet } from '../constructs/device-fleet';
import { IotDataEndpoint } from '../constructs/iot-data-endpoint';
import { IotToKinesis } from '../constructs/iot-to-kinesis';
import { KinesisToFunction } from '../constructs/kinesis-to-function';
import { AlarmTopic, IngestAlarms } from '../constructs/monitoring';
import { PortFunction } from '../constructs/port-function';
import { grantPortTableReadWrite } from '../constructs/port-table-access';
import type { StatefulResources } from './stateful-stack';

/** The ingest handler module; the path is fixed by the repository layout (DESIGN.md). */
export const INGEST_ENTRY = path.join(__dirname, '..', '..', 'functions', 'ingest', 'handler.ts');

/** The topics the ingest function may publish to: every gate's commands topic (`kouan/v1/{port}/gate/{id}/commands`). */
export const GATE_COMMANDS_TOPICS = 'kouan/v1/*/gate/*/commands';

export interface IngestStackProps extends StackProps {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
}

/**
 * The stateless device path: device identity and policy in IoT Core, the topic rule onto the stream, the ingest
 * function and its event source mapping, and the alarms on all of it. Safe to destroy and redeploy: it holds no
 * data (the rule's error log group keeps undeliverable messages and follows the stage's removal policy).
 */
export class IngestStack extends Stack {
  readonly fleet: DeviceFleet;
  readonly topicRule: IotToKinesis;
  readonly ingest: PortFunction;
  readonly mapping: KinesisToFunction;
  readonly alarms: IngestAlarms;
  /** Every Kouan alarm notifies this topic; the API stack's alarms use it too. */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: IngestStackProps) {
    super(scope, id, props);
    // Strong (CloudFormation exports): the stateful stack cannot be deleted while this stack still reads it.
    // Set before any child exists; the context is read per consumer.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, stateful } = props;
    const names = resourceNames(config.stage);

    this.fleet = new DeviceFleet(this, 'Devices', {
      policyName: names.devicePolicy,
      thingTypeName: names.thingType,
    });

    this.topicRule = new IotToKinesis(this, 'DeviceEventsRule', {
      ruleName: names.ingestTopicRule,
      stream: stateful.stream,
      key: stateful.key,
      errorLogGroupName: names.topicRuleErrorLogGroup,
      errorLogRetention: config.logRetentionDays,
      errorLogRemovalPolicy: config.removalPolicy,
    });

    this.ingest = new PortFunction(this, 'Ingest', {
      entry: INGEST_ENTRY,
      serviceName: 'kouan-ingest',
      description: 'Device events from the stream: validate, de-duplicate on messageId, write the port table',
      // JSON parsing and schema validation of 100-record batches are CPU-bound; memory buys CPU.
      memorySize: 512,
      timeout: Duration.seconds(30),
      environment: {
        [ENV.tableName]: stateful.table.tableName,
        [ENV.dedupeWindowHours]: String(config.dedupeWindowHours),
        [ENV.trackRetentionHours]: String(config.trackRetentionHours),
        // Device evidence re-assesses declarations with the seed they were lodged with (the same draw).
        [ENV.riskSeed]: config.riskSeed,
      },
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.ingestFunctionLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    grantPortTableReadWrite(this.ingest.function, stateful.table, stateful.key);

    // One-stop gate release: the ingest function publishes open/hold to the gate devices' commands topics, and
    // to nothing else (the device policy lets a gate subscribe to its own commands topic only).
    const iotData = new IotDataEndpoint(this, 'IotDataEndpoint');
    this.ingest.function.addEnvironment(ENV.iotDataEndpoint, iotData.url);
    this.ingest.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iot:Publish'],
        resources: [Arn.format({ service: 'iot', resource: 'topic', resourceName: GATE_COMMANDS_TOPICS }, this)],
      }),
    );
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    const policy = this.ingest.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iot:${region}:${account}:topic/${GATE_COMMANDS_TOPICS}]`,
        reason:
          'Gate commands go to any gate device of any port this deployment serves; the wildcards stand for the port ' +
          'code and the device id only (test/infra asserts the exact topic pattern).',
      });
    }

    this.mapping = new KinesisToFunction(this, 'StreamToIngest', {
      stream: stateful.stream,
      function: this.ingest.function,
      failureQueue: stateful.ingestFailureQueue,
      failureQueueKey: stateful.key,
      maxRecordAge: Duration.hours(config.maxRecordAgeHours),
      retryAttempts: config.retryAttempts,
    });

    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      key: stateful.key,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    });
    this.alarms = new IngestAlarms(this, 'Alarms', {
      stream: stateful.stream,
      function: this.ingest.function,
      failureQueue: stateful.ingestFailureQueue,
      topicRuleName: names.ingestTopicRule,
      topicRuleErrorLogGroup: this.topicRule.errorLogGroup,
      metricNamespace: names.metricNamespace,
      alarmTopic: this.alarmTopic.topic,
    });
  }
}
