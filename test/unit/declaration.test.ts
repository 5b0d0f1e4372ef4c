import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type * as z from 'zod';
import {
  DECLARATION_LIMITS,
  DecisionInput,
  DeclarationAssessment,
  DeclarationInput,
  InspectionResultInput,
  issueDetails,
} from '../../events/v1/declaration';
import {
  DECLARATION_SAMPLES,
  type DeclarationSampleName,
  RAW_DECLARATION_SAMPLES,
} from '../../events/v1/declaration-samples';
import { imoCheckDigit, imoNumberValid } from '../../shared/domain/clearance/imo-number';
import iso6346 from '../fixtures/iso6346.json';

const SAMPLES_DIR = join(__dirname, '../../events/v1/samples/declarations');
const HS_CSV = join(__dirname, '../fixtures/reference/hs2022-chapters-headings.csv');
const sampleNames = Object.keys(RAW_DECLARATION_SAMPLES) as DeclarationSampleName[];

type Json = Record<string, unknown>;
type Body = Json & {
  trader: Json;
  transport: Json;
  containers: unknown[];
  items: (Json & { customsValue: Json })[];
} & {
  documents: Json[];
};

/** A deep, mutable copy of a sample as a client sends it, so a test can break it without touching the shared one. */
const body = (name: DeclarationSampleName = 'import-sea'): Body =>
  JSON.parse(JSON.stringify(RAW_DECLARATION_SAMPLES[name]));

/** Parses and returns the refusal's `[{ path, message }]`, failing the test when the body is accepted. */
function refusal(input: unknown): { path: string; message: string }[] {
  const result = DeclarationInput.safeParse(input);
  expect(result.success).toBe(false);
  return issueDetails(result.error as z.ZodError);
}

/** Defines an own property (as JSON.parse does), so `__proto__` becomes a key, not the prototype. */
const withOwn = <T extends object>(target: T, key: string, value: unknown): T => {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
};

const first = <T>(list: T[]): T => {
  const item = list[0];
  if (item === undefined) throw new Error('empty list');
  return item;
};

