import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DeclarationStatus, Lane } from '../../events/v1/declaration';
import { DecisionLogAction, DecisionLogEntry as DecisionLogEntrySchema } from '../../events/v1/declaration-audit';
import { canonicalJson } from '../../shared/domain/clearance/canonical-json';
import {
  appendEntry,
  type DecisionLogEntry,
  DecisionLogError,
  type DecisionLogInput,
  entryHash,
  genesisHash,
  verifyChain,
} from '../../shared/domain/clearance/decision-log';
import { ROLES } from '../../shared/domain/roles';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const officer = { sub: 'officer-17', role: 'customs-officer' } as const;
const system = { sub: 'kouan-risk-engine', role: 'system' } as const;

/** A lodge → assess → inspect → release history of declaration D-1. */
function history(declarationId = 'D-1'): DecisionLogEntry[] {
  const steps: Omit<DecisionLogInput, 'declarationId'>[] = [
    {
      at: '2026-11-26T08:00:00.000Z',
      actor: system,
      action: 'lodge',
      toStatus: 'lodged',
      reason: 'lodged by declarant',
    },
    {
      at: '2026-11-26T08:00:00.040Z',
      actor: system,
      action: 'assess',
      toStatus: 'inspection',
      lane: 'red',
      reason: 'radiation alarm on a declared container',
      details: { score: 100, reasons: [{ code: 'RPM_ALARM', ruleId: 'evidence.rpm', weight: 100 }] },
    },
    {
      at: '2026-11-26T10:30:00.000Z',
      actor: officer,
      action: 'inspection-result',
      toStatus: 'inspection',
      reason: 'ceramic tiles (NORM), nothing else found',
      details: { found: false },
    },
    {
      at: '2026-11-26T10:31:00.000Z',
      actor: officer,
      action: 'release',
      toStatus: 'released',
      reason: 'nuisance alarm',
    },
  ];
  const entries: DecisionLogEntry[] = [];
  for (const step of steps) entries.push(appendEntry(entries.at(-1), { declarationId, ...step }));
  return entries;
}

