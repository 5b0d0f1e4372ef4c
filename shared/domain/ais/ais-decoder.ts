/**
 * AIS (ITU-R M.1371-5) decoder for NMEA 0183 VDM/VDO sentences: checksum, multi-sentence reassembly and the
 * message types the port uses (1/2/3, 4/11, 5, 9, 18, 19, 21, 24, 27; the rest pass through as `kind: 'other'`).
 *
 * Written here rather than taken from npm: no well-maintained AIS decoder exists there (the most used,
 * ais-stream-decoder, has about 900 downloads a month), and this one must meet the ingest budget and never throw.
 */
import {
  type AidToNavigationReport,
  type AisMessage,
  type BaseStationReport,
  type ClassAPositionReport,
  type ClassBPositionReport,
  type ExtendedClassBPositionReport,
  isAuxiliaryCraftMmsi,
  type LongRangePositionReport,
  type OtherAisType,
  type SarAircraftPositionReport,
  type StaticAndVoyageData,
  type StaticDataReport,
} from './ais-message';
import { type NmeaSentence, parseNmeaSentence } from './nmea-sentence';
import { findBadArmouring, SixBitReader, unarmourInto } from './six-bit';

/** Why a sentence was not decoded. Stable codes: dead letters and dashboards key on them. */
export type AisRejectCode =
  | 'NMEA_MALFORMED'
  | 'NMEA_BAD_CHECKSUM'
  | 'AIS_BAD_ARMOURING'
  | 'AIS_MISSING_PARTS'
  | 'AIS_TOO_SHORT'
  /** Type 24 with part number 2 or 3, which M.1371 does not define: the rest of the payload has no meaning. */
  | 'AIS_UNKNOWN_PART';

/** A sentence that was not decoded, with a reason an operator can read. */
export interface RejectedSentence {
  /** Position of the sentence in the input. */
  index: number;
  sentence: string;
  code: AisRejectCode;
  /** Plain English, e.g. "checksum 4B does not match computed 4A". */
  message: string;
}

/** One decoded message and where it came from. */
export interface DecodedAis {
  message: AisMessage;
  /** VHF channel as the receiver reported it ('A', 'B', '1', '2'), absent when it did not. */
  channel?: string;
  /** Talker of the sentence(s): 'AI', 'AB', 'BS', … */
  talker: string;
  /** True for VDO: the receiver's own ship. */
  own: boolean;
  /** Input positions of the sentences that carried the message, in fragment order. */
  sentenceIndexes: number[];
}

/** Result of {@link decodeAisSentences}: every input sentence is either in a message or rejected, exactly once. */
export interface AisDecodeResult {
  /** In the order their last sentence arrived. */
  messages: DecodedAis[];
  /** In input order. */
  rejected: RejectedSentence[];
}

/** A multi-sentence message being collected. */
interface FragmentGroup {
  count: number;
  parts: (NmeaSentence | undefined)[];
  indexes: number[];
  received: number;
}

/** Why a reassembled payload could not be read. */
interface PayloadError {
  code: AisRejectCode;
  message: string;
}

// One buffer and one reader for every payload: decoding is synchronous, so they are never shared, and the
// per-sentence cost stays free of allocations other than the result itself.
let scratch = new Uint8Array(256);
const reader = new SixBitReader(scratch, 0);

function scratchFor(symbols: number): Uint8Array {
  if (scratch.length < symbols) scratch = new Uint8Array(Math.max(symbols, scratch.length * 2));
  return scratch;
}

/**
 * Decodes AIS sentences received together (one device message). Never throws: each sentence ends up in exactly
 * one decoded message or in `rejected` with a code and a plain-English reason.
 *
 * Multi-sentence messages are reassembled within this call only. Fragments are grouped by talker, VDM/VDO,
 * sequential id and channel, so fragments of different messages may be interleaved and fragments may arrive out
 * of order; with an empty sequential id (common in practice) fragments are expected to follow each other. A
 * group that never completes, or that a new message with the same key interrupts, is rejected sentence by
 * sentence as `AIS_MISSING_PARTS`. A sentence with a bad checksum or armouring is rejected alone; the others
 * still decode.
 */
