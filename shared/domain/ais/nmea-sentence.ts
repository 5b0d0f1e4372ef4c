/**
 * One NMEA 0183 / IEC 61162-1 AIS sentence (`!AIVDM`, `!AIVDO`, any two-letter talker): structure and checksum.
 * What the payload means is the decoder's business (see `ais-decoder.ts`).
 *
 * Written by hand, without regex, because it runs once per received sentence on the ingest hot path.
 */

/** The fields of one VDM/VDO sentence. */
export interface NmeaSentence {
  /** Two-letter talker: 'AI' (mobile AIS station), 'AB', 'BS' (base station), … */
  talker: string;
  /** True for VDO (the receiver's own ship), false for VDM (other stations). */
  own: boolean;
  /** Number of sentences that carry the message (1–9). */
  fragmentCount: number;
  /** This sentence's place among them (1-based). */
  fragmentNumber: number;
  /** Links the fragments of one multi-sentence message (0–9); often absent on single-sentence messages. */
  sequentialId: number | undefined;
  /** VHF channel: 'A', 'B', '1' or '2'; absent when the receiver does not say. */
  channel: string | undefined;
  /** Armoured payload (6 bits a character), not yet checked. */
  payload: string;
  /** Bits (0–5) that pad the last character of the payload and carry no data. */
  fillBits: number;
}

/** Why a line is not a usable VDM/VDO sentence. */
export type NmeaErrorCode = 'NMEA_MALFORMED' | 'NMEA_BAD_CHECKSUM';

/** Result of {@link parseNmeaSentence}: the sentence, or why it was refused (never an exception). */
export type NmeaParseResult =
  | { ok: true; sentence: NmeaSentence }
  | { ok: false; code: NmeaErrorCode; message: string };

const BANG = 33; // '!'
const COMMA = 44; // ','
const BACKSLASH = 92; // '\'

function malformed(message: string): NmeaParseResult {
  return { ok: false, code: 'NMEA_MALFORMED', message };
}

/** Value of one hexadecimal digit (either case), or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
}

/** XOR of the characters of `line` from `start` (inclusive) to `end` (exclusive): the NMEA checksum. */
export function nmeaChecksum(line: string, start = 0, end = line.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= line.charCodeAt(i);
  return sum & 0xff;
}

/**
 * Parses one VDM/VDO sentence.
 *
 * Tolerated, because real receivers and aggregators produce them: a leading IEC 61162-450 tag block
 * (`\s:…*hh\`, stripped and not checked), leading whitespace, a lower-case checksum, and anything after the two
 * checksum digits (CR/LF, spaces, and the comma-separated metadata that USCG N-AIS, AISHub and others append:
 * it lies outside the checksummed body and carries no AIS data).
 */
export function parseNmeaSentence(line: string): NmeaParseResult {
  let start = 0;
  const length = line.length;
  while (start < length && line.charCodeAt(start) <= 32) start++;
  if (start < length && line.charCodeAt(start) === BACKSLASH) {
    const close = line.indexOf('\\', start + 1);
    if (close < 0) return malformed('tag block opened with "\\" is never closed');
    start = close + 1;
  }
  if (start >= length || line.charCodeAt(start) !== BANG) {
    return malformed('an AIS sentence must start with "!" (as in !AIVDM)');
  }
  const star = line.indexOf('*', start + 1);
  if (star < 0) return malformed('no "*" before the checksum');
  const hi = star + 1 < length ? hexValue(line.charCodeAt(star + 1)) : -1;
  const lo = star + 2 < length ? hexValue(line.charCodeAt(star + 2)) : -1;
  if (hi < 0 || lo < 0) return malformed('the checksum after "*" must be two hexadecimal digits');
  const expected = hi * 16 + lo;
  const computed = nmeaChecksum(line, start + 1, star);
  if (expected !== computed) {
    return {
      ok: false,
      code: 'NMEA_BAD_CHECKSUM',
      message: `checksum ${line.slice(star + 1, star + 3).toUpperCase()} does not match computed ${hex2(computed)}`,
    };
  }
  return parseFields(line, start + 1, star);
}

/** Reads the seven comma-separated fields between "!" and "*" (`from` is just after the "!"). */
function parseFields(line: string, from: number, star: number): NmeaParseResult {
  // Field 0: talker (2 upper-case letters) + VDM or VDO.
  if (
    star - from < 5 ||
    line.charCodeAt(from + 5) !== COMMA ||
    !isUpper(line.charCodeAt(from)) ||
    !isUpper(line.charCodeAt(from + 1)) ||
    line.charCodeAt(from + 2) !== 86 /* V */ ||
    line.charCodeAt(from + 3) !== 68 /* D */
  ) {
    return malformed(`"${line.slice(from, Math.min(star, from + 6))}" is not a VDM or VDO sentence header`);
  }
  const kind = line.charCodeAt(from + 4);
  if (kind !== 77 /* M */ && kind !== 79 /* O */) {
    return malformed(`"${line.slice(from, from + 5)}" is not a VDM or VDO sentence header`);
  }

  // Fields 1–6, found by scanning for commas once.
  const commas: number[] = [from + 5];
  for (let i = from + 6; i < star; i++) {
    if (line.charCodeAt(i) === COMMA) {
      commas.push(i);
      if (commas.length > 6) return malformed('more than 7 fields before the checksum');
    }
  }
  if (commas.length !== 6) return malformed(`7 fields expected before the checksum, found ${commas.length + 1}`);
  const [c1, c2, c3, c4, c5, c6] = commas as [number, number, number, number, number, number];

  const fragmentCount = singleDigit(line, c1 + 1, c2);
  if (fragmentCount < 1) return malformed('fragment count must be one digit from 1 to 9');
  const fragmentNumber = singleDigit(line, c2 + 1, c3);
  if (fragmentNumber < 1 || fragmentNumber > fragmentCount) {
    return malformed(`fragment number must be one digit from 1 to the fragment count (${fragmentCount})`);
  }
  let sequentialId: number | undefined;
  if (c4 > c3 + 1) {
    sequentialId = singleDigit(line, c3 + 1, c4);
    if (sequentialId < 0) return malformed('sequential message id must be empty or one digit from 0 to 9');
  }
  let channel: string | undefined;
  if (c5 > c4 + 1) {
    const ch = line.charCodeAt(c4 + 1);
    if (c5 !== c4 + 2 || (ch !== 65 && ch !== 66 && ch !== 49 && ch !== 50)) {
      return malformed(`channel must be A, B, 1, 2 or empty, got "${line.slice(c4 + 1, c5)}"`);
    }
    channel = line.charAt(c4 + 1);
  }
  const fillBits = singleDigit(line, c6 + 1, star);
  if (fillBits < 0 || fillBits > 5) return malformed('fill bits must be one digit from 0 to 5');

  return {
    ok: true,
    sentence: {
      talker: line.slice(from, from + 2),
      own: kind === 79,
      fragmentCount,
      fragmentNumber,
      sequentialId,
      channel,
      payload: line.slice(c5 + 1, c6),
      fillBits,
    },
  };
}

/** The value of a field that must be exactly one decimal digit, or -1. */
function singleDigit(line: string, start: number, end: number): number {
  if (end !== start + 1) return -1;
  const c = line.charCodeAt(start);
  return isDigit(c) ? c - 48 : -1;
}

/** Formats a sentence body (`AIVDM,…` without "!" and checksum) into a complete sentence with its checksum. */
export function formatNmeaSentence(body: string): string {
  return `!${body}*${hex2(nmeaChecksum(body))}`;
}
