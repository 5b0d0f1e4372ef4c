import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchBundles } from './bundle-size';
import { costPerMillion, DEFAULT_ASSUMPTIONS } from './cost-model';
import { benchIngest } from './ingest-throughput';
import { benchPipeline, type PipelineRun } from './local-pipeline';
import { benchLodge, type LodgeLatency } from './lodge-latency';
import { benchPerformanceEval } from './performance-eval';
import { benchRiskEngine } from './risk-engine';

/**
 * `npm run bench`: measures the budgets of DESIGN.md and writes docs/benchmarks.md. Flags: `--quick` (short runs,
 * for a smoke check), `--no-pipeline` (skip the local end-to-end runs, which take about four minutes).
 */
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');

async function main() {
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  log('ingest throughput (in-process, one core)…');
  const ingest = await benchIngest(quick ? 1 : 5);
  log(
    `  planner ${f0(ingest.planPerSecond)}/s, handler ${f0(ingest.handlerPerSecond)}/s, with SDK ${f0(ingest.handlerWithSdkPerSecond)}/s`,
  );

  log('risk engine (in-process, one core)…');
  const risk = await benchRiskEngine(quick ? 1 : 5);

  log('port performance evaluation (a month of hour buckets, one core)…');
  const perf = await benchPerformanceEval(quick);

  log('bundles…');
  const bundles = await benchBundles();

  let lodge: LodgeLatency | undefined;
  if (!args.has('--no-pipeline')) {
    log('lodge → lane through the local API…');
    lodge = await benchLodge(quick ? 50 : 300);
  }

  const runs: PipelineRun[] = [];
  if (!args.has('--no-pipeline')) {
    const budget = quick ? { rate: 200, seconds: 10 } : { rate: 200, seconds: 60 };
    log(`local pipeline at ${budget.rate}/s for ${budget.seconds} s…`);
    runs.push(await benchPipeline(budget.rate, budget.seconds));
    for (const rate of quick ? [50] : [25, 50, 100, 150]) {
      log(`local pipeline at ${rate}/s for 20 s…`);
      runs.push(await benchPipeline(rate, quick ? 5 : 20));
    }
  }

  // ~2.4 KB of provisioned memory-time per event at the measured in-process rate, writes as the adapter issues them:
  // log entry 1 + device tally ≈ 1 per batch per device (≈ 0.2) + projections (≈ 0.8, each with its GSI writes).
  const lambdaMsPerEvent = 1000 / ingest.handlerWithSdkPerSecond;
  const cost = costPerMillion({ ...DEFAULT_ASSUMPTIONS, lambdaMsPerEvent, writeUnitsPerEvent: 2.5 });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const sustained = runs.filter((r) => r.lost === 0 && r.p99Ms < 1000).map((r) => r.ratePerSecond);

  const md = `# Benchmarks

Written by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}).
Budgets from DESIGN.md; where a figure is short of its budget it says so. Re-run on your machine: the figures
depend on it, and this sandbox's CPU is slow (see the JSON.parse yardstick).

## Ingest handler, in-process, one core

Batches of 100 records with a port's traffic mix (AIS 35 %, heartbeats 20 %, gate 16 %, portal monitors 10 %,
cranes 14 %, X-ray 5 %), each through the same topic-rule record shape as in the cloud.

| what | events/s | budget |
|---|---|---|
| \`JSON.parse\` yardstick: the stream record and the payload inside it, nothing else | ${f0(ingest.jsonParsePerSecond)} | (calibration) |
| planner: decode + validate (strict zod) + normalise + build the writes (\`planIngest\`) | ${f0(ingest.planPerSecond)} | ≥ 100,000 — **short** |
| whole handler, store port stubbed (Powertools batch, per-device sequencing, use case) | ${f0(ingest.handlerPerSecond)} | |
| whole handler with the real DynamoDB adapter, the AWS SDK building and serialising every request (network stubbed) | ${f0(ingest.handlerWithSdkPerSecond)} | |

DynamoDB requests per event in that run: ${ingest.requestsPerEvent.toFixed(2)}. The planner runs at
${(ingest.planPerSecond / ingest.jsonParsePerSecond).toFixed(2)} × the yardstick: two JSON parses, a base64
decode and two strict schema validations per event are most of it, and the budget's 100,000/s is not reached on
this CPU. The AWS SDK's per-request work (middleware, signing, serialisation) dominates the real handler.

## Risk engine, in-process, one core

| what | assessments/s | budget |
|---|---|---|
| \`assess\` (shared/domain/risk) with the default profile on a mix of import, export and transit declarations, some with device evidence | ${f0(risk.assessmentsPerSecond)} | ≥ 50,000 |

The engine is pure (criteria are compiled to closures once per profile); \`POST /v1/declarations\` uses it.

## Port performance evaluation, in-process, one core

A month (${perf.hours} hour buckets) of a busy port, folded from ${f0(perf.facts)} facts (gate transactions and
visits, portal occupancies, equipment intervals, clearance facts, incidents, vessel calls; 12 gate lanes, 24 rules,
80 pieces of equipment), then evaluated as \`GET /v1/ports/{port}/performance\` does: parse the stored buckets, add
their counters and sketch bins up, KPIs, the eight-dimension model, bottlenecks.

| what | figure | budget |
|---|---|---|
| evaluate the month from its stored buckets (median of 5) | ${ms(perf.evaluateMs)} | < 1 s${perf.evaluateMs < 1000 ? '' : ' — **short**'} |
| heap growth while evaluating | ${perf.heapDeltaMb.toFixed(1)} MB | bounded (by the number of distinct keys, not of facts) |
| stored buckets of the month (JSON on the port table) | ${(perf.storedBytes / 1024 / 1024).toFixed(1)} MB, largest hour ${(perf.largestBucketBytes / 1024).toFixed(1)} KB | item ≤ 400 KB |
| fold facts into hour buckets (\`aggregate\`) | ${f0(perf.aggregatePerSecond)} facts/s | ≥ 100,000 events/s (ingest) |

The API's response also evaluates the previous period for the trend: twice the month's figure. The fold is what the
schedule does to each closed hour (and slot) and what the API does for the current slot.

## Lodge → lane, through the local API

${
  lodge
    ? `\`POST /v1/declarations\` with a declarant token against \`npm start -- --in-memory --no-simulator\`, ${lodge.requests} sequential requests (the contract's sample declarations), HTTP round trip until the 201 with lane and reasons: p50 ${ms(lodge.p50Ms)}, p99 ${ms(lodge.p99Ms)}, max ${ms(lodge.maxMs)} (lanes: ${Object.entries(
        lodge.lanes,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}). Budget p99 < 50 ms: ${lodge.p99Ms < 50 ? 'met' : '**short**'}.`
    : '(skipped)'
}

