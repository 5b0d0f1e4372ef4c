import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { IngestPlan } from '../domain/ingest/ingest-plan';
import { planIngest } from '../domain/ingest/plan-ingest';
import type { IngestSession, IngestStore } from '../ports/ingest-store';
import { executePlan, type IngestHooks, messageRefOf } from '../use-cases/ingest-device-message';
import { DeviceSequencer } from './device-sequencer';

/**
 * The Kinesis batch around the ingest use case (Powertools partial batch responses). Records of different
 * devices (partition keys) run concurrently, one device's in order; a record whose processing throws is reported
 * in `batchItemFailures` together with the later records of its device, so the retry replays them in order.
 * Bad input does not throw: the use case dead-letters it and the record counts as processed. One store session
 * per invocation batches the writes that need no condition. `hooks` re-assess the declarations that device evidence
 * concerns and release trucks at the exit gate (see executePlan).
 */
export function createIngestBatchHandler(store: IngestStore, logger: Logger, hooks: IngestHooks = {}) {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);

  async function processRecord(
    session: IngestSession,
    batchHooks: IngestHooks,
    record: KinesisStreamRecord,
    plan: IngestPlan,
  ): Promise<void> {
    const result = await executePlan(session, plan, batchHooks);
    if (result.outcome === 'rejected' || result.deadLetters > 0) {
      logger.warn('device message dead-lettered', {
        deviceId: result.deviceId,
        key: result.key,
        outcome: result.outcome,
        deadLetters: result.deadLetters,
        sequenceNumber: record.kinesis.sequenceNumber,
      });
    }
  }

  return async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
    const sequencer = new DeviceSequencer();
    const session = store.session();
    const performance = hooks.performance?.batch?.();
    const batchHooks: IngestHooks = performance ? { ...hooks, performance } : hooks;
    // Plan every record first (pure), so the batch's duplicates are found with one look at the message log.
    const plans = new Map<string, IngestPlan>();
    for (const r of event.Records) {
      const arrivedAt = new Date(Math.round(r.kinesis.approximateArrivalTimestamp * 1000)).toISOString();
      plans.set(r.kinesis.sequenceNumber, planIngest(Buffer.from(r.kinesis.data, 'base64'), arrivedAt));
    }
    await session.prefetch([...plans.values()].map(messageRefOf));
    const response = await processPartialResponse(
      event,
      (record: KinesisStreamRecord) =>
        sequencer.run(record.kinesis.partitionKey, () => {
          const plan = plans.get(record.kinesis.sequenceNumber);
          if (!plan) throw new Error(`no plan for record ${record.kinesis.sequenceNumber}`);
          return processRecord(session, batchHooks, record, plan);
        }),
      processor,
      // A batch where every record failed is still answered with its failures (not thrown), so the mapping
      // retries from the first one instead of re-running the whole batch as an invocation error.
      { context, throwOnFullBatchFailure: false },
    );
    // The batch's deferred writes: the performance facts, then the device tallies, track points, dead letters and
    // "applied" marks (message-log entries last). If this throws,
    // the invocation fails and the whole batch is retried (and bisected): every step is idempotent.
    await performance?.flush();
    await session.flush();
    if (response.batchItemFailures.length > 0) {
      logger.error('records failed and will be retried', {
        failed: response.batchItemFailures.length,
        of: event.Records.length,
        errors: processor.errors.slice(0, 5).map((e) => e.message),
      });
    }
    return response;
  };
}
