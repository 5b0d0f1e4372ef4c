import type { ValueRangeResult } from './criterion';
import type { GateWindowFact, RiskDeclaration, RiskEvidence, RiskItem } from './risk-input';
import { classifyUnitValue, findValueRange, type UsdRates, type ValueRangeTable, valueInUsd } from './value-range';

/**
 * The per-assessment view that compiled conditions read: the declaration, its items with the derived fields
 * (USD value, value-range result), its document types, and the device evidence matched to it. Built once per
 * assessment so that every criterion reads precomputed values.
 */

/** One goods item with its derived fields. */
export interface ItemFacts {
  /** 1-based item number, as officers count items on the declaration. */
  readonly number: number;
  readonly item: RiskItem;
  readonly valueUsd: number;
  readonly valueRange: ValueRangeResult;
}

/** The device facts of one kind that concern this declaration: how many, and which fact ids (for the reason). */
export interface MatchedEvidence {
  readonly count: number;
  readonly ids: readonly string[];
}

export type EvidenceKey =
  | 'rpmAlarms'
  | 'niiAnomalies'
  | 'containersNotSeenAtGate'
  | 'undeclaredContainers'
  | 'vesselDark';

export interface DeclarationFacts {
  readonly declaration: RiskDeclaration;
  readonly items: readonly ItemFacts[];
  readonly documentTypes: readonly string[];
  readonly evidence: Readonly<Record<EvidenceKey, MatchedEvidence>>;
}

const NONE: MatchedEvidence = Object.freeze({ count: 0, ids: Object.freeze([]) as readonly string[] });
const NO_STRINGS: readonly string[] = Object.freeze([]);
const NO_MATCHED_EVIDENCE: Readonly<Record<EvidenceKey, MatchedEvidence>> = Object.freeze({
  rpmAlarms: NONE,
  niiAnomalies: NONE,
  containersNotSeenAtGate: NONE,
  undeclaredContainers: NONE,
  vesselDark: NONE,
});

/** Plates are read by OCR and typed by declarants: compare them without spaces, dashes or case. */
export function normalisePlate(plate: string): string {
  return plate.replace(/[\s-]/g, '').toUpperCase();
}

function hasAny(declared: readonly string[], seen: readonly string[] | undefined): boolean {
  if (seen === undefined) return false;
  for (const c of seen) if (declared.includes(c)) return true;
  return false;
}

/** Facts about the declaration's containers or its truck (radiation alarms, X-ray anomalies). */
function matchOnContainersOrTruck(
  facts: readonly { id: string; containers?: readonly string[]; plate?: string }[] | undefined,
  declaration: RiskDeclaration,
  plate: string | undefined,
): MatchedEvidence {
  if (facts === undefined || facts.length === 0) return NONE;
  const ids: string[] = [];
  for (const f of facts) {
    const onTruck = plate !== undefined && f.plate !== undefined && normalisePlate(f.plate) === plate;
    if (onTruck || hasAny(declaration.containers, f.containers)) ids.push(f.id);
  }
  return ids.length === 0 ? NONE : { count: ids.length, ids };
}

/** Whether a gate window concerns the declaration: its declared truck, crossing the way its containers must. */
function gateWindowApplies(w: GateWindowFact, direction: RiskDeclaration['direction'], plate: string | undefined) {
  if (w.plate !== undefined && (plate === undefined || normalisePlate(w.plate) !== plate)) return false;
  if (w.crossing === undefined || direction === 'transit') return true;
  return w.crossing === (direction === 'import' ? 'out' : 'in');
}

function matchEvidence(
  declaration: RiskDeclaration,
  evidence: RiskEvidence,
): Readonly<Record<EvidenceKey, MatchedEvidence>> {
  const { radiationAlarms, niiAnomalies, gateWindow, undeclaredContainers, vesselDark } = evidence;
  if (!radiationAlarms && !niiAnomalies && !gateWindow && !undeclaredContainers && !vesselDark) {
    return NO_MATCHED_EVIDENCE;
  }
  const declaredPlate = declaration.transport.truckPlate;
  const plate = declaredPlate === undefined ? undefined : normalisePlate(declaredPlate);

  let notSeen = NONE;
  if (gateWindow !== undefined && gateWindowApplies(gateWindow, declaration.direction, plate)) {
    let missing = 0;
    for (const c of declaration.containers) if (!gateWindow.seen.some((s) => s.container === c)) missing++;
    if (missing > 0) notSeen = { count: missing, ids: [gateWindow.id] };
  }

  let undeclared = NONE;
  if (plate !== undefined && undeclaredContainers !== undefined) {
    const ids: string[] = [];
    for (const u of undeclaredContainers) {
      if (normalisePlate(u.plate) === plate && !declaration.containers.includes(u.container)) ids.push(u.id);
    }
    if (ids.length > 0) undeclared = { count: ids.length, ids };
  }

  let dark = NONE;
  const { vesselMmsi, vesselImo } = declaration.transport;
  if (vesselDark !== undefined && (vesselMmsi !== undefined || vesselImo !== undefined)) {
    const ids: string[] = [];
    for (const v of vesselDark) {
      const sameMmsi = vesselMmsi !== undefined && v.mmsi === vesselMmsi;
      const sameImo = vesselImo !== undefined && v.imo === vesselImo;
      if (sameMmsi || sameImo) ids.push(v.id);
    }
    if (ids.length > 0) dark = { count: ids.length, ids };
  }

  return {
    rpmAlarms: matchOnContainersOrTruck(radiationAlarms, declaration, plate),
    niiAnomalies: matchOnContainersOrTruck(niiAnomalies, declaration, plate),
    containersNotSeenAtGate: notSeen,
    undeclaredContainers: undeclared,
    vesselDark: dark,
  };
}

/** Builds the facts the criteria read. Pure; allocates one small object per item. */
export function buildFacts(
  declaration: RiskDeclaration,
  evidence: RiskEvidence,
  ranges: ValueRangeTable,
  usdRates: UsdRates,
): DeclarationFacts {
  const items: ItemFacts[] = new Array(declaration.items.length);
  for (let i = 0; i < declaration.items.length; i++) {
    const item = declaration.items[i] as RiskItem;
    const valueUsd = valueInUsd(item, usdRates);
    const valueRange = classifyUnitValue(item, valueUsd, findValueRange(ranges, item.hsCode));
    items[i] = { number: i + 1, item, valueUsd, valueRange };
  }
  const docs = declaration.documents;
  let documentTypes = NO_STRINGS;
  if (docs !== undefined && docs.length > 0) {
    const types: string[] = new Array(docs.length);
    for (let i = 0; i < docs.length; i++) types[i] = (docs[i] as { type: string }).type;
    documentTypes = types;
  }
  return { declaration, items, documentTypes, evidence: matchEvidence(declaration, evidence) };
}
