import type { ShipDimensions } from '../../shared/domain/ais';
import type { PortGeometry } from './ports';
import type { SeededRandom } from './random';

/**
 * Who the ships calling at the port are: stable identities (MMSI with a real flag MID, IMO number with a valid
 * check digit, name, call sign, AIS ship type, dimensions) drawn once per port and seed.
 */
export type VesselKind = 'container' | 'general-cargo' | 'tanker' | 'fishing' | 'pleasure' | 'sailing';

export interface VesselIdentity {
  mmsi: number;
  aisClass: 'A' | 'B';
  kind: VesselKind;
  /** Class A only: IMO ship number with a valid check digit. */
  imo?: number;
  name: string;
  callsign: string;
  /** AIS ship and cargo type: 70s cargo, 80s tanker, 30 fishing, 36 sailing, 37 pleasure craft. */
  shipType: number;
  dimensions: ShipDimensions;
  /** Metres, 0.1 m resolution. */
  draught: number;
  /** Service speed, knots. */
  cruiseKn: number;
  /** Class B: whether the unit has a heading sensor (many small craft send 511, "not available"). */
  hasHeading: boolean;
  /** Class B part B: transceiver maker and serial. */
  vendorId: string;
  serialNumber: number;
}

/** Flags of the world fleet by rough share, with the call sign prefix each administration issues. */
const FLAGS: readonly (readonly [{ mids: readonly number[]; callsign: string }, number])[] = [
  [{ mids: [636], callsign: 'A8' }, 16], // Liberia
  [{ mids: [351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373], callsign: '3E' }, 15], // Panama
  [{ mids: [538], callsign: 'V7' }, 13], // Marshall Islands
  [{ mids: [477], callsign: 'VR' }, 12], // Hong Kong
  [{ mids: [563, 564, 565, 566], callsign: '9V' }, 10], // Singapore
  [{ mids: [413, 414], callsign: 'B' }, 8], // China
  [{ mids: [215, 229, 248, 249, 256], callsign: '9H' }, 8], // Malta
  [{ mids: [209, 210, 212], callsign: '5B' }, 4], // Cyprus
  [{ mids: [219, 220], callsign: 'OY' }, 4], // Denmark
  [{ mids: [240, 241], callsign: 'SV' }, 3], // Greece
  [{ mids: [311], callsign: 'C6' }, 3], // Bahamas
  [{ mids: [431], callsign: 'JD' }, 2], // Japan
  [{ mids: [440, 441], callsign: 'DS' }, 2], // Korea
];

/** Call sign prefixes of the local flags class B craft fly (by the port's MIDs). */
const LOCAL_CALLSIGN: Readonly<Record<string, string>> = {
  CN: 'B',
  NL: 'PD',
  DE: 'DK',
  SG: '9V',
  KR: 'DS',
  US: 'WD',
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const CONTAINER_LINES = ['EVER', 'MSC', 'CMA CGM', 'MAERSK', 'COSCO SHIPPING', 'OOCL', 'ONE', 'HMM', 'YM', 'WAN HAI'];
const WORDS = [
  'AURORA',
  'HARMONY',
  'PIONEER',
  'VIRGO',
  'ORION',
  'ATLAS',
  'LIBERTY',
  'DIAMOND',
  'GLORY',
  'UNITY',
  'HORIZON',
  'JADE',
  'LOTUS',
  'PEARL',
  'SUMMIT',
  'TRIUMPH',
  'FORTUNE',
  'MERIDIAN',
  'BRILLIANCE',
  'COURAGE',
];
const TANKER_PATTERNS = ['{W} SPIRIT', 'NORDIC {W}', '{W} VOYAGER', 'STENA {W}', 'OCEAN {W}'];
const CARGO_PATTERNS = ['{W} STAR', 'PACIFIC {W}', '{W} TRADER', 'GREAT {W}'];
const SMALL_CRAFT_NAMES = [
  'SEA BREEZE',
  'BLUE MARLIN',
  'WINDSONG',
  'LADY GRACE',
  'SERENDIPITY',
  'FREEDOM',
  'MORNING STAR',
  'SEA HUNTER',
  'NORTHERN LIGHT',
  'JOHANNA',
  'ALBATROSS',
  'SILVER TIDE',
];
const CLASS_B_VENDORS = ['SRT', 'ACR', 'TRU', 'GRM', 'EMT'];

/** IMO ship number: 7 digits, the last = Σ d_i·(7−i) over the first six, mod 10. */
export function imoWithCheckDigit(first6: number): number {
  const digits = String(first6).padStart(6, '0');
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits.charAt(i)) * (7 - i);
  return first6 * 10 + (sum % 10);
}

