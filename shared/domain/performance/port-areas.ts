/**
 * Port limits and berths for the AIS port-call method (ADB / Korea Maritime Institute): a report counts when the
 * ship is inside the port polygon and slower than 5 kn; it is at berth when within `toleranceM` of a berth line.
 * Configuration, not code: a port adds its own limits here (or loads an official set). The port simulator sails by
 * these limits and berths (local/simulator/ports.ts reads them; hand-placed around UN/LOCODE centres — fine for the
 * rule, not for navigation).
 */
export interface LatLon {
  lat: number;
  lon: number;
}

export interface Berth {
  id: string;
  line: readonly [LatLon, LatLon];
  /** How far from the quay line a moored ship's antenna may be. */
  toleranceM: number;
}

export interface PortArea {
  port: string;
  /** Closed ring without the first vertex repeated. */
  polygon: readonly LatLon[];
  berths: readonly Berth[];
}

export const PORT_AREAS: Readonly<Record<string, PortArea>> = {
  CNSGH: {
    port: 'CNSGH',
    polygon: [
      { lat: 31.45, lon: 121.4 },
      { lat: 31.45, lon: 121.75 },
      { lat: 31.3, lon: 122.1 },
      { lat: 31.15, lon: 122.1 },
      { lat: 31.15, lon: 121.4 },
    ],
    berths: [
      {
        id: 'WGQ',
        line: [
          { lat: 31.36, lon: 121.58 },
          { lat: 31.335, lon: 121.645 },
        ],
        toleranceM: 400,
      },
    ],
  },
  NLRTM: {
    port: 'NLRTM',
    polygon: [
      { lat: 52.12, lon: 3.6 },
      { lat: 52.12, lon: 4.1 },
      { lat: 51.93, lon: 4.6 },
      { lat: 51.85, lon: 4.6 },
      { lat: 51.88, lon: 3.9 },
      { lat: 51.95, lon: 3.6 },
    ],
    berths: [
      {
        id: 'MV',
        line: [
          { lat: 51.968, lon: 4.02 },
          { lat: 51.955, lon: 4.05 },
        ],
        toleranceM: 400,
      },
    ],
  },
  DEHAM: {
    port: 'DEHAM',
    polygon: [
      { lat: 53.62, lon: 9.6 },
      { lat: 53.58, lon: 9.98 },
      { lat: 53.5, lon: 10.05 },
      { lat: 53.49, lon: 9.85 },
      { lat: 53.54, lon: 9.6 },
    ],
    berths: [
      {
        id: 'BUK',
        line: [
          { lat: 53.538, lon: 9.905 },
          { lat: 53.53, lon: 9.93 },
        ],
        toleranceM: 400,
      },
    ],
  },
  SGSIN: {
    port: 'SGSIN',
    polygon: [
      { lat: 1.3, lon: 103.7 },
      { lat: 1.3, lon: 103.9 },
      { lat: 1.2, lon: 103.92 },
      { lat: 1.18, lon: 103.7 },
    ],
    berths: [
      {
        id: 'PPT',
        line: [
          { lat: 1.28, lon: 103.76 },
          { lat: 1.266, lon: 103.782 },
        ],
        toleranceM: 400,
      },
    ],
  },
  KRPUS: {
    port: 'KRPUS',
    polygon: [
      { lat: 35.16, lon: 129.0 },
      { lat: 35.16, lon: 129.15 },
      { lat: 35.0, lon: 129.18 },
      { lat: 35.0, lon: 129.0 },
    ],
    berths: [
      {
        id: 'SSD',
        line: [
          { lat: 35.112, lon: 129.072 },
          { lat: 35.103, lon: 129.09 },
        ],
        toleranceM: 400,
      },
    ],
  },
  USLGB: {
    port: 'USLGB',
    polygon: [
      { lat: 33.8, lon: -118.3 },
      { lat: 33.8, lon: -118.1 },
      { lat: 33.68, lon: -118.1 },
      { lat: 33.68, lon: -118.3 },
    ],
    berths: [
      {
        id: 'PIER-T',
        line: [
          { lat: 33.756, lon: -118.238 },
          { lat: 33.749, lon: -118.226 },
        ],
        toleranceM: 400,
      },
    ],
  },
};

/** Ray casting (flat over a port's few tens of nautical miles). */
export function insidePolygon(p: LatLon, polygon: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (!a || !b) continue;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}

const M_PER_DEG_LAT = 111_320;

/** Distance in metres from p to the segment ab (equirectangular projection around p). */
export function distanceToSegmentM(p: LatLon, [a, b]: readonly [LatLon, LatLon]): number {
  const k = Math.cos((p.lat * Math.PI) / 180) * M_PER_DEG_LAT;
  const ax = (a.lon - p.lon) * k;
  const ay = (a.lat - p.lat) * M_PER_DEG_LAT;
  const bx = (b.lon - p.lon) * k;
  const by = (b.lat - p.lat) * M_PER_DEG_LAT;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** The berth a position is at, if any. */
export function berthAt(area: PortArea, p: LatLon): Berth | undefined {
  return area.berths.find((b) => distanceToSegmentM(p, b.line) <= b.toleranceM);
}