export function decodeAisSentences(sentences: readonly string[]): AisDecodeResult {
  const messages: DecodedAis[] = [];
  const rejected: RejectedSentence[] = [];
  let groups: Map<string, FragmentGroup> | undefined;

  for (let index = 0; index < sentences.length; index++) {
    const line = sentences[index];
    if (typeof line !== 'string') {
      rejected.push({ index, sentence: String(line), code: 'NMEA_MALFORMED', message: 'a sentence must be a string' });
      continue;
    }
    const parsed = parseNmeaSentence(line);
    if (!parsed.ok) {
      rejected.push({ index, sentence: line, code: parsed.code, message: parsed.message });
      continue;
    }
    const s = parsed.sentence;

    if (s.fragmentCount === 1) {
      const symbols = scratchFor(s.payload.length);
      const bad = unarmourInto(s.payload, symbols, 0);
      if (bad >= 0) {
        rejected.push({
          index,
          sentence: line,
          code: 'AIS_BAD_ARMOURING',
          message: badArmouringMessage(s.payload, bad),
        });
        continue;
      }
      reader.reset(symbols, s.payload.length * 6 - s.fillBits);
      const decoded = decodePayload(reader);
      if ('code' in decoded) {
        rejected.push({ index, sentence: line, code: decoded.code, message: decoded.message });
      } else {
        messages.push(result(decoded, s, [index]));
      }
      continue;
    }

    const bad = findBadArmouring(s.payload);
    if (bad >= 0) {
      rejected.push({ index, sentence: line, code: 'AIS_BAD_ARMOURING', message: badArmouringMessage(s.payload, bad) });
      continue;
    }
    groups ??= new Map();
    const key = `${s.talker}${s.own ? 'O' : 'M'}|${s.sequentialId ?? ''}|${s.channel ?? ''}`;
    let group = groups.get(key);
    if (group && (group.count !== s.fragmentCount || group.parts[s.fragmentNumber - 1] !== undefined)) {
      // A new message reuses the key before the previous one completed: the previous one lost fragments.
      rejectIncomplete(group, sentences, rejected);
      group = undefined;
    }
    if (!group) {
      group = { count: s.fragmentCount, parts: new Array(s.fragmentCount), indexes: [], received: 0 };
      groups.set(key, group);
    }
    group.parts[s.fragmentNumber - 1] = s;
    group.indexes[s.fragmentNumber - 1] = index;
    group.received++;
    if (group.received === group.count) {
      groups.delete(key);
      decodeGroup(group, sentences, messages, rejected);
    }
  }

  if (groups) {
    for (const group of groups.values()) rejectIncomplete(group, sentences, rejected);
    rejected.sort((a, b) => a.index - b.index);
  }
  return { messages, rejected };
}

function result(message: AisMessage, s: NmeaSentence, sentenceIndexes: number[]): DecodedAis {
  const decoded: DecodedAis = { message, talker: s.talker, own: s.own, sentenceIndexes };
  if (s.channel !== undefined) decoded.channel = s.channel;
  return decoded;
}

function badArmouringMessage(payload: string, at: number): string {
  return `payload character ${JSON.stringify(payload.charAt(at))} at position ${at + 1} is not valid AIS armouring`;
}

function decodeGroup(
  group: FragmentGroup,
  sentences: readonly string[],
  messages: DecodedAis[],
  rejected: RejectedSentence[],
): void {
  const parts = group.parts as NmeaSentence[];
  let chars = 0;
  for (const part of parts) chars += part.payload.length;
  const symbols = scratchFor(chars);
  let offset = 0;
  for (const part of parts) {
    unarmourInto(part.payload, symbols, offset);
    offset += part.payload.length;
  }
  const last = parts[parts.length - 1] as NmeaSentence;
  reader.reset(symbols, chars * 6 - last.fillBits);
  const decoded = decodePayload(reader);
  if ('code' in decoded) {
    for (const index of group.indexes) {
      rejected.push({ index, sentence: sentences[index] ?? '', code: decoded.code, message: decoded.message });
    }
    return;
  }
  messages.push(result(decoded, last, group.indexes.slice()));
}

function rejectIncomplete(group: FragmentGroup, sentences: readonly string[], rejected: RejectedSentence[]): void {
  const missing: number[] = [];
  let described: NmeaSentence | undefined;
  for (let n = 0; n < group.count; n++) {
    const part = group.parts[n];
    if (part) described ??= part;
    else missing.push(n + 1);
  }
  const where = described
    ? ` (sequential id ${described.sequentialId ?? 'empty'}, channel ${described.channel ?? 'unknown'})`
    : '';
  const message = `fragment${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${group.count} never arrived${where}`;
  for (let n = 0; n < group.count; n++) {
    const index = group.indexes[n];
    if (index !== undefined && group.parts[n]) {
      rejected.push({ index, sentence: sentences[index] ?? '', code: 'AIS_MISSING_PARTS', message });
    }
  }
}

