import * as fc from 'fast-check';
import type {
  AidToNavigationReport,
  AisMessage,
  BaseStationReport,
  ClassAPositionReport,
  ClassBPositionReport,
  ExtendedClassBPositionReport,
  LongRangePositionReport,
  SarAircraftPositionReport,
  ShipDimensions,
  StaticAndVoyageData,
  StaticDataReportPartA,
  StaticDataReportPartB,
  StaticDataReportPartBAuxiliary,
} from '../../shared/domain/ais';

/**
 * fast-check arbitraries of valid AIS messages, as the decoder returns them: every field within its M.1371 bit
 * width (sentinels included), scaled values on their resolution grid, texts in the 6-bit alphabet without the
 * trailing '@' / spaces that decoding trims.
 */

const uint = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const sint = (bits: number) => fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 });
/** Raw integer units mapped to the decoded value (e.g. 1/10 knot → knots), exactly as the decoder divides. */
const scaled = (bits: number, per: number) => uint(bits).map((v) => v / per);

// Latitude/longitude in 1/10,000 minute: the whole range, including 91 / 181 "not available".
const lat = fc.integer({ min: -90 * 600_000, max: 91 * 600_000 }).map((v) => v / 600_000);
const lon = fc.integer({ min: -180 * 600_000, max: 181 * 600_000 }).map((v) => v / 600_000);

/** Characters of the 6-bit alphabet (space to '_') except '@', which is the padding character. */
const SIX_BIT_CHARS = Array.from({ length: 64 }, (_, i) => String.fromCharCode(i < 32 ? i + 64 : i)).filter(
  (c) => c !== '@',
);
const sixBitText = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...SIX_BIT_CHARS), maxLength }).map((s) => s.replace(/ +$/, ''));

const common = { repeat: uint(2), mmsi: uint(30) };
const dimensions: { [K in keyof ShipDimensions]: fc.Arbitrary<number> } = {
  toBow: uint(9),
  toStern: uint(9),
  toPort: uint(6),
  toStarboard: uint(6),
};

export const classAPosition: fc.Arbitrary<ClassAPositionReport> = fc.record({
  type: fc.constantFrom(1 as const, 2 as const, 3 as const),
  ...common,
  navStatus: uint(4),
  rot: sint(8),
  sog: scaled(10, 10),
  accuracy: fc.boolean(),
  lon,
  lat,
  cog: scaled(12, 10),
  heading: uint(9),
  timestamp: uint(6),
  maneuver: uint(2),
  raim: fc.boolean(),
});

export const baseStation: fc.Arbitrary<BaseStationReport> = fc.record({
  type: fc.constantFrom(4 as const, 11 as const),
  ...common,
  year: uint(14),
  month: uint(4),
  day: uint(5),
  hour: uint(5),
  minute: uint(6),
  second: uint(6),
  accuracy: fc.boolean(),
  lon,
  lat,
  epfd: uint(4),
  raim: fc.boolean(),
});

export const staticAndVoyage: fc.Arbitrary<StaticAndVoyageData> = fc.record({
  type: fc.constant(5 as const),
  ...common,
  aisVersion: uint(2),
  imo: uint(30),
  callsign: sixBitText(7),
  shipName: sixBitText(20),
  shipType: uint(8),
  ...dimensions,
  epfd: uint(4),
  eta: fc.record({ month: uint(4), day: uint(5), hour: uint(5), minute: uint(6) }),
  draught: scaled(8, 10),
  destination: sixBitText(20),
  dte: fc.boolean(),
});

export const sarAircraft: fc.Arbitrary<SarAircraftPositionReport> = fc.record({
  type: fc.constant(9 as const),
  ...common,
  altitude: uint(12),
  sog: uint(10),
  accuracy: fc.boolean(),
  lon,
  lat,
  cog: scaled(12, 10),
  timestamp: uint(6),
  dte: fc.boolean(),
  assigned: fc.boolean(),
  raim: fc.boolean(),
});

