import fc from 'fast-check';
import {
  CONTAINER_NUMBER_LENGTH,
  checkDigitValid,
  computeCheckDigit,
  isContainerNumberShape,
  letterValue,
  normaliseContainerRead,
} from '../../shared/domain/container-number';
import iso6346 from '../fixtures/iso6346.json';

// An independent oracle: the fixture's own letter table and a plain reduce, so the properties below do not test
// the implementation against itself.
const fixtureLetters: Record<string, number> = iso6346.letter_values;
const oracleRemainder = (first10: string): number =>
  [...first10].reduce((sum, ch, i) => sum + (fixtureLetters[ch] ?? Number(ch)) * 2 ** i, 0) % 11;
const oracleCheckDigit = (first10: string): number => {
  const r = oracleRemainder(first10);
  return r === 10 ? 0 : r;
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letter = fc.constantFrom(...LETTERS);
const digit = fc.constantFrom(...'0123456789');
const validPrefix = fc
  .tuple(
    fc.string({ unit: letter, minLength: 3, maxLength: 3 }),
    fc.constantFrom('U', 'J', 'Z'),
    fc.string({ unit: digit, minLength: 6, maxLength: 6 }),
  )
  .map(([owner, category, serial]) => `${owner}${category}${serial}`);
const validNumber = validPrefix.map((prefix) => `${prefix}${oracleCheckDigit(prefix)}`);

const replaceAt = (s: string, i: number, ch: string): string => `${s.slice(0, i)}${ch}${s.slice(i + 1)}`;

describe('ISO 6346 container numbers against the real-data fixture', () => {
  it.each(iso6346.valid.map((e) => [e.number, e.check_digit] as const))(
    'accepts %s (check digit %i)',
    (number, check) => {
      expect(checkDigitValid(number)).toBe(true);
      expect(isContainerNumberShape(number)).toBe(true);
      expect(computeCheckDigit(number.slice(0, 10))).toBe(check);
    },
  );

  it.each(iso6346.invalid.map((e) => [e.number, e.reason] as const))('refuses %s (%s)', (number) => {
    expect(checkDigitValid(number)).toBe(false);
    // Where the shape is right, the refusal must come from the check digit, which must then differ.
    if (isContainerNumberShape(number)) {
      expect(computeCheckDigit(number.slice(0, 10))).not.toBe(Number(number.slice(10)));
    }
  });

  it('reproduces the worked example (weighted sum mod 11)', () => {
    const ex = iso6346.algorithm_example;
    expect(oracleRemainder(ex.first10)).toBe(ex.sum_mod_11);
    expect(computeCheckDigit(ex.first10)).toBe(ex.check_digit);
    expect(checkDigitValid(ex.number)).toBe(true);
  });

  it('uses the letter values of the standard (A=10 … Z=38, skipping multiples of 11)', () => {
    for (const ch of LETTERS) expect(letterValue(ch)).toBe(fixtureLetters[ch]);
    expect(letterValue('a')).toBeUndefined();
    expect(letterValue('AB')).toBeUndefined();
    expect(letterValue('1')).toBeUndefined();
  });
});

describe('shape', () => {
  it.each([
    ['', 'empty'],
    ['CSQU305438', '10 characters'],
    ['CSQU30543833', '12 characters'],
    ['csqu3054383', 'lower case (normalise first)'],
    ['CSQU 3054383', 'a space (normalise first)'],
    ['CSQA3054383', 'category A'],
    ['CS1U3054383', 'digit in the owner code'],
    ['CSQU3054Z83', 'letter in the serial'],
    ['CSQU305438X', 'letter as check digit'],
    ['CSQU３054383', 'full-width digit'],
    ['ÇSQU3054383', 'non-ASCII letter'],
  ])('refuses %j (%s)', (number) => {
    expect(isContainerNumberShape(number)).toBe(false);
    expect(checkDigitValid(number)).toBe(false);
  });

  it('computeCheckDigit refuses anything but 3 letters + U/J/Z + 6 digits', () => {
    expect(computeCheckDigit('CSQU3054383')).toBeUndefined();
    expect(computeCheckDigit('CSQU30543')).toBeUndefined();
    expect(computeCheckDigit('CSQX305438')).toBeUndefined();
    expect(computeCheckDigit('csqu305438')).toBeUndefined();
  });

  it('accepts every category U, J and Z', () => {
    for (const category of ['U', 'J', 'Z']) {
      const prefix = `ABC${category}123456`;
      expect(checkDigitValid(`${prefix}${computeCheckDigit(prefix)}`)).toBe(true);
    }
  });
});

describe('normaliseContainerRead', () => {
  it('upper-cases and removes spaces the way gate OCRs and people write numbers', () => {
    expect(normaliseContainerRead('csqu 305438 3')).toBe('CSQU3054383');
    expect(normaliseContainerRead(' TASU 117000 0 ')).toBe('TASU1170000');
    expect(normaliseContainerRead('CSQU3054383')).toBe('CSQU3054383');
  });

  it('turns any spaced, lower-cased rendering of a valid number back into it', () => {
    fc.assert(
      fc.property(
        validNumber,
        fc.array(fc.nat(CONTAINER_NUMBER_LENGTH), { maxLength: 4 }),
        fc.boolean(),
        (n, gaps, lower) => {
          let read = lower ? n.toLowerCase() : n;
          for (const at of [...gaps].sort((a, b) => b - a)) read = `${read.slice(0, at)} ${read.slice(at)}`;
          const normalised = normaliseContainerRead(read);
          expect(normalised).toBe(n);
          expect(normaliseContainerRead(normalised)).toBe(normalised);
          expect(checkDigitValid(normalised)).toBe(true);
        },
      ),
    );
  });
});

describe('check digit properties', () => {
  it('a computed check digit appended to any valid prefix gives a valid number (and matches the oracle)', () => {
    fc.assert(
      fc.property(validPrefix, (prefix) => {
        const check = computeCheckDigit(prefix);
        expect(check).toBe(oracleCheckDigit(prefix));
        expect(checkDigitValid(`${prefix}${check}`)).toBe(true);
      }),
    );
  });

  it('a valid number has exactly one valid check digit', () => {
    fc.assert(
      fc.property(validPrefix, (prefix) => {
        const accepted = [...'0123456789'].filter((d) => checkDigitValid(`${prefix}${d}`));
        expect(accepted).toEqual([String(oracleCheckDigit(prefix))]);
      }),
    );
  });

  // ISO 6346 catches every single substituted digit, with one honest exception: the remainders 10 and 0 are both
  // written as check digit 0, so a substitution that moves the remainder from one to the other goes unseen.
  it('changing one serial or check digit is caught unless the remainder moves between 10 and 0', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 4, max: 10 }), digit, (n, at, d) => {
        fc.pre(n[at] !== d);
        const mutated = replaceAt(n, at, d);
        const remainders = new Set([oracleRemainder(n.slice(0, 10)), oracleRemainder(mutated.slice(0, 10))]);
        const aliased = at < 10 && remainders.has(0) && remainders.has(10);
        expect(checkDigitValid(mutated)).toBe(aliased);
      }),
      { numRuns: 2000 },
    );
  });

  it('the 10→0 aliasing is real: TASU1170000 (remainder 10) and TASU1070000 (remainder 0) both pass', () => {
    expect(oracleRemainder('TASU117000')).toBe(10);
    expect(oracleRemainder('TASU107000')).toBe(0);
    expect(checkDigitValid('TASU1170000')).toBe(true);
    expect(checkDigitValid('TASU1070000')).toBe(true);
  });

  // Letter values differ by 11 or 22 for some pairs (A/K, C/M, A/U, …); such a substitution does not change the sum
  // mod 11, so the check digit cannot see it. Documented rather than hidden.
  it('changing one owner-code letter is caught unless the letter values differ by a multiple of 11 (or alias 10→0)', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 2 }), letter, (n, at, ch) => {
        fc.pre(n[at] !== ch);
        const mutated = replaceAt(n, at, ch);
        const before = oracleRemainder(n.slice(0, 10));
        const after = oracleRemainder(mutated.slice(0, 10));
        const aliased = (before === 0 && after === 10) || (before === 10 && after === 0);
        const undetectable = before === after || aliased;
        expect(checkDigitValid(mutated)).toBe(undetectable);
      }),
      { numRuns: 2000 },
    );
    expect(checkDigitValid('CSQU3054383')).toBe(true);
    expect(checkDigitValid('MSQU3054383')).toBe(true); // C=13, M=24: a difference of 11
  });

  // J=20, U=32, Z=38 differ by 12, 6 and 18: never a multiple of 11, so only the 10→0 aliasing can hide a change.
  it('changing the category among U, J and Z is caught unless the remainder moves between 10 and 0', () => {
    fc.assert(
      fc.property(validNumber, fc.constantFrom('U', 'J', 'Z'), (n, category) => {
        fc.pre(n[3] !== category);
        const mutated = replaceAt(n, 3, category);
        const remainders = new Set([oracleRemainder(n.slice(0, 10)), oracleRemainder(mutated.slice(0, 10))]);
        expect(checkDigitValid(mutated)).toBe(remainders.has(0) && remainders.has(10));
      }),
      { numRuns: 1000 },
    );
  });
});