export function imoCheckDigitValid(imo: number): boolean {
  return (
    Number.isInteger(imo) && imo >= 1_000_000 && imo <= 9_999_999 && imoWithCheckDigit(Math.floor(imo / 10)) === imo
  );
}

/** The flag MID an MMSI starts with (ship stations: the first three digits). */
export const midOf = (mmsi: number): number => Math.floor(mmsi / 1_000_000);

function dimensionsFor(length: number, beam: number, bowShare: number): ShipDimensions {
  const toBow = Math.round(length * bowShare);
  const toPort = Math.round(beam / 2);
  return {
    toBow: Math.min(toBow, 511),
    toStern: Math.min(length - toBow, 511),
    toPort: Math.min(toPort, 63),
    toStarboard: Math.min(beam - toPort, 63),
  };
}

function nameFrom(pattern: string, random: SeededRandom): string {
  for (;;) {
    const name = pattern.replace('{W}', random.pick(WORDS));
    if (name.length <= 20) return name;
  }
}

interface Draft {
  kind: VesselKind;
  aisClass: 'A' | 'B';
}

/**
 * Draws the port's calling fleet: `count` ships, about four in five seagoing class A (container ships, general
 * cargo, tankers under the world's big flags) and the rest local class B craft (fishing, pleasure, sailing).
 */
export function buildVesselRegistry(port: PortGeometry, random: SeededRandom, count = 28): VesselIdentity[] {
  const classB = Math.max(2, Math.round(count * 0.2));
  const drafts: Draft[] = [];
  for (let i = 0; i < count - classB; i++) {
    drafts.push({
      aisClass: 'A',
      kind: random.weighted<VesselKind>([
        ['container', 60],
        ['general-cargo', 15],
        ['tanker', 25],
      ]),
    });
  }
  for (let i = 0; i < classB; i++) {
    drafts.push({
      aisClass: 'B',
      kind: random.weighted<VesselKind>([
        ['fishing', 45],
        ['pleasure', 35],
        ['sailing', 20],
      ]),
    });
  }

  const mmsis = new Set<number>();
  const names = new Set<string>();
  const vessels: VesselIdentity[] = [];
  for (const draft of drafts) {
    const flag =
      draft.aisClass === 'A'
        ? random.weighted(FLAGS)
        : { mids: port.localMids, callsign: LOCAL_CALLSIGN[port.country] ?? 'X' };
    let mmsi: number;
    do {
      // Ship stations: MID + 6 digits; seagoing ships' numbers often end in zeros (an Inmarsat-era habit).
      const tail =
        draft.aisClass === 'A' ? random.int(100, 999) * 1000 + random.int(0, 99) * 10 : random.int(100_000, 999_999);
      mmsi = random.pick(flag.mids) * 1_000_000 + tail;
    } while (mmsis.has(mmsi));
    mmsis.add(mmsi);

    let name: string;
    do {
      name = nameOf(draft.kind, port, random);
    } while (names.has(name));
    names.add(name);

    vessels.push({
      mmsi,
      aisClass: draft.aisClass,
      kind: draft.kind,
      ...(draft.aisClass === 'A' ? { imo: imoWithCheckDigit(random.int(910_000, 989_999)) } : {}),
      name,
      callsign: callsignOf(flag.callsign, random),
      ...particulars(draft.kind, random),
      hasHeading: draft.aisClass === 'A' || random.chance(0.3),
      vendorId: random.pick(CLASS_B_VENDORS),
      serialNumber: random.int(10_000, 999_999),
    });
  }
  return vessels;
}

