import * as fc from 'fast-check';
import { findBadArmouring, SixBitReader, SixBitWriter, unarmourInto } from '../../shared/domain/ais/six-bit';

function readerOf(payload: string, fillBits = 0): SixBitReader {
  const symbols = new Uint8Array(payload.length);
  expect(unarmourInto(payload, symbols, 0)).toBe(-1);
  return new SixBitReader(symbols, payload.length * 6 - fillBits);
}

describe('armouring', () => {
  it("maps '0'..'W' to 0..39 and '`'..'w' to 40..63", () => {
    const symbols = new Uint8Array(4);

    unarmourInto('0W`w', symbols, 0);

    expect([...symbols]).toEqual([0, 39, 40, 63]);
  });

  it.each([['X'], ['_'], ['x'], ['!'], [','], ['é'], ['\u0000']])('finds %j as bad armouring', (c) => {
    expect(findBadArmouring(`15RT${c}gt`)).toBe(4);
    expect(unarmourInto(`15RT${c}gt`, new Uint8Array(8), 0)).toBe(4);
  });

  it('armours what the writer wrote and reads it back (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 32 }), fc.nat()), { maxLength: 40 }), (fields) => {
        const writer = new SixBitWriter();
        const values = fields.map(([width, seed]) => [width, seed % 2 ** width] as const);
        for (const [width, value] of values) writer.uint('field', value, width);

        const { payload, fillBits } = writer.armour();
        const reader = readerOf(payload, fillBits);

        expect(reader.bitLength).toBe(values.reduce((sum, [w]) => sum + w, 0));
        let at = 0;
        for (const [width, value] of values) {
          expect(reader.uint(at, width)).toBe(value);
          at += width;
        }
      }),
    );
  });
});

describe('SixBitReader', () => {
  // gpsd sample type 1: MMSI 371798000, ROT -127, longitude -123.3953833°.
  const reader = readerOf('15RTgt0PAso;90TKcjM8h6g208CQ');

  it('reads unsigned fields across symbol boundaries', () => {
    expect(reader.uint(0, 6)).toBe(1);
    expect(reader.uint(8, 30)).toBe(371798000);
  });

  it("reads two's complement signed fields", () => {
    expect(reader.int(42, 8)).toBe(-127);
    expect(reader.int(61, 28)).toBe(Math.round(-123.3953833 * 600_000));
  });

  it('reads a full 32-bit field as a positive number', () => {
    expect(readerOf('wwwwww').uint(0, 32)).toBe(2 ** 32 - 1);
  });

  it('reads bits beyond the payload (or in the fill bits) as zeros', () => {
    const short = readerOf('w', 2);

    expect(short.uint(0, 6)).toBe(0b111100);
    expect(short.uint(2, 8)).toBe(0b11000000);
    expect(short.uint(10, 4)).toBe(0);
  });

  it("ends text at the first '@', drops trailing spaces and reads only whole characters", () => {
    const writer = new SixBitWriter().text('t', 'IBC G BUOY  ', 12).uint('garbage', 63, 6).zeros(6).uint('x', 63, 6);
    const { payload, fillBits } = writer.armour();
    const text = readerOf(payload, fillBits);

    expect(text.text(0, 12)).toBe('IBC G BUOY');
    expect(text.rawText(0, 12)).toBe('IBC G BUOY  ');
    expect(text.text(0, 14)).toBe('IBC G BUOY  ?');
    // Stops at the '@' (value 0) even though a '?' follows.
    expect(text.text(0, 15)).toBe('IBC G BUOY  ?');
    expect(text.text(6, 30)).toBe('BC G BUOY  ?');
  });

  it('leaves out a last character that the payload covers only partly', () => {
    const { payload } = new SixBitWriter().text('t', 'AB?', 3).armour();

    // 16 bits: two whole characters; the '?' would otherwise read as '<' (its first 4 bits, then zeros).
    expect(readerOf(payload, 2).text(0, 3)).toBe('AB');
    expect(readerOf(payload).text(0, 3)).toBe('AB?');
  });
});

describe('SixBitWriter', () => {
  it('refuses values that do not fit their field, naming the field', () => {
    const writer = new SixBitWriter();

    expect(() => writer.uint('heading', 512, 9)).toThrow('heading must be an integer from 0 to 511, got 512');
    expect(() => writer.int('rot', 128, 8)).toThrow('rot must be an integer from -128 to 127, got 128');
    expect(() => writer.uint('sog', -1, 10)).toThrow('sog must be an integer from 0 to 1023, got -1');
    expect(() => writer.uint('sog', Number.NaN, 10)).toThrow(/sog must be an integer/);
  });

  it('writes negative numbers in two’s complement', () => {
    const { payload } = new SixBitWriter().int('v', -1, 6).int('w', -32, 6).armour();

    expect(payload).toBe('wP');
  });
});
