/**
 * AIS payload armouring (ITU-R M.1371 / IEC 61162-1 "6-bit ASCII" armouring) and bit access.
 *
 * The decoder sits on the ingest hot path (budget: ≥ 100,000 device events/s per core), so payloads become one
 * 6-bit symbol per byte in a `Uint8Array` and fields are read with integer arithmetic: no bit strings, no regex,
 * no per-bit string building.
 */

/** Armoured character code → 6-bit value, or -1 for a character that is not valid armouring. */
const ARMOUR_TO_SIX = (() => {
  const table = new Int8Array(128).fill(-1);
  // '0'..'W' carry 0..39 and '`'..'w' carry 40..63; 'X'..'_' (88..95) are not used by the armouring.
  for (let c = 48; c <= 87; c++) table[c] = c - 48;
  for (let c = 96; c <= 119; c++) table[c] = c - 56;
  return table;
})();

/** 6-bit value → armoured character code. */
const SIX_TO_ARMOUR = (() => {
  const table = new Uint8Array(64);
  for (let v = 0; v < 64; v++) table[v] = v < 40 ? v + 48 : v + 56;
  return table;
})();

/** Number of armoured characters in one VDM sentence written by the encoder (keeps sentences ≤ 82 chars). */
export const MAX_PAYLOAD_CHARS_PER_SENTENCE = 60;

/**
 * Un-armours `payload` into `target` starting at `offset`, one 6-bit symbol per byte.
 *
 * @returns the index in `payload` of the first character that is not valid armouring, or -1 when all are valid.
 *   `target` must have room for `offset + payload.length` symbols.
 */
export function unarmourInto(payload: string, target: Uint8Array, offset: number): number {
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    const v = c < 128 ? (ARMOUR_TO_SIX[c] ?? -1) : -1;
    if (v < 0) return i;
    target[offset + i] = v;
  }
  return -1;
}

/** @returns the index of the first character of `payload` that is not valid armouring, or -1. */
export function findBadArmouring(payload: string): number {
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    if (c >= 128 || (ARMOUR_TO_SIX[c] ?? -1) < 0) return i;
  }
  return -1;
}

/** 6-bit text value → character code: 0–31 are '@', 'A'…'Z', '[', '\\', ']', '^', '_'; 32–63 are ' '…'?'. */
function sixBitTextCode(v: number): number {
  return v < 32 ? v + 64 : v;
}

/**
 * Random-access reader of big-endian bit fields over 6-bit symbols (one per byte). Offsets and widths follow the
 * M.1371 field tables directly. Bits at or beyond `bitLength` (fill bits, or a payload shorter than the table)
 * read as 0, which M.1371 makes the "default / not available" value for most short trailing fields.
 */
export class SixBitReader {
  symbols: Uint8Array;
  bitLength: number;

  constructor(symbols: Uint8Array, bitLength: number) {
    this.symbols = symbols;
    this.bitLength = bitLength;
  }

  /** Re-points the reader (lets the decoder reuse one reader and one buffer for every sentence). */
  reset(symbols: Uint8Array, bitLength: number): void {
    this.symbols = symbols;
    this.bitLength = bitLength;
  }

  /** Unsigned integer of `width` bits (≤ 32) starting at bit `start`. */
  uint(start: number, width: number): number {
    let end = start + width;
    let shiftOut = 0;
    if (end > this.bitLength) {
      // Read only the bits that exist, then shift left as if the missing ones were zeros.
      shiftOut = end - Math.max(start, this.bitLength);
      end -= shiftOut;
    }
    const symbols = this.symbols;
    let result = 0;
    let pos = start;
    while (pos < end) {
      const index = (pos / 6) | 0;
      const available = 6 - (pos - index * 6);
      const remaining = end - pos;
      const take = Math.min(available, remaining);
      const bits = ((symbols[index] ?? 0) >> (available - take)) & ((1 << take) - 1);
      // Multiplication instead of `<<` keeps 32-bit fields positive.
      result = result * (1 << take) + bits;
      pos += take;
    }
    return shiftOut === 0 ? result : result * 2 ** shiftOut;
  }

  /** Two's complement signed integer of `width` bits (≤ 32) starting at bit `start`. */
  int(start: number, width: number): number {
    const value = this.uint(start, width);
    const half = 2 ** (width - 1);
    return value >= half ? value - 2 * half : value;
  }

  /** One bit as a boolean. */
  bool(start: number): boolean {
    return this.uint(start, 1) === 1;
  }

