import { bearingDeg, distanceNm, headingDelta, interpolate, type LatLon, moveBy, normaliseDeg } from './geo';
import type { PortGeometry } from './ports';
import type { SeededRandom } from './random';
import { HOUR_MS, MINUTE_MS } from './time-scale';
import type { VesselIdentity } from './vessel-registry';

/**
 * How a ship moves through a port call, in port time:
 * class A: inbound from sea → (anchored, waiting for a berth) → shifting to the berth → berthed → outbound → at sea
 * (out of receiver range, silent) → the next call. About a third of the calls go straight to a berth.
 * Class B craft: home (moored) → going out → working (fishing or cruising) → returning → home.
 */
export type VesselPhase =
  | 'inbound'
  | 'anchored'
  | 'shifting'
  | 'berthed'
  | 'outbound'
  | 'at-sea'
  | 'home'
  | 'going-out'
  | 'working'
  | 'returning';

export interface VesselState {
  identity: VesselIdentity;
  phase: VesselPhase;
  position: LatLon;
  /** Knots. */
  sog: number;
  /** Degrees true. */
  cog: number;
  heading: number;
  /** Degrees per minute, positive to starboard. */
  rateOfTurn: number;
  /** Where the current leg ends (moving phases). */
  target: LatLon;
  /** Port time when the current dwell phase (anchored, berthed, at sea, home, working) ends. */
  until: number;
  /** Port time up to which the state has been integrated. */
  updatedAt: number;
  anchorPoint: LatLon;
  berthPoint: LatLon;
  /** Class B: the fishing ground or cruising area, and home. */
  workArea: LatLon;
  home: LatLon;
  directToBerth: boolean;
  /** AIS voyage data. */
  destination: string;
  /** Port time of the ETA at `destination`. */
  etaAt: number;
  draught: number;
}

/** AIS navigational status (M.1371 table): 0 under way using engine, 1 at anchor, 5 moored. */
export function navStatusOf(phase: VesselPhase): number {
  if (phase === 'anchored') return 1;
  if (phase === 'berthed' || phase === 'home') return 5;
  return 0;
}

const UNDER_WAY: ReadonlySet<VesselPhase> = new Set([
  'inbound',
  'shifting',
  'outbound',
  'going-out',
  'working',
  'returning',
]);

/** Whether the ship is making way (it then reports more often, as M.1371's reporting intervals say). */
export function isUnderWay(v: VesselState): boolean {
  return UNDER_WAY.has(v.phase);
}

// Deceleration when stopping and acceleration when leaving, knots per hour: a big ship takes an hour or so to stop.
const DECEL_KN_PER_H = 12;
const ACCEL_KN_PER_H = 8;
const HARBOUR_SPEED_KN = 8;
/** Integration step: short enough that slowing into an anchorage looks smooth at any report interval. */
const STEP_MS = 2 * MINUTE_MS;

export interface MotionContext {
  port: PortGeometry;
  random: SeededRandom;
}

const hours = (h: number): number => h * HOUR_MS;

function randomPointInCircle(centre: LatLon, radiusNm: number, random: SeededRandom): LatLon {
  return moveBy(centre, random.range(0, 360), radiusNm * Math.sqrt(random.next()));
}

function berthPointOf(port: PortGeometry, random: SeededRandom): LatLon {
  return interpolate(port.berthLine[0], port.berthLine[1], random.range(0.05, 0.95));
}

const berthHeading = (port: PortGeometry): number => bearingDeg(port.berthLine[0], port.berthLine[1]);

/** Anchorage waits are long-tailed: a median around six hours, a few a day or more. */
function anchorageWait(random: SeededRandom): number {
  return hours(Math.min(30, Math.max(1, Math.exp(random.normal(Math.log(6), 0.7)))));
}

const berthStay = (v: VesselState, random: SeededRandom): number =>
  hours(v.identity.kind === 'tanker' ? random.range(20, 36) : random.range(8, 30));

/** A ship's state at the start of the simulation, somewhere in its cycle so the port is busy from the first minute. */
export function initialVesselState(identity: VesselIdentity, now: number, ctx: MotionContext): VesselState {
  const { port, random } = ctx;
  const state: VesselState = {
    identity,
    phase: 'at-sea',
    position: port.seaEntry,
    sog: 0,
    cog: 0,
    heading: 0,
    rateOfTurn: 0,
    target: port.seaEntry,
    until: now,
    updatedAt: now,
    anchorPoint: randomPointInCircle(port.anchorage.centre, port.anchorage.radiusNm, random),
    berthPoint: berthPointOf(port, random),
    workArea: randomPointInCircle(interpolate(port.anchorage.centre, port.seaEntry, 0.5), 3, random),
    home: randomPointInCircle(port.centre, 0.2, random),
    directToBerth: random.chance(0.35),
    destination: port.code,
    etaAt: now + hours(2),
    draught: identity.draught,
  };
  if (identity.aisClass === 'B') {
    const phase = random.weighted<VesselPhase>([
      ['home', 50],
      ['working', 35],
      ['going-out', 10],
      ['returning', 5],
    ]);
    return placeClassB(state, phase, now, random);
  }
  const phase = random.weighted<VesselPhase>([
    ['inbound', 15],
    ['anchored', 25],
    ['shifting', 5],
    ['berthed', 35],
    ['outbound', 10],
    ['at-sea', 10],
  ]);
  return placeClassA(state, phase, now, ctx);
}

