import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import {
  AisEncodeError,
  type AisMessage,
  decodeAisSentences,
  encodeAisMessage,
  parseNmeaSentence,
} from '../../shared/domain/ais';
import { anyMessage, messagesByType, staticAndVoyage } from './ais-arbitraries';

const FIXTURES = join(__dirname, '../fixtures/ais');

function decodeOne(sentences: string[]): AisMessage {
  const { messages, rejected } = decodeAisSentences(sentences);
  expect(rejected).toEqual([]);
  expect(messages).toHaveLength(1);
  const [decoded] = messages;
  if (!decoded) throw new Error('no message');
  return decoded.message;
}

describe('encodeAisMessage', () => {
  describe('round trip (property)', () => {
    it.each(Object.entries(messagesByType))('decodes back to the same %s message', (_name, arbitrary) => {
      fc.assert(
        fc.property(arbitrary, (message) => {
          const sentences = encodeAisMessage(message);
          expect(decodeOne(sentences)).toEqual(message);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps every sentence within NMEA limits and carries channel, talker and sequential id', () => {
      fc.assert(
        fc.property(
          anyMessage,
          fc.constantFrom('A' as const, 'B' as const),
          fc.integer({ min: 0, max: 9 }),
          fc.constantFrom('AIVDM', 'AIVDO', 'BSVDM', 'ABVDM'),
          (message, channel, sequentialId, talker) => {
            const sentences = encodeAisMessage(message, { channel, sequentialId, talker });
            for (const [i, s] of sentences.entries()) {
              expect(s.length).toBeLessThanOrEqual(82);
              const parsed = parseNmeaSentence(s);
              if (!parsed.ok) throw new Error(parsed.message);
              expect(parsed.sentence).toMatchObject({
                talker: talker.slice(0, 2),
                own: talker.endsWith('VDO'),
                channel,
                sequentialId,
                fragmentCount: sentences.length,
                fragmentNumber: i + 1,
              });
              expect(parsed.sentence.payload.length).toBeLessThanOrEqual(60);
              // Only the last fragment may carry fill bits.
              if (i < sentences.length - 1) expect(parsed.sentence.fillBits).toBe(0);
            }
            const { messages } = decodeAisSentences(sentences);
            expect(messages).toEqual([
              {
                message,
                channel,
                talker: talker.slice(0, 2),
                own: talker.endsWith('VDO'),
                sentenceIndexes: sentences.map((_, i) => i),
              },
            ]);
          },
        ),
      );
    });
  });

  it('writes a type 1 as one AIVDM sentence on channel A with an empty sequential id by default', () => {
    const message: AisMessage = {
      type: 1,
      repeat: 0,
      mmsi: 371798000,
      navStatus: 0,
      rot: -127,
      sog: 12.3,
      accuracy: true,
      lon: -123.39538333333333,
      lat: 48.38163333333333,
      cog: 224,
      heading: 215,
      timestamp: 33,
      maneuver: 0,
      raim: false,
    };

    const sentences = encodeAisMessage(message);

    expect(sentences).toHaveLength(1);
    // The same sentence as gpsd's sample up to the radio status bits (which the encoder writes as zeros).
    expect(sentences[0]).toMatch(/^!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g2[0-W`-w]{4},0\*[0-9A-F]{2}$/);
  });

  it('splits a type 5 (424 bits, 71 characters) into two sentences, fill bits on the last one', () => {
    const message = fc.sample(staticAndVoyage, { numRuns: 1, seed: 42 })[0] as AisMessage;

    const sentences = encodeAisMessage(message, { sequentialId: 3, channel: 'B' });

    expect(sentences).toHaveLength(2);
    expect(sentences[0]).toMatch(/^!AIVDM,2,1,3,B,[0-W`-w]{60},0\*[0-9A-F]{2}$/);
    expect(sentences[1]).toMatch(/^!AIVDM,2,2,3,B,[0-W`-w]{11},2\*[0-9A-F]{2}$/);
  });

  it('uses sequential id 0 for a multi-sentence message when none is given', () => {
    const message = fc.sample(staticAndVoyage, { numRuns: 1, seed: 7 })[0] as AisMessage;

    const sentences = encodeAisMessage(message);

    expect(sentences.map((s) => s.split(',')[3])).toEqual(['0', '0']);
  });

  it('re-encodes every supported message of the real data to the same decoded values', () => {
    // Real messages carry bits the decoder does not keep (radio status, regional bits): compare decoded values.
    const lines = readFileSync(join(FIXTURES, 'upstream-gpsd/sample.aivdm'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'));
    const { messages } = decodeAisSentences(lines);
    const supported = messages.filter((m) => !('kind' in m.message));
    expect(supported.length).toBeGreaterThan(25);

    for (const { message } of supported) {
      expect(decodeOne(encodeAisMessage(message))).toEqual(message);
    }
  });

  describe('refuses what it cannot represent, with a typed error', () => {
    const position: AisMessage = {
      type: 18,
      repeat: 0,
      mmsi: 338087471,
      sog: 0.1,
      accuracy: false,
      lon: -74.07,
      lat: 40.68,
      cog: 79.6,
      heading: 511,
      timestamp: 49,
      raim: true,
    };

    it.each([
      ['an MMSI wider than 30 bits', { ...position, mmsi: 2 ** 30 }, /mmsi must be an integer from 0 to 1073741823/],
      ['a speed beyond 102.3 kn', { ...position, sog: 102.4 }, /sog must be an integer from 0 to 1023, got 1024/],
      ['a latitude beyond the 27-bit field', { ...position, lat: 200 }, /lat must be an integer/],
      ['a non-integer heading', { ...position, heading: 1.5 }, /heading must be an integer/],
    ])('rejects %s', (_name, message, text) => {
      expect(() => encodeAisMessage(message)).toThrow(text);
      expect(() => encodeAisMessage(message)).toThrow(AisEncodeError);
    });

    it('rejects a name with characters outside the 6-bit alphabet (lower case is not upper-cased silently)', () => {
      const message: AisMessage = { type: 24, repeat: 0, mmsi: 366764000, partNo: 0, shipName: 'Gulf' };

      expect(() => encodeAisMessage(message)).toThrow(/shipName may hold only 6-bit ASCII/);
    });

    it("rejects '@' inside a text: it is the padding that ends a 6-bit text", () => {
      const message: AisMessage = { type: 24, repeat: 0, mmsi: 366764000, partNo: 0, shipName: 'A@B' };

      expect(() => encodeAisMessage(message)).toThrow(/may not contain '@'/);
    });

    it('rejects a name longer than its field', () => {
      const message: AisMessage = { type: 24, repeat: 0, mmsi: 366764000, partNo: 0, shipName: 'A'.repeat(21) };

      expect(() => encodeAisMessage(message)).toThrow(/at most 20 characters/);
    });

    it('reports the error code and field', () => {
      try {
        encodeAisMessage({ ...position, cog: 500 });
        throw new Error('expected a throw');
      } catch (e) {
        expect(e).toBeInstanceOf(AisEncodeError);
        expect(e).toMatchObject({ code: 'AIS_ENCODE_OUT_OF_RANGE', details: { field: 'cog' } });
      }
    });

    it('rejects a type 24 part B whose MMSI and mothership field disagree', () => {
      const partB = {
        type: 24 as const,
        repeat: 0,
        partNo: 1 as const,
        shipType: 37,
        vendorId: 'FEC',
        unitModel: 0,
        serialNumber: 0,
        callsign: '',
      };

      expect(() =>
        encodeAisMessage({ ...partB, mmsi: 981234567, toBow: 1, toStern: 1, toPort: 1, toStarboard: 1 }),
      ).toThrow(/auxiliary craft/);
      expect(() => encodeAisMessage({ ...partB, mmsi: 338091445, mothershipMmsi: 338091446 })).toThrow(
        /only an auxiliary craft/,
      );
    });

    it('rejects message types it does not write', () => {
      expect(() => encodeAisMessage({ type: 8, repeat: 0, mmsi: 1, kind: 'other' })).toThrow(
        expect.objectContaining({ code: 'AIS_ENCODE_UNSUPPORTED' }),
      );
    });

    it.each([
      ['a talker that is not VDM/VDO', { talker: 'GPGGA' }, /talker/],
      ['a sequential id above 9', { sequentialId: 10 }, /sequentialId/],
    ])('rejects %s', (_name, options, text) => {
      expect(() => encodeAisMessage(position, options)).toThrow(text);
    });
  });
});