/**
 * Fewest bits each type needs: the end of the last field decoded here. Trailing radio-status bits are not
 * required (real class A units send 163-bit type 1s), a type 5 may end 4 bits early (420 bits, sent by many
 * transponders; gpsd accepts them too) and a type 24 part A may omit its 8 spare bits (160 bits, common).
 */
const MIN_BITS: Partial<Record<number, number>> = {
  1: 149,
  2: 149,
  3: 149,
  4: 149,
  5: 420,
  9: 148,
  11: 149,
  18: 148,
  19: 308,
  21: 271,
  27: 95,
};
const MIN_BITS_ANY = 38;
const MIN_BITS_24A = 160;
const MIN_BITS_24B = 162;

function tooShort(label: string, bits: number, needed: number): PayloadError {
  return {
    code: 'AIS_TOO_SHORT',
    message:
      bits <= 0
        ? `the payload is empty; a ${label} needs at least ${needed} bits`
        : `${label} payload has ${bits} bits; at least ${needed} are needed`,
  };
}

function lat(r: SixBitReader, start: number): number {
  return r.int(start, 27) / 600_000;
}

function lon(r: SixBitReader, start: number): number {
  return r.int(start, 28) / 600_000;
}

/** Decodes the message in `r` (bits after un-armouring), or says why it cannot. */
function decodePayload(r: SixBitReader): AisMessage | PayloadError {
  const bits = r.bitLength;
  if (bits < MIN_BITS_ANY) return tooShort('message', bits, MIN_BITS_ANY);
  const type = r.uint(0, 6);
  const needed = MIN_BITS[type];
  if (needed !== undefined && bits < needed) return tooShort(`type ${type}`, bits, needed);
  const repeat = r.uint(6, 2);
  const mmsi = r.uint(8, 30);

  switch (type) {
    case 1:
    case 2:
    case 3:
      return {
        type,
        repeat,
        mmsi,
        navStatus: r.uint(38, 4),
        rot: r.int(42, 8),
        sog: r.uint(50, 10) / 10,
        accuracy: r.bool(60),
        lon: lon(r, 61),
        lat: lat(r, 89),
        cog: r.uint(116, 12) / 10,
        heading: r.uint(128, 9),
        timestamp: r.uint(137, 6),
        maneuver: r.uint(143, 2),
        raim: r.bool(148),
      } satisfies ClassAPositionReport;
    case 4:
    case 11:
      return {
        type,
        repeat,
        mmsi,
        year: r.uint(38, 14),
        month: r.uint(52, 4),
        day: r.uint(56, 5),
        hour: r.uint(61, 5),
        minute: r.uint(66, 6),
        second: r.uint(72, 6),
        accuracy: r.bool(78),
        lon: lon(r, 79),
        lat: lat(r, 107),
        epfd: r.uint(134, 4),
        raim: r.bool(148),
      } satisfies BaseStationReport;
    case 5:
      return {
        type,
        repeat,
        mmsi,
        aisVersion: r.uint(38, 2),
        imo: r.uint(40, 30),
        callsign: r.text(70, 7),
        shipName: r.text(112, 20),
        shipType: r.uint(232, 8),
        toBow: r.uint(240, 9),
        toStern: r.uint(249, 9),
        toPort: r.uint(258, 6),
        toStarboard: r.uint(264, 6),
        epfd: r.uint(270, 4),
        eta: { month: r.uint(274, 4), day: r.uint(278, 5), hour: r.uint(283, 5), minute: r.uint(288, 6) },
        draught: r.uint(294, 8) / 10,
        destination: r.text(302, 20),
        // A 420-bit payload stops before the DTE bit: report its default (not available) rather than a zero.
        dte: bits > 422 ? r.bool(422) : true,
      } satisfies StaticAndVoyageData;
    case 9:
      return {
        type,
        repeat,
        mmsi,
        altitude: r.uint(38, 12),
        sog: r.uint(50, 10),
        accuracy: r.bool(60),
        lon: lon(r, 61),
        lat: lat(r, 89),
        cog: r.uint(116, 12) / 10,
        timestamp: r.uint(128, 6),
        dte: r.bool(142),
        assigned: r.bool(146),
        raim: r.bool(147),
      } satisfies SarAircraftPositionReport;
    case 18:
      return {
        type,
        repeat,
        mmsi,
        sog: r.uint(46, 10) / 10,
        accuracy: r.bool(56),
        lon: lon(r, 57),
        lat: lat(r, 85),
        cog: r.uint(112, 12) / 10,
        heading: r.uint(124, 9),
        timestamp: r.uint(133, 6),
        raim: r.bool(147),
      } satisfies ClassBPositionReport;
    case 19:
      return {
        type,
        repeat,
        mmsi,
        sog: r.uint(46, 10) / 10,
        accuracy: r.bool(56),
        lon: lon(r, 57),
        lat: lat(r, 85),
        cog: r.uint(112, 12) / 10,
        heading: r.uint(124, 9),
        timestamp: r.uint(133, 6),
        shipName: r.text(143, 20),
        shipType: r.uint(263, 8),
        toBow: r.uint(271, 9),
        toStern: r.uint(280, 9),
        toPort: r.uint(289, 6),
        toStarboard: r.uint(295, 6),
        epfd: r.uint(301, 4),
        raim: r.bool(305),
        dte: r.bool(306),
        assigned: r.bool(307),
      } satisfies ExtendedClassBPositionReport;
    case 21:
      return {
        type,
        repeat,
        mmsi,
        aidType: r.uint(38, 5),
        name: aidName(r),
        accuracy: r.bool(163),
        lon: lon(r, 164),
        lat: lat(r, 192),
        toBow: r.uint(219, 9),
        toStern: r.uint(228, 9),
        toPort: r.uint(237, 6),
        toStarboard: r.uint(243, 6),
        epfd: r.uint(249, 4),
        timestamp: r.uint(253, 6),
        offPosition: r.bool(259),
        raim: r.bool(268),
        virtualAid: r.bool(269),
        assigned: r.bool(270),
      } satisfies AidToNavigationReport;
    case 24:
      return staticDataReport(r, repeat, mmsi);
    case 27:
      return {
        type,
        repeat,
        mmsi,
        accuracy: r.bool(38),
        raim: r.bool(39),
        navStatus: r.uint(40, 4),
        // 1/10 minute resolution: 600 units a degree, so the sentinels 91 and 181 stay exact.
        lon: r.int(44, 18) / 600,
        lat: r.int(62, 17) / 600,
        sog: r.uint(79, 6),
        cog: r.uint(85, 9),
        positionLatency: r.bool(94),
      } satisfies LongRangePositionReport;
    default:
      // Every other 6-bit value is exactly the OtherAisType union.
      return { type: type as OtherAisType, repeat, mmsi, kind: 'other' };
  }
}

