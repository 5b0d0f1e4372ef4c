import type { DecisionLogEntry } from '../../../events/v1/declaration-audit';
import type { FactOf, PerformanceFact } from './facts';

/** What the clearance facts need of a declaration (a `StoredDeclaration` has it all). */
export interface ClearanceSubject {
  id: string;
  port: string;
  direction: 'import' | 'export' | 'transit';
  transport: { mode: 'sea' | 'road' | 'rail' | 'air' };
  lodgedAt: string;
  slaDueAt: string;
  assessment: {
    lane: 'green' | 'yellow' | 'red' | 'blue';
    reasons: readonly { ruleId: string }[];
    selectedBy: string | null;
    assessedAt: string;
  };
}

/**
 * The WCO TRS facts of newly committed decision-log entries (pure): lodged, assessed (lane, time to lane, rules,
 * random or targeted), the inspection (from the moment it was selected to the officer's `inspectedAt`, then to the
 * result), released (with the SLA due time). `log` is the whole log up to and including `added`; fact ids derive
 * from the declaration and the entry, so recording them again after a retry is harmless.
 */
export function clearanceFactsOf(
  d: ClearanceSubject,
  log: readonly DecisionLogEntry[],
  added: readonly DecisionLogEntry[],
): PerformanceFact[] {
  const base = { port: d.port, declarationId: d.id };
  const routing = { direction: d.direction, mode: d.transport.mode };
  const ruleIds = [...new Set(d.assessment.reasons.map((r) => r.ruleId))];
  const selection = d.assessment.selectedBy === 'random' ? ('random' as const) : ('targeted' as const);
  const out: PerformanceFact[] = [];
  for (const e of added) {
    if (e.action === 'lodge') out.push({ type: 'declaration.lodged', ...base, ...routing, at: e.at });
    if (e.action === 'assess') {
      out.push({
        type: 'declaration.assessed',
        ...base,
        ...routing,
        at: e.at,
        lodgedAt: d.lodgedAt,
        lane: e.lane ?? d.assessment.lane,
        ruleIds,
        selection,
      });
    }
    if (e.action === 'inspection-result') {
      const details = e.details ?? {};
      const inspectedAt = typeof details.inspectedAt === 'string' ? details.inspectedAt : e.at;
      const opened = log.find((x) => x.seq === details.inspectionSeq);
      const lane = e.lane === 'yellow' ? 'yellow' : 'red';
      if (opened) {
        out.push({ type: 'inspection.started', ...base, at: inspectedAt, readyAt: opened.at, lane });
      }
      out.push({
        type: 'inspection.result',
        ...base,
        at: e.at,
        startedAt: inspectedAt,
        found: details.found === true,
        ruleIds: Array.isArray(details.ruleIds) ? details.ruleIds.map(String) : ruleIds,
        selection: details.selectedBy === 'random' ? 'random' : selection,
      });
    }
    if (e.toStatus === 'released' && e.fromStatus !== 'released') {
      // Ready for release: the last inspection result, else the moment the lane was given.
      const before = log.filter((x) => x.seq < e.seq);
      const result = before.findLast((x) => x.action === 'inspection-result');
      const assessed = before.findLast((x) => x.action === 'assess' || x.action === 'reassess');
      const readyAt = (result ?? assessed)?.at ?? (e.action === 'assess' ? e.at : undefined);
      const released: FactOf<'declaration.released'> = {
        type: 'declaration.released',
        ...base,
        ...routing,
        at: e.at,
        lodgedAt: d.lodgedAt,
        slaDueAt: d.slaDueAt,
        lane: e.lane ?? d.assessment.lane,
        ...(readyAt ? { readyAt } : {}),
      };
      out.push(released);
    }
  }
  return out;
}
