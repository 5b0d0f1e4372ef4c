/**
 * IMO ship identification numbers (SOLAS XI-1/3, IMO Resolution A.1117(30)): `IMO` + seven digits, where the
 * seventh is a check digit: Σ digit·weight over the first six with weights 7, 6, 5, 4, 3, 2, taken mod 10
 * (9321483: 9·7 + 3·6 + 2·5 + 1·4 + 4·3 + 8·2 = 123, check digit 3). The number stays with the hull for life,
 * unlike the MMSI, so it is the better key for matching a declared vessel with what AIS reports.
 */

/** Seven digits, without the `IMO` prefix. */
export const IMO_NUMBER_PATTERN = /^\d{7}$/;

/** The check digit of the first six digits of an IMO number, or `undefined` when `first6` is not six digits. */
export function imoCheckDigit(first6: string): number | undefined {
  if (!/^\d{6}$/.test(first6)) return undefined;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += (first6.charCodeAt(i) - 48) * (7 - i);
  return sum % 10;
}

/**
 * Whether `imo` is seven digits with a correct check digit (`'9321483'` → true). A leading `IMO` is not accepted
 * here: strip it first.
 */
export function imoNumberValid(imo: string): boolean {
  if (!IMO_NUMBER_PATTERN.test(imo)) return false;
  return imoCheckDigit(imo.slice(0, 6)) === imo.charCodeAt(6) - 48;
}
