import * as z from 'zod';
import { PortCode } from '../../../events/v1/topic';
import { Lane } from './lanes';
import { DIRECTIONS } from './risk-input';

/**
 * Selectivity criteria as data (DESIGN.md, ASYCUDA): each one a condition over declaration fields and device
 * evidence, with its validity, direction and port scope, target lane, weight, reason code and officer's note.
 * They are stored and edited through `/v1/risk/rules`, so the condition language is declarative and closed: a
 * fixed list of fields, a fixed list of operators, bounded size and depth. Nothing in a rule is ever evaluated as
 * code.
 */

/** The value type of a condition field. */
export type FieldType = 'string' | 'number' | 'boolean';

/**
 * Where a field's value comes from: the declaration header, one goods item (`item`: outside `anyItem` the leaf
 * holds when some item satisfies it), a list (`documents.type`: holds when some element satisfies it), or device
 * evidence (the number of matching facts). A criterion that reads any evidence field is evidence-based: AEO
 * status neither lowers its weight nor caps its lane.
 */
export type FieldScope = 'declaration' | 'item' | 'list' | 'evidence';

/** The fields a condition may test. Adding one here means teaching `declaration-facts.ts` to fill it. */
export const CONDITION_FIELDS = {
  port: { type: 'string', scope: 'declaration' },
  direction: { type: 'string', scope: 'declaration' },
  'trader.id': { type: 'string', scope: 'declaration' },
  'trader.country': { type: 'string', scope: 'declaration' },
  'trader.aeo': { type: 'boolean', scope: 'declaration' },
  'transport.mode': { type: 'string', scope: 'declaration' },
  perishable: { type: 'boolean', scope: 'declaration' },
  'containers.count': { type: 'number', scope: 'declaration' },
  'items.count': { type: 'number', scope: 'declaration' },
  'documents.type': { type: 'string', scope: 'list' },
  'items.hsCode': { type: 'string', scope: 'item' },
  'items.originCountry': { type: 'string', scope: 'item' },
  'items.unit': { type: 'string', scope: 'item' },
  'items.currency': { type: 'string', scope: 'item' },
  'items.quantity': { type: 'number', scope: 'item' },
  'items.grossWeightKg': { type: 'number', scope: 'item' },
  /** The item's customs value in USD (NaN, so never matching, when its currency is not in the rates table). */
  'items.valueUsd': { type: 'number', scope: 'item' },
  /** The item's unit value against the value-range table: `below`, `within`, `above` or `unknown`. */
  'items.valueRange': { type: 'string', scope: 'item' },
  'evidence.rpmAlarms': { type: 'number', scope: 'evidence' },
  'evidence.niiAnomalies': { type: 'number', scope: 'evidence' },
  /** How many declared containers the closed gate window did not see. */
  'evidence.containersNotSeenAtGate': { type: 'number', scope: 'evidence' },
  'evidence.undeclaredContainers': { type: 'number', scope: 'evidence' },
  'evidence.vesselDark': { type: 'number', scope: 'evidence' },
} as const satisfies Record<string, { type: FieldType; scope: FieldScope }>;

export type ConditionField = keyof typeof CONDITION_FIELDS;
const FIELD_NAMES = Object.keys(CONDITION_FIELDS) as [ConditionField, ...ConditionField[]];

/** The values `items.valueRange` can take. */
export const VALUE_RANGE_RESULTS = ['below', 'within', 'above', 'unknown'] as const;
export type ValueRangeResult = (typeof VALUE_RANGE_RESULTS)[number];

/** Reason codes the engine itself emits; a criterion may not claim them, so they always mean what they say. */
export const ENGINE_REASON_CODES = ['RANDOM_SELECTION', 'QUOTA_SELECTION'] as const;

/** Limits that keep one stored rule cheap to validate and to evaluate, and the validator's recursion shallow. */
export const CONDITION_LIMITS = Object.freeze({ maxDepth: 8, maxNodes: 64, maxChildren: 16, maxValues: 500 });

const Field = z.enum(FIELD_NAMES);
const Text = z.string().min(1).max(64);
const Num = z.number().refine(Number.isFinite, 'must be a finite number');
const ListName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a list name in kebab-case');

