import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoPerformanceStore } from '../../shared/adapters/dynamodb/dynamodb-performance-store';
import { ENV, evaluatedPortsEnv, requireEnv, requireIntEnv } from '../../shared/config/env';
import { type EvaluationRunReport, runScheduledEvaluation } from '../../shared/use-cases/performance';

/**
 * The scheduled performance evaluation (EventBridge, every five minutes): close silent vessel calls, fold closed
 * hours and the open hour's slots into buckets, write the hourly (and, after midnight, daily) snapshots. Thin: the rules live in shared/use-cases/performance.ts.
 * A failure throws, so EventBridge retries the invocation; the run is idempotent.
 */
const logger = new Logger({ serviceName: 'kouan-evaluation' });
const db = createDocumentClient();
const deps = {
  store: new DynamoPerformanceStore(db, { tableName: requireEnv(ENV.tableName) }),
  ports: evaluatedPortsEnv(),
};
const options = { portCallSplitMs: requireIntEnv(ENV.portCallSplitMinutes) * 60_000 };

export const handler = async (): Promise<EvaluationRunReport[]> => {
  const reports = await runScheduledEvaluation(deps, options);
  logger.info('evaluation run', { reports });
  return reports;
};
