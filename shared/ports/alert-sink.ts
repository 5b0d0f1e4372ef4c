import type { Alert } from '../domain/model';

/**
 * Where the ingest use case hands every alert of an accepted message (a port): joint control raises incidents from
 * some of them (shared/use-cases/incident-triggers.ts). Must be idempotent on the alert id (a message may be
 * delivered more than once) and must throw when it could not finish, so that the stream record is retried.
 */
export interface AlertSink {
  alert(alert: Alert): Promise<void>;
}
