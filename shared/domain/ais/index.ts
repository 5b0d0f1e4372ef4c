/** AIS (ITU-R M.1371) over NMEA 0183: decoding, encoding and the message types. Pure domain code, no I/O. */
export type { AisDecodeResult, AisRejectCode, DecodedAis, RejectedSentence } from './ais-decoder';
export { decodeAisSentences } from './ais-decoder';
export type { AisEncodeOptions } from './ais-encoder';
export { AisEncodeError, encodeAisMessage } from './ais-encoder';
export * from './ais-message';
export type { NmeaErrorCode, NmeaParseResult, NmeaSentence } from './nmea-sentence';
export { formatNmeaSentence, nmeaChecksum, parseNmeaSentence } from './nmea-sentence';
