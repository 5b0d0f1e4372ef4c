import type { CustomsEvent } from '../../events/v1/customs-events';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoRuleHitStore } from '../../shared/adapters/dynamodb/dynamodb-rule-hit-store';
import { type LocalTable, startLocalTable } from '../support/local-table';

// The customs event and hit-rate counter adapters against the local emulator (dynalite).

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
}, 30_000);

afterAll(async () => {
  await table?.stop();
});

const event = (n: number, created: string, over: Partial<CustomsEvent> = {}): CustomsEvent => ({
  eventId: `d-${n}.1.HOLD`,
  eventType: 'SHIPMENT',
  eventClassifierCode: 'ACT',
  shipmentEventTypeCode: 'HOLD',
  eventDateTime: created,
  eventCreatedDateTime: created,
  documentReference: `d-${n}`,
  port: 'CNSGH',
  ...over,
});

describe('DynamoCustomsEventStore', () => {
  it('lists a port’s events newest first, pages, filters by since, and keeps the first write of an id', async () => {
    const store = new DynamoCustomsEventStore(table.db, table.tableName);
    await store.append([event(1, '2026-11-26T08:00:00.000Z'), event(2, '2026-11-26T09:00:00.000Z')]);
    await store.append([event(3, '2026-11-26T10:00:00.000Z'), event(9, '2026-11-26T10:00:00.000Z', { port: 'SGSIN' })]);
    await store.append([event(1, '2026-11-26T11:00:00.000Z')]);

    const all = await store.listByPort('CNSGH', undefined, { limit: 10 });
    expect(all.items.map((e) => e.documentReference)).toEqual(['d-3', 'd-2', 'd-1']);
    expect(all.items[2]?.eventCreatedDateTime).toBe('2026-11-26T08:00:00.000Z');

    const first = await store.listByPort('CNSGH', undefined, { limit: 2 });
    const rest = await store.listByPort('CNSGH', undefined, { limit: 2, nextToken: first.nextToken ?? '' });
    expect([...first.items, ...rest.items].map((e) => e.documentReference)).toEqual(['d-3', 'd-2', 'd-1']);

    const since = await store.listByPort('CNSGH', '2026-11-26T09:00:00.000Z', { limit: 10 });
    expect(since.items.map((e) => e.documentReference)).toEqual(['d-3', 'd-2']);
  });
});

describe('DynamoRuleHitStore', () => {
  it('counts inspections and finds per rule (each rule once per result) and per selection source', async () => {
    const store = new DynamoRuleHitStore(table.db, table.tableName);

    await Promise.all([
      store.count({ ruleIds: ['A', 'B', 'A'], selectedBy: 'criteria', found: true }),
      store.count({ ruleIds: ['A'], selectedBy: 'criteria', found: false }),
      store.count({ ruleIds: ['RANDOM-SELECTION'], selectedBy: 'random', found: false }),
    ]);
    const { rules, selection } = await store.counts();

    expect(Object.fromEntries(rules)).toEqual({
      A: { inspections: 2, finds: 1 },
      B: { inspections: 1, finds: 1 },
      'RANDOM-SELECTION': { inspections: 1, finds: 0 },
    });
    expect(Object.fromEntries(selection)).toEqual({
      criteria: { inspections: 2, finds: 1 },
      random: { inspections: 1, finds: 0 },
    });
  });
});