export const classBPosition: fc.Arbitrary<ClassBPositionReport> = fc.record({
  type: fc.constant(18 as const),
  ...common,
  sog: scaled(10, 10),
  accuracy: fc.boolean(),
  lon,
  lat,
  cog: scaled(12, 10),
  heading: uint(9),
  timestamp: uint(6),
  raim: fc.boolean(),
});

export const extendedClassB: fc.Arbitrary<ExtendedClassBPositionReport> = fc.record({
  type: fc.constant(19 as const),
  ...common,
  sog: scaled(10, 10),
  accuracy: fc.boolean(),
  lon,
  lat,
  cog: scaled(12, 10),
  heading: uint(9),
  timestamp: uint(6),
  shipName: sixBitText(20),
  shipType: uint(8),
  ...dimensions,
  epfd: uint(4),
  raim: fc.boolean(),
  dte: fc.boolean(),
  assigned: fc.boolean(),
});

export const aidToNavigation: fc.Arbitrary<AidToNavigationReport> = fc.record({
  type: fc.constant(21 as const),
  ...common,
  aidType: uint(5),
  // Up to 20 characters in the name field plus 14 in the extension.
  name: sixBitText(34),
  accuracy: fc.boolean(),
  lon,
  lat,
  ...dimensions,
  epfd: uint(4),
  timestamp: uint(6),
  offPosition: fc.boolean(),
  raim: fc.boolean(),
  virtualAid: fc.boolean(),
  assigned: fc.boolean(),
});

export const staticDataPartA: fc.Arbitrary<StaticDataReportPartA> = fc.record({
  type: fc.constant(24 as const),
  ...common,
  partNo: fc.constant(0 as const),
  shipName: sixBitText(20),
});

const partBCommon = {
  type: fc.constant(24 as const),
  repeat: uint(2),
  partNo: fc.constant(1 as const),
  shipType: uint(8),
  vendorId: sixBitText(3),
  unitModel: uint(4),
  serialNumber: uint(20),
  callsign: sixBitText(7),
};

/** MMSIs of ordinary stations: every 30-bit value except the auxiliary craft range 98xxxxxxx. */
const nonAuxiliaryMmsi = uint(30).filter((m) => m < 980_000_000 || m > 989_999_999);

export const staticDataPartB: fc.Arbitrary<StaticDataReportPartB> = fc.record({
  ...partBCommon,
  mmsi: nonAuxiliaryMmsi,
  ...dimensions,
});

export const staticDataPartBAuxiliary: fc.Arbitrary<StaticDataReportPartBAuxiliary> = fc.record({
  ...partBCommon,
  mmsi: fc.integer({ min: 980_000_000, max: 989_999_999 }),
  mothershipMmsi: uint(30),
});

export const longRange: fc.Arbitrary<LongRangePositionReport> = fc.record({
  type: fc.constant(27 as const),
  ...common,
  accuracy: fc.boolean(),
  raim: fc.boolean(),
  navStatus: uint(4),
  // 1/10 minute; 91 / 181 "not available" included.
  lon: fc.integer({ min: -180 * 600, max: 181 * 600 }).map((v) => v / 600),
  lat: fc.integer({ min: -90 * 600, max: 91 * 600 }).map((v) => v / 600),
  sog: uint(6),
  cog: uint(9),
  positionLatency: fc.boolean(),
});

/** Every message type the encoder supports, by name (for per-type property tests). */
export const messagesByType: Record<string, fc.Arbitrary<AisMessage>> = {
  'class A position (1/2/3)': classAPosition,
  'base station / UTC response (4/11)': baseStation,
  'static and voyage data (5)': staticAndVoyage,
  'SAR aircraft position (9)': sarAircraft,
  'class B position (18)': classBPosition,
  'extended class B position (19)': extendedClassB,
  'aid to navigation (21)': aidToNavigation,
  'static data part A (24)': staticDataPartA,
  'static data part B (24)': staticDataPartB,
  'static data part B, auxiliary craft (24)': staticDataPartBAuxiliary,
  'long-range position (27)': longRange,
};

/** Any supported message. */
export const anyMessage: fc.Arbitrary<AisMessage> = fc.oneof(...Object.values(messagesByType));
