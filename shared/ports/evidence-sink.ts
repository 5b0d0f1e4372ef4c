import type { DeviceEvidence } from '../domain/ingest/device-evidence';

/**
 * Where the ingest use case hands device evidence about cargo (a port): re-assessment of the open declarations it
 * concerns. Must be idempotent on the evidence's fact ids (a message may be delivered more than once) and must
 * throw when it could not finish, so that the stream record is retried.
 */
export interface EvidenceSink {
  evidence(evidence: DeviceEvidence): Promise<void>;
}
