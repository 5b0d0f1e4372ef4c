import { HS2022_HEADINGS_BY_CHAPTER } from './hs2022-data';

/**
 * The Harmonized System, 2022 edition: which chapters and four-digit headings exist. Built once at module load
 * from the generated table (source and licence in `hs2022-data.ts`: datasets/harmonized-system, ODC-PDDL-1.0).
 *
 * National tariff lines extend the six-digit HS subheading to 8 or 10 digits, so only the chapter and heading
 * (the internationally harmonised part this table knows) are checked; the digits after them are national.
 */

/** The 96 chapters of HS 2022: 01–97 without 77, which the WCO keeps reserved for future use. */
export const HS2022_CHAPTERS: ReadonlySet<string> = new Set(Object.keys(HS2022_HEADINGS_BY_CHAPTER));

/** Every four-digit heading of HS 2022 (1,228 of them). */
export const HS2022_HEADINGS: ReadonlySet<string> = new Set(
  Object.entries(HS2022_HEADINGS_BY_CHAPTER).flatMap(([chapter, suffixes]) =>
    (suffixes.match(/\d{2}/g) ?? []).map((suffix) => `${chapter}${suffix}`),
  ),
);

/** An HS code as declarations carry it: digits only, 6 (the HS subheading) to 10 (a national tariff line). */
export const HS_CODE_PATTERN = /^\d{6,10}$/;

/** Whether `chapter` (two digits) is a chapter of HS 2022. */
export const isHsChapter = (chapter: string): boolean => HS2022_CHAPTERS.has(chapter);

/**
 * Whether `heading` (four digits) is a heading of HS 2022. A chapter the table holds no headings for would accept
 * any heading, but the generated table has headings for every chapter.
 */
export function isHsHeading(heading: string): boolean {
  const chapter = heading.slice(0, 2);
  if (!isHsChapter(chapter)) return false;
  return HS2022_HEADINGS_BY_CHAPTER[chapter] === '' || HS2022_HEADINGS.has(heading);
}

/**
 * Why `code` is not an acceptable HS code, in words for an API client, or `undefined` when it is one: 6–10 digits
 * whose first two are an HS 2022 chapter and whose first four are a heading of that chapter.
 *
 * @example hsCodeProblem('850440') // undefined
 * @example hsCodeProblem('770100') // 'HS chapter 77 does not exist in HS 2022 (…)'
 */
export function hsCodeProblem(code: string): string | undefined {
  if (!HS_CODE_PATTERN.test(code)) return 'an HS code is 6 to 10 digits, e.g. 850440';
  const chapter = code.slice(0, 2);
  if (!isHsChapter(chapter)) {
    return chapter === '77'
      ? 'HS chapter 77 is reserved for future use and holds no goods'
      : `HS chapter ${chapter} does not exist in HS 2022 (chapters are 01–97)`;
  }
  const heading = code.slice(0, 4);
  if (!isHsHeading(heading)) return `HS heading ${heading} does not exist in chapter ${chapter} of HS 2022`;
  return undefined;
}
