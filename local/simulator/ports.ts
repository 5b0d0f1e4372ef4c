import { KouanError } from '../../shared/domain/errors';
import { PORT_AREAS } from '../../shared/domain/performance/port-areas';
import type { LatLon } from './geo';

/**
 * The port limits and the berth line the simulator sails by are the platform's own configuration (the AIS
 * port-call method's PORT_AREAS): the simulated ships berth where the evaluation looks for them.
 */
function polygonOf(code: string): readonly LatLon[] {
  const polygon = PORT_AREAS[code]?.polygon;
  if (polygon === undefined) throw new Error(`no port limits configured for ${code} in PORT_AREAS`);
  return polygon;
}

function berthLineOf(code: string): readonly [LatLon, LatLon] {
  const line = PORT_AREAS[code]?.berths[0]?.line;
  if (line === undefined) throw new Error(`no berth configured for ${code} in PORT_AREAS`);
  return line;
}

/**
 * The seaports the simulator can play. Centres are UN/LOCODE coordinates (copied from
 * ../shared/realdata/unlocode-ports.json, UNECE data, ODC-PDDL-1.0) except where UN/LOCODE has none (said per port).
 * Port limits, berth lines and anchorages are rough hand placements (a few hundred metres to a few km off), good
 * enough for a map and for the "inside the port polygon, slower than 5 kn" port-call rule, not for navigation.
 * Vessels sail straight lines between these points, so a leg may clip a shoreline.
 */
export interface PortGeometry {
  code: string;
  name: string;
  /** ISO 3166 alpha-2 of the port's country. */
  country: string;
  centre: LatLon;
  centreSource: string;
  /** Port limits: a closed ring without the first vertex repeated. Contains the berth line and the anchorage. */
  polygon: readonly LatLon[];
  /** Quay wall of the container terminal; ships moor at points along it. */
  berthLine: readonly [LatLon, LatLon];
  anchorage: { centre: LatLon; radiusNm: number };
  /** Where inbound ships appear and outbound ships disappear, outside the port limits. */
  seaEntry: LatLon;
  /** Maritime Identification Digits of the flag most local craft fly. */
  localMids: readonly number[];
  /** Countries whose trucks use the gate, by share. */
  truckCountries: readonly (readonly [string, number])[];
  /** Where ships call next (AIS destination on departure). */
  nextPorts: readonly string[];
}

const UNLOCODE = 'UN/LOCODE 2023-1 coordinates';

