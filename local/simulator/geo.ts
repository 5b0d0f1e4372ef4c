/** Flat-earth navigation over a port's few tens of nautical miles: errors stay far below AIS resolution there. */
export interface LatLon {
  lat: number;
  lon: number;
}

const NM_PER_DEG_LAT = 60;

const toRad = (deg: number): number => (deg * Math.PI) / 180;

/** Distance in nautical miles (equirectangular). */
export function distanceNm(a: LatLon, b: LatLon): number {
  const dy = (b.lat - a.lat) * NM_PER_DEG_LAT;
  const dx = (b.lon - a.lon) * NM_PER_DEG_LAT * Math.cos(toRad((a.lat + b.lat) / 2));
  return Math.hypot(dx, dy);
}

/** True bearing from a to b, 0–360 degrees. */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const dy = b.lat - a.lat;
  const dx = (b.lon - a.lon) * Math.cos(toRad((a.lat + b.lat) / 2));
  return ((((Math.atan2(dx, dy) * 180) / Math.PI) % 360) + 360) % 360;
}

/** The point `nm` nautical miles from `from` on `courseDeg`. */
export function moveBy(from: LatLon, courseDeg: number, nm: number): LatLon {
  const c = toRad(courseDeg);
  const lat = from.lat + (nm * Math.cos(c)) / NM_PER_DEG_LAT;
  const lon = from.lon + (nm * Math.sin(c)) / (NM_PER_DEG_LAT * Math.cos(toRad((from.lat + lat) / 2)));
  return { lat, lon };
}

/** The point a fraction t (0–1) of the way from a to b. */
export function interpolate(a: LatLon, b: LatLon, t: number): LatLon {
  return { lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t };
}

/** Ray casting, as the evaluation decides "inside the port limits" (one definition). */
export { insidePolygon } from '../../shared/domain/performance/port-areas';

/** Smallest signed difference between two headings, -180..180. */
export function headingDelta(from: number, to: number): number {
  return ((((to - from) % 360) + 540) % 360) - 180;
}

export const normaliseDeg = (deg: number): number => ((deg % 360) + 360) % 360;