/**
 * Type 21 name: 20 characters, continued by up to 14 more in the name extension when the name fills its field
 * and the payload has an extension (M.1371 uses the extension only for names longer than 20 characters).
 */
function aidName(r: SixBitReader): string {
  const name = r.rawText(43, 20);
  const extensionChars = Math.min(14, Math.floor((r.bitLength - 272) / 6));
  if (name.length < 20 || extensionChars <= 0) return name.trimEnd();
  return (name + r.rawText(272, extensionChars)).trimEnd();
}

function staticDataReport(r: SixBitReader, repeat: number, mmsi: number): StaticDataReport | PayloadError {
  const bits = r.bitLength;
  const partNo = r.uint(38, 2);
  if (partNo === 0) {
    if (bits < MIN_BITS_24A) return tooShort('type 24 part A', bits, MIN_BITS_24A);
    return { type: 24, repeat, mmsi, partNo, shipName: r.text(40, 20) };
  }
  if (partNo !== 1) {
    return {
      code: 'AIS_UNKNOWN_PART',
      message: `type 24 part number ${partNo} is not defined (0 = part A, 1 = part B)`,
    };
  }
  if (bits < MIN_BITS_24B) return tooShort('type 24 part B', bits, MIN_BITS_24B);
  const common = {
    type: 24 as const,
    repeat,
    mmsi,
    partNo: 1 as const,
    shipType: r.uint(40, 8),
    vendorId: r.text(48, 3),
    unitModel: r.uint(66, 4),
    serialNumber: r.uint(70, 20),
    callsign: r.text(90, 7),
  };
  // Auxiliary craft send their mother ship's MMSI where other ships send their dimensions.
  if (isAuxiliaryCraftMmsi(mmsi)) return { ...common, mothershipMmsi: r.uint(132, 30) };
  return {
    ...common,
    toBow: r.uint(132, 9),
    toStern: r.uint(141, 9),
    toPort: r.uint(150, 6),
    toStarboard: r.uint(156, 6),
  };
}
