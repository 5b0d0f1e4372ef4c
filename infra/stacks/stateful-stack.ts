import { ArnFormat, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PORT_TABLE } from '../../shared/platform/port-table';
import { resourceNames } from '../config/names';
import type { StageConfig } from '../config/stage-config';
import { AgencyIdentity } from '../constructs/agency-identity';

/** What the stateless stacks receive from the stateful one: typed references, not names copied around. */
export interface StatefulResources {
  /** Encrypts the table, the stream, the queues, Kouan's log groups and the alarm topic. */
  readonly key: kms.IKey;
  /** The port table, laid out as `PORT_TABLE` says. */
  readonly table: dynamodb.ITable;
  /** Device events, one partition key per device (the topic rule's `${topic(5)}`). */
  readonly stream: kinesis.IStream;
  /** Where the ingest event source mapping sends batches it gave up on (pointers into the stream). */
  readonly ingestFailureQueue: sqs.IQueue;
  /** The agencies' user pool: its groups are the roles, its tokens are what the API's authorizer accepts. */
  readonly userPool: cognito.IUserPool;
  /** The agency apps' client: the audience (`client_id`) of the tokens the API accepts. */
  readonly agencyAppClient: cognito.IUserPoolClient;
}

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds data and outlives a deploy: one customer-managed key, the port table, the device event
 * stream, the ingest failure queue, and the agencies' user pool (it holds the users, their passwords and MFA
 * enrolments: redeploying the API must never recreate it). Removal policy and deletion protection come from the
 * stage config.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly stream: kinesis.Stream;
  readonly ingestFailureQueue: sqs.Queue;
  readonly agencies: AgencyIdentity;
  readonly userPool: cognito.IUserPool;
  readonly agencyAppClient: cognito.IUserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = resourceNames(config.stage);

    this.key = new kms.Key(this, 'DataKey', {
      alias: names.keyAlias,
      description: `Kouan ${config.stage} (${config.portCode}): port table, device stream, queues, logs, alarms`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });
    this.allowLogsToUseKey(names.logGroupPrefix);
    // Alarms publish to an encrypted SNS topic only if CloudWatch may use the topic's key; AWS-managed
    // aws/sns cannot grant that, which is why the topic shares this customer-managed key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // The documented form for alarm actions on encrypted topics; SNS calls KMS on CloudWatch's behalf, so
        // a source condition here would not be guaranteed to be present and would silence every alarm.
        resources: ['*'],
      }),
    );

    this.table = new dynamodb.Table(this, 'PortTable', {
      partitionKey: { name: PORT_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: PORT_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.tableDeletionProtection,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: PORT_TABLE.ttlAttribute,
      removalPolicy: config.removalPolicy,
    });
    for (const index of PORT_TABLE.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    const mode = config.shardMode;
    this.stream = new kinesis.Stream(this, 'DeviceEvents', {
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.key,
      retentionPeriod: Duration.hours(config.streamRetentionHours),
      ...(mode === 'on-demand'
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: mode.provisioned }),
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.stream).acknowledge({
      id: 'AwsSolutions-KDS3',
      reason:
        'A customer-managed key is required here: the issue asks for one, it is rotated yearly, and one key ' +
        'covers the stream, table, queues and logs of the port. KDS3 only warns of its per-request KMS cost.',
    });

    this.ingestFailureQueue = new sqs.Queue(this, 'IngestFailures', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      // Reuse data keys for the maximum period: this queue is written rarely and read by operators.
      dataKeyReuse: Duration.hours(24),
      enforceSSL: true,
      // The maximum: an operator has two weeks to replay, but the stream must still hold the records
      // (see docs/deploy.md), which is why the alarm fires on the first message.
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.ingestFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter store of the ingest event source mapping. Nothing consumes it ' +
        'automatically, so there is no failed receive to redirect; an alarm fires on its first message.',
    });

    this.agencies = new AgencyIdentity(this, 'Agencies', {
      ...config.agencyIdentity,
      userPoolName: names.userPool,
      clientName: names.agencyAppClient,
      removalPolicy: config.removalPolicy,
    });
    this.userPool = this.agencies.userPool;
    this.agencyAppClient = this.agencies.client;
  }

  /**
   * Lets CloudWatch Logs encrypt Kouan's log groups (and only those: the encryption context names the group)
   * with the data key. Log groups live in other stacks; the grant is here so that the key policy stays in the
   * key's own stack and no stack depends on a later one.
   */
  private allowLogsToUseKey(logGroupPrefix: string): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForKouanLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${logGroupPrefix}/*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
