/**
 * The random-selection draw. It must be reproducible for audit: the same (seed, declaration id) always gives the
 * same number, so a re-assessment never draws again and an auditor holding the seed can recompute any draw. It
 * must also be unpredictable to whoever lacks the seed, which is why the seed is secret (see SelectivitySettings).
 */

/** The port through which `assess` draws; tests may inject a fixed one. */
export interface SelectionRandom {
  /** A number in [0, 1), a pure function of its two arguments. */
  draw(seed: string, key: string): number;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// One MurmurHash3 (x86, 32-bit) round per UTF-16 code unit: a few multiplications per character, no allocation.
function round(h: number, k: number): number {
  let x = Math.imul(k, C1);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, C2);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

// MurmurHash3's finaliser: spreads every input bit over the whole word, so ids differing in one character
// ("D-0001", "D-0002") land far apart.
function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * `hashDraw(seed, key)`: MurmurHash3-style 32-bit hash of the seed's length, the seed, then the key (UTF-16 code
 * units), finalised, divided by 2^32. The seed's length goes first so that ("ab", "c") and ("a", "bc") differ.
 * Resolution 2^-32: far finer than any selection rate.
 */
export function hashDraw(seed: string, key: string): number {
  let h = round(0x4b6f7561, seed.length); // "Koua"
  for (let i = 0; i < seed.length; i++) h = round(h, seed.charCodeAt(i));
  for (let i = 0; i < key.length; i++) h = round(h, key.charCodeAt(i));
  h ^= seed.length + key.length;
  return fmix(h) / 4_294_967_296;
}

/** The production draw. */
export const hashSelectionRandom: SelectionRandom = Object.freeze({ draw: hashDraw });
