import * as z from 'zod';
import type { ValueRangeResult } from './criterion';
import type { RiskItem } from './risk-input';

/**
 * The expected unit-value range of an HS heading (or chapter, or subheading): the basis of the
 * `VALUE_BELOW_RANGE` / `VALUE_ABOVE_RANGE` checks. Under-valuation evades duty and VAT; over-valuation inflates
 * export refunds and moves money (trade-based money laundering). The table is configuration data carried in the
 * risk profile, so an administration replaces the small default with ranges drawn from its own valuation database.
 */
export const ValueRange = z
  .strictObject({
    /** 2–10 leading digits of the HS code; the longest matching prefix wins. */
    hsPrefix: z.string().regex(/^\d{2,10}$/, '2–10 digits'),
    /** `kg`: USD per kilogram of gross weight; `unit`: USD per declared unit (only when the item's unit is `unit`). */
    basis: z.enum(['kg', 'unit']),
    /** UN/ECE Rec. 20 unit code the per-unit range is for (e.g. `PCE`); required with basis `unit`. */
    unit: z
      .string()
      .regex(/^[A-Z0-9]{1,3}$/)
      .optional(),
    minUsd: z.number().nonnegative().refine(Number.isFinite),
    maxUsd: z.number().positive().refine(Number.isFinite),
    /** Why this range (source, and what goes wrong outside it). */
    note: z.string().min(1).max(500),
  })
  .refine((r) => r.minUsd < r.maxUsd, { message: 'minUsd must be below maxUsd', path: ['maxUsd'] })
  .refine((r) => r.basis === 'kg' || r.unit !== undefined, { message: 'basis unit needs a unit', path: ['unit'] });
export type ValueRange = z.infer<typeof ValueRange>;

/**
 * USD per one unit of each ISO 4217 currency (e.g. `{ EUR: 1.08, CNY: 0.138 }`). USD itself is always 1. Passed in
 * with the settings because rates change daily while the profile changes when rules do.
 */
export type UsdRates = Readonly<Record<string, number>>;

/** A value-range table compiled for lookups by prefix. */
export interface ValueRangeTable {
  /** Prefix lengths present in the table, longest first. */
  readonly lengths: readonly number[];
  readonly byPrefix: ReadonlyMap<string, ValueRange>;
}

/** Indexes the table by prefix. Prefixes are assumed unique (the profile schema checks it). */
export function compileValueRanges(ranges: readonly ValueRange[]): ValueRangeTable {
  const byPrefix = new Map<string, ValueRange>();
  for (const r of ranges) byPrefix.set(r.hsPrefix, r);
  const lengths = [...new Set(ranges.map((r) => r.hsPrefix.length))].sort((a, b) => b - a);
  return { lengths, byPrefix };
}

/** The range for an HS code: the entry with the longest matching prefix, if any. */
export function findValueRange(table: ValueRangeTable, hsCode: string): ValueRange | undefined {
  for (const n of table.lengths) {
    if (n > hsCode.length) continue;
    const hit = table.byPrefix.get(hsCode.slice(0, n));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The item's customs value in USD; NaN when its currency is not in the rates table (so no numeric test matches). */
export function valueInUsd(item: RiskItem, rates: UsdRates): number {
  const { amount, currency } = item.customsValue;
  if (currency === 'USD') return amount;
  const rate = rates[currency];
  return rate === undefined ? Number.NaN : amount * rate;
}

/**
 * Where the item's unit value falls against its range. `unknown` when there is no range for its HS code, the
 * value cannot be converted, or the basis quantity is missing (zero weight, or a different unit): an unknown is
 * never a hit, because a check that cannot be computed is not evidence of anything.
 */
export function classifyUnitValue(item: RiskItem, valueUsd: number, range: ValueRange | undefined): ValueRangeResult {
  if (range === undefined || !Number.isFinite(valueUsd)) return 'unknown';
  let per: number;
  if (range.basis === 'kg') {
    if (!(item.grossWeightKg > 0)) return 'unknown';
    per = valueUsd / item.grossWeightKg;
  } else {
    if (item.unit !== range.unit || !(item.quantity > 0)) return 'unknown';
    per = valueUsd / item.quantity;
  }
  if (per < range.minUsd) return 'below';
  if (per > range.maxUsd) return 'above';
  return 'within';
}