describe('declaration samples', () => {
  it('every JSON file in events/v1/samples/declarations is in the sample map, and every entry has its file', () => {
    const files = readdirSync(SAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
    expect(files).toEqual([...sampleNames].sort());
  });

  it.each(sampleNames)('%s is accepted exactly as the file holds it', (name) => {
    const text = readFileSync(join(SAMPLES_DIR, `${name}.json`), 'utf8');
    const result = DeclarationInput.safeParse(JSON.parse(text));
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(DECLARATION_SAMPLES[name]);
  });

  it('cover a sea import, a road export by an AEO trader and a perishable consignment', () => {
    const sea = DECLARATION_SAMPLES['import-sea'];
    const road = DECLARATION_SAMPLES['export-road-aeo'];
    const perishable = DECLARATION_SAMPLES['import-perishable'];
    expect([sea.direction, sea.transport.mode]).toEqual(['import', 'sea']);
    expect([road.direction, road.transport.mode, road.trader.aeo]).toEqual(['export', 'road', true]);
    expect(perishable.perishable).toBe(true);
  });

  it('use real container numbers from the ISO 6346 fixture', () => {
    const real = new Set(iso6346.valid.map((e) => e.number));
    const declared = Object.values(DECLARATION_SAMPLES).flatMap((d) => d.containers);
    expect(declared.length).toBeGreaterThan(0);
    for (const number of declared) expect(real.has(number)).toBe(true);
  });

  it('are written in the canonical form the OpenAPI document shows (nothing left to normalise)', () => {
    for (const name of sampleNames) expect(DECLARATION_SAMPLES[name]).toEqual(RAW_DECLARATION_SAMPLES[name]);
  });

  it('are frozen so one test cannot change another', () => {
    expect(Object.isFrozen(DECLARATION_SAMPLES['import-sea'].items)).toBe(true);
  });
});

describe('DeclarationInput accepts what the contract allows', () => {
  it('normalises container numbers written with spaces and lower case', () => {
    const b = body();
    b.containers = ['csqu 305438 3', 'TGHU 759933 0'];
    expect(DeclarationInput.parse(b).containers).toEqual(['CSQU3054383', 'TGHU7599330']);
  });

  it('normalises the truck plate the way the gates read it (upper case, no spaces)', () => {
    const b = body('export-road-aeo');
    b.transport.truckPlate = '粤z 1a23港';
    expect(DeclarationInput.parse(b).transport.truckPlate).toBe('粤Z1A23港');
  });

  it('accepts every valid container number of the ISO 6346 fixture', () => {
    const b = body();
    b.containers = iso6346.valid.map((e) => e.number);
    expect(DeclarationInput.safeParse(b).success).toBe(true);
  });

  it('accepts sea transport with only an MMSI, and road and rail without a vessel', () => {
    const sea = body();
    sea.transport = { mode: 'sea', vesselMmsi: 351759000 };
    const rail = body();
    rail.transport = { mode: 'rail', voyage: 'X8041' };
    expect(DeclarationInput.safeParse(sea).error).toBeUndefined();
    expect(DeclarationInput.safeParse(rail).error).toBeUndefined();
  });

  it('accepts the limits themselves (200 items, 100 containers, 50 documents, 64-char reference, 512-char description)', () => {
    const b = body();
    const item = first(b.items);
    b.items = Array.from({ length: DECLARATION_LIMITS.items }, () => ({ ...item }));
    b.containers = Array.from({ length: DECLARATION_LIMITS.containers }, (_, i) => containerNumber(i));
    b.documents = Array.from({ length: DECLARATION_LIMITS.documents }, (_, i) => ({
      type: 'invoice',
      ref: `INV-${i}`,
    }));
    b.reference = 'R'.repeat(DECLARATION_LIMITS.referenceLength);
    first(b.items).description = 'd'.repeat(DECLARATION_LIMITS.descriptionLength);
    expect(DeclarationInput.safeParse(b).error).toBeUndefined();
  });

  it('accepts 6, 8 and 10-digit HS codes of real headings, and Kosovo (XK) as a country', () => {
    for (const hsCode of ['080929', '85444290', '8544429000', '970600']) {
      const b = body();
      first(b.items).hsCode = hsCode;
      first(b.items).originCountry = 'XK';
      expect(DeclarationInput.safeParse(b).error).toBeUndefined();
    }
  });
});

/** A valid ISO 6346 number with serial `i`, built with an independent check-digit computation. */
function containerNumber(i: number): string {
  const letters = iso6346.letter_values as Record<string, number>;
  const first10 = `KOAU${String(i).padStart(6, '0')}`;
  const sum = [...first10].reduce((s, ch, k) => s + (letters[ch] ?? Number(ch)) * 2 ** k, 0);
  return `${first10}${(sum % 11) % 10}`;
}

interface Mutation {
  name: string;
  mutate: (b: Body) => unknown;
  path: string;
  message: RegExp | undefined;
}

/** One row of the table: jest's it.each passes a `done` callback when an array row is shorter, so rows are objects. */
const m = (name: string, mutate: (b: Body) => unknown, path: string, message?: RegExp): Mutation => ({
  name,
  mutate,
  path,
  message,
});

/** Walks a dotted path (`items.0.customsValue`) to the object holding its last key. */
function holder(b: Body, path: string): [Record<string, unknown>, string] {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target: unknown = b;
  for (const key of keys) target = (target as Record<string, unknown>)[key];
  return [target as Record<string, unknown>, last];
}

/** A mutation that sets `path` to `value` as an own property (so `__proto__`/`constructor` are keys, not magic). */
const set =
  (path: string, value: unknown) =>
  (b: Body): Body => {
    const [target, key] = holder(b, path);
    withOwn(target, key, value);
    return b;
  };

/** A mutation that removes `path`. */
const unset =
  (path: string) =>
  (b: Body): Body => {
    const [target, key] = holder(b, path);
    delete target[key];
    return b;
  };

/** The common row: set `path` to a bad value and expect the refusal at that path. */
const bad = (name: string, path: string, value: unknown, message?: RegExp): Mutation =>
  m(name, set(path, value), path, message);

const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const refused: Mutation[] = [
  // wrong types
  m('body is an array', () => [], '', /expected object/),
  m('body is null', () => null, '', /expected object/),
  bad('reference is a number', 'reference', 42),
  bad('trader.aeo is a string', 'trader.aeo', 'yes'),
  bad('transport.vesselMmsi is a string', 'transport.vesselMmsi', '351759000'),
  bad('containers is a string', 'containers', 'CSQU3054383'),
  bad('items[0].quantity is a string', 'items.0.quantity', '10'),
  bad('perishable is a string', 'perishable', 'false'),
  bad('direction is not one of import/export/transit', 'direction', 're-export'),
  bad('transport.mode is unknown', 'transport.mode', 'pipeline'),
  m('items is missing', unset('items'), 'items'),
  m('trader.country is missing', unset('trader.country'), 'trader.country'),
  // unknown fields at every level
  bad('unknown field at the root (mass assignment)', 'status', 'released', /unknown field/),
  bad('lane smuggled in at the root', 'lane', 'green', /unknown field/),
  bad('unknown field in trader', 'trader.nickname', 'x'),
  bad('unknown field in transport', 'transport.captain', 'x'),
  bad('unknown field in an item', 'items.0.dutyRate', 0),
  bad('unknown field in customsValue', 'items.0.customsValue.rate', 7.1),
  bad('unknown field in a document', 'documents.0.issuedBy', 'x'),
  bad('own "constructor" key in trader', 'trader.constructor', {}),
  bad('own "__proto__" key in transport', 'transport.__proto__', { mode: 'air' }),
  // HS codes
  bad('HS chapter 77 (reserved)', 'items.0.hsCode', '770100', /77 is reserved/),
  bad('HS chapter 99 (not in the WCO nomenclature)', 'items.0.hsCode', '999999', /chapter 99/),
  bad('HS chapter 00', 'items.0.hsCode', '000000', /chapter 00/),
  bad('HS heading that does not exist (8589)', 'items.0.hsCode', '858900', /heading 8589/),
  bad('5-digit HS code', 'items.0.hsCode', '85044', /6 to 10 digits/),
  bad('11-digit HS code', 'items.0.hsCode', '85044090000', /6 to 10 digits/),
  bad('HS code with a dot', 'items.0.hsCode', '8504.40'),
  bad('HS code as a number', 'items.0.hsCode', 850440),
  // containers
  m('bad container check digit', set('containers', ['CSQU3054384']), 'containers.0', /check digit/),
  m('container with category X', set('containers', ['CSQX3054383']), 'containers.0', /ISO 6346/),
  m(
    'a container declared twice (after normalisation)',
    set('containers', ['CSQU3054383', 'csqu 305438 3']),
    'containers.1',
    /already declared at containers\.0/,
  ),
  // currencies, countries, ports
  bad('unknown currency', 'items.0.customsValue.currency', 'XYZ'),
  bad('lower-case currency', 'items.0.customsValue.currency', 'usd'),
  bad('withdrawn currency (HRK)', 'items.0.customsValue.currency', 'HRK'),
  bad('gold is not a currency of a customs value', 'items.0.customsValue.currency', 'XAU', /unit of account/),
  bad('unknown country of origin', 'items.0.originCountry', 'ZZ'),
  bad('UK is not the ISO code of the United Kingdom', 'trader.country', 'UK'),
  bad('lower-case country', 'trader.country', 'cn'),
  bad('lower-case port', 'port', 'cnsgh'),
  bad('port with a 1 (not in UN/LOCODE)', 'port', 'CNSG1'),
  bad('port in no country', 'port', 'QQSGH', /ISO 3166/),
  // transport consistent with its mode
  m(
    'sea without vessel',
    set('transport', { mode: 'sea', voyage: '1' }),
    'transport.vesselImo',
    /vesselImo or vesselMmsi/,
  ),
  m('road without truck plate', set('transport', { mode: 'road' }), 'transport.truckPlate', /truckPlate/),
  m(
    'air with a vessel',
    set('transport', { mode: 'air', vesselImo: '9134270' }),
    'transport.vesselImo',
    /sea, not by air/,
  ),
  bad('bad IMO check digit', 'transport.vesselImo', '9134271', /check digit/),
  bad('IMO with prefix', 'transport.vesselImo', 'IMO9134270'),
  bad('8-digit MMSI', 'transport.vesselMmsi', 35175900, /9 digits/),
  bad('fractional MMSI', 'transport.vesselMmsi', 351759000.5),
  // sizes and numbers
  m(
    '201 items',
    (b) =>
      set(
        'items',
        many(201, () => first(b.items)),
      )(b),
    'items',
    /at most 200/,
  ),
  bad('no items', 'items', [], /at least one/),
  bad('101 containers', 'containers', many(101, containerNumber), /at most 100/),
  bad(
    '51 documents',
    'documents',
    many(51, (i) => ({ type: 'invoice', ref: `I-${i}` })),
    /at most 50/,
  ),
  bad('65-character reference', 'reference', 'R'.repeat(65), /at most 64/),
  bad('blank reference', 'reference', '   ', /blank/),
  bad('reference with a control character', 'reference', 'A\u0000B'),
  bad('513-character description', 'items.0.description', 'd'.repeat(513), /at most 512/),
  bad('zero quantity', 'items.0.quantity', 0, /greater than 0/),
  bad('negative weight', 'items.0.grossWeightKg', -1),
  bad('NaN weight', 'items.0.grossWeightKg', Number.NaN),
  bad('infinite value', 'items.0.customsValue.amount', Infinity),
  bad('zero customs value', 'items.0.customsValue.amount', 0),
  bad('unit that is not a Rec 20 code', 'items.0.unit', 'pieces', /Recommendation 20/),
  bad('document type not kebab-case', 'documents.0.type', 'Invoice'),
];

describe('DeclarationInput refuses bad bodies with the path of the offending field', () => {
  it.each(refused)('$name → $path', ({ mutate, path, message }) => {
    const issues = refusal(mutate(body()));
    const atPath = issues.filter((i) => i.path === path);
    expect(atPath).not.toHaveLength(0);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
    if (message) expect(atPath.map((i) => i.message).join(' | ')).toMatch(message);
  });

  it.each([
    ['the root', (json: string) => json.replace(/^\{/, '{"__proto__":{"status":"released"},'), '__proto__'],
    ['an item', (json: string) => json.replace('"hsCode"', '"__proto__":{"x":1},"hsCode"'), 'items.0.__proto__'],
    ['trader', (json: string) => json.replace('"aeo"', '"__proto__":null,"aeo"'), 'trader.__proto__'],
  ])('refuses a "__proto__" key in %s of a JSON body (JSON.parse makes it an own key)', (_where, inject, path) => {
    const text = inject(JSON.stringify(RAW_DECLARATION_SAMPLES['import-sea']));
    const parsed: unknown = JSON.parse(text);
    expect(text).toContain('"__proto__"');
    expect(refusal(parsed).map((i) => i.path)).toContain(path);
  });

  it('reports an unknown field at the object holding it, naming the key, in the raw zod issue too', () => {
    const b = body();
    b.trader.nickname = 'x';
    const result = DeclarationInput.safeParse(b);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', path: ['trader'], keys: ['nickname'] }),
    ]);
    expect(result.error?.issues[0]?.message).toMatch(/unknown field "nickname" in trader/);
  });

  it('an oversized array is refused without validating its elements', () => {
    const b = body();
    set(
      'items',
      many(10_000, () => ({ hsCode: 'not even close' })),
    )(b);
    expect(refusal(b)).toEqual([{ path: 'items', message: 'at most 200 items' }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

/** The objects of a body a client could add a key to, with their paths. */
function objectsOf(b: Body): [path: string, target: Json][] {
  return [
    ['', b],
    ['trader', b.trader],
    ['transport', b.transport],
    ...b.items.flatMap((item, i): [string, Json][] => [
      [`items.${i}`, item],
      [`items.${i}.customsValue`, item.customsValue],
    ]),
    ...(b.documents ?? []).map((d, i): [string, Json] => [`documents.${i}`, d]),
  ];
}

describe('properties', () => {
  it('any valid sample with one extra key anywhere is refused, at that key', () => {
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'status', 'lane', 'id'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...sampleNames), fc.nat(), key, fc.jsonValue(), (name, pick, extra, value) => {
        const b = body(name);
        const objects = objectsOf(b);
        const [path, target] = objects[pick % objects.length] as [string, Json];
        fc.pre(!Object.hasOwn(target, extra) && !isKnownField(path, extra));
        withOwn(target, extra, value);
        const paths = refusal(b).map((i) => i.path);
        expect(paths).toContain(path === '' ? extra : `${path}.${extra}`);
      }),
      { numRuns: 500 },
    );
  });

  const csvCodes = readFileSync(HS_CSV, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('TOTAL,'))
    .map((l) => /^[^,]*,(\d+),/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
  // An oracle straight from the CSV, independent of the generated table the schema uses.
  const realChapters = new Set(csvCodes.filter((c) => c.length === 2));
  const realHeadings = new Set(csvCodes.filter((c) => c.length === 4));
  const hsResult = (hsCode: string) => {
    const b = body();
    first(b.items).hsCode = hsCode;
    return DeclarationInput.safeParse(b);
  };
  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

  it('the oracle knows the 96 chapters of HS 2022 (01–97 without 77)', () => {
    expect(realChapters.size).toBe(96);
    expect(realChapters.has('77')).toBe(false);
    expect(realHeadings.size).toBe(1228);
  });

  it('a random 6–10 digit HS code is accepted iff its chapter is real and its heading is a heading of it', () => {
    fc.assert(
      fc.property(digits(6, 10), (code) => {
        const real = realChapters.has(code.slice(0, 2)) && realHeadings.has(code.slice(0, 4));
        expect(hsResult(code).success).toBe(real);
      }),
      { numRuns: 1000 },
    );
  });

  it('any code under a real heading is accepted; any code under an unreal chapter is refused, naming the chapter', () => {
    const headings = [...realHeadings];
    const fakeChapters = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).filter(
      (c) => !realChapters.has(c),
    );
    expect(fakeChapters).toEqual(['00', '77', '98', '99']);
    fc.assert(
      fc.property(fc.constantFrom(...headings), digits(2, 6), (heading, rest) => {
        expect(hsResult(`${heading}${rest}`).success).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fakeChapters), digits(4, 8), (chapter, rest) => {
        const result = hsResult(`${chapter}${rest}`);
        expect(result.success).toBe(false);
        expect(issueDetails(result.error as z.ZodError)).toEqual([
          { path: 'items.0.hsCode', message: expect.stringContaining(`chapter ${chapter}`) },
        ]);
      }),
    );
  });
});

const KNOWN_FIELDS: Record<string, readonly string[]> = {
  '': ['reference', 'port', 'direction', 'trader', 'transport', 'containers', 'items', 'documents', 'perishable'],
  trader: ['id', 'name', 'country', 'aeo'],
  transport: ['mode', 'vesselImo', 'vesselMmsi', 'voyage', 'truckPlate'],
  item: ['hsCode', 'description', 'originCountry', 'quantity', 'unit', 'grossWeightKg', 'customsValue'],
  customsValue: ['amount', 'currency'],
  document: ['type', 'ref'],
};

function isKnownField(path: string, key: string): boolean {
  const kind = /^items\.\d+$/.test(path)
    ? 'item'
    : path.endsWith('customsValue')
      ? 'customsValue'
      : path.startsWith('documents')
        ? 'document'
        : path;
  return KNOWN_FIELDS[kind]?.includes(key) ?? false;
}

// ---------------------------------------------------------------------------------------------------------------
// IMO numbers and the other request bodies

describe('IMO numbers', () => {
  it.each([
    ['9134270', 'EVER DIADEM, from the gpsd AIS fixture'],
    ['9321483', 'the example in CONTRACT.md'],
    ['9074729', 'the worked example of the IMO scheme'],
  ])('accepts %s (%s)', (imo) => {
    expect(imoNumberValid(imo)).toBe(true);
  });

  it('computes the check digit as Σ digit·(7…2) mod 10, and refuses every other last digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 9 }), (n, last) => {
        const first6 = String(n).padStart(6, '0');
        const oracle = [...first6].reduce((s, d, i) => s + Number(d) * (7 - i), 0) % 10;
        expect(imoCheckDigit(first6)).toBe(oracle);
        expect(imoNumberValid(`${first6}${last}`)).toBe(last === oracle);
      }),
    );
  });

  it('refuses anything that is not seven digits', () => {
    for (const bad of ['913427', '91342700', 'IMO9134270', '913427O', '']) expect(imoNumberValid(bad)).toBe(false);
  });
});

