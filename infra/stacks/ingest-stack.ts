import * as path from 'node:path';
import { CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config/env';
import { resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { DeviceFleet } from '../constructs/device-fleet';
import { IotToKinesis } from '../constructs/iot-to-kinesis';
import { KinesisToFunction } from '../constructs/kinesis-to-function';
import { AlarmTopic, IngestAlarms } from '../constructs/monitoring';
import { PortFunction } from '../constructs/port-function';
import { grantPortTableReadWrite } from '../constructs/port-table-access';
import type { StatefulResources } from './stateful-stack';

/** The ingest handler module; the path is fixed by the repository layout (DESIGN.md). */
export const INGEST_ENTRY = path.join(__dirname, '..', '..', 'functions', 'ingest', 'handler.ts');

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
      },
      logRetention: config.logRetentionDays,
      logEncryptionKey: stateful.key,
      logGroupName: names.ingestFunctionLogGroup,
      logRemovalPolicy: config.removalPolicy,
    });
    grantPortTableReadWrite(this.ingest.function, stateful.table, stateful.key);

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
