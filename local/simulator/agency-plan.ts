import type { DeclarationInputBody } from '../../events/v1/declaration';
import { DECLARATION_SAMPLES, type DeclarationSampleName } from '../../events/v1/declaration-samples';
import type { Agency, TaskOutcome } from '../../events/v1/incidents';
import type { Role } from '../../shared/domain/roles';
import type { SeededRandom } from './random';
import type { TruckTrip } from './trucks';

/**
 * What the simulated declarant and agencies decide, as pure functions of a seeded random stream: which sample a
 * declaration starts from and how it is varied, how long an officer takes over a documentary check or an
 * inspection and what it finds, and how an agency answers a joint-control task. Durations are in port minutes;
 * agencies.ts turns them into wall-clock time with the simulator's time scale and does the HTTP.
 */

/** The role that acts for each agency (CONTRACT.md §3: `customs` → `customs-officer`, the others by name). */
export const ROLE_FOR_AGENCY: Readonly<Record<Agency, Role>> = {
  customs: 'customs-officer',
  border: 'border',
  maritime: 'maritime',
  quarantine: 'quarantine',
  'port-operator': 'port-operator',
};

/** A ship of the simulated fleet a declaration may name (class A ships carry an IMO number). */
export interface DeclaredVessel {
  mmsi: number;
  imo?: number;
}

export interface DeclarationPlan {
  sample: DeclarationSampleName;
  /** The variations applied, for logs and tests: `no-invoice`, `undervalued`, `firearms`, `aeo`, `non-aeo`. */
  variants: string[];
  body: DeclarationInputBody;
}

/** Shares of the variations (per declaration); each sends some declarations to a stricter lane for a reason. */
export const DECLARATION_VARIANTS = {
  /** No commercial invoice attached: INVOICE_MISSING (yellow). */
  noInvoice: 0.12,
  /** Values a fiftieth of the invoice's: VALUE_BELOW_RANGE (yellow) where the HS heading has a range. */
  undervalued: 0.06,
  /** Sporting rifles in the box: HS93-WEAPONS (red, and a joint-control incident at its score). */
  firearms: 0.03,
  /** The trader's AEO status flipped from the sample's. */
  aeoFlip: 0.2,
  /** Imports that are the perishable sample (fresh cherries: 6 h SLA, referred to quarantine). */
  perishable: 0.15,
} as const;

const FIREARMS_ITEM = {
  hsCode: '930320',
  description: 'Sporting rifles, bolt action, .308 calibre, with licence',
  quantity: 40,
  unit: 'PCE',
  grossWeightKg: 260,
  customsValue: { amount: 52_000, currency: 'USD' },
} as const;

/**
 * The declaration a customs broker lodges for one truck trip, from the contract's samples: an import for the boxes
 * the truck picks up (the sea sample, or the perishable one), else an export for the boxes it drops off (the road
 * sample), naming the truck and the trip's true container numbers so that gate evidence and the one-stop gate
 * release link up. `undefined` for an empty trip. The reference is fresh: `SIM-{runId}-{seq}`.
 */
