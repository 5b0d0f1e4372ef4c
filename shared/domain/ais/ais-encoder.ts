/**
 * AIS (ITU-R M.1371-5) encoder: the inverse of `ais-decoder.ts`, producing complete VDM/VDO sentences. The port
 * simulator uses it to generate realistic traffic, and the tests use it for round trips.
 */
import { KouanError } from '../errors';
import { type AisMessage, isAuxiliaryCraftMmsi, type ShipDimensions } from './ais-message';
import { formatNmeaSentence } from './nmea-sentence';
import { BitFieldRangeError, MAX_PAYLOAD_CHARS_PER_SENTENCE, SixBitWriter } from './six-bit';

/** A message that cannot be encoded (a value outside its field, a type the encoder does not write). */
export class AisEncodeError extends KouanError {}

/** Options of {@link encodeAisMessage}. */
export interface AisEncodeOptions {
  /**
   * VHF channel written in the sentences.
   * @default 'A'
   */
  channel?: 'A' | 'B';
  /**
   * Sequential message id (0–9) that links the fragments of a multi-sentence message. Give each message in
   * flight a different id when several multi-sentence messages may interleave. Single-sentence messages carry
   * it only when it is given.
   * @default 0 for multi-sentence messages, empty for single-sentence ones
   */
  sequentialId?: number;
  /**
   * Talker and sentence formatter: 'AIVDM' (other ships), 'AIVDO' (own ship), or another talker such as 'BSVDM'.
   * @default 'AIVDM'
   */
  talker?: string;
}

/**
 * Encodes one AIS message into complete NMEA sentences with checksums, split into fragments of at most 60
 * armoured characters (so every sentence stays within NMEA's 82 characters).
 *
 * Supports types 1/2/3, 4/11, 5, 9, 18, 19, 21, 24 (parts A and B) and 27. Values are written as the decoder
 * reads them (degrees, knots, metres), rounded to the field's resolution.
 *
 * @throws AisEncodeError (`AIS_ENCODE_OUT_OF_RANGE`) when a value does not fit its field, and
 *   (`AIS_ENCODE_UNSUPPORTED`) for message types it does not write or invalid options.
 */
export function encodeAisMessage(message: AisMessage, options: AisEncodeOptions = {}): string[] {
  const talker = options.talker ?? 'AIVDM';
  if (!isSentenceHeader(talker)) {
    throw new AisEncodeError(
      'AIS_ENCODE_UNSUPPORTED',
      `talker must be two upper-case letters + VDM or VDO, got "${talker}"`,
    );
  }
  const channel = options.channel ?? 'A';
  if (channel !== 'A' && channel !== 'B') {
    throw new AisEncodeError('AIS_ENCODE_UNSUPPORTED', `channel must be A or B, got "${String(channel)}"`);
  }
  const sequentialId = options.sequentialId;
  if (sequentialId !== undefined && (!Number.isInteger(sequentialId) || sequentialId < 0 || sequentialId > 9)) {
    throw new AisEncodeError(
      'AIS_ENCODE_OUT_OF_RANGE',
      `sequentialId must be an integer from 0 to 9, got ${sequentialId}`,
    );
  }

  let writer: SixBitWriter;
  try {
    writer = writeMessage(message);
  } catch (e) {
    if (e instanceof BitFieldRangeError) {
      throw new AisEncodeError('AIS_ENCODE_OUT_OF_RANGE', `type ${message.type}: ${e.message}`, { field: e.field });
    }
    throw e;
  }
  const { payload, fillBits } = writer.armour();

  const count = Math.max(1, Math.ceil(payload.length / MAX_PAYLOAD_CHARS_PER_SENTENCE));
  if (count > 9) {
    throw new AisEncodeError('AIS_ENCODE_OUT_OF_RANGE', `the message needs ${count} sentences; NMEA allows 9`);
  }
  const id = count > 1 ? String(sequentialId ?? 0) : sequentialId === undefined ? '' : String(sequentialId);
  const sentences: string[] = [];
  for (let n = 0; n < count; n++) {
    const chunk = payload.slice(n * MAX_PAYLOAD_CHARS_PER_SENTENCE, (n + 1) * MAX_PAYLOAD_CHARS_PER_SENTENCE);
    // Only the last fragment is padded: fill bits elsewhere would misalign the reassembled bits.
    const fill = n === count - 1 ? fillBits : 0;
    sentences.push(formatNmeaSentence(`${talker},${count},${n + 1},${id},${channel},${chunk},${fill}`));
  }
  return sentences;
}

