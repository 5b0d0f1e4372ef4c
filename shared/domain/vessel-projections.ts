import type { AisMessage } from './ais/ais-message';
import type { VesselPositionProjection, VesselStaticProjection } from './ingest/ingest-plan';

/**
 * Maps decoded AIS messages to vessel projections. M.1371 "not available" sentinels (lat 91, lon 181, sog 102.3,
 * cog 360, heading 511) are dropped here, so the database never shows a ship at 91°N.
 */
const POSITION_CLASS: Partial<Record<number, 'A' | 'B'>> = { 1: 'A', 2: 'A', 3: 'A', 27: 'A', 18: 'B', 19: 'B' };

function validLatLon(lat: number, lon: number): boolean {
  return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

export function vesselProjections(
  message: AisMessage,
  observedAt: string,
): (VesselPositionProjection | VesselStaticProjection)[] {
  const out: (VesselPositionProjection | VesselStaticProjection)[] = [];
  const aisClass = POSITION_CLASS[message.type];
  if (aisClass && 'lat' in message && 'lon' in message && validLatLon(message.lat, message.lon)) {
    const m = message as AisMessage & {
      lat: number;
      lon: number;
      sog?: number;
      cog?: number;
      heading?: number;
      navStatus?: number;
    };
    out.push({
      type: 'vessel.position',
      mmsi: m.mmsi,
      position: {
        lat: round(m.lat, 6),
        lon: round(m.lon, 6),
        // Type 27 reports whole knots with 63 as "not available"; the others tenths with 102.3.
        ...(m.sog !== undefined && m.sog < (message.type === 27 ? 63 : 102.2) ? { sog: m.sog } : {}),
        ...(m.cog !== undefined && m.cog < 360 ? { cog: m.cog } : {}),
        ...(m.heading !== undefined && m.heading < 360 ? { heading: m.heading } : {}),
        ...(m.navStatus !== undefined && m.navStatus !== 15 ? { navStatus: m.navStatus } : {}),
        aisClass,
        observedAt,
      },
    });
  }
  const fields: VesselStaticProjection['fields'] = {};
  if (message.type === 5) {
    if (message.imo > 0) fields.imo = message.imo;
    if (message.shipName) fields.name = message.shipName;
    if (message.callsign) fields.callsign = message.callsign;
    if (message.shipType > 0) fields.shipType = message.shipType;
    if (message.destination) fields.destination = message.destination;
    fields.aisClass = 'A';
  } else if (message.type === 19) {
    if (message.shipName) fields.name = message.shipName;
    if (message.shipType > 0) fields.shipType = message.shipType;
    fields.aisClass = 'B';
  } else if (message.type === 24) {
    if (message.partNo === 0 && message.shipName) fields.name = message.shipName;
    if (message.partNo === 1) {
      if (message.callsign) fields.callsign = message.callsign;
      if (message.shipType > 0) fields.shipType = message.shipType;
    }
    fields.aisClass = 'B';
  }
  if (Object.keys(fields).length > 0) out.push({ type: 'vessel.static', mmsi: message.mmsi, observedAt, fields });
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