/** One-letter prefixes (China) take three letters (`BPJK`); two-character ones two letters and a digit (`A8KL5`). */
function callsignOf(prefix: string, random: SeededRandom): string {
  return prefix.length === 1
    ? `${prefix}${random.chars(LETTERS, 3)}`
    : `${prefix}${random.chars(LETTERS, 2)}${random.int(0, 9)}`;
}

function nameOf(kind: VesselKind, port: PortGeometry, random: SeededRandom): string {
  switch (kind) {
    case 'container':
      return nameFrom(`${random.pick(CONTAINER_LINES)} {W}`, random);
    case 'general-cargo':
      return nameFrom(random.pick(CARGO_PATTERNS), random);
    case 'tanker':
      return nameFrom(random.pick(TANKER_PATTERNS), random);
    case 'fishing':
      // Chinese fishing boats carry the province's registration as their name.
      return port.country === 'CN'
        ? `${random.pick(['HU YU', 'ZHE DAI YU', 'SU GAN YU', 'LU RONG YU'])} ${random.int(1000, 99999)}`
        : `${random.pick(SMALL_CRAFT_NAMES)} ${random.int(1, 9)}`;
    default:
      return random.pick(SMALL_CRAFT_NAMES);
  }
}

type Particulars = Pick<VesselIdentity, 'shipType' | 'dimensions' | 'draught' | 'cruiseKn'>;

function particulars(kind: VesselKind, random: SeededRandom): Particulars {
  const round1 = (x: number) => Math.round(x * 10) / 10;
  switch (kind) {
    case 'container': {
      const [length, beam] = random.pick([
        [172, 27],
        [261, 32],
        [300, 43],
        [335, 48],
        [366, 51],
        [400, 59],
      ] as const);
      return {
        shipType: random.weighted([
          [70, 6],
          [71, 1],
          [79, 3],
        ]),
        dimensions: dimensionsFor(length, beam, random.range(0.7, 0.85)),
        draught: round1(random.range(9, 15.5)),
        cruiseKn: round1(random.range(14, 18)),
      };
    }
    case 'general-cargo': {
      const length = random.int(100, 190);
      return {
        shipType: random.pick([70, 79]),
        dimensions: dimensionsFor(length, Math.round(length / 6.5), random.range(0.75, 0.9)),
        draught: round1(random.range(6, 10)),
        cruiseKn: round1(random.range(11, 14)),
      };
    }
    case 'tanker': {
      const [length, beam, maxDraught] = random.pick([
        [183, 32, 12],
        [228, 32, 14],
        [250, 44, 15],
        [333, 60, 20],
      ] as const);
      return {
        shipType: random.weighted([
          [80, 5],
          [81, 2],
          [82, 1],
          [84, 2],
        ]),
        // Tankers carry the bridge aft.
        dimensions: dimensionsFor(length, beam, random.range(0.85, 0.9)),
        draught: round1(random.range(maxDraught * 0.6, maxDraught)),
        cruiseKn: round1(random.range(11, 14)),
      };
    }
    case 'fishing': {
      const length = random.int(12, 40);
      return {
        shipType: 30,
        dimensions: dimensionsFor(length, Math.round(length / 4), 0.6),
        draught: round1(random.range(2, 4.5)),
        cruiseKn: round1(random.range(8, 11)),
      };
    }
    case 'pleasure': {
      const length = random.int(8, 30);
      return {
        shipType: 37,
        dimensions: dimensionsFor(length, Math.max(3, Math.round(length / 3.5)), 0.6),
        draught: round1(random.range(1, 2.5)),
        cruiseKn: round1(random.range(8, 18)),
      };
    }
    case 'sailing': {
      const length = random.int(9, 20);
      return {
        shipType: 36,
        dimensions: dimensionsFor(length, Math.max(3, Math.round(length / 3.3)), 0.55),
        draught: round1(random.range(1.5, 2.8)),
        cruiseKn: round1(random.range(5, 7.5)),
      };
    }
  }
}