describe('DecisionInput', () => {
  it('accepts release, hold and inspect with a reason, and reroute with a lane', () => {
    for (const action of ['release', 'hold', 'inspect'] as const) {
      expect(DecisionInput.parse({ action, reason: '  documents in order  ' })).toEqual({
        action,
        reason: 'documents in order',
      });
    }
    expect(DecisionInput.parse({ action: 'reroute', lane: 'red', reason: 'tip-off' }).lane).toBe('red');
  });

  it.each<[string, unknown, string]>([
    ['reroute without lane', { action: 'reroute', reason: 'x' }, 'lane'],
    ['lane with release', { action: 'release', lane: 'green', reason: 'x' }, 'lane'],
    ['blank reason', { action: 'hold', reason: ' ' }, 'reason'],
    ['no reason', { action: 'hold' }, 'reason'],
    ['unknown action', { action: 'approve', reason: 'x' }, 'action'],
    ['unknown lane', { action: 'reroute', lane: 'purple', reason: 'x' }, 'lane'],
    ['unknown field', { action: 'hold', reason: 'x', officer: 'me' }, 'officer'],
    ['reason over 2000 characters', { action: 'hold', reason: 'r'.repeat(2001) }, 'reason'],
  ])('refuses %s', (_name, input, path) => {
    const result = DecisionInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(issueDetails(result.error as z.ZodError).map((i) => i.path)).toContain(path);
  });
});

