import { DeclarationInput, InspectionResultInput, ReasonCode } from '../../events/v1/declaration';
import { TaskCompletionInput } from '../../events/v1/incidents';
import {
  CLEARANCE_SHARES,
  DECLARATION_VARIANTS,
  type DeclarationPlan,
  MISSED_TASK_SHARE,
  planClearance,
  planDeclaration,
  planTaskResponse,
  ROLE_FOR_AGENCY,
  wallMs,
} from '../../local/simulator/agency-plan';
import { SeededRandom } from '../../local/simulator/random';
import type { TruckTrip } from '../../local/simulator/trucks';

// The simulated declarant's and agencies' choices (local/simulator/agency-plan.ts): pure functions of a seeded stream.

const START = Date.parse('2026-11-26T00:00:00.000Z');
const VESSELS = [{ mmsi: 477123456, imo: 9321483 }, { mmsi: 351759000, imo: 9134270 }, { mmsi: 412000111 }];
const CONTEXT = { port: 'CNSGH', country: 'CN', runId: 'mwy76rae', vessels: VESSELS };

const trip = (over: Partial<TruckTrip> = {}): TruckTrip => ({
  plate: '沪A12345',
  plateCountry: 'CN',
  carriedIn: [],
  carriedOut: ['CSQU3054383'],
  inAt: START,
  outAt: START + 60_000,
  ...over,
});

function plans(n: number, make: (i: number) => TruckTrip, seed = 7): DeclarationPlan[] {
  const root = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const plan = planDeclaration(make(i), { ...CONTEXT, seq: i + 1 }, root.fork(`d${i}`));
    if (!plan) throw new Error(`no plan for trip ${i}`);
    return plan;
  });
}

const share = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length / xs.length;

describe('planDeclaration: what the simulated declarant lodges', () => {
  const trips = (i: number) =>
    i % 2 === 0
      ? trip({ carriedOut: ['CSQU3054383', 'TGHU7599330'], plate: `沪B${10000 + i}` })
      : trip({ carriedIn: ['MEDU6246078'], carriedOut: [], plate: `沪C${10000 + i}` });
  const all = plans(2_000, trips);

  it('lodges bodies the contract accepts, each under a fresh reference', () => {
    const refused = all.filter((p) => !DeclarationInput.safeParse(p.body).success);

    expect(refused.map((p) => DeclarationInput.safeParse(p.body).error?.issues)).toEqual([]);
    expect(new Set(all.map((p) => p.body.reference)).size).toBe(all.length);
    expect(all[0]?.body.reference).toBe('SIM-mwy76rae-1');
  });

  it('declares an import for the boxes a truck picks up and an export for those it drops off, naming the truck', () => {
    const [pickUp, dropOff] = all;

    expect(pickUp?.body).toMatchObject({
      port: 'CNSGH',
      direction: 'import',
      containers: ['CSQU3054383', 'TGHU7599330'],
      transport: { mode: 'sea', truckPlate: '沪B10000' },
    });
    expect(VESSELS.map((v) => v.mmsi)).toContain(pickUp?.body.transport.vesselMmsi);
    expect(dropOff?.body).toMatchObject({
      direction: 'export',
      containers: ['MEDU6246078'],
      transport: { mode: 'road', truckPlate: '沪C10001' },
      trader: { country: 'CN' },
    });
  });

  it('starts from every sample and varies them in the stated shares', () => {
    const imports = all.filter((p) => p.body.direction === 'import');

    expect(new Set(all.map((p) => p.sample))).toEqual(new Set(['import-sea', 'import-perishable', 'export-road-aeo']));
    expect(share(imports, (p) => p.sample === 'import-perishable')).toBeCloseTo(DECLARATION_VARIANTS.perishable, 1);
    expect(share(all, (p) => p.variants.includes('no-invoice'))).toBeCloseTo(DECLARATION_VARIANTS.noInvoice, 1);
    expect(share(all, (p) => p.variants.includes('firearms'))).toBeGreaterThan(0.01);
    expect(share(all, (p) => p.variants.includes('firearms'))).toBeLessThan(0.05);
    for (const p of all.filter((x) => x.variants.includes('no-invoice'))) {
      expect(p.body.documents?.some((d) => d.type === 'invoice') ?? false).toBe(false);
    }
    for (const p of all.filter((x) => x.variants.includes('firearms'))) {
      expect(p.body.items.some((item) => item.hsCode.startsWith('93'))).toBe(true);
    }
  });

  it('makes the same choices for the same seed, and none for an empty trip', () => {
    expect(JSON.stringify(plans(50, trips, 3))).toBe(JSON.stringify(plans(50, trips, 3)));
    expect(JSON.stringify(plans(50, trips, 3))).not.toBe(JSON.stringify(plans(50, trips, 4)));
    expect(planDeclaration(trip({ carriedOut: [] }), { ...CONTEXT, seq: 1 }, new SeededRandom(1))).toBeUndefined();
  });
});

