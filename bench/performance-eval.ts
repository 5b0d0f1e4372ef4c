import {
  aggregate,
  type Bucket,
  computeKpis,
  emptyBucket,
  evaluate,
  findBottlenecks,
  type PerformanceFact,
  type StoredBucket,
  StoredBucketSum,
  serialiseBucket,
} from '../shared/domain/performance';

/**
 * Port performance evaluation (issue 5): a month of a busy port's hour buckets — 720 buckets folded from ≥ 10 million
 * facts — evaluated the way `GET /v1/ports/{port}/performance` does (read the stored buckets, decode, merge, KPIs,
 * the eight-dimension model, bottlenecks), with the memory it takes; and the fold (`aggregate`) throughput beside the
 * ingest budget of 100,000 events/s. Run alone with `npx tsx bench/performance-eval.ts [--quick]`.
 */
export interface PerformanceEvalFigures {
  hours: number;
  facts: number;
  /** Folding facts into hour buckets, one core. */
  aggregatePerSecond: number;
  /** Stored size of the month's buckets (JSON, as on the port table). */
  storedBytes: number;
  largestBucketBytes: number;
  /** Decode + merge + KPIs + evaluation + bottlenecks of the month, median of 5 runs. */
  evaluateMs: number;
  evaluateMsRuns: number[];
  /** Heap growth while evaluating (the stored JSON excluded), max over the runs. */
  heapDeltaMb: number;
  indexScore: number | null;
}

function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

const PORT = 'CNSGH';
const H = 3_600_000;
const START = Date.parse('2026-10-01T00:00:00Z');
const LANES = Array.from({ length: 12 }, (_, i) => `L${i + 1}`);
const RULES = Array.from({ length: 24 }, (_, i) => `R${i + 1}`);
const EQUIPMENT = Array.from({ length: 80 }, (_, i) => `EQ-${i + 1}`);
const DIRECTIONS = ['import', 'export', 'transit'] as const;
const MODES = ['sea', 'road', 'rail', 'air'] as const;
const LANE_OF = ['green', 'green', 'green', 'blue', 'yellow', 'red'] as const;

/**
 * One hour of a busy port's facts (a fixed pool, re-timed per hour): gate transactions and visits, portal
 * occupancies, equipment intervals, the clearance facts of declarations, incidents and vessel calls.
 */
