/**
 * Cost per million device events on AWS, from list prices (us-east-1, on-demand, as published in 2025; check
 * before you rely on them) and the request counts the ingest benchmark measures. Every assumption is a field
 * here and is printed with the result in docs/benchmarks.md.
 */
export interface CostAssumptions {
  /** IoT Core messaging, per million messages (each ≤ 5 KB). */
  iotMessagePerMillion: number;
  /** IoT rules engine: per million rules triggered, and per million actions executed. */
  iotRulePerMillion: number;
  iotActionPerMillion: number;
  /** Kinesis on-demand: per GB ingested and per GB retrieved, and the stream-hour charge. */
  kinesisIngestPerGb: number;
  kinesisRetrievePerGb: number;
  kinesisStreamHour: number;
  /** Average stream record size (the topic rule's JSON with the base64 payload), bytes. */
  recordBytes: number;
  /** Lambda arm64: per GB-second and per million requests; memory; ms per batch; events per batch. */
  lambdaGbSecond: number;
  lambdaPerMillionRequests: number;
  lambdaMemoryGb: number;
  lambdaMsPerEvent: number;
  eventsPerBatch: number;
  /** DynamoDB on-demand: per million write request units and read request units. */
  dynamoWritePerMillion: number;
  dynamoReadPerMillion: number;
  /** Write units per event (base table + GSI writes) and read units per event (the batch's log lookup). */
  writeUnitsPerEvent: number;
  readUnitsPerEvent: number;
  /** Events per second over the month that the stream-hour charge is spread across. */
  steadyEventsPerSecond: number;
}

export function costPerMillion(a: CostAssumptions): { total: number; parts: Record<string, number> } {
  const gb = (a.recordBytes * 1e6) / 1e9;
  const hoursForMillion = 1e6 / a.steadyEventsPerSecond / 3600;
  const parts = {
    'IoT Core messaging': a.iotMessagePerMillion,
    'IoT rule + Kinesis action': a.iotRulePerMillion + a.iotActionPerMillion,
    'Kinesis on-demand (data + stream hours)':
      gb * (a.kinesisIngestPerGb + a.kinesisRetrievePerGb) + hoursForMillion * a.kinesisStreamHour,
    'Lambda (requests + GB-s)':
      (1e6 / a.eventsPerBatch / 1e6) * a.lambdaPerMillionRequests +
      ((1e6 * a.lambdaMsPerEvent) / 1000) * a.lambdaMemoryGb * a.lambdaGbSecond,
    'DynamoDB (writes + reads)':
      a.writeUnitsPerEvent * a.dynamoWritePerMillion + a.readUnitsPerEvent * a.dynamoReadPerMillion,
  };
  return { total: Object.values(parts).reduce((s, v) => s + v, 0), parts };
}

export const DEFAULT_ASSUMPTIONS: Omit<CostAssumptions, 'lambdaMsPerEvent' | 'writeUnitsPerEvent'> = {
  iotMessagePerMillion: 1.0,
  iotRulePerMillion: 0.15,
  iotActionPerMillion: 0.15,
  kinesisIngestPerGb: 0.08,
  kinesisRetrievePerGb: 0.04,
  kinesisStreamHour: 0.04,
  recordBytes: 700,
  lambdaGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  lambdaMemoryGb: 0.5,
  eventsPerBatch: 100,
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  readUnitsPerEvent: 0.5,
  steadyEventsPerSecond: 200,
};
