import type { SeededRandom } from './random';

/**
 * Truck licence plates in each country's real format, as a gate ANPR camera outputs them (Chinese and Korean plates
 * keep their Hanzi / Hangul region marks, as ANPR systems there report them).
 */
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const DIGITS = '0123456789';

/** Singapore's plate checksum letter (weights 9 4 5 4 3 2 over the prefix's last two letters and 4 digits, mod 19). */
function singaporeCheckLetter(prefix: string, digits: string): string {
  const letters = prefix.slice(-2).padStart(2, '@');
  const values = [
    ...[...letters].map((c) => (c === '@' ? 0 : c.charCodeAt(0) - 64)),
    ...[...digits.padStart(4, '0')].map(Number),
  ];
  const weights = [9, 4, 5, 4, 3, 2];
  const sum = values.reduce((acc, v, i) => acc + v * (weights[i] ?? 0), 0);
  return 'AZYXUTSRPMLKJHGEDCB'.charAt(sum % 19);
}

const FORMATS: Readonly<Record<string, (r: SeededRandom) => string>> = {
  // Shanghai's 沪 dominates; Jiangsu and Zhejiang hauliers serve the port too. Five characters, mostly digits.
  CN: (r) => {
    const region = r.weighted([
      ['沪', 85],
      ['苏', 8],
      ['浙', 7],
    ]);
    const tail = [...r.chars(DIGITS, 5)];
    if (r.chance(0.3)) tail[r.int(0, 4)] = r.chars(LETTERS, 1);
    return `${region}${r.chars('ABCDEFGH', 1)}${tail.join('')}`;
  },
  // Dutch goods-vehicle series start with B or V (sidecode XX-999-X).
  NL: (r) => `${r.pick(['B', 'V'])}${r.chars(LETTERS, 1)}-${r.chars(DIGITS, 3)}-${r.chars(LETTERS, 1)}`,
  DE: (r) =>
    `${r.pick(['HH', 'PI', 'SE', 'STD', 'HB', 'OD', 'KLE', 'D'])}-${r.chars(LETTERS, r.int(1, 2))} ${r.int(1, 9999)}`,
  BE: (r) => `${r.int(1, 2)}-${r.chars(LETTERS, 3)}-${r.chars(DIGITS, 3)}`,
  PL: (r) => `${r.pick(['PO', 'WGM', 'PZ', 'WI', 'SK'])} ${r.chars(DIGITS, 4)}${r.chars(LETTERS, 1)}`,
  DK: (r) => `${r.chars(LETTERS, 2)} ${r.chars(DIGITS, 2)} ${r.chars(DIGITS, 3)}`,
  SG: (r) => {
    // Goods vehicles carry X- and Y- prefixes.
    const prefix = `${r.pick(['X', 'Y'])}${r.chars('ABCDEFGHJKLM', 1)}`;
    const digits = String(r.int(1, 9999));
    return `${prefix}${digits}${singaporeCheckLetter(prefix, digits)}`;
  },
  MY: (r) => `J${r.chars(LETTERS, 2)} ${r.int(1, 9999)}`,
  KR: (r) => `부산${r.chars(DIGITS, 2)}${r.pick(['사', '아', '바', '자'])}${r.chars(DIGITS, 4)}`,
  US: (r) => `${r.int(1, 9)}${r.chars(LETTERS, 1)}${r.chars(DIGITS, 5)}`,
};

/** A plate for a truck registered in `country` (ISO 3166 alpha-2); unknown countries get a neutral alphanumeric plate. */
export function newPlate(country: string, random: SeededRandom): string {
  const format = FORMATS[country];
  return format ? format(random) : `${random.chars(LETTERS, 3)}${random.chars(DIGITS, 4)}`;
}