function hourOfFacts(hourStart: number, perHour: number, seed: number): PerformanceFact[] {
  const { next, int } = generator(seed);
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: PerformanceFact[] = [];
  for (let i = 0; i < perHour; i++) {
    const at = hourStart + int(H);
    const r = next();
    const id = `${hourStart}-${i}`;
    if (r < 0.38) {
      out.push({
        type: 'gate.transaction',
        port: PORT,
        transactionId: id,
        laneId: LANES[int(LANES.length)] as string,
        direction: next() < 0.5 ? 'in' : 'out',
        plate: 'P',
        at: iso(at),
      });
    } else if (r < 0.56) {
      out.push({
        type: 'gate.visit',
        port: PORT,
        visitId: id,
        plate: 'P',
        laneIn: LANES[int(LANES.length)] as string,
        inAt: iso(at - 20 * 60_000 - int(3 * H)),
        at: iso(at),
      });
    } else if (r < 0.72) {
      out.push({ type: 'rpm.occupancy', port: PORT, occupancyId: id, alarm: next() < 0.008, at: iso(at) });
    } else if (r < 0.8) {
      out.push({
        type: 'equipment.interval',
        port: PORT,
        equipmentId: EQUIPMENT[int(EQUIPMENT.length)] as string,
        equipmentType: 'sts-crane',
        condition: next() < 0.03 ? 'fault' : 'ok',
        from: iso(at - 15 * 60_000),
        at: iso(at),
      });
    } else if (r < 0.995) {
      const lane = LANE_OF[int(LANE_OF.length)] as (typeof LANE_OF)[number];
      const routing = { direction: DIRECTIONS[int(3)] as 'import', mode: MODES[int(4)] as 'sea' };
      const rules = lane === 'green' ? [] : [RULES[int(RULES.length)] as string];
      const k = next();
      if (k < 0.3) {
        out.push({
          type: 'declaration.assessed',
          port: PORT,
          declarationId: id,
          at: iso(at),
          lodgedAt: iso(at - 50 - int(900)),
          lane,
          ruleIds: rules,
          selection: next() < 0.1 ? 'random' : 'targeted',
          ...routing,
        });
      } else if (k < 0.55) {
        out.push({
          type: 'declaration.released',
          port: PORT,
          declarationId: id,
          at: iso(at),
          lodgedAt: iso(at - int(60 * H)),
          readyAt: iso(at - int(4 * H)),
          slaDueAt: iso(at + int(40 * H) - 8 * H),
          lane,
          ...routing,
        });
      } else if (k < 0.75) {
        out.push({ type: 'declaration.lodged', port: PORT, declarationId: id, at: iso(at), ...routing });
      } else if (k < 0.88) {
        out.push({
          type: 'inspection.started',
          port: PORT,
          declarationId: id,
          at: iso(at),
          readyAt: iso(at - int(6 * H)),
          lane: 'red',
        });
      } else {
        out.push({
          type: 'inspection.result',
          port: PORT,
          declarationId: id,
          at: iso(at),
          startedAt: iso(at - int(3 * H)),
          found: next() < 0.12,
          ruleIds: [RULES[int(RULES.length)] as string],
          selection: next() < 0.1 ? 'random' : 'targeted',
        });
      }
    } else if (r < 0.998) {
      out.push({ type: 'incident.acknowledged', port: PORT, incidentId: id, raisedAt: iso(at - int(H)), at: iso(at) });
    } else {
      out.push({
        type: 'vessel.call',
        port: PORT,
        mmsi: 400_000_000 + i,
        arrivalAt: iso(at - 40 * H),
        berthAt: iso(at - 30 * H + int(10 * H)),
        berthId: `B${int(6)}`,
        at: iso(at),
      });
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchPerformanceEval(quick = false): Promise<PerformanceEvalFigures> {
  const hours = 720;
  // ≥ 10 million facts over the month: 13,900 an hour (a busy port: ~4 a second, every one of them counted).
  const perHour = 13_900;
  // A pool of 24 distinct hours re-timed across the month keeps generation cheap; every fact is still folded.
  const pool = Array.from({ length: quick ? 4 : 24 }, (_, i) => hourOfFacts(START + i * H, perHour, 1000 + i));

  // Fold: every fact of the month into its hour bucket, timed (this is the schedule's and the live hours' work).
  const stored: string[] = [];
  let folded = 0;
  let foldMs = 0;
  for (let h = 0; h < hours; h++) {
    const facts = pool[h % pool.length] as PerformanceFact[];
    const t = performance.now();
    const b = emptyBucket();
    for (const f of facts) aggregate(b, f);
    foldMs += performance.now() - t;
    folded += facts.length;
    stored.push(JSON.stringify(serialiseBucket(b)));
  }
  const storedBytes = stored.reduce((a, s) => a + Buffer.byteLength(s), 0);
  const largestBucketBytes = Math.max(...stored.map((s) => Buffer.byteLength(s)));

  // Evaluate the month from its stored buckets, as the API does after the store's Query returns them.
  const runs: number[] = [];
  let heapDelta = 0;
  let score: number | null = null;
  for (let run = 0; run < 5; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t = performance.now();
    const sum = new StoredBucketSum();
    for (const s of stored) sum.add(JSON.parse(s) as StoredBucket);
    const month: Bucket = sum.toBucket();
    const kpis = computeKpis(month, hours);
    const evaluation = evaluate(kpis.items);
    findBottlenecks(month);
    runs.push(performance.now() - t);
    heapDelta = Math.max(heapDelta, process.memoryUsage().heapUsed - heap0);
    score = evaluation.index.score;
  }
  return {
    hours,
    facts: folded,
    aggregatePerSecond: folded / (foldMs / 1000),
    storedBytes,
    largestBucketBytes,
    evaluateMs: median(runs),
    evaluateMsRuns: runs,
    heapDeltaMb: heapDelta / 1024 / 1024,
    indexScore: score,
  };
}

if (require.main === module) {
  benchPerformanceEval(process.argv.includes('--quick')).then((f) => console.log(JSON.stringify(f, null, 2)));
}
