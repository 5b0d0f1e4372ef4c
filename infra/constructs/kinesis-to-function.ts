import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface KinesisToFunctionProps {
  readonly stream: kinesis.IStream;
  readonly function: lambda.IFunction;
  /** Receives a pointer (shard, sequence range) to each batch the mapping gives up on. */
  readonly failureQueue: sqs.IQueue;
  /** Key of the failure queue; the function needs it to send there. */
  readonly failureQueueKey: kms.IKey;
  /**
   * Give up on a record older than this (it then goes to the failure queue). Must be below the stream's
   * retention, or the pointer in the failure queue leads nowhere.
   */
  readonly maxRecordAge: Duration;
  /**
   * Retries of a failing batch; with bisection a poison record is isolated in about log2(batch size) of them.
   * @default 10
   */
  readonly retryAttempts?: number;
  /** @default 100 */
  readonly batchSize?: number;
  /**
   * Concurrent batches per shard. Lambda keeps records of one partition key (one device) in order at any
   * factor, so raising it keeps per-device order; 1 keeps the whole shard in order.
   * @default 1
   */
  readonly parallelizationFactor?: number;
}

/**
 * The ingest event source mapping, set up so that a poison record never blocks a shard (DESIGN.md "Data rules"):
 * start from the oldest record, report partial batch failures, bisect a failing batch, bounded retries and record
 * age, then an encrypted on-failure queue. No tumbling window: the handler keeps no state between batches.
 */
export class KinesisToFunction extends Construct {
  readonly eventSource: sources.KinesisEventSource;

  constructor(scope: Construct, id: string, props: KinesisToFunctionProps) {
    super(scope, id);
    this.eventSource = new sources.KinesisEventSource(props.stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 100,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts ?? 10,
      maxRecordAge: props.maxRecordAge,
      parallelizationFactor: props.parallelizationFactor ?? 1,
      onFailure: new EncryptedSqsOnFailure(props.failureQueue, props.failureQueueKey),
    });
    props.function.addEventSource(this.eventSource);
  }
}

/**
 * On-failure destination with the two permissions sending to a KMS-encrypted queue needs. (The library's
 * `SqsDlq` grants kms:ReEncrypt* and kms:GenerateDataKey* as well, which this path never calls.)
 */
class EncryptedSqsOnFailure implements lambda.IEventSourceDlq {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }),
    );
    return { destination: this.queue.queueArn };
  }
}
