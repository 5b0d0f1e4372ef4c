import * as z from 'zod';

/**
 * The small vocabulary of clearance (lanes, statuses, times) that the risk engine, the decision log and the stream's
 * re-assessment share with the declaration schema. Apart from events/v1/declaration.ts so that importing a lane does
 * not build the declaration schema and its reference tables (HS 2022, ISO, UN/LOCODE): the ingest function's cold
 * start needs only these.
 */

/** ISO-8601 date-time with an offset (`Z` or `+08:00`). */
export const Timestamp = z.iso.datetime({ offset: true, error: 'an ISO-8601 date-time with offset' });

export const Lane = z.enum(['green', 'blue', 'yellow', 'red']);
export type Lane = z.infer<typeof Lane>;

/** Where a declaration stands: lodged → assessed → released | documentary-check | inspection → released | held | seized. */
export const DeclarationStatus = z.enum([
  'lodged',
  'assessed',
  'documentary-check',
  'inspection',
  'released',
  'held',
  'seized',
]);
export type DeclarationStatus = z.infer<typeof DeclarationStatus>;