  /**
   * Text of up to `chars` 6-bit characters from bit `start`. '@' is M.1371's padding: the text ends at the first
   * one (transmitters leave garbage after it, e.g. "IBC G BUOY@?????????"), and trailing spaces are removed.
   * Only characters that the payload covers completely are read, so a short payload gives a shorter text rather
   * than a corrupted last character.
   */
  text(start: number, chars: number): string {
    return this.rawText(start, chars).trimEnd();
  }

  /** Like {@link SixBitReader.text} but keeps trailing spaces (for texts continued in another field). */
  rawText(start: number, chars: number): string {
    const covered = Math.floor((this.bitLength - start) / 6);
    const count = Math.min(covered, chars);
    let out = '';
    for (let i = 0; i < count; i++) {
      const v = this.uint(start + i * 6, 6);
      if (v === 0) break;
      out += String.fromCharCode(sixBitTextCode(v));
    }
    return out;
  }
}

/** The reason a value cannot be written into a field (the encoder turns it into a typed error). */
export class BitFieldRangeError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'BitFieldRangeError';
  }
}

/**
 * Sequential writer of big-endian bit fields into 6-bit symbols, and the armouring of the result. Values are
 * range-checked: a value that does not fit its field is an error, never silently truncated.
 */
export class SixBitWriter {
  private symbols = new Uint8Array(64);
  private length = 0;

  /** Number of bits written so far. */
  get bitLength(): number {
    return this.length;
  }

  /** Appends an unsigned integer of `width` bits (≤ 32). */
  uint(field: string, value: number, width: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
      throw new BitFieldRangeError(field, `${field} must be an integer from 0 to ${2 ** width - 1}, got ${value}`);
    }
    this.put(value, width);
    return this;
  }

  /** Appends a two's complement signed integer of `width` bits (≤ 32). */
  int(field: string, value: number, width: number): this {
    const half = 2 ** (width - 1);
    if (!Number.isInteger(value) || value < -half || value >= half) {
      throw new BitFieldRangeError(field, `${field} must be an integer from ${-half} to ${half - 1}, got ${value}`);
    }
    this.put(value < 0 ? value + 2 * half : value, width);
    return this;
  }

  /** Appends one bit. */
  bool(value: boolean): this {
    this.put(value ? 1 : 0, 1);
    return this;
  }

  /**
   * Appends `text` as exactly `chars` 6-bit characters, padded with '@'. Lower-case letters are not part of
   * the 6-bit alphabet and are rejected rather than upper-cased, and so is '@' (it would end the text), so that
   * a round trip gives back the input (less trailing spaces).
   */
  text(field: string, text: string, chars: number): this {
    if (text.length > chars) {
      throw new BitFieldRangeError(field, `${field} holds at most ${chars} characters, got ${text.length}`);
    }
    for (let i = 0; i < chars; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 64;
      if (i < text.length && c === 64) {
        throw new BitFieldRangeError(field, `${field} may not contain '@', the 6-bit padding that ends a text`);
      }
      if (c < 32 || c > 95) {
        throw new BitFieldRangeError(
          field,
          `${field} may hold only 6-bit ASCII (space to '_', upper case), got ${JSON.stringify(text.charAt(i))}`,
        );
      }
      this.put(c >= 64 ? c - 64 : c, 6);
    }
    return this;
  }

  /** Appends `count` zero bits (spare fields, byte alignment). */
  zeros(count: number): this {
    let left = count;
    while (left > 0) {
      const take = Math.min(left, 30);
      this.put(0, take);
      left -= take;
    }
    return this;
  }

  /** The armoured payload and the number of fill bits that pad it to whole 6-bit characters. */
  armour(): { payload: string; fillBits: number } {
    const chars = Math.ceil(this.length / 6);
    let payload = '';
    // Chunks keep String.fromCharCode's argument list short.
    for (let i = 0; i < chars; i += 1024) {
      const end = Math.min(chars, i + 1024);
      const codes: number[] = [];
      for (let j = i; j < end; j++) codes.push(SIX_TO_ARMOUR[this.symbols[j] ?? 0] ?? 48);
      payload += String.fromCharCode(...codes);
    }
    return { payload, fillBits: chars * 6 - this.length };
  }

  private put(value: number, width: number): void {
    const needed = Math.ceil((this.length + width) / 6);
    if (needed > this.symbols.length) {
      const grown = new Uint8Array(Math.max(needed, this.symbols.length * 2));
      grown.set(this.symbols);
      this.symbols = grown;
    }
    let left = width;
    while (left > 0) {
      const index = (this.length / 6) | 0;
      const free = 6 - (this.length - index * 6);
      const take = Math.min(free, left);
      const bits = Math.floor(value / 2 ** (left - take)) % (1 << take);
      this.symbols[index] = (this.symbols[index] ?? 0) | (bits << (free - take));
      this.length += take;
      left -= take;
    }
  }
}
