import type { DeclarationStatus } from '../../events/v1/declaration';
import { containerSubject } from '../domain/clearance/declaration-subjects';
import { decideGateRelease, type GateBlocker } from '../domain/clearance/gate-release';
import { stableId } from '../domain/ids';
import type { GateTransactionProjection, MessageSource } from '../domain/ingest/ingest-plan';
import type { Alert } from '../domain/model';
import type { DeclarationStore } from '../ports/declaration-store';
import type { GateCommand, GateCommandPublisher } from '../ports/gate-command-publisher';
import type { GateExit } from '../ports/gate-exit';
import type { IncidentStore } from '../ports/incident-store';

/**
 * One-stop gate release (issue 3): a truck passing the exit gate (gate.transaction, direction `out`) is decided at
 * once from the declarations naming its containers (see decideGateRelease), the command is published to the gate
 * device, and the decision is returned as an alert (`gate.release` / `gate.hold`) that the ingest use case records
 * with the message's other projections (idempotent on its id; readable at `GET /v1/alerts?type=gate.hold`).
 * A re-delivered message publishes the same `commandId` again: the device acts on it once.
 */
export interface GateReleaseDependencies {
  store: DeclarationStore;
  publisher: GateCommandPublisher;
  /** The port's open joint-control incidents: a container or truck under one does not leave. */
  incidents?: Pick<IncidentStore, 'openSubjects'>;
  now?: () => Date;
}

/** At most this many open incidents are read per exit (an incident storm still decides the truck in bounded time). */
const MAX_OPEN_INCIDENTS = 500;

async function openIncidentBlockers(deps: GateReleaseDependencies, port: string): Promise<GateBlocker[]> {
  if (deps.incidents === undefined) return [];
  const open = await deps.incidents.openSubjects(port, MAX_OPEN_INCIDENTS);
  return open.map((i) => ({
    incidentId: i.incidentId,
    containers: i.containers,
    ...(i.subject.kind === 'truck' ? { plate: i.subject.id } : {}),
  }));
}

export interface GateRelease {
  command: GateCommand;
  alert: Alert;
}

export async function releaseAtGate(
  deps: GateReleaseDependencies,
  source: MessageSource,
  messageId: string,
  gate: GateTransactionProjection,
): Promise<GateRelease> {
  const declarationsOf = new Map<string, { id: string; status: DeclarationStatus }[]>();
  for (const c of gate.containers) {
    if (!c.checkDigitValid) continue;
    const ids = await deps.store.declarationIdsBySubject(containerSubject(c.number));
    const found = await Promise.all(ids.map((id) => deps.store.get(id)));
    declarationsOf.set(
      c.number,
      found.flatMap((d) => (d ? [{ id: d.id, status: d.status }] : [])),
    );
  }
  const decision = decideGateRelease(
    gate.containers,
    declarationsOf,
    await openIncidentBlockers(deps, source.port),
    gate.plate,
  );
  const commandId = stableId('GC-', source.deviceId, messageId);
  const command: GateCommand = {
    commandId,
    issuedAt: (deps.now ?? (() => new Date()))().toISOString(),
    action: decision.action,
    reason: decision.reason,
    plate: gate.plate,
    containers: gate.containers.map((c) => c.number),
  };
  await deps.publisher.publish({ port: source.port, deviceId: source.deviceId }, command);
  const alert: Alert = {
    alertId: stableId('AL-', source.deviceId, messageId, 'gate.decision'),
    port: source.port,
    type: decision.action === 'open' ? 'gate.release' : 'gate.hold',
    severity: decision.action === 'open' ? 'low' : 'medium',
    subject: { kind: 'truck', id: gate.plate },
    observedAt: gate.observedAt,
    deviceId: source.deviceId,
    evidence: {
      commandId,
      action: decision.action,
      reason: decision.reason,
      laneId: gate.laneId,
      containers: command.containers,
      holds: decision.holds.map((h) => ({ ...h })),
    },
  };
  return { command, alert };
}

/** The use case as the ingest pipeline's gate-exit port. */
export function gateReleasingExit(deps: GateReleaseDependencies): GateExit {
  return {
    truckLeaving: async (source, messageId, gate) => (await releaseAtGate(deps, source, messageId, gate)).alert,
  };
}
