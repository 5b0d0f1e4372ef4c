import type { IngestPlan } from '../domain/ingest/ingest-plan';
import { planIngest } from '../domain/ingest/plan-ingest';
import type { IngestStore } from '../ports/ingest-store';

export type IngestOutcome = 'accepted' | 'rejected' | 'duplicate';

export interface IngestResult {
  outcome: IngestOutcome;
  deviceId: string;
  key: string;
  kind?: string;
  deadLetters: number;
}

/**
 * Ingests one stream record: plan (pure), commit to the message log (the commit point), apply projections,
 * tally the device, mark applied. Every step is idempotent, so a retry after a crash at any point, a QoS 1
 * duplicate or a replay days later has the effect of exactly one delivery. Errors from the store propagate:
 * the record is then reported as a batch item failure and retried, never dropped.
 */
export async function ingestDeviceMessage(store: IngestStore, data: Buffer, arrivedAt: string): Promise<IngestResult> {
  const plan = planIngest(data, arrivedAt);
  return executePlan(store, plan);
}

export async function executePlan(store: IngestStore, plan: IngestPlan): Promise<IngestResult> {
  if (plan.outcome === 'rejected') {
    const deviceId = plan.source?.deviceId ?? plan.deadLetter.deviceId;
    const state = await store.commit({
      deviceId,
      key: plan.dedupeKey,
      ...(plan.source ? { port: plan.source.port } : {}),
      outcome: 'rejected',
      receivedAt: plan.deadLetter.receivedAt,
    });
    if (state === 'applied') return { outcome: 'duplicate', deviceId, key: plan.dedupeKey, deadLetters: 0 };
    await store.putDeadLetters([plan.deadLetter]);
    if (plan.source) {
      await store.tallyDevice({ source: plan.source, messageKey: plan.dedupeKey, outcome: 'rejected' });
    }
    await store.markApplied(deviceId, plan.dedupeKey);
    return { outcome: 'rejected', deviceId, key: plan.dedupeKey, deadLetters: 1 };
  }

  const { source, messageId } = plan;
  const state = await store.commit({
    deviceId: source.deviceId,
    key: messageId,
    port: source.port,
    kind: plan.kind,
    outcome: 'accepted',
    observedAt: plan.observedAt,
    receivedAt: source.receivedAt,
  });
  if (state === 'applied') {
    return { outcome: 'duplicate', deviceId: source.deviceId, key: messageId, kind: plan.kind, deadLetters: 0 };
  }
  // Projections of one message touch different items (a vessel, a visit, an alert): apply them concurrently.
  await Promise.all(plan.projections.map((p) => store.apply(source, messageId, p)));
  if (plan.deadLetters.length > 0) await store.putDeadLetters(plan.deadLetters);
  await store.tallyDevice({
    source,
    messageKey: messageId,
    outcome: 'accepted',
    ...(plan.deviceHealth ? { health: plan.deviceHealth } : {}),
  });
  await store.markApplied(source.deviceId, messageId);
  return {
    outcome: 'accepted',
    deviceId: source.deviceId,
    key: messageId,
    kind: plan.kind,
    deadLetters: plan.deadLetters.length,
  };
}
