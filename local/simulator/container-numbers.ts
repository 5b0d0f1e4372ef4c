import { checkDigitValid, computeCheckDigit } from '../../shared/domain/container-number';
import type { SeededRandom } from './random';

/**
 * Container numbers as a gate OCR reads them. Owner codes are real BIC-registered prefixes (those in
 * ../shared/realdata/iso6346.json plus other large carriers and lessors); serials are random with the correct ISO 6346
 * check digit. A small share of reads is misread by one character, which the check digit then exposes.
 */
export const OWNER_CODES = [
  // From iso6346.json (validator.js, python-stdnum and others' test suites).
  'ECMU',
  'TGHU',
  'CSQU',
  'TEXU',
  'OOLU',
  'HLXU',
  'FCIU',
  'SEGU',
  'YMLU',
  'TCNU',
  'CMAU',
  'TCLU',
  'MRKU',
  'MEDU',
  'EMCU',
  // Other large carriers and lessors.
  'MSCU',
  'MSKU',
  'MAEU',
  'CBHU',
  'CCLU',
  'COSU',
  'EGHU',
  'EISU',
  'HMMU',
  'ONEU',
  'SUDU',
  'TRHU',
  'BMOU',
  'GESU',
  'DRYU',
  'TGBU',
  'BEAU',
  'FSCU',
  'CAIU',
  'TLLU',
] as const;

/** What a camera confuses: glyphs of similar shape. Used so misreads look like OCR errors, not random noise. */
const LOOK_ALIKE_DIGITS: Readonly<Record<string, string>> = {
  '0': '86',
  '1': '7',
  '2': '7',
  '3': '8',
  '4': '1',
  '5': '6',
  '6': '58',
  '7': '1',
  '8': '306',
  '9': '8',
};
const LOOK_ALIKE_LETTERS: Readonly<Record<string, string>> = {
  B: 'E',
  C: 'G',
  D: 'O',
  E: 'F',
  F: 'E',
  G: 'C',
  H: 'M',
  K: 'X',
  L: 'I',
  M: 'N',
  N: 'M',
  O: 'Q',
  Q: 'O',
  R: 'B',
  S: 'B',
  T: 'I',
  U: 'V',
  Y: 'V',
};

/** A real-format container number with a correct check digit. */
export function newContainerNumber(random: SeededRandom): string {
  const first10 = `${random.pick(OWNER_CODES)}${random.chars('0123456789', 6)}`;
  // Defined for every owner code above (3 letters + U) followed by 6 digits.
  const check = computeCheckDigit(first10) ?? 0;
  return `${first10}${check}`;
}

/**
 * The number with one character misread as a look-alike, chosen so the check digit no longer matches (the
 * digit sometimes cannot catch a substitution, e.g. `C`/`M`; such a pick is retried).
 */
export function misread(number: string, random: SeededRandom): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Owner code (0–2) or serial and check digit (4–10); the category letter is left alone because U/J/Z confusions
    // produce a number that is not ISO 6346-shaped at all, which is a different failure.
    const i = random.pick([0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
    const original = number.charAt(i);
    const candidates = (i < 3 ? LOOK_ALIKE_LETTERS[original] : LOOK_ALIKE_DIGITS[original]) ?? '';
    if (candidates === '') continue;
    const read = `${number.slice(0, i)}${random.pick([...candidates])}${number.slice(i + 1)}`;
    if (!checkDigitValid(read)) return read;
  }
  // Every look-alike tried kept the check digit valid (very unlikely): misread the check digit itself instead.
  const check = Number(number.charAt(10));
  return `${number.slice(0, 10)}${(check + 5) % 10}`;
}