function placeClassA(v: VesselState, phase: VesselPhase, now: number, ctx: MotionContext): VesselState {
  const { port, random } = ctx;
  const progress = random.range(0.1, 0.9);
  v.phase = phase;
  switch (phase) {
    case 'inbound': {
      v.directToBerth = false;
      v.target = v.anchorPoint;
      v.position = interpolate(port.seaEntry, v.anchorPoint, progress);
      v.sog = v.identity.cruiseKn;
      break;
    }
    case 'anchored':
      v.position = v.anchorPoint;
      v.until = now + anchorageWait(random) * progress;
      break;
    case 'shifting':
      v.target = v.berthPoint;
      v.position = interpolate(v.anchorPoint, v.berthPoint, progress);
      v.sog = HARBOUR_SPEED_KN * 0.8;
      break;
    case 'berthed':
      v.position = v.berthPoint;
      v.until = now + berthStay(v, random) * progress;
      break;
    case 'outbound':
      setOutboundVoyage(v, now, ctx);
      v.position = interpolate(v.berthPoint, v.target, progress);
      v.sog = v.identity.cruiseKn * 0.8;
      break;
    default:
      v.phase = 'at-sea';
      v.until = now + hours(random.range(1, 12));
  }
  v.cog = bearingDeg(v.position, v.target);
  v.heading = phase === 'berthed' ? berthHeading(port) : v.cog;
  return v;
}

function placeClassB(v: VesselState, phase: VesselPhase, now: number, random: SeededRandom): VesselState {
  const progress = random.range(0.1, 0.9);
  v.phase = phase;
  switch (phase) {
    case 'working':
      v.position = randomPointInCircle(v.workArea, 1.5, random);
      v.until = now + hours(random.range(1, 8));
      v.sog = workingSpeed(v, random);
      break;
    case 'going-out':
      v.target = v.workArea;
      v.position = interpolate(v.home, v.workArea, progress);
      v.sog = v.identity.cruiseKn;
      break;
    case 'returning':
      v.target = v.home;
      v.position = interpolate(v.workArea, v.home, progress);
      v.sog = v.identity.cruiseKn;
      break;
    default:
      v.phase = 'home';
      v.position = v.home;
      v.until = now + hours(random.range(1, 12));
  }
  v.cog = bearingDeg(v.position, v.target);
  v.heading = v.cog;
  return v;
}

/** Fishing boats trawl at 2–4 knots; pleasure craft and yachts potter about faster. */
function workingSpeed(v: VesselState, random: SeededRandom): number {
  return v.identity.kind === 'fishing' ? random.range(2, 4) : random.range(4, 7);
}

function setOutboundVoyage(v: VesselState, now: number, ctx: MotionContext): void {
  const { port, random } = ctx;
  v.phase = 'outbound';
  v.target = randomPointInCircle(port.seaEntry, 3, random);
  const next = random.pick(port.nextPorts);
  // Crews type the destination freely; most use the UN/LOCODE.
  v.destination = next;
  v.etaAt = now + hours(random.range(20, 240));
  // Discharged and loaded: the draught changes at every call.
  v.draught = Math.round(v.identity.draught * random.range(0.75, 1.05) * 10) / 10;
}

function startNewCall(v: VesselState, now: number, ctx: MotionContext): void {
  const { port, random } = ctx;
  v.phase = 'inbound';
  v.position = randomPointInCircle(port.seaEntry, 3, random);
  v.anchorPoint = randomPointInCircle(port.anchorage.centre, port.anchorage.radiusNm, random);
  v.berthPoint = berthPointOf(port, random);
  v.directToBerth = random.chance(0.35);
  v.target = v.directToBerth ? v.berthPoint : v.anchorPoint;
  v.sog = v.identity.cruiseKn;
  v.destination = random.chance(0.8) ? port.code : port.name.toUpperCase().slice(0, 20);
  v.etaAt = now + (distanceNm(v.position, v.target) / v.identity.cruiseKn) * HOUR_MS;
}

/** Brings the ship's state forward to port time `now`. */
export function advanceVessel(v: VesselState, now: number, ctx: MotionContext): void {
  while (v.updatedAt < now) {
    const dt = Math.min(STEP_MS, now - v.updatedAt);
    v.updatedAt += dt;
    step(v, v.updatedAt, dt / HOUR_MS, ctx);
  }
}

