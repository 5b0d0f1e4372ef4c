import {
  assess,
  DEFAULT_RISK_PROFILE,
  defaultSelectivitySettings,
  type Lane,
  type RiskDeclaration,
  type RiskEvidence,
  type RiskItem,
} from '../shared/domain/risk';

/**
 * Risk engine throughput: `assess` on one core, in-process, with the default profile, over a mix of declarations
 * shaped like a container port's day (DESIGN.md budget: ≥ 50,000 assessments/s). Run alone with
 * `npx tsx bench/risk-engine.ts [seconds]`.
 */

export interface RiskEngineThroughput {
  assessmentsPerSecond: number;
  /** How many distinct declarations the mix cycles through. */
  declarations: number;
  /** Share of each lane over one pass of the mix: shows the mix exercises every path. */
  laneShare: Record<Lane, number>;
  /** Mean items per declaration in the mix. */
  meanItems: number;
}

/** A small deterministic generator (mulberry32) so every run measures the same mix. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  return { next, pick };
}

// Everyday goods (furniture, computers, phones, T-shirts, car parts, plastics, screws, appliances, toys, medicines).
const COMMON_HS = ['940360', '847130', '851713', '610910', '870899', '392690', '731815', '851660', '950300', '300490'];
const RARE_HS = ['930200', '284161', '010121', '060210', '360200'];
const DUAL_USE_HS = ['880622', '845611', '852610'];
const ORIGINS = ['CN', 'VN', 'DE', 'US', 'JP', 'KR', 'IN', 'TR'];
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'CNY'];
const CONTAINERS = ['CSQU3054383', 'ECMU4657496', 'TGHU7599330', 'MSKU9070323', 'HLXU8025450'];
const PLATES = ['HU-A 12345', 'HU-B 77821', 'SU-E 50912', 'ZHE-B 3391'];
const AT = '2026-03-01T07:00:00.000Z';

/** The mix, with the share of each kind written out so the figure can be judged. */
export function declarationMix(count = 2_000): { declaration: RiskDeclaration; evidence: RiskEvidence }[] {
  const { next, pick } = generator(20_261_126);
  const out: { declaration: RiskDeclaration; evidence: RiskEvidence }[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const direction = roll < 0.06 ? 'transit' : roll < 0.35 ? 'export' : 'import';
    const itemCount = 1 + Math.floor(next() * next() * 8); // mostly 1–3, up to 8
    const items: RiskItem[] = [];
    for (let k = 0; k < itemCount; k++) {
      const r = next();
      const hsCode =
        direction === 'transit' && r < 0.3 ? pick(DUAL_USE_HS) : r < 0.02 ? pick(RARE_HS) : pick(COMMON_HS);
      const grossWeightKg = 50 + Math.floor(next() * 12_000);
      // Usual unit values 2–200 USD/kg; 3 % far under, 1 % far over.
      const v = next();
      const perKg = v < 0.03 ? 0.05 : v > 0.99 ? 50_000 : 2 + next() * 198;
      items.push({
        hsCode,
        originCountry: pick(ORIGINS),
        quantity: 1 + Math.floor(next() * 1_000),
        unit: 'PCE',
        grossWeightKg,
        customsValue: { amount: Math.round(perKg * grossWeightKg), currency: pick(CURRENCIES) },
      });
    }
    const containers = CONTAINERS.slice(0, 1 + Math.floor(next() * 2));
    const plate = pick(PLATES);
    const declaration: RiskDeclaration = {
      id: `01JBENCH${String(i).padStart(8, '0')}`,
      port: next() < 0.8 ? 'CNSGH' : 'CNNGB',
      direction,
      trader: { id: `TR-${Math.floor(next() * 300)}`, country: 'CN', aeo: next() < 0.2 },
      transport: { mode: 'sea', vesselImo: '9321483', vesselMmsi: 477_123_456, truckPlate: plate },
      containers,
      items,
      // 8 % without an invoice; certificates present for half the animal and plant lines.
      documents: [
        ...(next() < 0.92 ? [{ type: 'invoice', ref: `INV-${i}` }] : []),
        ...(next() < 0.5 ? [{ type: 'phytosanitary', ref: `P-${i}` }] : []),
      ],
    };
    // Evidence: most declarations have none at lodgement; re-assessments carry gate windows and the odd alarm.
    const e = next();
    let evidence: RiskEvidence = {};
    if (e < 0.2) {
      evidence = {
        gateWindow: {
          id: `gw-${i}`,
          at: AT,
          seen: (next() < 0.97 ? containers : containers.slice(1)).map((container, k) => ({
            id: `g-${i}-${k}`,
            at: AT,
            container,
          })),
        },
        radiationAlarms: next() < 0.05 ? [{ id: `rpm-${i}`, at: AT, containers: [containers[0] as string] }] : [],
        vesselDark: next() < 0.02 ? [{ id: `ais-${i}`, at: AT, mmsi: 477_123_456 }] : [],
      };
    }
    out.push({ declaration, evidence });
  }
  return out;
}

/**
 * Assessments per second on one core for about `seconds` (after a warm-up that also compiles the profile).
 * The clock allocates a `Date` per call, as the production clock does.
 */
export async function benchRiskEngine(seconds = 5): Promise<RiskEngineThroughput> {
  const mix = declarationMix();
  const settings = defaultSelectivitySettings(
    { seedId: 'bench', seed: 'bench-seed-not-a-secret-000' },
    { EUR: 1.08, CNY: 0.138 },
  );
  const context = { now: () => new Date() };
  const laneCount: Record<Lane, number> = { green: 0, blue: 0, yellow: 0, red: 0 };
  for (const { declaration, evidence } of mix) {
    laneCount[assess(declaration, evidence, DEFAULT_RISK_PROFILE, settings, context).lane]++;
  }
  // Warm-up: let the JIT settle before timing.
  for (let r = 0; r < 20; r++) {
    for (const { declaration, evidence } of mix) assess(declaration, evidence, DEFAULT_RISK_PROFILE, settings, context);
  }
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (const { declaration, evidence } of mix) {
      sink += assess(declaration, evidence, DEFAULT_RISK_PROFILE, settings, context).score;
    }
    n += mix.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the results alive');
  const laneShare = { green: 0, blue: 0, yellow: 0, red: 0 } as Record<Lane, number>;
  for (const l of Object.keys(laneCount) as Lane[]) laneShare[l] = laneCount[l] / mix.length;
  return {
    assessmentsPerSecond: n / elapsed,
    declarations: mix.length,
    laneShare,
    meanItems: mix.reduce((t, m) => t + m.declaration.items.length, 0) / mix.length,
  };
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? 5);
  benchRiskEngine(seconds).then((r) => {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  });
}