const at = <T>(list: readonly T[], i: number): T => {
  const item = list[i];
  if (item === undefined) throw new Error(`no element ${i}`);
  return item;
};

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the RFC 8785 §3.2.3 example', () => {
    const input = String.raw`{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts keys at every depth, drops undefined members, writes -0 as 0', () => {
    expect(canonicalJson({ b: [{ z: 1, a: -0 }], a: undefined, c: 'x' })).toBe('{"b":[{"a":0,"z":1}],"c":"x"}');
  });

  it('keeps an own "__proto__" key (as JSON.parse makes one) instead of losing it', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
  });

  it.each<[string, unknown]>([
    ['NaN', { a: Number.NaN }],
    ['Infinity', [Infinity]],
    ['a bigint', { a: 1n }],
    ['a Date', { a: new Date(0) }],
    ['a Map', new Map()],
    ['a function', { a: () => 1 }],
    ['undefined in an array', [1, undefined]],
    ['undefined at the top', undefined],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses a cycle but not a shared subtree', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('is the same text whatever the key order, for any JSON value', () => {
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v).reverse();
      const out: Record<string, unknown> = {};
      for (const [k, inner] of entries) Object.defineProperty(out, k, { value: shuffle(inner), enumerable: true });
      return out;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(shuffle(v))).toBe(canonicalJson(v));
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('appendEntry', () => {
  it('numbers entries 0, 1, 2 … and links each to the previous hash, starting from the genesis value', () => {
    const log = history();
    expect(log.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(at(log, 0).prevHash).toBe(genesisHash('D-1'));
    for (let i = 1; i < log.length; i++) expect(at(log, i).prevHash).toBe(at(log, i - 1).hash);
    for (const e of log) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes exactly the documented canonical text (a known answer an auditor can recompute)', () => {
    const entry = appendEntry(undefined, {
      declarationId: 'D-1',
      at: '2026-11-26T08:00:00.000Z',
      actor: system,
      action: 'lodge',
      toStatus: 'lodged',
      reason: 'lodged by declarant',
    });
    const genesis = sha256('{"declarationId":"D-1","log":"kouan/decision-log/v1"}');
    const text =
      '{"action":"lodge","actor":{"role":"system","sub":"kouan-risk-engine"},"at":"2026-11-26T08:00:00.000Z",' +
      `"declarationId":"D-1","prevHash":"${genesis}","reason":"lodged by declarant","seq":0,"toStatus":"lodged"}`;
    expect(entry.prevHash).toBe(genesis);
    expect(entry.hash).toBe(sha256(text));
  });

  it('takes fromStatus from the previous entry and leaves absent optional fields out', () => {
    const [lodge, assess] = history();
    expect(lodge).not.toHaveProperty('fromStatus');
    expect(lodge).not.toHaveProperty('lane');
    expect(lodge).not.toHaveProperty('details');
    expect(assess?.fromStatus).toBe('lodged');
  });

  it('produces entries the audit schema accepts', () => {
    for (const e of history()) expect(DecisionLogEntrySchema.parse(e)).toEqual(e);
  });

  it('copies details, so changing the caller’s object afterwards does not change the entry', () => {
    const details = { score: 40 };
    const entry = appendEntry(undefined, {
      declarationId: 'D-2',
      at: '2026-11-26T08:00:00Z',
      actor: system,
      action: 'assess',
      toStatus: 'assessed',
      reason: 'r',
      details,
    });
    details.score = 0;
    expect(entry.details).toEqual({ score: 40 });
    expect(verifyChain([entry])).toEqual({ verified: true });
  });

  const base = { at: '2026-11-26T09:00:00Z', actor: officer, action: 'hold', toStatus: 'held', reason: 'x' } as const;
  it.each<[string, (log: DecisionLogEntry[]) => void, string]>([
    [
      'another declaration',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-9' }),
      'DECISION_LOG_WRONG_DECLARATION',
    ],
    [
      'a stale seq',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-1', seq: 3 }),
      'DECISION_LOG_SEQ_MISMATCH',
    ],
    [
      'a seq for the first entry other than 0',
      () => appendEntry(undefined, { ...base, declarationId: 'D-1', seq: 1 }),
      'DECISION_LOG_SEQ_MISMATCH',
    ],
    [
      'a fromStatus that is not where the log stands',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-1', fromStatus: 'lodged' }),
      'DECISION_LOG_STATUS_MISMATCH',
    ],
    [
      'a blank reason',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-1', reason: '  ' }),
      'DECISION_LOG_INVALID_ENTRY',
    ],
    [
      'an unparseable time',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-1', at: 'yesterday' }),
      'DECISION_LOG_INVALID_ENTRY',
    ],
    [
      'a date without time and offset',
      (log) => appendEntry(log.at(-1), { ...base, declarationId: 'D-1', at: '2026-11-26' }),
      'DECISION_LOG_INVALID_ENTRY',
    ],
    [
      'an empty declaration id',
      () => appendEntry(undefined, { ...base, declarationId: '' }),
      'DECISION_LOG_INVALID_ENTRY',
    ],
    [
      'a tampered previous entry',
      (log) => appendEntry({ ...at(log, 3), reason: 'changed' }, { ...base, declarationId: 'D-1' }),
      'DECISION_LOG_PREVIOUS_CORRUPT',
    ],
  ])('refuses %s', (_name, append, code) => {
    const log = history();
    expect(() => append(log)).toThrow(DecisionLogError);
    expect(() => append(log)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts the next seq when the caller states it', () => {
    const log = history();
    expect(appendEntry(log.at(-1), { ...base, declarationId: 'D-1', seq: 4 }).seq).toBe(4);
  });
});

describe('verifyChain detects tampering', () => {
  it('verifies an untouched log, also after a round trip through JSON (as a store returns it)', () => {
    expect(verifyChain(history())).toEqual({ verified: true });
    expect(verifyChain(JSON.parse(JSON.stringify(history())))).toEqual({ verified: true });
    expect(verifyChain([])).toEqual({ verified: true });
  });

  it('an edited field fails at that entry', () => {
    const log = history();
    log[2] = { ...at(log, 2), reason: 'nothing found' };
    expect(verifyChain(log)).toEqual({
      verified: false,
      brokenAt: 2,
      reason: expect.stringMatching(/changed after it was written/),
    });
  });

  it('an edited nested field (the actor, a detail) fails at that entry', () => {
    const log = history();
    log[1] = { ...at(log, 1), details: { score: 0, reasons: [] } };
    expect(verifyChain(log)).toMatchObject({ verified: false, brokenAt: 1 });
    const log2 = history();
    log2[3] = { ...at(log2, 3), actor: { sub: 'officer-99', role: 'customs-officer' } };
    expect(verifyChain(log2)).toMatchObject({ verified: false, brokenAt: 3 });
  });

  it('a member added to a stored entry fails at that entry', () => {
    const log = history();
    log[1] = { ...at(log, 1), approvedBy: 'someone' } as DecisionLogEntry;
    expect(verifyChain(log)).toMatchObject({ verified: false, brokenAt: 1 });
  });

  it('an edit with a recomputed hash fails at the next entry', () => {
    const log = history();
    const edited = { ...at(log, 1), lane: 'green' as const };
    log[1] = { ...edited, hash: entryHash(edited) };
    expect(verifyChain(log)).toEqual({
      verified: false,
      brokenAt: 2,
      reason: expect.stringMatching(/does not follow entry 1/),
    });
  });

  it('a forged hash fails at that entry', () => {
    const log = history();
    log[2] = { ...at(log, 2), hash: 'f'.repeat(64) };
    expect(verifyChain(log)).toMatchObject({ verified: false, brokenAt: 2 });
  });

  it('a removed entry fails where it was', () => {
    const log = history();
    log.splice(1, 1);
    expect(verifyChain(log)).toEqual({ verified: false, brokenAt: 1, reason: expect.stringMatching(/has seq 2/) });
  });

  it('reordered entries fail at the first moved one', () => {
    const log = history();
    [log[1], log[2]] = [at(log, 2), at(log, 1)];
    expect(verifyChain(log)).toMatchObject({ verified: false, brokenAt: 1 });
  });

  it('a wrong genesis fails at 0, even with a recomputed hash', () => {
    const log = history();
    const forged = { ...at(log, 0), prevHash: '0'.repeat(64) };
    log[0] = { ...forged, hash: entryHash(forged) };
    expect(verifyChain(log)).toEqual({ verified: false, brokenAt: 0, reason: expect.stringMatching(/genesis/) });
  });

  it('another declaration’s log fails at 0 when the declaration id is given', () => {
    expect(verifyChain(history('D-2'))).toEqual({ verified: true });
    expect(verifyChain(history('D-2'), { declarationId: 'D-1' })).toMatchObject({ verified: false, brokenAt: 0 });
  });

  it('entries cut off the end need the anchor: without it the shorter log still verifies, with it it fails', () => {
    const log = history();
    const head = at(log, 3);
    const cut = log.slice(0, 3);
    expect(verifyChain(cut)).toEqual({ verified: true });
    expect(verifyChain(cut, { declarationId: 'D-1', headSeq: head.seq, headHash: head.hash })).toEqual({
      verified: false,
      brokenAt: 3,
      reason: expect.stringMatching(/removed from the end/),
    });
    expect(verifyChain([], { headSeq: 0 })).toMatchObject({ verified: false, brokenAt: 0 });
  });

  it('a head rewritten with a recomputed hash fails against the anchor’s head hash', () => {
    const log = history();
    const head = at(log, 3);
    const rewritten = { ...head, toStatus: 'seized' as const };
    log[3] = { ...rewritten, hash: entryHash(rewritten) };
    expect(verifyChain(log)).toEqual({ verified: true });
    expect(verifyChain(log, { headSeq: 3, headHash: head.hash })).toMatchObject({ verified: false, brokenAt: 3 });
  });

  it('a log longer than the anchor (the projection lags the log) verifies', () => {
    const log = history();
    expect(verifyChain(log, { headSeq: 1, headHash: at(log, 1).hash })).toEqual({ verified: true });
  });

  it('reports malformed stored entries instead of throwing', () => {
    const log: unknown[] = history();
    for (const bad of [
      null,
      'x',
      [],
      { ...at(history(), 1), hash: undefined },
      { ...at(history(), 1), details: { n: 1n } },
    ]) {
      const copy = [...log];
      copy[1] = bad;
      expect(verifyChain(copy as DecisionLogEntry[])).toMatchObject({ verified: false, brokenAt: 1 });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const json = fc.jsonValue({ maxDepth: 2 });
const step = fc.record(
  {
    at: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    actor: fc.record({
      sub: fc.string({ minLength: 1, maxLength: 20 }),
      role: fc.constantFrom(...ROLES, 'system' as const),
    }),
    action: fc.constantFrom(...DecisionLogAction.options),
    toStatus: fc.constantFrom(...DeclarationStatus.options),
    lane: fc.constantFrom(...Lane.options),
    reason: fc.string({ maxLength: 40 }).map((r) => `r${r}`),
    details: fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 }),
  },
  { requiredKeys: ['at', 'actor', 'action', 'toStatus', 'reason'] },
);
const chain = fc
  .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.array(step, { minLength: 1, maxLength: 8 }))
  .map(([declarationId, steps]) => {
    const entries: DecisionLogEntry[] = [];
    for (const s of steps) {
      // fast-check's JSON type and zod's are the same data under two names.
      const details = s.details as DecisionLogInput['details'];
      entries.push(appendEntry(entries.at(-1), { declarationId, ...s, details }));
    }
    return entries;
  });

/** Every path to a leaf (or an optional member) of an entry, e.g. ['actor', 'sub'] or ['details', 'k', 0]. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  const inner = keys.flatMap((k) => leafPaths((value as Record<string | number, unknown>)[k], [...prefix, k]));
  // An empty object or array is itself a value that can be replaced.
  return inner.length > 0 ? inner : [prefix];
}

/** A deep copy of `entry` with the value at `path` replaced. */
function replaced(entry: DecisionLogEntry, path: (string | number)[], value: unknown): DecisionLogEntry {
  const copy = structuredClone(entry) as unknown as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined)
    Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  return copy as unknown as DecisionLogEntry;
}

const brokenAt = (result: ReturnType<typeof verifyChain>) => (result.verified ? undefined : result.brokenAt);

describe('properties of the chain', () => {
  it('any chain built by appendEntry verifies, also after a JSON round trip', () => {
    fc.assert(
      fc.property(chain, (log) => {
        expect(verifyChain(log)).toEqual({ verified: true });
        expect(
          verifyChain(JSON.parse(JSON.stringify(log)), { headSeq: log.length - 1, headHash: log.at(-1)?.hash }),
        ).toEqual({ verified: true });
      }),
      { numRuns: 200 },
    );
  });

  it('changing any single field of any single entry fails verification at that entry', () => {
    fc.assert(
      fc.property(chain, fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 1 }), (log, pickEntry, pickPath, value) => {
        const k = pickEntry % log.length;
        const entry = at(log, k);
        const paths = leafPaths(entry);
        const path = at(paths, pickPath % paths.length);
        const edited = replaced(entry, path, value);
        fc.pre(canonicalJson(edited) !== canonicalJson(entry));
        const tampered = [...log];
        tampered[k] = edited;
        expect(brokenAt(verifyChain(tampered))).toBe(k);
      }),
      { numRuns: 500 },
    );
  });

  it('an edited entry with a recomputed hash fails at or before the next entry (or against the anchor)', () => {
    fc.assert(
      fc.property(chain, fc.nat(), fc.string({ maxLength: 10 }), (log, pick, reason) => {
        const k = pick % log.length;
        const entry = at(log, k);
        fc.pre(entry.reason !== `edited ${reason}`);
        const edited = { ...entry, reason: `edited ${reason}` };
        const tampered = [...log];
        tampered[k] = { ...edited, hash: entryHash(edited) };
        const head = at(log, log.length - 1);
        const result = verifyChain(tampered, { headSeq: head.seq, headHash: head.hash });
        expect(result.verified).toBe(false);
        expect(brokenAt(result)).toBeLessThanOrEqual(k + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('deleting any entry fails at or before its place (the last one against the anchor)', () => {
    fc.assert(
      fc.property(chain, fc.nat(), (log, pick) => {
        const k = pick % log.length;
        const head = at(log, log.length - 1);
        const tampered = log.filter((_, i) => i !== k);
        const result = verifyChain(tampered, { headSeq: head.seq, headHash: head.hash });
        expect(result.verified).toBe(false);
        expect(brokenAt(result)).toBeLessThanOrEqual(k);
      }),
      { numRuns: 300 },
    );
  });

  it('swapping any two entries fails at or before the first of them', () => {
    fc.assert(
      fc.property(
        chain.filter((log) => log.length >= 2),
        fc.nat(),
        fc.nat(),
        (log, a, b) => {
          const i = a % log.length;
          const j = b % log.length;
          fc.pre(i !== j);
          const tampered = [...log];
          [tampered[i], tampered[j]] = [at(log, j), at(log, i)];
          expect(brokenAt(verifyChain(tampered))).toBeLessThanOrEqual(Math.min(i, j));
        },
      ),
      { numRuns: 300 },
    );
  });
});
