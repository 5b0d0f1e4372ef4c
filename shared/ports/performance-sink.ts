import type { IngestPlan } from '../domain/ingest/ingest-plan';

/**
 * The ingest hook of the performance evaluation: an accepted device message, after its projections, before its
 * message-log entry (so that a failure retries the record). Everything it writes is idempotent.
 */
export interface PerformanceSink {
  observe(plan: Extract<IngestPlan, { outcome: 'accepted' }>): Promise<void>;
}
