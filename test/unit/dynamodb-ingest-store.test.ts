import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import type { MessageSource } from '../../shared/domain/ingest/ingest-plan';

const ddb = mockClient(DynamoDBDocumentClient);
const db = createDocumentClient(new DynamoDBClient({ region: 'us-east-1' }));
const store = new DynamoIngestStore(db, {
  tableName: 'port',
  dedupeWindowHours: 192,
  trackRetentionHours: 48,
  now: () => 0,
});
const source: MessageSource = {
  port: 'CNSGH',
  deviceClass: 'gate',
  deviceId: 'g-1',
  receivedAt: '2026-11-26T00:00:00.000Z',
};
const entry = (key: string) => ({ deviceId: 'g-1', key, outcome: 'accepted' as const, receivedAt: source.receivedAt });

beforeEach(() => ddb.reset());

describe('DynamoIngestStore (SDK mocked)', () => {
  it('treats a message the log already holds as a duplicate, and one seen twice in a batch too', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { port: [{ deviceId: 'g-1', key: 'old' }] } });
    const s = store.session();
    await s.prefetch([
      { deviceId: 'g-1', key: 'old' },
      { deviceId: 'g-1', key: 'new' },
    ]);
    expect(s.claim({ deviceId: 'g-1', key: 'old' })).toBe(false);
    expect(s.claim({ deviceId: 'g-1', key: 'new' })).toBe(true);
    expect(s.claim({ deviceId: 'g-1', key: 'new' })).toBe(false);
  });

  it('re-sends what DynamoDB left unprocessed, and writes the log only after the device tally', async () => {
    const calls: string[] = [];
    ddb.on(UpdateCommand).callsFake(() => {
      calls.push('tally');
      return {};
    });
    let writes = 0;
    ddb
      .on(BatchWriteCommand)
      .callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: { pk: string } } }[]> }) => {
        writes++;
        const items = input.RequestItems.port ?? [];
        calls.push(`write:${items.map((i) => i.PutRequest.Item.pk.split('#')[0]).join(',')}`);
        // Throttle the first attempt: hand back the first item as unprocessed.
        return writes === 1 ? { UnprocessedItems: { port: items.slice(0, 1) } } : {};
      });
    const s = store.session();
    s.deadLetter([
      {
        id: 'DL-1',
        deviceId: 'g-1',
        reason: { code: 'X', message: 'x' },
        receivedAt: source.receivedAt,
        excerpt: '',
        sizeBytes: 0,
      },
    ]);
    s.done(entry('m-1'), { source, messageKey: 'm-1', outcome: 'accepted' });
    await s.flush();
    expect(calls).toEqual(['write:DEADLETTER', 'tally', 'write:DEADLETTER', 'write:MSG']);
  });

  it('fails the flush loudly when DynamoDB keeps throttling (the batch is then retried, not dropped)', async () => {
    ddb.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: input.RequestItems,
    }));
    ddb.on(UpdateCommand).resolves({});
    const s = store.session();
    s.done(entry('m-2'), { source, messageKey: 'm-2', outcome: 'accepted' });
    await expect(s.flush()).rejects.toThrow(/unprocessed after 9 attempts/);
  }, 30_000);

  it('counts a device once per batch with its last message as the guard', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const s = store.session();
    s.done(entry('a'), { source, messageKey: 'a', outcome: 'accepted' });
    s.done(entry('b'), { source, messageKey: 'b', outcome: 'rejected' });
    s.done(entry('c'), { source, messageKey: 'c', outcome: 'accepted', health: { health: 'degraded' } });
    await s.flush();
    const updates = ddb.commandCalls(UpdateCommand);
    expect(updates).toHaveLength(1);
    const input = updates[0]?.args[0].input;
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':accepted': 2,
      ':rejected': 1,
      ':k': 'c',
      ':health': 'degraded',
    });
    expect(input?.ConditionExpression).toContain('lastMessageKey <> :k');
  });
});
