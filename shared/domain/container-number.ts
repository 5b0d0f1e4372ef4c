/**
 * ISO 6346 freight container numbers: owner code (3 letters) + category identifier (`U`, `J` or `Z`) + 6-digit
 * serial number + check digit, e.g. `CSQU3054383`.
 *
 * These functions run in the ingest hot path (every gate, RPM and NII read), so they walk char codes over
 * tables built once at module load instead of allocating regular expressions or intermediate arrays per call.
 */

const CODE_A = 65;
const CODE_Z = 90;
const CODE_0 = 48;
const CODE_9 = 57;
const CODE_U = 85;
const CODE_J = 74;
const CODE_Z_CATEGORY = CODE_Z;

/** Length of a complete number, and of the part the check digit is computed over. */
export const CONTAINER_NUMBER_LENGTH = 11;
const PREFIX_LENGTH = 10;

/**
 * Letter values indexed by `charCode - 65`: A=10, B=12, … Z=38. Values that are multiples of 11 (11, 22, 33) are
 * skipped because the check sum is taken mod 11, where such a letter would weigh the same as 0.
 */
const LETTER_VALUES: Uint8Array = (() => {
  const table = new Uint8Array(26);
  let value = 10;
  for (let i = 0; i < 26; i++) {
    if (value % 11 === 0) value++;
    table[i] = value;
    value++;
  }
  return table;
})();

/** Position weights 2^0 … 2^9. */
const WEIGHTS: Uint16Array = Uint16Array.from({ length: PREFIX_LENGTH }, (_, i) => 2 ** i);

const isUpperLetter = (c: number): boolean => c >= CODE_A && c <= CODE_Z;
const isDigit = (c: number): boolean => c >= CODE_0 && c <= CODE_9;
const isCategory = (c: number): boolean => c === CODE_U || c === CODE_J || c === CODE_Z_CATEGORY;

/** The ISO 6346 value of an upper-case letter `A`–`Z` (10–38, skipping 11, 22, 33). */
export function letterValue(letter: string): number | undefined {
  if (letter.length !== 1) return undefined;
  const c = letter.charCodeAt(0);
  return isUpperLetter(c) ? LETTER_VALUES[c - CODE_A] : undefined;
}

/**
 * Σ value·2^i mod 11 over the first ten characters, or -1 when they are not 3 upper-case letters, a category
 * `U`/`J`/`Z` and 6 digits. Shape check and sum share one pass because this runs for every container read.
 */
function prefixRemainder(s: string): number {
  let sum = 0;
  for (let i = 0; i < 3; i++) {
    const c = s.charCodeAt(i);
    if (!isUpperLetter(c)) return -1;
    sum += (LETTER_VALUES[c - CODE_A] as number) * (WEIGHTS[i] as number);
  }
  const category = s.charCodeAt(3);
  if (!isCategory(category)) return -1;
  sum += (LETTER_VALUES[category - CODE_A] as number) * (WEIGHTS[3] as number);
  for (let i = 4; i < PREFIX_LENGTH; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    sum += (c - CODE_0) * (WEIGHTS[i] as number);
  }
  return sum % 11;
}

/**
 * Normalises a container number as an OCR or a person wrote it: upper-case, spaces removed
 * (`"csqu 305438 3"` → `"CSQU3054383"`). It does not judge validity; use {@link checkDigitValid} on the result.
 */
export function normaliseContainerRead(read: string): string {
  // replaceAll with a string pattern avoids building a RegExp per call.
  const compact = read.indexOf(' ') === -1 ? read : read.replaceAll(' ', '');
  return compact.toUpperCase();
}

/**
 * Whether `number` has the ISO 6346 shape: exactly 11 characters, 3 upper-case letters, a category `U`, `J` or
 * `Z`, then 7 digits. The check digit itself is not verified here.
 */
export function isContainerNumberShape(number: string): boolean {
  return (
    number.length === CONTAINER_NUMBER_LENGTH &&
    prefixRemainder(number) >= 0 &&
    isDigit(number.charCodeAt(PREFIX_LENGTH))
  );
}

/**
 * The check digit for the first ten characters of a container number (owner code, category, serial), or
 * `undefined` when `first10` is not exactly that shape. A remainder of 10 is written as 0, as ISO 6346 says
 * (owners are advised to avoid such serials, yet they exist in the wild).
 *
 * @example computeCheckDigit('CSQU305438') // 3
 */
export function computeCheckDigit(first10: string): number | undefined {
  if (first10.length !== PREFIX_LENGTH) return undefined;
  const remainder = prefixRemainder(first10);
  if (remainder < 0) return undefined;
  return remainder === 10 ? 0 : remainder;
}

/**
 * Whether `number` is a well-formed ISO 6346 container number with a correct check digit. `false` for anything
 * that is not exactly 3 upper-case letters + `U`/`J`/`Z` + 7 digits: normalise OCR reads first with
 * {@link normaliseContainerRead}. A `false` on a gate read means a misread or a fake, to be flagged, never
 * silently accepted.
 *
 * Limits of the check digit (so nobody over-trusts it): every single substituted digit is caught except where the
 * change moves the remainder between 10 and 0 (both written `0`); a substituted owner-code letter is missed when
 * the two letter values differ by a multiple of 11 (e.g. `A`/`K`, `C`/`M`, `A`/`U`).
 */
export function checkDigitValid(number: string): boolean {
  if (number.length !== CONTAINER_NUMBER_LENGTH) return false;
  const remainder = prefixRemainder(number);
  // A non-digit check character gives a code outside 0–9 and so never matches.
  return remainder >= 0 && (remainder === 10 ? 0 : remainder) === number.charCodeAt(PREFIX_LENGTH) - CODE_0;
}
