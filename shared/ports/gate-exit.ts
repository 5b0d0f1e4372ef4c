import type { GateTransactionProjection, MessageSource } from '../domain/ingest/ingest-plan';
import type { Alert } from '../domain/model';

/**
 * Where the ingest use case hands a truck passing an exit gate (a port): the one-stop release decides, commands the
 * gate device and returns the decision as an alert for the ingest use case to record. Throws when it could not
 * finish (the stream record is retried).
 */
export interface GateExit {
  truckLeaving(source: MessageSource, messageId: string, gate: GateTransactionProjection): Promise<Alert>;
}
