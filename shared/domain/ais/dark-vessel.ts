import { stableId } from '../ids';
import type { Alert } from '../model';

/** A position fix as the vessel record remembers it. */
export interface Fix {
  observedAt: string;
  lat: number;
  lon: number;
  /** The port whose receivers heard it. */
  port: Alert['port'];
}

export interface DarkVesselSettings {
  /**
   * A silence at least this long is "dark". Class A transponders report every 2–10 s under way and every 3 min at
   * anchor (ITU-R M.1371), so 30 minutes without a single report near the receivers is not a reception hiccup.
   */
  minGapMinutes: number;
  /** Longer silences are a new call (the vessel left and came back), not a vessel going dark near the port. */
  maxGapHours: number;
}

export const DEFAULT_DARK_VESSEL_SETTINGS: DarkVesselSettings = Object.freeze({ minGapMinutes: 30, maxGapHours: 24 });

const EARTH_RADIUS_NM = 3440.065;

/** Great-circle distance in nautical miles (haversine). */
export function distanceNm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * "Going dark near the port", decided when the vessel is heard again: the same port's receivers heard it before
 * and after a silence of `minGapMinutes`..`maxGapHours`. The receivers' range (20–40 nm for shore stations) is
 * what "near" means here: a vessel that left this port's coverage and was last heard by another port is not
 * counted. Deciding at reappearance needs no timer and gives the officer the whole gap; the alert id derives from
 * the vessel and the reappearance, so a replay or a second receiver raises the same alert. Pure.
 */
export function darkVesselAlert(
  input: { deviceId: string; mmsi: number; imo?: number | string; previous: Fix; current: Fix },
  settings: DarkVesselSettings = DEFAULT_DARK_VESSEL_SETTINGS,
): Alert | undefined {
  const { previous, current } = input;
  if (previous.port !== current.port) return undefined;
  const gapMs = Date.parse(current.observedAt) - Date.parse(previous.observedAt);
  if (!(gapMs >= settings.minGapMinutes * 60_000) || gapMs > settings.maxGapHours * 3_600_000) return undefined;
  const gapMinutes = Math.round(gapMs / 60_000);
  return {
    alertId: stableId('AL-', 'ais.dark', input.mmsi, current.observedAt),
    port: current.port,
    deviceId: input.deviceId,
    type: 'ais.dark',
    severity: 'medium',
    subject: { kind: 'vessel', id: String(input.mmsi) },
    observedAt: current.observedAt,
    evidence: {
      ...(input.imo !== undefined ? { imo: input.imo } : {}),
      lastSeenAt: previous.observedAt,
      reappearedAt: current.observedAt,
      gapMinutes,
      lastPosition: { lat: previous.lat, lon: previous.lon },
      position: { lat: current.lat, lon: current.lon },
      // How far it moved while silent: a few miles in an hour of silence near the port is what a rendezvous looks like.
      movedNm: Math.round(distanceNm(previous, current) * 10) / 10,
    },
  };
}
