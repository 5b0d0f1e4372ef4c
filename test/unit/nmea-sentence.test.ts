import * as fc from 'fast-check';
import { formatNmeaSentence, nmeaChecksum, parseNmeaSentence } from '../../shared/domain/ais';

const TYPE_1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

describe('parseNmeaSentence', () => {
  it('reads the fields of a real single-sentence VDM', () => {
    expect(parseNmeaSentence(TYPE_1)).toEqual({
      ok: true,
      sentence: {
        talker: 'AI',
        own: false,
        fragmentCount: 1,
        fragmentNumber: 1,
        sequentialId: undefined,
        channel: 'A',
        payload: '15RTgt0PAso;90TKcjM8h6g208CQ',
        fillBits: 0,
      },
    });
  });

  it('reads fragment numbers, sequential id and fill bits of a real multi-sentence VDM', () => {
    const parsed = parseNmeaSentence('!AIVDM,2,2,1,A,88888888880,2*25');

    expect(parsed).toMatchObject({
      ok: true,
      sentence: {
        fragmentCount: 2,
        fragmentNumber: 2,
        sequentialId: 1,
        channel: 'A',
        payload: '88888888880',
        fillBits: 2,
      },
    });
  });

  it.each([
    ['VDO (own ship)', 'AIVDO', { talker: 'AI', own: true }],
    ['a base station talker', 'BSVDM', { talker: 'BS', own: false }],
    ['a dependent base station talker', 'ABVDM', { talker: 'AB', own: false }],
  ])('accepts %s', (_name, header, expected) => {
    const parsed = parseNmeaSentence(formatNmeaSentence(`${header},1,1,,B,15RTgt0PAso;90TKcjM8h6g208CQ,0`));

    expect(parsed).toMatchObject({ ok: true, sentence: expected });
  });

  it.each([
    ['trailing CR/LF', `${TYPE_1}\r\n`],
    ['trailing spaces', `${TYPE_1}   `],
    ['a lower-case checksum', TYPE_1.replace('*4A', '*4a')],
    [
      'receiver metadata after the checksum (USCG N-AIS)',
      `${TYPE_1},d-080,S2118,t050056.00,T56.4837741,r003669946,1325394060`,
    ],
    ['an aggregator suffix after the checksum', `${TYPE_1},raishub,1342569600`],
    ['a leading IEC 61162-450 tag block', `\\s:2573535,c:1671620143*0B\\${TYPE_1}`],
    ['leading whitespace', `  ${TYPE_1}`],
  ])('tolerates %s', (_name, line) => {
    expect(parseNmeaSentence(line)).toMatchObject({ ok: true, sentence: { payload: '15RTgt0PAso;90TKcjM8h6g208CQ' } });
  });

  it('accepts channels 1 and 2 and an empty channel', () => {
    for (const channel of ['1', '2', '']) {
      const parsed = parseNmeaSentence(formatNmeaSentence(`AIVDM,1,1,,${channel},15RTgt0PAso;90TKcjM8h6g208CQ,0`));

      expect(parsed).toMatchObject({ ok: true, sentence: { channel: channel === '' ? undefined : channel } });
    }
  });

  it('reports a checksum mismatch with both values', () => {
    expect(parseNmeaSentence(TYPE_1.replace('*4A', '*4b'))).toEqual({
      ok: false,
      code: 'NMEA_BAD_CHECKSUM',
      message: 'checksum 4B does not match computed 4A',
    });
  });

  it.each([
    ['no leading "!"', 'AIVDM,2,2,1,B,00000000000,2*26', 'must start with "!"'],
    ['no checksum', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0', 'no "*"'],
    ['a one-digit checksum', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4', 'two hexadecimal digits'],
    ['a non-hex checksum', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4G', 'two hexadecimal digits'],
    ['an unclosed tag block', '\\s:2573535*0B!AIVDM,1,1,,A,1,0*00', 'never closed'],
    ['an empty line', '', 'must start with "!"'],
  ])('refuses %s as NMEA_MALFORMED', (_name, line, text) => {
    const parsed = parseNmeaSentence(line);

    expect(parsed).toMatchObject({ ok: false, code: 'NMEA_MALFORMED' });
    expect(parsed.ok ? '' : parsed.message).toContain(text);
  });

  it.each([
    ['another sentence type', 'GPGGA,1,1,,A,15RT,0', 'not a VDM or VDO sentence header'],
    ['VDX', 'AIVDX,1,1,,A,15RT,0', 'not a VDM or VDO sentence header'],
    ['a lower-case talker', 'aiVDM,1,1,,A,15RT,0', 'not a VDM or VDO sentence header'],
    ['too few fields', 'AIVDM,1,1,,A,0', '7 fields expected'],
    ['too many fields', 'AIVDM,1,1,,A,15RT,0,0', 'more than 7 fields'],
    ['fragment count 0', 'AIVDM,0,1,,A,15RT,0', 'fragment count'],
    ['fragment count of two digits', 'AIVDM,10,1,,A,15RT,0', 'fragment count'],
    ['fragment number above the count', 'AIVDM,2,3,1,A,15RT,0', 'fragment number'],
    ['fragment number 0', 'AIVDM,2,0,1,A,15RT,0', 'fragment number'],
    ['a sequential id of two digits', 'AIVDM,2,1,12,A,15RT,0', 'sequential message id'],
    ['channel C', 'AIVDM,1,1,,C,15RT,0', 'channel must be'],
    ['channel AB', 'AIVDM,1,1,,AB,15RT,0', 'channel must be'],
    ['fill bits 6', 'AIVDM,1,1,,A,15RT,6', 'fill bits'],
    ['empty fill bits', 'AIVDM,1,1,,A,15RT,', 'fill bits'],
  ])('refuses %s (checksum valid) as NMEA_MALFORMED', (_name, body, text) => {
    const parsed = parseNmeaSentence(formatNmeaSentence(body));

    expect(parsed).toMatchObject({ ok: false, code: 'NMEA_MALFORMED' });
    expect(parsed.ok ? '' : parsed.message).toContain(text);
  });

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (line) => {
        const parsed = parseNmeaSentence(line);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('nmeaChecksum and formatNmeaSentence', () => {
  it('computes the XOR of the characters between "!" and "*"', () => {
    expect(nmeaChecksum('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0')).toBe(0x4a);
  });

  it('formats a body into a sentence that parses back to the same body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('AIVDM', 'AIVDO', 'BSVDM'),
        fc.string({
          unit: fc.constantFrom(...'0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw'),
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 5 }),
        (header, payload, fill) => {
          const line = formatNmeaSentence(`${header},1,1,,B,${payload},${fill}`);

          expect(line).toMatch(/^!.*\*[0-9A-F]{2}$/);
          expect(parseNmeaSentence(line)).toMatchObject({ ok: true, sentence: { payload, fillBits: fill } });
        },
      ),
    );
  });
});