## Local pipeline: MQTT publish → state readable through the API

\`npm start -- --in-memory --no-simulator\` in its own process (emulators in a child process of it), the port
simulator's traffic published at a steady rate by the benchmark process with one MQTT client per device, and a
reader polling \`GET /v1/devices\` until each message's device count includes it (the device record is written
last for a batch, so all of the message's state is readable by then).

| rate (events/s) | duration | published | lost | p50 | p90 | p99 | max |
|---|---|---|---|---|---|---|---|
${runs.map((r) => `| ${r.ratePerSecond} | ${r.seconds} s | ${f0(r.published)} | ${r.lost} | ${ms(r.p50Ms)} | ${ms(r.p90Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} |`).join('\n') || '| (skipped) | | | | | | | |'}

Budget: p99 ≤ 50 ms at 200 events/s with nothing lost — **short**: nothing is lost at any rate, but this machine
keeps up (p99 under a second, no growing backlog) only up to ${sustained.length ? Math.max(...sustained) : 'n/a'} events/s.
The local platform process is CPU-bound in the AWS SDK's per-request work (about 1 ms of CPU per DynamoDB or
Kinesis request here) and dynalite's; the ingest path already batches what needs no condition (one message-log
lookup per batch, log entries, track points and dead letters with BatchWriteItem, one device tally per batch).
The cloud has no such ceiling: Lambda scales per shard.

## Lambda bundles (esbuild, minified, AWS SDK external)

| function | size | module init, cold \`require\` (fastest of 9 fresh processes) | of which the AWS SDK it loads | the function's own | budget |
|---|---|---|---|---|---|
${bundles.map((b) => `| ${b.name} | ${(b.bytes / 1024).toFixed(1)} KB | ${b.initMs.toFixed(0)} ms | ${b.sdkInitMs.toFixed(0)} ms | ${(b.initMs - b.sdkInitMs).toFixed(0)} ms | ≤ 450 KB; init ≤ 70 ms |`).join('\n')}

Sizes are ${bundles.every((b) => b.bytes <= 450 * 1024) ? 'within budget' : '**over budget**'}. Module init, the functions' own code: ${bundles
    .map(
      (b) =>
        `${b.name} ${(b.initMs - b.sdkInitMs).toFixed(0)} ms${b.initMs - b.sdkInitMs > 70 ? ' (**over 70 ms**)' : ''}`,
    )
    .join(
      ', ',
    )}; with the AWS SDK v3 modules they load (which the Lambda runtime provides) the totals are ${bundles.some((b) => b.initMs > 70) ? '**over 70 ms on this machine**' : 'within budget'}. Most of the functions' own init is building zod schemas (about 50–70 µs per schema object, cold): the API builds every route's request and response schemas, the declaration schema with its reference tables (HS 2022, ISO 4217/3166, UN/LOCODE) and the risk engine's settings; the evaluation's sketches load on its first request. Cold starts on this shared 2-core machine vary by ±30 ms between runs, hence the fastest of nine.

## Cost per million device events (AWS us-east-1 list prices, assumptions stated)

| part | USD |
|---|---|
${Object.entries(cost.parts)
  .map(([k, v]) => `| ${k} | ${v.toFixed(3)} |`)
  .join('\n')}
| **total** | **${cost.total.toFixed(2)}** |

Assumptions (bench/cost-model.ts): IoT Core $1.00 per million messages, rules $0.15 + actions $0.15 per million,
Kinesis on-demand $0.08/GB in and $0.04/GB out with ${DEFAULT_ASSUMPTIONS.recordBytes}-byte records and $0.04 per
stream-hour at a steady ${DEFAULT_ASSUMPTIONS.steadyEventsPerSecond} events/s, Lambda arm64 512 MB at the measured
${lambdaMsPerEvent.toFixed(2)} ms per event in batches of ${DEFAULT_ASSUMPTIONS.eventsPerBatch}, DynamoDB on-demand
$0.625 per million writes and $0.125 per million reads with 2.5 write units per event (log entry, projections and
their index writes, device tally per batch) and 0.5 read units per event. Budget ≤ $1.50:
${cost.total <= 1.5 ? 'met.' : `**short** (${cost.total.toFixed(2)}). IoT Core messaging alone is $1.00; devices that publish through IoT Core Basic Ingest (\`$aws/rules/<rule>/…\`) skip it, which would bring the total to about $${(cost.total - 1).toFixed(2)} — a contract change (the topic), so not done.`}
`;
  writeFileSync('docs/benchmarks.md', md);
  // The linter formats Markdown too (tables): keep the generated file in its format so `npm run lint` stays green.
  execFileSync(join(process.cwd(), 'node_modules/.bin/biome'), ['format', '--write', 'docs/benchmarks.md'], {
    stdio: 'ignore',
  });
  log('wrote docs/benchmarks.md');
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