function isSentenceHeader(talker: string): boolean {
  if (talker.length !== 5) return false;
  const a = talker.charCodeAt(0);
  const b = talker.charCodeAt(1);
  const tail = talker.slice(2);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90 && (tail === 'VDM' || tail === 'VDO');
}

/** Degrees → 1/10,000 minute (types 1–4, 9, 11, 18, 19, 21). */
function toTenThousandthMinutes(degrees: number): number {
  return Math.round(degrees * 600_000);
}

/** A decimal value → integer units of `step` (e.g. knots → 1/10 knot). */
function toUnits(value: number, perUnit: number): number {
  return Math.round(value * perUnit);
}

function header(w: SixBitWriter, m: AisMessage): void {
  w.uint('type', m.type, 6).uint('repeat', m.repeat, 2).uint('mmsi', m.mmsi, 30);
}

function dimensions(w: SixBitWriter, d: ShipDimensions): void {
  w.uint('toBow', d.toBow, 9).uint('toStern', d.toStern, 9).uint('toPort', d.toPort, 6);
  w.uint('toStarboard', d.toStarboard, 6);
}

function writeMessage(m: AisMessage): SixBitWriter {
  const w = new SixBitWriter();
  header(w, m);
  switch (m.type) {
    case 1:
    case 2:
    case 3:
      w.uint('navStatus', m.navStatus, 4).int('rot', m.rot, 8).uint('sog', toUnits(m.sog, 10), 10);
      w.bool(m.accuracy).int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      w.uint('cog', toUnits(m.cog, 10), 12).uint('heading', m.heading, 9).uint('timestamp', m.timestamp, 6);
      w.uint('maneuver', m.maneuver, 2).zeros(3).bool(m.raim);
      // Radio status: SOTDMA, UTC direct sync, no slot data. Receivers do not need more to decode.
      w.zeros(19);
      return w;
    case 4:
    case 11:
      w.uint('year', m.year, 14).uint('month', m.month, 4).uint('day', m.day, 5).uint('hour', m.hour, 5);
      w.uint('minute', m.minute, 6).uint('second', m.second, 6).bool(m.accuracy);
      w.int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      w.uint('epfd', m.epfd, 4).zeros(10).bool(m.raim).zeros(19);
      return w;
    case 5:
      w.uint('aisVersion', m.aisVersion, 2).uint('imo', m.imo, 30).text('callsign', m.callsign, 7);
      w.text('shipName', m.shipName, 20).uint('shipType', m.shipType, 8);
      dimensions(w, m);
      w.uint('epfd', m.epfd, 4).uint('eta.month', m.eta.month, 4).uint('eta.day', m.eta.day, 5);
      w.uint('eta.hour', m.eta.hour, 5).uint('eta.minute', m.eta.minute, 6).uint('draught', toUnits(m.draught, 10), 8);
      w.text('destination', m.destination, 20).bool(m.dte).zeros(1);
      return w;
    case 9:
      w.uint('altitude', m.altitude, 12).uint('sog', m.sog, 10).bool(m.accuracy);
      w.int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      w.uint('cog', toUnits(m.cog, 10), 12).uint('timestamp', m.timestamp, 6).zeros(8).bool(m.dte).zeros(3);
      w.bool(m.assigned).bool(m.raim).zeros(20);
      return w;
    case 18:
      w.zeros(8).uint('sog', toUnits(m.sog, 10), 10).bool(m.accuracy);
      w.int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      w.uint('cog', toUnits(m.cog, 10), 12).uint('heading', m.heading, 9).uint('timestamp', m.timestamp, 6);
      // Regional, then the class B flags: a carrier-sense (CS) unit without display, DSC or message 22 support.
      w.zeros(2).bool(true).zeros(5).bool(m.raim);
      // Radio status: ITDMA communication state selector for a CS unit.
      w.uint('radio', 0b1100000000000000110, 20);
      return w;
    case 19:
      w.zeros(8).uint('sog', toUnits(m.sog, 10), 10).bool(m.accuracy);
      w.int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      w.uint('cog', toUnits(m.cog, 10), 12).uint('heading', m.heading, 9).uint('timestamp', m.timestamp, 6);
      w.zeros(4).text('shipName', m.shipName, 20).uint('shipType', m.shipType, 8);
      dimensions(w, m);
      w.uint('epfd', m.epfd, 4).bool(m.raim).bool(m.dte).bool(m.assigned).zeros(4);
      return w;
    case 21: {
      if (m.name.length > 34) {
        throw new BitFieldRangeError(
          'name',
          `name holds at most 34 characters (20 + 14 extension), got ${m.name.length}`,
        );
      }
      w.uint('aidType', m.aidType, 5).text('name', m.name.slice(0, 20), 20).bool(m.accuracy);
      w.int('lon', toTenThousandthMinutes(m.lon), 28).int('lat', toTenThousandthMinutes(m.lat), 27);
      dimensions(w, m);
      w.uint('epfd', m.epfd, 4).uint('timestamp', m.timestamp, 6).bool(m.offPosition).zeros(8);
      w.bool(m.raim).bool(m.virtualAid).bool(m.assigned).zeros(1);
      const extension = m.name.slice(20);
      if (extension.length > 0) {
        w.text('name', extension, extension.length);
        // M.1371 pads the extension with spare bits to a byte boundary.
        w.zeros((8 - (w.bitLength % 8)) % 8);
      }
      return w;
    }
    case 24:
      w.uint('partNo', m.partNo, 2);
      if (m.partNo === 0) {
        w.text('shipName', m.shipName, 20).zeros(8);
        return w;
      }
      w.uint('shipType', m.shipType, 8).text('vendorId', m.vendorId, 3).uint('unitModel', m.unitModel, 4);
      w.uint('serialNumber', m.serialNumber, 20).text('callsign', m.callsign, 7);
      if (m.mothershipMmsi !== undefined) {
        if (!isAuxiliaryCraftMmsi(m.mmsi)) {
          throw new BitFieldRangeError(
            'mothershipMmsi',
            'only an auxiliary craft (MMSI 98xxxxxxx) has a mothershipMmsi',
          );
        }
        w.uint('mothershipMmsi', m.mothershipMmsi, 30);
      } else {
        if (isAuxiliaryCraftMmsi(m.mmsi)) {
          throw new BitFieldRangeError('mothershipMmsi', 'an auxiliary craft (MMSI 98xxxxxxx) sends mothershipMmsi');
        }
        dimensions(w, m);
      }
      w.zeros(6);
      return w;
    case 27:
      w.bool(m.accuracy).bool(m.raim).uint('navStatus', m.navStatus, 4);
      // 1/10 minute resolution.
      w.int('lon', Math.round(m.lon * 600), 18).int('lat', Math.round(m.lat * 600), 17);
      w.uint('sog', m.sog, 6).uint('cog', m.cog, 9).bool(m.positionLatency).zeros(1);
      return w;
    default:
      throw new AisEncodeError('AIS_ENCODE_UNSUPPORTED', `message type ${m.type} is not supported by the encoder`);
  }
}
