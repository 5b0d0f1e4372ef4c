import {
  CONDITION_FIELDS,
  type Condition,
  type ConditionField,
  type ConditionLeaf,
  isConditionLeaf,
} from './criterion';
import type { DeclarationFacts, EvidenceKey, ItemFacts } from './declaration-facts';

/**
 * Turns a validated condition into a closure, once per profile, so that `assess` walks no rule text: each leaf
 * becomes a field getter and a comparison with its constants (sets, prefixes) built in advance.
 */

type Value = string | number | boolean;

/** A compiled condition. `item` is the current item inside `anyItem`, otherwise undefined. */
export type ConditionPredicate = (facts: DeclarationFacts, item: ItemFacts | undefined) => boolean;

type Test = (v: Value) => boolean;
type DeclarationGetter = (f: DeclarationFacts) => Value;
type ItemGetter = (it: ItemFacts) => Value;

const DECLARATION_GETTERS: Partial<Record<ConditionField, DeclarationGetter>> = {
  port: (f) => f.declaration.port,
  direction: (f) => f.declaration.direction,
  'trader.id': (f) => f.declaration.trader.id,
  'trader.country': (f) => f.declaration.trader.country,
  'trader.aeo': (f) => f.declaration.trader.aeo === true,
  'transport.mode': (f) => f.declaration.transport.mode,
  perishable: (f) => f.declaration.perishable === true,
  'containers.count': (f) => f.declaration.containers.length,
  'items.count': (f) => f.declaration.items.length,
};

const ITEM_GETTERS: Partial<Record<ConditionField, ItemGetter>> = {
  'items.hsCode': (it) => it.item.hsCode,
  'items.originCountry': (it) => it.item.originCountry,
  'items.unit': (it) => it.item.unit,
  'items.currency': (it) => it.item.customsValue.currency,
  'items.quantity': (it) => it.item.quantity,
  'items.grossWeightKg': (it) => it.item.grossWeightKg,
  'items.valueUsd': (it) => it.valueUsd,
  'items.valueRange': (it) => it.valueRange,
};

/** The facts key of an `evidence.*` field. */
export function evidenceKey(field: ConditionField): EvidenceKey | undefined {
  return CONDITION_FIELDS[field].scope === 'evidence' ? (field.slice('evidence.'.length) as EvidenceKey) : undefined;
}

function compileTest(leaf: ConditionLeaf, lists: Readonly<Record<string, readonly string[]>>): Test {
  switch (leaf.op) {
    case 'eq': {
      const want = leaf.value;
      return (v) => v === want;
    }
    case 'in': {
      const set = new Set<Value>(leaf.value);
      return (v) => set.has(v);
    }
    case 'inList': {
      // The profile schema guarantees the list exists; an empty set keeps a hand-built profile from throwing.
      const set = new Set<Value>(lists[leaf.value] ?? []);
      return (v) => set.has(v);
    }
    case 'startsWith': {
      const prefixes = typeof leaf.value === 'string' ? [leaf.value] : [...leaf.value];
      return (v) => {
        if (typeof v !== 'string') return false;
        for (const p of prefixes) if (v.startsWith(p)) return true;
        return false;
      };
    }
    case 'gt': {
      const bound = leaf.value;
      return (v) => typeof v === 'number' && v > bound;
    }
    case 'lt': {
      const bound = leaf.value;
      return (v) => typeof v === 'number' && v < bound;
    }
    case 'between': {
      const [lo, hi] = leaf.value;
      return (v) => typeof v === 'number' && v >= lo && v <= hi;
    }
  }
}

function compileLeaf(leaf: ConditionLeaf, lists: Readonly<Record<string, readonly string[]>>): ConditionPredicate {
  const test = compileTest(leaf, lists);
  const { scope } = CONDITION_FIELDS[leaf.field];
  if (scope === 'evidence') {
    const key = evidenceKey(leaf.field) as EvidenceKey;
    return (f) => test(f.evidence[key].count);
  }
  if (scope === 'list') {
    // documents.type, the only list field: some document of that type.
    return (f) => {
      for (const t of f.documentTypes) if (test(t)) return true;
      return false;
    };
  }
  if (scope === 'item') {
    const get = ITEM_GETTERS[leaf.field] as ItemGetter;
    return (f, current) => {
      if (current !== undefined) return test(get(current));
      for (const it of f.items) if (test(get(it))) return true;
      return false;
    };
  }
  const get = DECLARATION_GETTERS[leaf.field] as DeclarationGetter;
  return (f) => test(get(f));
}

/**
 * Compiles a condition (validated by the `Condition` schema) into a predicate. With `bindItem`, an `anyItem` node
 * called with a current item tests that item only (used to name the items behind a hit).
 */
export function compileCondition(
  condition: Condition,
  lists: Readonly<Record<string, readonly string[]>>,
  bindItem = false,
): ConditionPredicate {
  if (isConditionLeaf(condition)) return compileLeaf(condition, lists);
  if ('all' in condition) {
    const parts = condition.all.map((c) => compileCondition(c, lists, bindItem));
    return (f, it) => {
      for (const p of parts) if (!p(f, it)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => compileCondition(c, lists, bindItem));
    return (f, it) => {
      for (const p of parts) if (p(f, it)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, lists, bindItem);
    return (f, it) => !inner(f, it);
  }
  const inner = compileCondition(condition.anyItem, lists, bindItem);
  return (f, current) => {
    if (bindItem && current !== undefined) return inner(f, current);
    for (const it of f.items) if (inner(f, it)) return true;
    return false;
  };
}

/** Whether a condition says something about items, and whether it only says it positively (no item test under `not`). */
function itemUse(condition: Condition, negated: boolean): { items: boolean; positive: boolean } {
  if (isConditionLeaf(condition)) {
    const items = CONDITION_FIELDS[condition.field].scope === 'item';
    return { items, positive: !(items && negated) };
  }
  if ('not' in condition) return itemUse(condition.not, !negated);
  if ('anyItem' in condition) {
    const u = itemUse(condition.anyItem, negated);
    return { items: true, positive: u.positive && !negated };
  }
  let items = false;
  let positive = true;
  for (const c of 'all' in condition ? condition.all : condition.any) {
    const u = itemUse(c, negated);
    items ||= u.items;
    positive &&= u.positive;
  }
  return { items, positive };
}

/**
 * For a condition that is a positive statement about items ("some item is HS 93", "an animal item and no
 * veterinary document"), a predicate on one item, used after a hit to name the items that caused it. Undefined for
 * conditions that are not about items, or that test items under `not` ("no item …" names no item).
 */
export function compileItemCondition(
  condition: Condition,
  lists: Readonly<Record<string, readonly string[]>>,
): ((facts: DeclarationFacts, item: ItemFacts) => boolean) | undefined {
  const use = itemUse(condition, false);
  if (!use.items || !use.positive) return undefined;
  return compileCondition(condition, lists, true);
}