export function planDeclaration(
  trip: TruckTrip,
  context: { port: string; country: string; runId: string; seq: number; vessels: readonly DeclaredVessel[] },
  random: SeededRandom,
): DeclarationPlan | undefined {
  const importing = trip.carriedOut.length > 0;
  const containers = importing ? trip.carriedOut : trip.carriedIn;
  if (containers.length === 0) return undefined;
  const sample: DeclarationSampleName = importing
    ? random.chance(DECLARATION_VARIANTS.perishable)
      ? 'import-perishable'
      : 'import-sea'
    : 'export-road-aeo';
  const base = structuredClone(DECLARATION_SAMPLES[sample]) as DeclarationInputBody;
  const variants: string[] = [];

  const ship = context.vessels.length > 0 ? random.pick(context.vessels) : undefined;
  const transport: DeclarationInputBody['transport'] =
    importing && ship
      ? {
          mode: 'sea',
          vesselMmsi: ship.mmsi,
          ...(ship.imo === undefined ? {} : { vesselImo: String(ship.imo) }),
          voyage: `${random.int(100, 999)}${random.pick(['E', 'W', 'N', 'S'])}`,
          truckPlate: trip.plate,
        }
      : importing
        ? { ...base.transport, truckPlate: trip.plate }
        : { mode: 'road', truckPlate: trip.plate };

  // Quantities, weights and values vary ±30 % around the sample's, together, so unit values stay plausible.
  const scale = random.range(0.7, 1.3);
  let items = base.items.map((item) => ({
    ...item,
    quantity: roundTo(item.quantity * scale, item.unit === 'PCE' ? 0 : 1) || 1,
    grossWeightKg: roundTo(item.grossWeightKg * scale, 1),
    customsValue: { ...item.customsValue, amount: roundTo(item.customsValue.amount * scale, 2) },
  }));
  if (random.chance(DECLARATION_VARIANTS.undervalued)) {
    variants.push('undervalued');
    items = items.map((item) => ({
      ...item,
      customsValue: { ...item.customsValue, amount: roundTo(item.customsValue.amount / 50, 2) },
    }));
  }
  if (random.chance(DECLARATION_VARIANTS.firearms)) {
    variants.push('firearms');
    items = [...items, { ...FIREARMS_ITEM, originCountry: importing ? 'US' : context.country }];
  }
  let documents = base.documents ?? [];
  if (random.chance(DECLARATION_VARIANTS.noInvoice)) {
    variants.push('no-invoice');
    documents = documents.filter((d) => d.type !== 'invoice');
  }
  let aeo = base.trader.aeo;
  if (random.chance(DECLARATION_VARIANTS.aeoFlip)) {
    aeo = !aeo;
    variants.push(aeo ? 'aeo' : 'non-aeo');
  }

  return {
    sample,
    variants,
    body: {
      ...base,
      reference: `SIM-${context.runId}-${context.seq}`,
      port: context.port,
      trader: { ...base.trader, country: context.country, aeo },
      transport,
      containers: [...containers],
      items,
      ...(documents.length > 0 ? { documents } : {}),
    },
  };
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** A lognormal duration around `median`, clamped to [min, max] (human work times are skewed, never negative). */
export function humanMinutes(random: SeededRandom, median: number, min: number, max: number, sigma = 0.6): number {
  return Math.min(max, Math.max(min, Math.exp(random.normal(Math.log(median), sigma))));
}

export type ClearanceStatus = 'documentary-check' | 'inspection';

/** What a customs officer does with a declaration waiting in a control lane, and when. */
export interface ClearancePlan {
  status: ClearanceStatus;
  /** Port minutes from when the officer takes it up to the result. */
  afterPortMinutes: number;
  /** An inspection that waits for a lab, a specialist or a re-stow: 12–36 port hours instead of 2–6. */
  slow: boolean;
  method: 'documentary' | 'physical' | 'nii';
  found: boolean;
  /** Finding codes (UPPER_SNAKE_CASE) when something was found. */
  codes: string[];
  /** The officer's decision after the result: release when nothing was found, hold otherwise. */
  decision: 'release' | 'hold';
}

/** Shares behind `planClearance`. */
export const CLEARANCE_SHARES = {
  /** Physical inspections that take 12–36 port hours. */
  slowInspection: 0.15,
  /** Inspections that find something (the platform's target hit rate is 0.30). */
  inspectionFinds: 0.25,
  /** Documentary checks that find something. */
  documentsFind: 0.08,
  /** Inspections done by X-ray rather than by opening the box. */
  nii: 0.3,
} as const;

const INSPECTION_FINDINGS = ['MISDECLARED_HS', 'UNDERVALUATION', 'UNDECLARED_GOODS', 'QUANTITY_MISMATCH'] as const;
const DOCUMENT_FINDINGS = ['INVOICE_MISMATCH', 'ORIGIN_NOT_PROVEN', 'UNDERVALUATION'] as const;

/**
 * The officer's schedule for one declaration: yellow (documentary check) takes 10–240 port minutes (median 45);
 * red (physical or X-ray inspection) 1–8 port hours (median 3), or 12–36 for a slow one. Either ends with a
 * recorded result and a decision.
 */
export function planClearance(status: ClearanceStatus, random: SeededRandom): ClearancePlan {
  if (status === 'documentary-check') {
    const found = random.chance(CLEARANCE_SHARES.documentsFind);
    return {
      status,
      afterPortMinutes: humanMinutes(random, 45, 10, 240),
      slow: false,
      method: 'documentary',
      found,
      codes: found ? [random.pick(DOCUMENT_FINDINGS)] : [],
      decision: found ? 'hold' : 'release',
    };
  }
  const slow = random.chance(CLEARANCE_SHARES.slowInspection);
  const afterPortMinutes = slow ? random.range(12 * 60, 36 * 60) : humanMinutes(random, 180, 60, 480, 0.4);
  const method = random.chance(CLEARANCE_SHARES.nii) ? 'nii' : 'physical';
  const found = random.chance(CLEARANCE_SHARES.inspectionFinds);
  return {
    status,
    afterPortMinutes,
    slow,
    method,
    found,
    codes: found ? [random.pick(INSPECTION_FINDINGS)] : [],
    decision: found ? 'hold' : 'release',
  };
}

/** How an agency answers one dispatch of a joint-control task. */
export type TaskResponsePlan =
  | { answer: false }
  | {
      answer: true;
      /** Port minutes from dispatch (when the bot sees it) to the acknowledgement. */
      ackAfterPortMinutes: number;
      /** Port minutes from the acknowledgement to the completion. */
      completeAfterPortMinutes: number;
      outcome: TaskOutcome;
      findings: string;
    };

/** While working on a task, an agency acknowledges again this often (below the dev heartbeat window of 15). */
export const RE_ACK_PORT_MINUTES = 10;

/** First dispatches left unanswered, so that the workflow escalates them (the re-dispatch is always answered). */
export const MISSED_TASK_SHARE = 0.08;

/**
 * An agency's answer to a task, on the workflow's clock (dev: 30 port minutes to complete, 15 without a word):
 * acknowledged after 1–12 port minutes (median 4), completed 3–25 port minutes later (median 10), re-acknowledged
 * every RE_ACK_PORT_MINUTES meanwhile (Step Functions' heartbeat is continuous); customs mostly clears (sometimes
 * refers or seizes), the others mostly find nothing. A share of first dispatches goes unanswered (escalation); a
 * re-dispatch is answered faster. A few slow answers still run past the window and the task goes overdue.
 */
export function planTaskResponse(agency: Agency, attempt: number, random: SeededRandom): TaskResponsePlan {
  const redispatch = attempt > 1;
  if (!redispatch && random.chance(MISSED_TASK_SHARE)) return { answer: false };
  const ackAfterPortMinutes = redispatch ? humanMinutes(random, 2, 0.5, 5) : humanMinutes(random, 4, 1, 12, 0.6);
  const completeAfterPortMinutes = humanMinutes(random, 10, 3, 25, 0.6);
  const outcome: TaskOutcome =
    agency === 'customs'
      ? random.weighted<TaskOutcome>([
          ['cleared', 88],
          ['referred', 8],
          ['seized', 4],
        ])
      : random.weighted<TaskOutcome>([
          ['no-finding', 90],
          ['finding', 10],
        ]);
  return {
    answer: true,
    ackAfterPortMinutes,
    completeAfterPortMinutes,
    outcome,
    findings: TASK_FINDINGS[outcome],
  };
}

const TASK_FINDINGS: Readonly<Record<TaskOutcome, string>> = {
  cleared: 'secondary check done: naturally occurring material, consistent with the declared goods',
  referred: 'referred for a laboratory analysis of a sample',
  seized: 'goods not as declared: seized pending investigation',
  'no-finding': 'checked on site: nothing to report',
  finding: 'irregularity noted on site: see the agency report',
};

/** Wall-clock milliseconds that `portMinutes` take at `timeScale` port seconds per wall second. */
export function wallMs(portMinutes: number, timeScale: number): number {
  return (portMinutes * 60_000) / timeScale;
}
