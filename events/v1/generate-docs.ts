import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { applyTopicRule, TOPIC_FILTER, TOPIC_RULE } from '../../shared/platform/topic-rule';
import { DeviceEvent, type DeviceEventKind, KINDS_BY_CLASS } from './device-events';
import { SAMPLES } from './samples';
import { StreamRecord } from './stream-record';
import { DeviceClass, DeviceId, eventsTopic, MAX_PAYLOAD_BYTES, PortCode } from './topic';

/**
 * Writes docs/events.md from the v1 schemas (`npm run docs:events`). The tables come from `z.toJSONSchema`, the
 * examples from events/v1/samples, so the document cannot say something the validator does not enforce;
 * test/unit/events-docs.test.ts regenerates it in memory and fails when the committed file has drifted.
 */

type JsonSchema = z.core.JSONSchema.JSONSchema;

export const EVENTS_DOC_PATH = join(__dirname, '../../docs/events.md');

/** What each kind is for: the only prose here that is not derived from a schema (wording from CONTRACT.md §2). */
const KIND_NOTES: Record<DeviceEventKind, string> = {
  'ais.nmea':
    'Raw NMEA 0183 sentences from an AIS receiver. A multi-part message is complete within one publish; parts of ' +
    'different messages may be interleaved (by channel or sequential id). Sentences with a bad checksum, bad ' +
    'armouring or missing parts are rejected one by one; good sentences in the same publish still count.',
  'gate.transaction':
    'A truck passing a gate lane, with the container numbers as the OCR read them (0–4). The platform checks the ' +
    'ISO 6346 check digit after upper-casing and removing spaces, and flags a bad one instead of accepting it.',
  'rpm.scan':
    'One vehicle occupancy of a radiation portal monitor: gamma and neutron count rates sampled during the ' +
    'occupancy, with the background the device tracked before it. The platform, not the device, decides whether ' +
    'it is an alarm: see [radiation-alarm-rule.md](radiation-alarm-rule.md).',
  'nii.scan':
    'An X-ray / non-intrusive inspection result. `imageRef` names a WCO UFF file; images never travel over MQTT.',
  'equipment.telemetry':
    'Status of one piece of port equipment. `type` is an open list: `sts-crane`, `rtg`, `straddle-carrier`, ' +
    '`reach-stacker`, `scanner`, `gate-lane` and others as the terminal names them.',
  'device.heartbeat': 'Liveness and health of any device, whatever its class.',
};

/**
 * Meaning of the stream-record fields (the schema carries them only as TSDoc, which toJSONSchema cannot see).
 * Keyed by the record type's own field names, so renaming a field makes a stale note a type error.
 */
const STREAM_RECORD_NOTES: Partial<Record<keyof StreamRecord, string>> = {
  raw: 'the device payload, base64, untouched',
  topic: 'the MQTT topic it was published on',
  clientId: 'MQTT client id of the publisher (the thing name when the IoT policy holds)',
  receivedAt: 'broker receive time, epoch ms (IoT SQL `timestamp()`)',
};

/** A fixed receive time so the rendered stream-record example is the same on every run. */
const EXAMPLE_RECEIVED_AT = Date.parse('2026-11-26T00:25:00.412Z');

const code = (s: string): string => `\`${s}\``;
/** Table cells cannot hold a raw pipe, even inside code spans (GFM). */
const cell = (s: string): string => s.replaceAll('|', '\\|');
const jsonBlock = (value: unknown): string => ['```json', formatJson(value), '```'].join('\n');
/** Large bounds read better grouped (200,000 rather than 200000). */
const num = (n: number): string => (Math.abs(n) >= 10_000 ? n.toLocaleString('en-US') : String(n));

/**
 * JSON as a person would lay it out: arrays of scalars on one line when they fit (count-rate series, sentence
 * lists stay readable), everything else two-space indented like `JSON.stringify(v, null, 2)`.
 */
function formatJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (inner.length + inline.length <= 100) return inline;
    }
    return `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function asSchema(s: z.core.JSONSchema._JSONSchema | undefined): JsonSchema {
  return typeof s === 'object' ? s : {};
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return code(JSON.stringify(s.const));
  if (s.enum) return s.enum.map((v) => code(JSON.stringify(v))).join(' | ');
  if (s.type === 'array' && !Array.isArray(s.items)) return `${typeOf(asSchema(s.items))}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type ?? 'any JSON';
}

