import { readFileSync } from 'node:fs';
import {
  HS2022_CSV_PATH,
  headingsByChapter,
  parseCsvLine,
  renderHs2022Data,
} from '../../events/v1/reference/generate-hs2022';
import { HS2022_CHAPTERS, HS2022_HEADINGS, hsCodeProblem, isHsHeading } from '../../events/v1/reference/hs2022';
import { HS2022_HEADINGS_BY_CHAPTER } from '../../events/v1/reference/hs2022-data';
import { ISO_3166_ALPHA2, isIso3166Alpha2 } from '../../events/v1/reference/iso3166';
import {
  CIRCULATING_CURRENCIES,
  ISO_4217_ACTIVE,
  ISO_4217_FUNDS,
  ISO_4217_NON_MONETARY,
  isCirculatingCurrency,
} from '../../events/v1/reference/iso4217';
import { isPlausibleUnLocode } from '../../events/v1/reference/unlocode';

const sorted = (list: readonly string[]) => [...list].sort();

describe('HS 2022 reference table', () => {
  const csv = readFileSync(HS2022_CSV_PATH, 'utf8');

  it('matches the CSV it is generated from (regenerate with npx tsx events/v1/reference/generate-hs2022.ts)', () => {
    const fromCsv = Object.fromEntries(
      [...headingsByChapter(csv)].map(([chapter, headings]) => [chapter, headings.map((h) => h.slice(2)).join('')]),
    );
    expect(HS2022_HEADINGS_BY_CHAPTER).toEqual(fromCsv);
    expect(renderHs2022Data(csv)).toContain(`'85': '${fromCsv['85']}',`);
  });

  it('holds the 96 chapters (01–97 without the reserved 77) and 1,228 headings of HS 2022', () => {
    expect(HS2022_CHAPTERS.size).toBe(96);
    expect(HS2022_CHAPTERS.has('77')).toBe(false);
    expect(HS2022_CHAPTERS.has('99')).toBe(false);
    expect(HS2022_HEADINGS.size).toBe(1228);
    for (const heading of HS2022_HEADINGS) expect(HS2022_CHAPTERS.has(heading.slice(0, 2))).toBe(true);
  });

  it('leaves out only the Comtrade row 99/9999 of the CSV, and every other heading row is in the table', () => {
    const rows = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => parseCsvLine(l));
    const left = rows.filter(
      ([, code]) => code !== undefined && !HS2022_CHAPTERS.has(code) && !HS2022_HEADINGS.has(code),
    );
    expect(left.map(([section, code]) => `${section} ${code}`)).toEqual(['TOTAL 99', 'TOTAL 9999']);
  });

  it('parses quoted CSV fields with commas and doubled quotes', () => {
    expect(parseCsvLine('I,0101,"Horses, asses; ""live""",01,4')).toEqual([
      'I',
      '0101',
      'Horses, asses; "live"',
      '01',
      '4',
    ]);
  });

  it('explains what is wrong with a code', () => {
    expect(hsCodeProblem('850440')).toBeUndefined();
    expect(hsCodeProblem('7701')).toMatch(/6 to 10 digits/);
    expect(hsCodeProblem('980000')).toMatch(/chapter 98 does not exist/);
    expect(hsCodeProblem('850000')).toMatch(/heading 8500 does not exist in chapter 85/);
    expect(isHsHeading('8549')).toBe(true);
    expect(isHsHeading('8550')).toBe(false);
  });
});

describe('ISO 3166-1 alpha-2', () => {
  const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

  it('lists the 249 officially assigned codes, sorted and unique', () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(new Set(ISO_3166_ALPHA2).size).toBe(249);
    expect(ISO_3166_ALPHA2).toEqual(sorted(ISO_3166_ALPHA2));
  });

  it('every code names a region in the runtime’s CLDR data (an independent source)', () => {
    for (const code of ISO_3166_ALPHA2) expect(regions.of(code)).not.toBe(code);
  });

  it('leaves out reserved, exceptional and withdrawn codes', () => {
    for (const code of ['UK', 'EU', 'XK', 'AN', 'YU', 'CS', 'ZZ', 'cn']) expect(isIso3166Alpha2(code)).toBe(false);
  });
});

describe('ISO 4217', () => {
  const currencies = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' });
  /** Codes withdrawn from List One that the runtime's CLDR data may still list as current. */
  const WITHDRAWN = new Set(['ANG', 'BGN', 'CUC', 'HRK', 'SLL', 'ZWL']);
  /** Codes newer than some Node 20 builds' CLDR data. */
  const RECENT = new Set(['VED', 'XCG', 'ZWG']);

  it('lists active codes, sorted and unique, and classifies funds and units as subsets', () => {
    expect(ISO_4217_ACTIVE).toEqual(sorted(ISO_4217_ACTIVE));
    expect(new Set(ISO_4217_ACTIVE).size).toBe(ISO_4217_ACTIVE.length);
    for (const code of ISO_4217_ACTIVE) expect(code).toMatch(/^[A-Z]{3}$/);
    for (const code of [...ISO_4217_FUNDS, ...ISO_4217_NON_MONETARY]) expect(ISO_4217_ACTIVE).toContain(code);
    expect(CIRCULATING_CURRENCIES.length).toBe(
      ISO_4217_ACTIVE.length - ISO_4217_FUNDS.length - ISO_4217_NON_MONETARY.length,
    );
  });

  it('holds every current currency the runtime’s CLDR data knows, except the withdrawn ones', () => {
    const current = Intl.supportedValuesOf('currency').filter((c) => !WITHDRAWN.has(c));
    expect(current.filter((c) => !ISO_4217_ACTIVE.includes(c))).toEqual([]);
  });

  it('every circulating currency has a name in the runtime’s CLDR data', () => {
    const unnamed = CIRCULATING_CURRENCIES.filter((c) => !RECENT.has(c) && currencies.of(c) === c);
    expect(unnamed).toEqual([]);
  });

  it('refuses withdrawn codes, units of account and test codes as currencies of a value', () => {
    for (const code of [...WITHDRAWN, 'XAU', 'XDR', 'XTS', 'XXX', 'CLF', 'usd']) {
      expect(isCirculatingCurrency(code)).toBe(false);
    }
    for (const code of ['USD', 'EUR', 'CNY', 'XOF', 'XCG', 'ZWG']) expect(isCirculatingCurrency(code)).toBe(true);
  });
});

describe('UN/LOCODE', () => {
  it('accepts real port codes and the international-waters prefix XZ, refuses unknown countries and 0/1', () => {
    for (const code of ['CNSGH', 'NLRTM', 'KRPUS', 'USLAX', 'GBFXT', 'XZAAA', 'DE2HH']) {
      expect(isPlausibleUnLocode(code)).toBe(true);
    }
    for (const code of ['QQSGH', 'UKLON', 'CNSG1', 'CNSG0', 'cnsgh', 'CNSGHX'])
      expect(isPlausibleUnLocode(code)).toBe(false);
  });
});