describe('planClearance: the simulated customs officer’s schedule', () => {
  const root = new SeededRandom(11);
  const documentary = Array.from({ length: 2_000 }, (_, i) => planClearance('documentary-check', root.fork(`y${i}`)));
  const inspections = Array.from({ length: 2_000 }, (_, i) => planClearance('inspection', root.fork(`r${i}`)));

  it('checks documents in 10–240 port minutes, and releases unless it found something', () => {
    for (const p of documentary) {
      expect(p.afterPortMinutes).toBeGreaterThanOrEqual(10);
      expect(p.afterPortMinutes).toBeLessThanOrEqual(240);
      expect(p).toMatchObject({ method: 'documentary', slow: false, decision: p.found ? 'hold' : 'release' });
    }
    expect(share(documentary, (p) => p.found)).toBeCloseTo(CLEARANCE_SHARES.documentsFind, 1);
  });

  it('inspects in 1–8 port hours, some slowly in 12–36, finding something in about a quarter', () => {
    const slow = inspections.filter((p) => p.slow);
    for (const p of inspections) {
      const [min, max] = p.slow ? [12 * 60, 36 * 60] : [60, 480];
      expect(p.afterPortMinutes).toBeGreaterThanOrEqual(min);
      expect(p.afterPortMinutes).toBeLessThanOrEqual(max);
      expect(p.decision).toBe(p.found ? 'hold' : 'release');
    }
    expect(slow.length / inspections.length).toBeCloseTo(CLEARANCE_SHARES.slowInspection, 1);
    expect(share(inspections, (p) => p.found)).toBeCloseTo(CLEARANCE_SHARES.inspectionFinds, 1);
    expect(new Set(inspections.map((p) => p.method))).toEqual(new Set(['physical', 'nii']));
  });

  it('records results the inspection route accepts', () => {
    for (const p of [...documentary.slice(0, 200), ...inspections.slice(0, 200)]) {
      const body = {
        findings: p.found ? { found: true, codes: p.codes } : { found: false, notes: 'nothing irregular found' },
        inspectedAt: new Date(START).toISOString(),
        method: p.method,
      };
      expect(InspectionResultInput.safeParse(body).success).toBe(true);
      for (const code of p.codes) expect(ReasonCode.safeParse(code).success).toBe(true);
    }
  });

  it('compresses port minutes by the time scale', () => {
    expect(wallMs(60, 60)).toBe(60_000);
    expect(wallMs(45, 1200)).toBe(2_250);
  });
});

describe('planTaskResponse: the simulated agencies answering joint-control tasks', () => {
  const agencies = Object.keys(ROLE_FOR_AGENCY) as (keyof typeof ROLE_FOR_AGENCY)[];
  const root = new SeededRandom(13);
  const first = Array.from({ length: 3_000 }, (_, i) => {
    const agency = agencies[i % agencies.length] ?? 'customs';
    return { agency, plan: planTaskResponse(agency, 1, root.fork(`t${i}`)) };
  });

  it('leaves a few first dispatches unanswered, so that the workflow escalates them, and answers every re-dispatch', () => {
    expect(share(first, (x) => !x.plan.answer)).toBeCloseTo(MISSED_TASK_SHARE, 1);
    expect(share(first, (x) => !x.plan.answer)).toBeGreaterThan(0);
    for (let i = 0; i < 500; i++) expect(planTaskResponse('border', 2, root.fork(`again${i}`)).answer).toBe(true);
  });

  it('acknowledges within 1–12 port minutes and completes 3–25 later (within the workflow dev windows), with an outcome the route accepts', () => {
    for (const { agency, plan } of first) {
      if (!plan.answer) continue;
      expect(plan.ackAfterPortMinutes).toBeGreaterThanOrEqual(1);
      expect(plan.ackAfterPortMinutes).toBeLessThanOrEqual(12);
      expect(plan.completeAfterPortMinutes).toBeGreaterThanOrEqual(3);
      expect(plan.completeAfterPortMinutes).toBeLessThanOrEqual(25);
      expect(TaskCompletionInput.safeParse({ outcome: plan.outcome, findings: plan.findings }).success).toBe(true);
      expect(agency === 'customs' ? ['cleared', 'referred', 'seized'] : ['no-finding', 'finding']).toContain(
        plan.outcome,
      );
    }
  });

  it('is deterministic per task', () => {
    const a = planTaskResponse('customs', 1, new SeededRandom(5).fork('INC-1/customs/1'));
    const b = planTaskResponse('customs', 1, new SeededRandom(5).fork('INC-1/customs/1'));
    expect(a).toEqual(b);
  });
});
