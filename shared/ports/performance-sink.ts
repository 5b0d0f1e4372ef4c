import type { IngestPlan } from '../domain/ingest/ingest-plan';

/**
 * The ingest hook of the performance evaluation: an accepted device message, after its projections, before its
 * message-log entry (so that a failure retries the record). Everything it writes is idempotent.
 */
export interface PerformanceSink {
  observe(plan: Extract<IngestPlan, { outcome: 'accepted' }>): Promise<void>;
  /**
   * A sink for one batch of stream records whose device facts are written together by `flush` (one batch write per
   * 25 facts instead of one per message), called before the batch's message-log entries are written.
   */
  batch?(): PerformanceBatch;
}

export interface PerformanceBatch extends PerformanceSink {
  flush(): Promise<void>;
}
