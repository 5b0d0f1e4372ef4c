/**
 * Decoded AIS messages (ITU-R M.1371-5), a union discriminated on `type`.
 *
 * Values are M.1371's, scaled to usual units (degrees, knots, metres) but otherwise raw: "not available"
 * sentinels stay as sent (lat 91, lon 181, sog 102.3, cog 360, heading 511, second 60, …) so that nothing is
 * invented here; consumers decide what a sentinel means for them (see `vessel-projections.ts`).
 */

/** Fields every AIS message starts with. */
export interface AisMessageBase {
  /** Repeat indicator (0–3): how many times a repeater has re-sent the message. */
  repeat: number;
  /** Maritime Mobile Service Identity of the sender (30 bits). */
  mmsi: number;
}

/** Reference point of the reported position, in metres from bow, stern, port and starboard (0 = not available). */
export interface ShipDimensions {
  /** 0–511 (511 = 511 m or more). */
  toBow: number;
  /** 0–511 (511 = 511 m or more). */
  toStern: number;
  /** 0–63 (63 = 63 m or more). */
  toPort: number;
  /** 0–63 (63 = 63 m or more). */
  toStarboard: number;
}

/** Estimated time of arrival, UTC, without a year (month 0 / day 0 / hour 24 / minute 60 = not available). */
export interface AisEta {
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Fields shared by the position reports. */
export interface PositionFields {
  /** Latitude in degrees, north positive; 91 = not available. */
  lat: number;
  /** Longitude in degrees, east positive; 181 = not available. */
  lon: number;
  /** Position accuracy flag: true = high (≤ 10 m, e.g. DGNSS), false = low. */
  accuracy: boolean;
  /** Receiver autonomous integrity monitoring in use. */
  raim: boolean;
}

/** Types 1, 2, 3: class A position report (scheduled, assigned, interrogated). */
export interface ClassAPositionReport extends AisMessageBase, PositionFields {
  type: 1 | 2 | 3;
  /** Navigational status 0–15 (0 under way using engine, 1 at anchor, 5 moored, 15 not defined). */
  navStatus: number;
  /** Rate of turn as sent (ROT_AIS, -128–127; -128 = not available). */
  rot: number;
  /** Speed over ground in knots, 0.1 kn resolution; 102.3 = not available, 102.2 = 102.2 kn or more. */
  sog: number;
  /** Course over ground in degrees, 0.1° resolution; 360 = not available. */
  cog: number;
  /** True heading in whole degrees; 511 = not available. */
  heading: number;
  /** UTC second of the position fix (0–59; 60 not available, 61 manual, 62 dead reckoning, 63 inoperative). */
  timestamp: number;
  /** Special manoeuvre indicator (0 not available, 1 none, 2 special). */
  maneuver: number;
}

/** Types 4 (base station report) and 11 (UTC/date response): UTC date, time and the station's position. */
export interface BaseStationReport extends AisMessageBase, PositionFields {
  type: 4 | 11;
  /** 1–9999; 0 = not available. */
  year: number;
  /** 1–12; 0 = not available. */
  month: number;
  /** 1–31; 0 = not available. */
  day: number;
  /** 0–23; 24 = not available. */
  hour: number;
  /** 0–59; 60 = not available. */
  minute: number;
  /** 0–59; 60 = not available. */
  second: number;
  /** Type of electronic position fixing device (0 undefined, 1 GPS, …, 7 surveyed, 15 internal GNSS). */
  epfd: number;
}

/** Type 5: class A static and voyage related data. */
export interface StaticAndVoyageData extends AisMessageBase, ShipDimensions {
  type: 5;
  /** 0 = compliant with ITU-R M.1371-1, 1–3 later editions. */
  aisVersion: number;
  /** IMO ship number; 0 = not available. */
  imo: number;
  /** Call sign, up to 7 characters. */
  callsign: string;
  /** Ship name, up to 20 characters. */
  shipName: string;
  /** Ship and cargo type (0 = not available, 70–79 cargo, 80–89 tanker, …). */
  shipType: number;
  epfd: number;
  eta: AisEta;
  /** Maximum present static draught in metres, 0.1 m resolution; 0 = not available. */
  draught: number;
  /** Destination, up to 20 characters, as the crew typed it. */
  destination: string;
  /** Data terminal equipment flag as sent: true (bit 1) = DTE not available. */
  dte: boolean;
}

/** Type 9: standard search and rescue aircraft position report. */
export interface SarAircraftPositionReport extends AisMessageBase, PositionFields {
  type: 9;
  /** Altitude in metres (GNSS); 4095 = not available, 4094 = 4094 m or higher. */
  altitude: number;
  /** Speed over ground in whole knots; 1023 = not available, 1022 = 1022 kn or more. */
  sog: number;
  /** Course over ground in degrees, 0.1° resolution; 360 = not available. */
  cog: number;
  timestamp: number;
  dte: boolean;
  /** Assigned mode flag (station operating in assigned mode). */
  assigned: boolean;
}

/** Type 18: standard class B equipment position report. */
export interface ClassBPositionReport extends AisMessageBase, PositionFields {
  type: 18;
  /** Knots, 0.1 kn resolution; 102.3 = not available. */
  sog: number;
  /** Degrees, 0.1° resolution; 360 = not available. */
  cog: number;
  /** Whole degrees; 511 = not available. */
  heading: number;
  timestamp: number;
}

/** Type 19: extended class B equipment position report (position plus static data). */
export interface ExtendedClassBPositionReport extends AisMessageBase, PositionFields, ShipDimensions {
  type: 19;
  sog: number;
  cog: number;
  heading: number;
  timestamp: number;
  shipName: string;
  shipType: number;
  epfd: number;
  dte: boolean;
  assigned: boolean;
}

/** Type 21: aid-to-navigation report. */
export interface AidToNavigationReport extends AisMessageBase, PositionFields, ShipDimensions {
  type: 21;
  /** Type of aid (0 not specified, 1 reference point, …, 30 special mark, 31 light vessel / rig). */
  aidType: number;
  /** Name, including the name extension when the aid sends one (up to 34 characters). */
  name: string;
  epfd: number;
  timestamp: number;
  /** The aid is off its charted position (meaningful only when `timestamp` ≤ 59). */
  offPosition: boolean;
  /** A virtual aid (no physical aid at that position). */
  virtualAid: boolean;
  assigned: boolean;
}

/** Type 24 part A: class B static data, name. */
export interface StaticDataReportPartA extends AisMessageBase {
  type: 24;
  partNo: 0;
  shipName: string;
}

/** Type 24 part B fields common to ships and auxiliary craft. */
interface StaticDataReportPartBBase extends AisMessageBase {
  type: 24;
  partNo: 1;
  shipType: number;
  /** Manufacturer's id, up to 3 characters. */
  vendorId: string;
  /** Unit model code (0–15). */
  unitModel: number;
  /** Unit serial number (0–1,048,575). */
  serialNumber: number;
  callsign: string;
}

/** Type 24 part B from a ship: dimensions. */
export interface StaticDataReportPartB extends StaticDataReportPartBBase, ShipDimensions {
  mothershipMmsi?: never;
}

/** Type 24 part B from an auxiliary craft (MMSI 98xxxxxxx): the mother ship's MMSI replaces the dimensions. */
export interface StaticDataReportPartBAuxiliary extends StaticDataReportPartBBase {
  mothershipMmsi: number;
}

/** Type 24: either part (they are sent, and decoded, separately). */
export type StaticDataReport = StaticDataReportPartA | StaticDataReportPartB | StaticDataReportPartBAuxiliary;

/** Type 27: long-range AIS broadcast (satellite reception), coarse resolution. */
export interface LongRangePositionReport extends AisMessageBase, PositionFields {
  type: 27;
  navStatus: number;
  /** Whole knots (0–62); 63 = not available. */
  sog: number;
  /** Whole degrees (0–359); 511 = not available. */
  cog: number;
  /** True when the reported position is older than 5 seconds. */
  positionLatency: boolean;
}

/** Builds the union 0 | 1 | … | N-1 (for the 6-bit message type). */
type NumbersBelow<N extends number, Acc extends number[] = []> = Acc['length'] extends N
  ? Acc[number]
  : NumbersBelow<N, [...Acc, Acc['length']]>;

/** Any value of the 6-bit message type field. */
export type AisTypeNumber = NumbersBelow<64>;

/** Message types decoded field by field here. */
export type InterpretedAisType = 1 | 2 | 3 | 4 | 5 | 9 | 11 | 18 | 19 | 21 | 24 | 27;

/**
 * Message types that are valid AIS but not interpreted here (binary and safety messages, slot management, …),
 * and 0 and 28–63, which M.1371 leaves undefined. A literal union, so that `message.type === 5` narrows.
 */
export type OtherAisType = Exclude<AisTypeNumber, InterpretedAisType>;

/** A message of a type that is carried through without interpretation (binary, safety text, slot management…). */
export interface OtherAisMessage extends AisMessageBase {
  type: OtherAisType;
  kind: 'other';
}

/** Any decoded AIS message. */
export type AisMessage =
  | ClassAPositionReport
  | BaseStationReport
  | StaticAndVoyageData
  | SarAircraftPositionReport
  | ClassBPositionReport
  | ExtendedClassBPositionReport
  | AidToNavigationReport
  | StaticDataReport
  | LongRangePositionReport
  | OtherAisMessage;

/** True for an MMSI of an auxiliary craft associated with a parent ship (98xxxxxxx, M.585). */
export function isAuxiliaryCraftMmsi(mmsi: number): boolean {
  return mmsi >= 980_000_000 && mmsi <= 989_999_999;
}
