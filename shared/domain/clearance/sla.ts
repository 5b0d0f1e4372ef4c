import { KouanError } from '../errors';

/**
 * Release-time targets of a declaration.
 *
 * RCEP (Regional Comprehensive Economic Partnership) Art. 4.11 "Release of Goods": each Party shall, to the extent
 * possible, release goods within 48 hours of the arrival of the goods and the lodgement of the information needed
 * for release (para. 2), and perishable goods, to the extent possible, in less than six hours (para. 6). The clock
 * therefore starts at the later of arrival and lodgement. Both targets are settings, since a deployment may promise
 * more than the treaty (Singapore's TradeNet clears most permits in minutes).
 */

export interface SlaSettings {
  /** Hours from the start of the clock to release for ordinary goods. @default 48 */
  standardHours: number;
  /** Hours for perishable goods. @default 6 */
  perishableHours: number;
}

export const DEFAULT_SLA_SETTINGS: Readonly<SlaSettings> = Object.freeze({ standardHours: 48, perishableHours: 6 });

/** How close to the due time an unreleased declaration counts as at risk. @default 2 h */
export const DEFAULT_AT_RISK_WITHIN_MS = 2 * 60 * 60 * 1000;

export type SlaState = 'on-time' | 'at-risk' | 'breached';

/** A time or setting the SLA cannot be computed from. */
export class SlaError extends KouanError {}

const HOUR_MS = 60 * 60 * 1000;

function toMs(time: string | Date, name: string): number {
  const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (Number.isNaN(ms)) throw new SlaError('SLA_INVALID_TIME', `${name} is not a valid date-time: ${String(time)}`);
  return ms;
}

/**
 * When a declaration is due for release: the clock starts at `lodgedAt`, or at `arrivedAt` when the goods arrive
 * after lodgement (pre-arrival lodgement), and runs {@link SlaSettings.standardHours} or, for perishables,
 * {@link SlaSettings.perishableHours}. Returns an ISO-8601 UTC time.
 *
 * @example slaDueAt('2026-11-26T08:00:00Z', { perishable: true }) // '2026-11-26T14:00:00.000Z'
 * @throws SlaError `SLA_INVALID_TIME` for an unparseable time, `SLA_INVALID_SETTINGS` for hours that are not
 *   finite and positive.
 */
export function slaDueAt(
  lodgedAt: string | Date,
  goods: { perishable?: boolean; arrivedAt?: string | Date },
  settings: SlaSettings = DEFAULT_SLA_SETTINGS,
): string {
  const hours = goods.perishable === true ? settings.perishableHours : settings.standardHours;
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new SlaError('SLA_INVALID_SETTINGS', `SLA hours must be finite and positive, got ${hours}`);
  }
  const lodged = toMs(lodgedAt, 'lodgedAt');
  const start = goods.arrivedAt === undefined ? lodged : Math.max(lodged, toMs(goods.arrivedAt, 'arrivedAt'));
  return new Date(start + hours * HOUR_MS).toISOString();
}

/**
 * Where a declaration stands against its due time:
 * - released: `on-time` when released at or before `dueAt`, else `breached` (a late release stays a breach);
 * - not released: `breached` once `now` is past `dueAt`, `at-risk` within `atRiskWithinMs` before it, else `on-time`.
 *
 * @throws SlaError `SLA_INVALID_TIME` for an unparseable time.
 */
export function slaState(
  dueAt: string | Date,
  now: string | Date,
  releasedAt?: string | Date,
  options: { atRiskWithinMs?: number } = {},
): SlaState {
  const due = toMs(dueAt, 'dueAt');
  if (releasedAt !== undefined) return toMs(releasedAt, 'releasedAt') <= due ? 'on-time' : 'breached';
  const current = toMs(now, 'now');
  if (current > due) return 'breached';
  return due - current <= (options.atRiskWithinMs ?? DEFAULT_AT_RISK_WITHIN_MS) ? 'at-risk' : 'on-time';
}