function step(v: VesselState, t: number, dtH: number, ctx: MotionContext): void {
  const { random } = ctx;
  switch (v.phase) {
    case 'anchored': {
      // Swinging round the anchor with the tide (semi-diurnal, 12.4 h): the antenna sits a ship's length downstream.
      const swing = 25 * Math.sin((2 * Math.PI * t) / hours(12.4));
      const heading = normaliseDeg(bearingDeg(ctx.port.anchorage.centre, ctx.port.seaEntry) + swing);
      turnTo(v, heading, dtH);
      v.position = moveBy(v.anchorPoint, heading + 180, 0.08);
      v.sog = Math.min(0.6, Math.abs(random.normal(0.1, 0.08)));
      v.cog = normaliseDeg(heading + random.normal(0, 40));
      if (t >= v.until) {
        v.phase = 'shifting';
        v.target = v.berthPoint;
      }
      return;
    }
    case 'berthed':
    case 'home':
      v.sog = 0;
      v.rateOfTurn = 0;
      if (t >= v.until) {
        if (v.phase === 'berthed') setOutboundVoyage(v, t, ctx);
        else {
          v.phase = 'going-out';
          v.target = v.workArea;
        }
      }
      return;
    case 'at-sea':
      if (t >= v.until) startNewCall(v, t, ctx);
      return;
    case 'working': {
      const drift =
        distanceNm(v.position, v.workArea) > 2 ? headingDelta(v.cog, bearingDeg(v.position, v.workArea)) : 0;
      const course = normaliseDeg(v.cog + drift * 0.5 + random.normal(0, 15));
      v.sog = Math.max(0.5, Math.min(v.identity.cruiseKn, v.sog + random.normal(0, 0.3)));
      turnTo(v, course, dtH);
      v.cog = course;
      v.position = moveBy(v.position, course, v.sog * dtH);
      if (t >= v.until) {
        v.phase = 'returning';
        v.target = v.home;
      }
      return;
    }
    default:
      sail(v, t, dtH, ctx);
  }
}

/** One step along the current leg, slowing into a stop (anchorage, berth, home, fishing ground) or leaving at speed. */
function sail(v: VesselState, t: number, dtH: number, ctx: MotionContext): void {
  const remaining = distanceNm(v.position, v.target);
  const cruise = v.phase === 'shifting' ? Math.min(HARBOUR_SPEED_KN, v.identity.cruiseKn) : v.identity.cruiseKn;
  // v = √(2·a·d): the speed from which the ship just stops at the target with constant deceleration.
  const desired =
    v.phase === 'outbound' ? cruise : Math.min(cruise, Math.max(1, Math.sqrt(2 * DECEL_KN_PER_H * remaining)));
  v.sog = Math.max(0, v.sog + Math.max(-DECEL_KN_PER_H * dtH, Math.min(ACCEL_KN_PER_H * dtH, desired - v.sog)));
  const course = bearingDeg(v.position, v.target);
  turnTo(v, course, dtH);
  v.cog = course;
  const distance = v.sog * dtH;
  if (distance < remaining && remaining > 0.02) {
    v.position = moveBy(v.position, course, distance);
    return;
  }
  v.position = v.target;
  arrive(v, t, ctx);
}

function arrive(v: VesselState, t: number, ctx: MotionContext): void {
  const { port, random } = ctx;
  switch (v.phase) {
    case 'inbound':
      if (v.directToBerth) {
        moor(v, t, ctx);
      } else {
        v.phase = 'anchored';
        v.sog = 0;
        v.until = t + anchorageWait(random);
      }
      return;
    case 'shifting':
      moor(v, t, ctx);
      return;
    case 'outbound':
      v.phase = 'at-sea';
      v.until = t + hours(random.range(8, 36));
      return;
    case 'going-out':
      v.phase = 'working';
      v.sog = workingSpeed(v, random);
      v.until = t + hours(random.range(3, 10));
      return;
    case 'returning':
      v.phase = 'home';
      v.sog = 0;
      v.heading = berthHeading(port);
      v.until = t + hours(random.range(4, 16));
      return;
    default:
      return;
  }
}

function moor(v: VesselState, t: number, ctx: MotionContext): void {
  v.phase = 'berthed';
  v.sog = 0;
  v.rateOfTurn = 0;
  v.heading = berthHeading(ctx.port);
  v.cog = v.heading;
  v.until = t + berthStay(v, ctx.random);
}

/** Turns the bow toward `course` at most 30°/min and records the rate of turn. */
function turnTo(v: VesselState, course: number, dtH: number): void {
  const minutes = Math.max(dtH * 60, 1e-6);
  const delta = Math.max(-30 * minutes, Math.min(30 * minutes, headingDelta(v.heading, course)));
  v.heading = normaliseDeg(v.heading + delta);
  v.rateOfTurn = delta / minutes;
}
