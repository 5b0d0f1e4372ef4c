/**
 * The port table ("one database" of the port), defined once: the CDK stateful stack and the local emulator both
 * create it from this description. Single-table design; key layout in shared/adapters/dynamodb/keys.ts.
 */
export const PORT_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL removes expired dedupe entries and old track points (not emulated locally). */
  ttlAttribute: 'expiresAt',
  globalIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type PortTableIndex = (typeof PORT_TABLE.globalIndexes)[number]['indexName'];