const range = (min: number | undefined, max: number | undefined, unit: string): string | undefined => {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${max} ${unit}` : `${min}–${max} ${unit}`;
  if (min !== undefined && min > 0) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return undefined;
};

function constraintsOf(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.format === 'date-time') {
    // zod emits a pattern that implements the format; say what it means instead of printing the regex.
    out.push(s.pattern?.includes('[+-]') ? 'ISO-8601 date-time with offset (`Z` or `±hh:mm`)' : 'ISO-8601 date-time');
  } else {
    if (s.format) out.push(`format ${code(s.format)}`);
    if (s.pattern) out.push(`pattern ${code(s.pattern)}`);
  }
  const chars = range(s.minLength, s.maxLength, 'chars');
  if (chars) out.push(chars);
  const items = range(s.minItems, s.maxItems, 'items');
  if (items) out.push(items);
  // Integers carry zod's safe-integer bounds; they say nothing a reader needs.
  const min = s.minimum === Number.MIN_SAFE_INTEGER ? undefined : s.minimum;
  const max = s.maximum === Number.MAX_SAFE_INTEGER ? undefined : s.maximum;
  if (min !== undefined && max !== undefined) out.push(`${num(min)} ≤ x ≤ ${num(max)}`);
  else if (min !== undefined) out.push(`≥ ${num(min)}`);
  else if (max !== undefined) out.push(`≤ ${num(max)}`);
  if (typeof s.exclusiveMinimum === 'number') out.push(`> ${num(s.exclusiveMinimum)}`);
  if (typeof s.exclusiveMaximum === 'number') out.push(`< ${num(s.exclusiveMaximum)}`);
  if (s.type === 'array' && !Array.isArray(s.items)) {
    const each = asSchema(s.items);
    if (each.type !== 'object') {
      const inner = constraintsOf(each);
      if (inner.length > 0) out.push(`each: ${inner.join(', ')}`);
    }
  }
  if (s.description) out.push(s.description);
  return out;
}

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  constraints: string[];
}

/** Rows for an object's properties; objects inside arrays are flattened as `field[].inner`. */
function fieldRows(object: JsonSchema, prefix = ''): FieldRow[] {
  const required = new Set(object.required ?? []);
  const rows: FieldRow[] = [];
  for (const [name, raw] of Object.entries(object.properties ?? {})) {
    const s = asSchema(raw);
    const path = `${prefix}${name}`;
    rows.push({ name: path, type: typeOf(s), required: required.has(name), constraints: constraintsOf(s) });
    const element = s.type === 'array' && !Array.isArray(s.items) ? asSchema(s.items) : undefined;
    if (element?.type === 'object') rows.push(...fieldRows(element, `${path}[].`));
    if (s.type === 'object') rows.push(...fieldRows(s, `${path}.`));
  }
  return rows;
}

function fieldTable(rows: FieldRow[]): string {
  return table(
    ['field', 'type', 'required', 'constraints'],
    rows.map((r) => [code(r.name), r.type, r.required ? 'yes' : 'no', r.constraints.join('; ') || '—']),
  );
}

/**
 * A GFM table with padded, aligned columns: the layout Biome's markdown formatter gives, so that `npm run lint`
 * and the drift test agree on one byte-exact file.
 */
function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => `| ${widths.map((w, i) => (row[i] ?? '').padEnd(w)).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head ?? []), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}

function strictNote(s: JsonSchema): string {
  return s.additionalProperties === false ? 'No other fields are accepted.' : 'Other fields are allowed.';
}

/** The envelope variants, one per kind, as JSON Schema. */
function envelopeVariants(): { kind: DeviceEventKind; envelope: JsonSchema; payload: JsonSchema }[] {
  const root = z.toJSONSchema(DeviceEvent, { io: 'input' });
  const variants = root.oneOf ?? root.anyOf ?? [];
  return variants.map((envelope) => {
    const kind = asSchema(envelope.properties?.kind).const as DeviceEventKind;
    return { kind, envelope, payload: asSchema(envelope.properties?.payload) };
  });
}

function classesOf(kind: DeviceEventKind): string[] {
  return Object.entries(KINDS_BY_CLASS)
    .filter(([, kinds]) => (kinds as readonly DeviceEventKind[]).includes(kind))
    .map(([deviceClass]) => deviceClass);
}

function topicSection(): string {
  const segment = (schema: z.ZodType): string => constraintsOf(z.toJSONSchema(schema)).join('; ');
  const example = eventsTopic({ port: 'CNSGH', deviceClass: 'rpm', deviceId: 'rpm-r03' });
  const kindsRows = Object.entries(KINDS_BY_CLASS).map(([deviceClass, kinds]) => [
    code(deviceClass),
    kinds.map(code).join(', '),
  ]);
  return [
    '## Topic',
    '',
    `Devices publish to ${code('kouan/v1/{portCode}/{deviceClass}/{deviceId}/events')} (MQTT 3.1.1, QoS 1), e.g. ` +
      `${code(example)}. The platform's topic rule subscribes to ${code(TOPIC_FILTER)}.`,
    '',
    table(
      ['segment', 'constraints'],
      [
        [code('portCode'), `UN/LOCODE; ${segment(PortCode)}`],
        [code('deviceClass'), `one of ${DeviceClass.options.map(code).join(', ')}`],
        [code('deviceId'), `the IoT thing name; ${segment(DeviceId)}; a device may publish only under its own id`],
      ],
    ),
    '',
    `A payload is at most ${num(MAX_PAYLOAD_BYTES)} bytes (${MAX_PAYLOAD_BYTES / 1024} KB). Which kinds each device ` +
      'class may publish:',
    '',
    table(['device class', 'kinds'], kindsRows),
  ].join('\n');
}

