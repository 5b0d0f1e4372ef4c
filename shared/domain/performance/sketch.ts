import { DDSketch } from '@datadog/sketches-js';

/**
 * Mergeable quantile sketches (DDSketch, Datadog's; Masson et al., VLDB 2019): a value's bin is ⌈log_γ(v)⌉ with
 * γ = (1 + α)/(1 − α), so any quantile is answered within relative error α and two sketches merge by adding bin
 * counts — exactly what hour buckets need. α = 1 %: a median of 32 h is known to ±20 minutes.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

export type Sketch = DDSketch;

export function newSketch(): Sketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

/** `into` += `from` (both built with `newSketch`). */
export function mergeSketch(into: Sketch, from: Sketch): void {
  into.merge(from);
}

export function copySketch(s: Sketch): Sketch {
  const c = newSketch();
  c.merge(s);
  return c;
}

/**
 * A sketch as a plain JSON array for storage: `[count, sum, min, max, zeros, firstKey, …bin counts]`, the bins dense
 * from the first non-empty one to the last. Numbers parse natively (JSON.parse), and stored sketches merge by adding
 * arrays (`SketchSum`) without building a sketch per hour — what keeps a month's evaluation under a second. The
 * library's protobuf form is no smaller (it writes the dense store's whole capacity) and drops min and max.
 */
export type EncodedSketch = number[];

export function encodeSketch(s: Sketch): EncodedSketch {
  const { store } = s;
  const out: number[] = [s.count, s.sum, s.min, s.max, s.zeroCount];
  if (store.count === 0) return [...out, 0];
  let first = store.minKey;
  let last = store.maxKey;
  while (first < last && (store.bins[first - store.offset] ?? 0) === 0) first++;
  while (last > first && (store.bins[last - store.offset] ?? 0) === 0) last--;
  out.push(first);
  for (let key = first; key <= last; key++) out.push(store.bins[key - store.offset] ?? 0);
  return out;
}

export class SketchDecodeError extends Error {
  readonly code = 'SKETCH_INVALID';
}

/** Adds stored sketches up (bins by key), then builds one sketch: a month of hours merged without a sketch each. */
export class SketchSum {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private zeros = 0;
  private first = 0;
  private bins: number[] = [];

  add(e: EncodedSketch): this {
    if (e.length < 6) throw new SketchDecodeError('not an encoded sketch');
    const [count = 0, sum = 0, min, max, zeros = 0, first = 0] = e;
    this.count += count;
    this.sum += sum;
    if (typeof min === 'number' && min < this.min) this.min = min;
    if (typeof max === 'number' && max > this.max) this.max = max;
    this.zeros += zeros;
    const n = e.length - 6;
    if (n === 0) return this;
    if (this.bins.length === 0) {
      this.first = first;
      this.bins = e.slice(6);
      return this;
    }
    if (first < this.first) {
      this.bins = [...new Array<number>(this.first - first).fill(0), ...this.bins];
      this.first = first;
    }
    const at = first - this.first;
    const need = at + n - this.bins.length;
    for (let i = 0; i < need; i++) this.bins.push(0);
    for (let i = 0; i < n; i++) this.bins[at + i] = (this.bins[at + i] ?? 0) + (e[6 + i] ?? 0);
    return this;
  }

  toSketch(): Sketch {
    const s = newSketch();
    this.bins.forEach((c, i) => {
      if (c > 0) s.store.add(this.first + i, c);
    });
    s.zeroCount = this.zeros;
    s.count = this.count;
    s.sum = this.sum;
    s.min = this.min;
    s.max = this.max;
    if (s.count !== s.store.count + s.zeroCount) throw new SketchDecodeError('sketch counts do not add up');
    return s;
  }
}

export function decodeSketch(e: EncodedSketch): Sketch {
  return new SketchSum().add(e).toSketch();
}

/** The value at quantile q (0..1), or undefined for an empty sketch. */
export function quantileOf(s: Sketch | undefined, q: number): number | undefined {
  if (!s || s.count === 0) return undefined;
  return s.getValueAtQuantile(q);
}