describe('InspectionResultInput', () => {
  const ok = { findings: { found: true, codes: ['UNDERVALUATION'], notes: 'invoice shows half the price' } };

  it('accepts a finding with codes, and nothing found without codes', () => {
    expect(InspectionResultInput.safeParse({ ...ok, inspectedAt: '2026-11-26T10:00:00+08:00' }).success).toBe(true);
    const nothing = { findings: { found: false }, inspectedAt: '2026-11-26T02:00:00Z', method: 'nii' };
    expect(InspectionResultInput.safeParse(nothing).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    [
      'codes with found: false',
      { findings: { found: false, codes: ['CONTRABAND'] }, inspectedAt: '2026-11-26T02:00:00Z' },
      'findings.codes',
    ],
    [
      'found: true saying nothing',
      { findings: { found: true }, inspectedAt: '2026-11-26T02:00:00Z' },
      'findings.codes',
    ],
    [
      'notes over 2000 characters',
      { findings: { found: true, notes: 'n'.repeat(2001) }, inspectedAt: '2026-11-26T02:00:00Z' },
      'findings.notes',
    ],
    ['a time without offset', { ...ok, inspectedAt: '2026-11-26 10:00' }, 'inspectedAt'],
    ['a bad container', { ...ok, inspectedAt: '2026-11-26T02:00:00Z', containers: ['CSQU3054384'] }, 'containers.0'],
    [
      'an unknown field in findings',
      { findings: { found: false, severity: 1 }, inspectedAt: '2026-11-26T02:00:00Z' },
      'findings.severity',
    ],
  ])('refuses %s', (_name, input, path) => {
    const result = InspectionResultInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(issueDetails(result.error as z.ZodError).map((i) => i.path)).toContain(path);
  });
});

describe('DeclarationAssessment (the 201 body)', () => {
  it('describes the lane, score, reasons and SLA due time', () => {
    const assessment = {
      id: 'D-01J9Z',
      status: 'inspection',
      lane: 'red',
      score: 85,
      reasons: [{ code: 'RPM_ALARM', ruleId: 'evidence.rpm', weight: 100, message: 'radiation alarm on CSQU3054383' }],
      assessedAt: '2026-11-26T08:00:00.412Z',
      slaDueAt: '2026-11-28T08:00:00.000Z',
    };
    expect(DeclarationAssessment.parse(assessment)).toEqual(assessment);
    expect(DeclarationAssessment.safeParse({ ...assessment, score: 101 }).success).toBe(false);
    expect(DeclarationAssessment.safeParse({ ...assessment, lane: 'orange' }).success).toBe(false);
  });
});
