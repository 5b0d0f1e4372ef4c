/**
 * What the risk engine reads: the declaration (the fields of CONTRACT.md §3's body that criteria can test, plus
 * the id the platform gave it) and the device evidence gathered about it. Plain interfaces on purpose: the
 * engine trusts its input (it is validated at the API and stream edges by the declaration and device schemas),
 * and a structural type lets the validated body be passed as it is, with the id added.
 */

/** Declaration directions, as in CONTRACT.md §3. */
export const DIRECTIONS = ['import', 'export', 'transit'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export type TransportMode = 'sea' | 'road' | 'rail' | 'air';

/** One item (goods line) of a declaration. */
export interface RiskItem {
  /** 6–10 digits; criteria match on its leading digits (chapter, heading, subheading). */
  hsCode: string;
  /** ISO 3166-1 alpha-2. */
  originCountry: string;
  quantity: number;
  /** UN/ECE Recommendation 20 unit code, e.g. `PCE`, `KGM`, `PR`. */
  unit: string;
  grossWeightKg: number;
  /** `currency` is ISO 4217; converted to USD with the rates in the settings for value-range checks. */
  customsValue: { amount: number; currency: string };
  description?: string;
}

/** A document attached to a declaration; `type` is e.g. `invoice`, `phytosanitary`, `certificate-of-origin`. */
export interface RiskDocument {
  type: string;
  ref: string;
}

/** A lodged declaration as the engine sees it. */
export interface RiskDeclaration {
  /**
   * The platform's declaration id. The random-selection draw is a function of (seed, id), so the id must be the
   * stable one the platform assigned, never the client's `reference`, or a re-assessment would draw again.
   */
  id: string;
  /** UN/LOCODE of the port (customs office) of lodgement. */
  port: string;
  direction: Direction;
  trader: { id: string; country: string; aeo?: boolean; name?: string };
  transport: {
    mode: TransportMode;
    vesselImo?: string;
    vesselMmsi?: number;
    voyage?: string;
    truckPlate?: string;
  };
  /** ISO 6346 container numbers. */
  containers: readonly string[];
  items: readonly RiskItem[];
  documents?: readonly RiskDocument[];
  perishable?: boolean;
}

/** Every piece of device evidence carries the id of the fact (alert, scan, visit) and when it was observed. */
export interface EvidenceFact {
  id: string;
  /** ISO-8601 time the device observed it. */
  at: string;
}

/** A radiation portal monitor alarm (as decided by the platform's alarm rule) on containers and/or a truck. */
export interface RadiationAlarmFact extends EvidenceFact {
  containers?: readonly string[];
  plate?: string;
}

/** An X-ray / NII scan whose result was `anomaly`. */
export interface NiiAnomalyFact extends EvidenceFact {
  containers?: readonly string[];
  plate?: string;
  /** Anomaly codes from the scanner (kept for the officer; the engine only counts the fact). */
  codes?: readonly string[];
}

/** One container seen at a gate. */
export interface GateSighting extends EvidenceFact {
  container: string;
}

/**
 * The gate check of a declaration: the window in which its declared containers should have passed the gate has
 * closed at `at` (e.g. the declared truck left, or the vessel's gate cut-off passed), and these are the containers
 * the gate saw. Declared containers not among them are "not seen at gate". Absent while the window is still open,
 * because a container that has not arrived yet is not a risk signal.
 */
export interface GateWindowFact extends EvidenceFact {
  seen: readonly GateSighting[];
  /**
   * The truck whose gate crossing closed the window: the window then counts only for a declaration naming that
   * truck (another truck's crossing says nothing about this declaration's containers).
   */
  plate?: string;
  /**
   * Which way that truck crossed. It counts only where the declared containers had to be on it: leaving (`out`) for
   * an import, arriving (`in`) for an export, either for a transit.
   */
  crossing?: 'in' | 'out';
}

/** A gate read of a container on a truck; it counts when the truck is the declared one and the container is not declared. */
export interface UndeclaredContainerFact extends EvidenceFact {
  container: string;
  plate: string;
}

/** The declared vessel stopped transmitting on AIS near the port ("going dark"). */
export interface VesselDarkFact extends EvidenceFact {
  mmsi?: number;
  imo?: string;
  /** How long it was silent, for the officer. */
  gapMinutes?: number;
}

/**
 * Device facts that may concern a declaration. The caller may pass more than concerns it (e.g. every alarm on any
 * of its containers or its truck): the engine matches each fact to the declaration itself, so a fact about
 * another container or truck never counts.
 */
export interface RiskEvidence {
  radiationAlarms?: readonly RadiationAlarmFact[];
  niiAnomalies?: readonly NiiAnomalyFact[];
  gateWindow?: GateWindowFact;
  undeclaredContainers?: readonly UndeclaredContainerFact[];
  vesselDark?: readonly VesselDarkFact[];
}

/** No device evidence (yet): the usual case at lodgement. */
export const NO_EVIDENCE: RiskEvidence = Object.freeze({});
