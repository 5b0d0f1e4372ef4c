import { isIso3166Alpha2 } from './iso3166';

/**
 * UN/LOCODE (UNECE Recommendation 16): a two-letter country code and a three-character location code of letters
 * and the digits 2–9 (0 and 1 are left out so they cannot be confused with O and I), e.g. `CNSGH` Shanghai.
 *
 * The schema checks the form and the country; it cannot know every one of the ~116,000 locations, and a
 * declaration's port must anyway be one the deployment serves, which the route checks against its configuration.
 */

export const UNLOCODE_PATTERN = /^[A-Z]{2}[A-Z2-9]{3}$/;

/** `XZ` is UN/LOCODE's own code for installations in international waters; the rest are ISO 3166-1 alpha-2. */
const UNLOCODE_ONLY_COUNTRIES: ReadonlySet<string> = new Set(['XZ']);

/** Whether the first two letters of `locode` are a country UN/LOCODE knows. */
export const hasKnownUnLocodeCountry = (locode: string): boolean => {
  const country = locode.slice(0, 2);
  return isIso3166Alpha2(country) || UNLOCODE_ONLY_COUNTRIES.has(country);
};

/** Whether `locode` has the UN/LOCODE form and a known country prefix (not whether the location exists). */
export const isPlausibleUnLocode = (locode: string): boolean =>
  UNLOCODE_PATTERN.test(locode) && hasKnownUnLocodeCountry(locode);