export const PORTS: Readonly<Record<string, PortGeometry>> = {
  CNSGH: {
    code: 'CNSGH',
    name: 'Shanghai',
    country: 'CN',
    centre: { lat: 31.23333, lon: 121.48333 },
    centreSource: UNLOCODE,
    // Waigaoqiao terminals on the Yangtze's south bank; anchorage in the estuary's south channel.
    polygon: polygonOf('CNSGH'),
    berthLine: berthLineOf('CNSGH'),
    anchorage: { centre: { lat: 31.235, lon: 121.96 }, radiusNm: 2 },
    seaEntry: { lat: 31.05, lon: 122.55 },
    localMids: [413, 414, 412],
    truckCountries: [['CN', 1]],
    nextPorts: ['CNNBO', 'KRPUS', 'SGSIN', 'JPTYO', 'NLRTM', 'USLGB'],
  },
  NLRTM: {
    code: 'NLRTM',
    name: 'Rotterdam',
    country: 'NL',
    centre: { lat: 51.91667, lon: 4.5 },
    centreSource: UNLOCODE,
    // Maasvlakte quays; the Maas anchorages lie offshore north-west of the entrance.
    polygon: polygonOf('NLRTM'),
    berthLine: berthLineOf('NLRTM'),
    anchorage: { centre: { lat: 52.05, lon: 3.75 }, radiusNm: 3 },
    seaEntry: { lat: 52.1, lon: 3.05 },
    localMids: [244, 245, 246],
    truckCountries: [
      ['NL', 80],
      ['DE', 8],
      ['BE', 6],
      ['PL', 6],
    ],
    nextPorts: ['DEHAM', 'BEANR', 'GBFXT', 'CNSGH', 'SGSIN'],
  },
  DEHAM: {
    code: 'DEHAM',
    name: 'Hamburg',
    country: 'DE',
    centre: { lat: 53.51667, lon: 9.93333 },
    centreSource: UNLOCODE,
    // Burchardkai on the Elbe; ships wait on the river downstream (the real roads are near the estuary).
    polygon: polygonOf('DEHAM'),
    berthLine: berthLineOf('DEHAM'),
    anchorage: { centre: { lat: 53.575, lon: 9.7 }, radiusNm: 0.6 },
    seaEntry: { lat: 53.86, lon: 9.2 },
    localMids: [211, 218],
    truckCountries: [
      ['DE', 85],
      ['PL', 8],
      ['DK', 7],
    ],
    nextPorts: ['NLRTM', 'BEANR', 'GBFXT', 'CNSGH', 'SGSIN'],
  },
  SGSIN: {
    code: 'SGSIN',
    name: 'Singapore',
    country: 'SG',
    // UN/LOCODE 2023-1 has no coordinates for SGSIN.
    centre: { lat: 1.264, lon: 103.84 },
    centreSource: 'approximate (Keppel / Tanjong Pagar); UN/LOCODE has no coordinates for SGSIN',
    // Pasir Panjang terminal; the Western Anchorage off it.
    polygon: polygonOf('SGSIN'),
    berthLine: berthLineOf('SGSIN'),
    anchorage: { centre: { lat: 1.23, lon: 103.78 }, radiusNm: 1.5 },
    seaEntry: { lat: 1.22, lon: 104.1 },
    localMids: [563, 564, 565, 566],
    truckCountries: [
      ['SG', 90],
      ['MY', 10],
    ],
    nextPorts: ['CNSGH', 'MYPKG', 'LKCMB', 'NLRTM', 'AEJEA'],
  },
  KRPUS: {
    code: 'KRPUS',
    name: 'Busan',
    country: 'KR',
    centre: { lat: 35.13333, lon: 129.05 },
    centreSource: UNLOCODE,
    // North Port (Sinseondae); outer anchorage south of the breakwaters.
    polygon: polygonOf('KRPUS'),
    berthLine: berthLineOf('KRPUS'),
    anchorage: { centre: { lat: 35.05, lon: 129.1 }, radiusNm: 1.5 },
    seaEntry: { lat: 34.85, lon: 129.3 },
    localMids: [440, 441],
    truckCountries: [['KR', 1]],
    nextPorts: ['CNSGH', 'JPTYO', 'USLGB', 'SGSIN'],
  },
  USLGB: {
    code: 'USLGB',
    name: 'Long Beach',
    country: 'US',
    centre: { lat: 33.76667, lon: -118.18333 },
    centreSource: UNLOCODE,
    // Pier T; the San Pedro Bay anchorage inside the breakwater.
    polygon: polygonOf('USLGB'),
    berthLine: berthLineOf('USLGB'),
    anchorage: { centre: { lat: 33.715, lon: -118.155 }, radiusNm: 1.5 },
    seaEntry: { lat: 33.55, lon: -118.05 },
    localMids: [366, 367, 368, 369],
    truckCountries: [['US', 1]],
    nextPorts: ['CNSGH', 'KRPUS', 'JPTYO', 'SGSIN'],
  },
};

export class UnknownPortError extends KouanError {
  constructor(port: string) {
    super('SIMULATOR_UNKNOWN_PORT', `the simulator has no map of ${port}; it plays ${Object.keys(PORTS).join(', ')}`, {
      port,
      supported: Object.keys(PORTS),
    });
  }
}

/** The geometry of a port the simulator knows; throws `UnknownPortError` otherwise. */
export function portGeometry(code: string): PortGeometry {
  const port = PORTS[code];
  if (!port) throw new UnknownPortError(code);
  return port;
}