const EqLeaf = z.strictObject({ field: Field, op: z.literal('eq'), value: z.union([Text, Num, z.boolean()]) });
const InLeaf = z.strictObject({
  field: Field,
  op: z.literal('in'),
  value: z
    .array(z.union([Text, Num]))
    .min(1)
    .max(CONDITION_LIMITS.maxValues),
});
const StartsWithLeaf = z.strictObject({
  field: Field,
  op: z.literal('startsWith'),
  value: z.union([Text, z.array(Text).min(1).max(CONDITION_LIMITS.maxValues)]),
});
const GtLeaf = z.strictObject({ field: Field, op: z.literal('gt'), value: Num });
const LtLeaf = z.strictObject({ field: Field, op: z.literal('lt'), value: Num });
const BetweenLeaf = z.strictObject({
  field: Field,
  op: z.literal('between'),
  value: z.tuple([Num, Num]).refine(([lo, hi]) => lo <= hi, 'between needs [low, high] with low ≤ high'),
});
/** Membership in a named list of the profile (e.g. a watch-list of origins), editable without touching rules. */
const InListLeaf = z.strictObject({ field: Field, op: z.literal('inList'), value: ListName });

/** Which value types each operator accepts, checked against the field's type. */
const OP_FIELD_TYPES: Readonly<Record<string, readonly FieldType[]>> = {
  eq: ['string', 'number', 'boolean'],
  in: ['string', 'number'],
  startsWith: ['string'],
  gt: ['number'],
  lt: ['number'],
  between: ['number'],
  inList: ['string'],
};

/** One comparison: `{ field, op, value }`. */
export const ConditionLeaf = z
  .discriminatedUnion('op', [EqLeaf, InLeaf, StartsWithLeaf, GtLeaf, LtLeaf, BetweenLeaf, InListLeaf])
  .superRefine((leaf, ctx) => {
    const fieldType = CONDITION_FIELDS[leaf.field].type;
    if (!OP_FIELD_TYPES[leaf.op]?.includes(fieldType)) {
      ctx.addIssue({ code: 'custom', message: `op '${leaf.op}' does not apply to ${fieldType} field '${leaf.field}'` });
      return;
    }
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    if ((leaf.op === 'eq' || leaf.op === 'in') && values.some((v) => typeof v !== fieldType)) {
      ctx.addIssue({ code: 'custom', message: `'${leaf.field}' is a ${fieldType} field` });
      return;
    }
    if (leaf.field === 'items.valueRange' && leaf.op !== 'inList') {
      const ok = values.every((v) => (VALUE_RANGE_RESULTS as readonly unknown[]).includes(v));
      if (!ok)
        ctx.addIssue({ code: 'custom', message: `items.valueRange is one of ${VALUE_RANGE_RESULTS.join(', ')}` });
    }
  });
export type ConditionLeaf = z.infer<typeof ConditionLeaf>;

/**
 * A condition: a leaf, or `all` (and), `any` (or), `not`, or `anyItem` (some one goods item satisfies the whole
 * inner condition: use it when several item tests must hold for the same item, e.g. "HS 85 *and* origin on the
 * watch-list *and* value over 50,000 USD"; without it each item leaf may be satisfied by a different item).
 */
export type Condition =
  | ConditionLeaf
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { anyItem: Condition };

const Children = () => z.array(ConditionTree).min(1).max(CONDITION_LIMITS.maxChildren);
const ConditionTree: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    ConditionLeaf,
    z.strictObject({ all: Children() }),
    z.strictObject({ any: Children() }),
    z.strictObject({ not: ConditionTree }),
    z.strictObject({ anyItem: ConditionTree }),
  ]),
);

/**
 * Nesting depth and node count measured without recursion, before the recursive schema sees the value: a stored
 * rule nested thousands deep must be refused with a message, not overflow the validator's stack.
 */
function measure(value: unknown): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  let level: unknown[] = [value];
  while (level.length > 0 && depth <= CONDITION_LIMITS.maxDepth * 3 && nodes <= CONDITION_LIMITS.maxNodes * 8) {
    depth++;
    const next: unknown[] = [];
    for (const v of level) {
      if (v === null || typeof v !== 'object') continue;
      nodes++;
      for (const child of Object.values(v)) if (child !== null && typeof child === 'object') next.push(child);
    }
    level = next;
  }
  return { depth, nodes };
}

/** True for a `{ field, op, value }` leaf. */
export function isConditionLeaf(c: Condition): c is ConditionLeaf {
  return 'op' in c;
}

/** Walks a parsed condition (already bounded, so recursion is safe). */
function walk(c: Condition, visit: (c: Condition, insideItem: boolean) => void, insideItem = false): void {
  visit(c, insideItem);
  if (isConditionLeaf(c)) return;
  if ('all' in c) for (const x of c.all) walk(x, visit, insideItem);
  else if ('any' in c) for (const x of c.any) walk(x, visit, insideItem);
  else if ('not' in c) walk(c.not, visit, insideItem);
  else walk(c.anyItem, visit, true);
}