function envelopeSection(variants: ReturnType<typeof envelopeVariants>): string {
  const first = variants[0];
  if (!first) throw new Error('DeviceEvent has no variants');
  const rows = fieldRows(first.envelope).map((row) => {
    if (row.name === 'kind')
      return { ...row, type: 'string', constraints: [`one of ${variants.map((v) => code(v.kind)).join(', ')}`] };
    if (row.name === 'payload') return { ...row, constraints: ['the payload of the kind, below'] };
    return row;
  });
  return [
    '## Envelope',
    '',
    'Every publish is one JSON envelope. The topic is not part of it (the broker supplies it, and it is trusted ' +
      'over anything in the payload). `messageId` is unique per device: re-sending the same id (retries, QoS 1 ' +
      'duplicates, replays) never has a second effect. `observedAt` is when the device saw it, not when the ' +
      'platform received it.',
    '',
    // Payload rows come per kind below; the envelope rows are the same for every kind.
    fieldTable(rows.filter((r) => !r.name.startsWith('payload.'))),
    '',
    strictNote(first.envelope),
    'A message that fails validation is never lost: it is kept with its reason (`GET /v1/dead-letters`).',
  ].join('\n');
}

function kindSection(kind: DeviceEventKind, payload: JsonSchema): string {
  const samples = Object.entries(SAMPLES).filter(([, event]) => event.kind === kind);
  return [
    `### ${code(kind)}`,
    '',
    KIND_NOTES[kind],
    '',
    `Published by device classes: ${classesOf(kind).map(code).join(', ')}.`,
    '',
    fieldTable(fieldRows(payload)),
    '',
    strictNote(payload),
    '',
    ...samples.flatMap(([name, event]) => [
      `Sample ${code(`events/v1/samples/${name}.json`)}:`,
      '',
      jsonBlock(event),
      '',
    ]),
  ]
    .join('\n')
    .trimEnd();
}

function streamRecordSection(): string {
  const heartbeat = SAMPLES['device.heartbeat'];
  const topic = eventsTopic({ port: 'CNSGH', deviceClass: 'rpm', deviceId: 'rpm-r03' });
  const routed = applyTopicRule(topic, Buffer.from(JSON.stringify(heartbeat)), 'rpm-r03', EXAMPLE_RECEIVED_AT);
  if (!routed) throw new Error(`example topic ${topic} does not match the topic rule`);
  const schema = z.toJSONSchema(StreamRecord, { io: 'input' });
  return [
    '## Stream record (Kinesis)',
    '',
    'What the IoT topic rule puts on the Kinesis stream for each publish (the local broker applies the same rule). ' +
      'The device payload travels base64-encoded and untouched, so that non-JSON garbage still reaches the ingest ' +
      'function and its dead-letter store instead of failing inside the rules engine.',
    '',
    `Rule SQL (version ${TOPIC_RULE.sqlVersion}):`,
    '',
    '```sql',
    TOPIC_RULE.sql,
    '```',
    '',
    `Partition key ${code(TOPIC_RULE.partitionKey)}: one device's records stay on one shard, in order.`,
    '',
    fieldTable(
      fieldRows(schema).map((row) => {
        const note = STREAM_RECORD_NOTES[row.name as keyof StreamRecord];
        return note ? { ...row, constraints: [note, ...row.constraints] } : row;
      }),
    ),
    '',
    strictNote(schema),
    '',
    `Example: the ${code('device.heartbeat')} sample published on ${code(topic)}, partition key ` +
      `${code(routed.partitionKey)}:`,
    '',
    jsonBlock(routed.record),
  ].join('\n');
}

/** The whole of docs/events.md, rendered from the schemas and samples (deterministic: no clocks, no randomness). */
export function renderEventsDoc(): string {
  const variants = envelopeVariants();
  return [
    '# Device events, v1',
    '',
    '<!-- Generated by `npm run docs:events` from events/v1 (zod schemas via z.toJSONSchema, samples from ' +
      'events/v1/samples). Do not edit by hand: test/unit/events-docs.test.ts fails when this file drifts. -->',
    '',
    'What port devices publish over MQTT (CONTRACT.md §2). Every object is strict: a field the schema does not ' +
      'know is an error, so typos surface at the device instead of vanishing.',
    '',
    topicSection(),
    '',
    envelopeSection(variants),
    '',
    '## Kinds',
    '',
    ...variants.flatMap((v) => [kindSection(v.kind, v.payload), '']),
    streamRecordSection(),
    '',
  ].join('\n');
}

// Run as a script (`tsx events/v1/generate-docs.ts`), not when imported by the drift test.
if (/generate-docs\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  writeFileSync(EVENTS_DOC_PATH, renderEventsDoc());
  process.stdout.write(`wrote ${EVENTS_DOC_PATH}\n`);
}
