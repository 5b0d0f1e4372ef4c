import { DeclarationInput } from './declaration';
import exportRoadAeo from './samples/declarations/export-road-aeo.json';
import importPerishable from './samples/declarations/import-perishable.json';
import importSea from './samples/declarations/import-sea.json';

/**
 * Sample declaration bodies, v1, one per file in `events/v1/samples/declarations/`, as a client would POST them.
 * Used by tests, the port simulator and the docs.
 *
 * Provenance: container numbers are real ISO 6346 numbers from test/fixtures/iso6346.json, and the sea import's two
 * are those of the `gate.transaction.in` device sample. The sea import's vessel is EVER DIADEM (IMO 9134270, MMSI
 * 351759000) and the perishable import's is MMSI 371798000, both from the real AIS traffic of the `ais.nmea` device
 * sample. Traders, references and values are made up but plausible.
 */

/** The raw JSON of each sample, keyed by file name without `.json`. */
export const RAW_DECLARATION_SAMPLES = {
  'import-sea': importSea,
  'export-road-aeo': exportRoadAeo,
  'import-perishable': importPerishable,
} as const;

export type DeclarationSampleName = keyof typeof RAW_DECLARATION_SAMPLES;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parsed through the contract's schema, so a wrong sample fails at import instead of teaching a test a lie. */
const parsed = (raw: unknown): DeclarationInput => deepFreeze(DeclarationInput.parse(raw));

/** The samples, parsed (normalised) and frozen: copy before changing (`structuredClone(...)`). */
export const DECLARATION_SAMPLES = {
  'import-sea': parsed(RAW_DECLARATION_SAMPLES['import-sea']),
  'export-road-aeo': parsed(RAW_DECLARATION_SAMPLES['export-road-aeo']),
  'import-perishable': parsed(RAW_DECLARATION_SAMPLES['import-perishable']),
} as const satisfies Record<DeclarationSampleName, DeclarationInput>;
