import { darkVesselAlert } from '../domain/ais/dark-vessel';
import { deviceEvidenceOf } from '../domain/ingest/device-evidence';
import type { IngestPlan } from '../domain/ingest/ingest-plan';
import type { AlertSink } from '../ports/alert-sink';
import type { EvidenceSink } from '../ports/evidence-sink';
import type { GateExit } from '../ports/gate-exit';
import type { IngestSession, MessageRef } from '../ports/ingest-store';
import type { PerformanceSink } from '../ports/performance-sink';

export type IngestOutcome = 'accepted' | 'rejected' | 'duplicate';

export interface IngestResult {
  outcome: IngestOutcome;
  deviceId: string;
  key: string;
  kind?: string;
  deadLetters: number;
}

/** The message log key of a plan: the device's messageId, or the content hash of a rejected payload. */
export function messageRefOf(plan: IngestPlan): MessageRef {
  return plan.outcome === 'rejected'
    ? { deviceId: plan.source?.deviceId ?? plan.deadLetter.deviceId, key: plan.dedupeKey }
    : { deviceId: plan.source.deviceId, key: plan.messageId };
}

/**
 * Ingests one planned stream record (see `planIngest`, pure): skip it if the log holds it, apply its projections,
 * and leave the device tally and the log entry to the batch's flush. Every write is idempotent, so a retry after
 * a crash at any point, a QoS 1 duplicate or a replay days later has the effect of one delivery. Store errors
 * propagate: the record is then reported as a batch item failure and retried, never dropped.
 *
 * After the projections and before the log entry (so that a failure retries the record): device evidence about
 * cargo (alarms, anomalies, gate reads) goes to `hooks.evidence` (re-assessment of the open declarations it
 * concerns), then a truck leaving through a gate goes to `hooks.gateExit` (one-stop release), whose decision is
 * recorded as an alert.
 */
export interface IngestHooks {
  evidence?: EvidenceSink;
  gateExit?: GateExit;
  /** Every alert of the message (incidents are raised from some); idempotent per alert id, throws to retry. */
  alerts?: AlertSink;
  /** Port performance facts of the message (docs/performance.md); idempotent, throws to retry. */
  performance?: PerformanceSink;
}

export async function executePlan(
  session: IngestSession,
  plan: IngestPlan,
  hooks: IngestHooks = {},
): Promise<IngestResult> {
  if (plan.outcome === 'rejected') {
    const deviceId = plan.source?.deviceId ?? plan.deadLetter.deviceId;
    const entry = {
      deviceId,
      key: plan.dedupeKey,
      ...(plan.source ? { port: plan.source.port } : {}),
      outcome: 'rejected' as const,
      receivedAt: plan.deadLetter.receivedAt,
    };
    if (!session.claim(entry)) return { outcome: 'duplicate', deviceId, key: plan.dedupeKey, deadLetters: 0 };
    session.deadLetter([plan.deadLetter]);
    // Without a trustworthy source there is no device record to tally, only the log entry to complete.
    session.done(
      entry,
      plan.source ? { source: plan.source, messageKey: plan.dedupeKey, outcome: 'rejected' } : undefined,
    );
    return { outcome: 'rejected', deviceId, key: plan.dedupeKey, deadLetters: 1 };
  }

  const { source, messageId } = plan;
  const entry = {
    deviceId: source.deviceId,
    key: messageId,
    port: source.port,
    kind: plan.kind,
    outcome: 'accepted' as const,
    observedAt: plan.observedAt,
    receivedAt: source.receivedAt,
  };
  if (!session.claim(entry)) {
    return { outcome: 'duplicate', deviceId: source.deviceId, key: messageId, kind: plan.kind, deadLetters: 0 };
  }
  // Projections of one message touch different items (a vessel, a visit, an alert): apply them concurrently.
  const applied = await Promise.all(plan.projections.map((p) => session.apply(source, messageId, p)));
  // A vessel heard again after a silence near the port has gone dark: that alert is decided now that the previous
  // fix is known, and joins the message's projections for the hooks below.
  const projections = [...plan.projections];
  for (const [i, p] of plan.projections.entries()) {
    const previous = applied[i]?.previousFix;
    if (p.type !== 'vessel.position' || previous === undefined) continue;
    const imo = applied[i]?.imo;
    const current = { ...p.position, port: source.port };
    const alert = darkVesselAlert({
      deviceId: source.deviceId,
      mmsi: p.mmsi,
      previous,
      current,
      ...(imo ? { imo } : {}),
    });
    if (alert === undefined) continue;
    await session.apply(source, messageId, { type: 'alert', alert });
    projections.push({ type: 'alert', alert });
  }
  const { evidence, gateExit } = hooks;
  const cargoEvidence = evidence ? deviceEvidenceOf(source, messageId, projections) : undefined;
  if (evidence && cargoEvidence) await evidence.evidence(cargoEvidence);
  if (hooks.alerts) for (const p of projections) if (p.type === 'alert') await hooks.alerts.alert(p.alert);
  if (gateExit && source.deviceClass === 'gate') {
    for (const p of plan.projections) {
      if (p.type !== 'gate.transaction' || p.direction !== 'out') continue;
      const alert = await gateExit.truckLeaving(source, messageId, p);
      await session.apply(source, messageId, { type: 'alert', alert });
    }
  }
  if (hooks.performance) await hooks.performance.observe(plan);
  if (plan.deadLetters.length > 0) session.deadLetter(plan.deadLetters);
  session.done(entry, {
    source,
    messageKey: messageId,
    outcome: 'accepted',
    ...(plan.deviceHealth ? { health: plan.deviceHealth } : {}),
  });
  return {
    outcome: 'accepted',
    deviceId: source.deviceId,
    key: messageId,
    kind: plan.kind,
    deadLetters: plan.deadLetters.length,
  };
}