/** A condition with its size bounded; `anyItem` may not nest inside `anyItem` (there is one current item). */
export const Condition = z
  .unknown()
  .superRefine((value, ctx) => {
    const { depth, nodes } = measure(value);
    // Each condition level is an object plus, for all/any, an array: two value levels per condition level.
    if (depth > CONDITION_LIMITS.maxDepth * 3 || nodes > CONDITION_LIMITS.maxNodes * 4) {
      ctx.addIssue({ code: 'custom', message: 'condition too large or too deeply nested' });
    }
  })
  .pipe(ConditionTree)
  .superRefine((condition, ctx) => {
    let nodes = 0;
    const depthOf = (c: Condition): number => {
      if (isConditionLeaf(c)) return 1;
      if ('all' in c) return 1 + Math.max(...c.all.map(depthOf));
      if ('any' in c) return 1 + Math.max(...c.any.map(depthOf));
      return 1 + depthOf('not' in c ? c.not : c.anyItem);
    };
    const depth = depthOf(condition);
    walk(condition, (c, insideItem) => {
      nodes++;
      if (!isConditionLeaf(c) && 'anyItem' in c && insideItem) {
        ctx.addIssue({ code: 'custom', message: 'anyItem may not be nested inside anyItem' });
      }
    });
    if (depth > CONDITION_LIMITS.maxDepth) {
      ctx.addIssue({ code: 'custom', message: `condition deeper than ${CONDITION_LIMITS.maxDepth} levels` });
    }
    if (nodes > CONDITION_LIMITS.maxNodes) {
      ctx.addIssue({ code: 'custom', message: `condition with more than ${CONDITION_LIMITS.maxNodes} nodes` });
    }
  });

/** The fields a condition reads. */
export function conditionFields(condition: Condition): Set<ConditionField> {
  const out = new Set<ConditionField>();
  walk(condition, (c) => {
    if (isConditionLeaf(c)) out.add(c.field);
  });
  return out;
}

/** The named lists a condition refers to (`inList`). */
export function conditionLists(condition: Condition): Set<string> {
  const out = new Set<string>();
  walk(condition, (c) => {
    if (isConditionLeaf(c) && c.op === 'inList') out.add(c.value);
  });
  return out;
}

/** True when the condition reads device evidence: such a criterion is evidence-based (see FieldScope). */
export function isEvidenceCondition(condition: Condition): boolean {
  for (const f of conditionFields(condition)) if (CONDITION_FIELDS[f].scope === 'evidence') return true;
  return false;
}

/** Declaration direction (zod). */
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

/** A stable, machine-readable reason code such as `RPM_ALARM`. */
export const ReasonCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{2,63}$/, 'UPPER_SNAKE_CASE, 3–64 characters')
  .refine((c) => !(ENGINE_REASON_CODES as readonly string[]).includes(c), 'reserved for the engine');

/**
 * One selectivity criterion (a "rule" in the API). Identity is `id`; every edit makes a new `version`, and the
 * profile that holds it a new profile version, so an assessment can always be traced to the exact rule text.
 */
export const RiskCriterion = z
  .strictObject({
    /** Stable id, e.g. `HS93-WEAPONS`; it is the `ruleId` of every reason this criterion produces. */
    id: z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,63}$/, 'UPPER-CASE letters, digits, - and _, at most 64'),
    version: z.int().min(1),
    /** First day in force (UTC calendar date, inclusive). */
    validFrom: z.iso.date(),
    /** Last day in force (UTC calendar date, inclusive); open-ended when absent. */
    validTo: z.iso.date().optional(),
    directions: z.array(Direction).min(1).max(3),
    /** UN/LOCODEs of the ports (offices) where it applies, or `all`. */
    ports: z.union([z.literal('all'), z.array(PortCode).min(1).max(500)]),
    condition: Condition,
    /**
     * The lane a hit asks for. `green` is allowed on purpose: a green criterion records its hits (and weight)
     * without selecting anything, which is how a new criterion is trialled in the shadow before it bites.
     */
    lane: Lane,
    /** Contribution to the score, 0–100. */
    weight: z.int().min(0).max(100),
    reasonCode: ReasonCode,
    /** Plain-language note shown to officers as the reason's message. */
    note: z.string().trim().min(1).max(500),
    enabled: z.boolean(),
  })
  .refine((c) => c.validTo === undefined || c.validTo >= c.validFrom, {
    message: 'validTo is before validFrom',
    path: ['validTo'],
  });
export type RiskCriterion = z.infer<typeof RiskCriterion>;
