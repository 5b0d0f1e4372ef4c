import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DeclarationInput } from '../../events/v1/declaration';
import importSea from '../../events/v1/samples/declarations/import-sea.json';
import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { keys } from '../../shared/adapters/dynamodb/keys';
import { appendEntry } from '../../shared/domain/clearance/decision-log';
import { subjectKeysOf, truckSubject } from '../../shared/domain/clearance/declaration-subjects';
import { StaleWriteError, type StoredDeclaration } from '../../shared/ports/declaration-store';
import { type LocalTable, startLocalTable } from '../support/local-table';

// The DynamoDB adapter of the declaration store against the local emulator (dynalite).

let table: LocalTable;
let store: DynamoDeclarationStore;

beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoDeclarationStore(table.db, table.tableName);
}, 30_000);

afterAll(async () => {
  await table?.stop();
});

const input = DeclarationInput.parse(importSea);

function declaration(id: string, over: Partial<StoredDeclaration> = {}): StoredDeclaration {
  const lodgedAt = over.lodgedAt ?? '2026-11-26T08:00:00.000Z';
  return {
    ...input,
    id,
    lodgedBy: { sub: 'trader-1', role: 'declarant' },
    lodgedAt,
    status: 'documentary-check',
    assessment: {
      declarationId: id,
      lane: 'yellow',
      score: 30,
      reasons: [{ code: 'INVOICE_MISSING', ruleId: 'INVOICE-MISSING', weight: 30, message: 'ask', lane: 'yellow' }],
      selectedBy: 'criteria',
      aeo: false,
      randomDraw: 0.5,
      randomSeedId: 'seed-x',
      profileVersion: 'default-2026.1',
      assessedAt: lodgedAt,
    },
    slaDueAt: '2026-11-28T08:00:00.000Z',
    version: 1,
    logHead: { seq: 0, hash: 'a'.repeat(64) },
    updatedAt: lodgedAt,
    ...over,
  };
}

describe('DynamoDeclarationStore', () => {
  it('creates a declaration once and reads it back without the table’s attributes', async () => {
    const d = declaration('d-create');

    await store.create(d);

    expect(await store.get('d-create')).toEqual(d);
    await expect(store.create(d)).rejects.toBeInstanceOf(StaleWriteError);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('updates only on the version it read', async () => {
    const d = declaration('d-update');
    await store.create(d);

    await store.update({ ...d, status: 'held', version: 2 }, 1);

    await expect(store.update({ ...d, status: 'released', version: 2 }, 1)).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.get('d-update'))?.status).toBe('held');
  });

  it('appends log entries once per position and reads them in seq order, the newest last', async () => {
    const at = '2026-11-26T08:00:00.000Z';
    const actor = { sub: 'kouan', role: 'system' as const };
    const e0 = appendEntry(undefined, {
      declarationId: 'd-log',
      at,
      actor,
      action: 'lodge',
      toStatus: 'lodged',
      reason: 'r',
    });
    const entries = [e0];
    for (let i = 1; i < 12; i++) {
      const prev = entries[entries.length - 1];
      entries.push(
        appendEntry(prev, { declarationId: 'd-log', at, actor, action: 'hold', toStatus: 'held', reason: `r${i}` }),
      );
    }

    for (const e of [...entries].reverse()) await store.appendLogEntry(e);

    await expect(store.appendLogEntry(e0)).rejects.toBeInstanceOf(StaleWriteError);
    expect(await store.readLog('d-log')).toEqual(entries);
    expect(await store.latestLogEntry('d-log')).toEqual(entries[11]);
    expect(await store.latestLogEntry('nothing')).toBeUndefined();
  });

  it('lists a port’s and a declarant’s declarations newest first, with status and lane filters and pages', async () => {
    const port = 'NLRTM';
    for (let i = 0; i < 5; i++) {
      await store.create(
        declaration(`d-list-${i}`, {
          port,
          lodgedAt: `2026-11-2${i}T08:00:00.000Z`,
          lodgedBy: { sub: i % 2 === 0 ? 'even' : 'odd', role: 'declarant' },
          status: i === 4 ? 'released' : 'documentary-check',
        }),
      );
    }

    const first = await store.listByPort(port, {}, { limit: 3 });
    const second = await store.listByPort(
      port,
      {},
      { limit: 3, ...(first.nextToken ? { nextToken: first.nextToken } : {}) },
    );
    const released = await store.listByPort(port, { status: 'released' }, { limit: 10 });
    const yellow = await store.listByPort(port, { lane: 'yellow' }, { limit: 10 });
    const red = await store.listByPort(port, { lane: 'red' }, { limit: 10 });
    const even = await store.listByDeclarant('even', {}, { limit: 10 });

    expect([...first.items, ...second.items].map((d) => d.id)).toEqual([4, 3, 2, 1, 0].map((i) => `d-list-${i}`));
    expect(released.items.map((d) => d.id)).toEqual(['d-list-4']);
    expect(yellow.items).toHaveLength(5);
    expect(red.items).toHaveLength(0);
    expect(even.items.map((d) => d.id)).toEqual(['d-list-4', 'd-list-2', 'd-list-0']);
    await expect(
      store.listByDeclarant('odd', {}, { limit: 10, ...(first.nextToken ? { nextToken: first.nextToken } : {}) }),
    ).rejects.toMatchObject({ code: 'INVALID_NEXT_TOKEN' });
  });

  it('indexes each declared subject (containers, truck, vessel) to the declaration, and finds it by each', async () => {
    const subjects = subjectKeysOf({
      containers: ['CSQU3054383'],
      transport: { truckPlate: 'sh-a 12345', vesselMmsi: 477123456, vesselImo: '9321483' },
    });
    await store.indexSubjects({ id: 'd-box', port: 'CNSGH', lodgedAt: '2026-11-26T08:00:00Z' }, subjects);

    const res = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: keys.subjectDeclaration('container:CSQU3054383', 'd-box') }),
    );
    expect(res.Item).toMatchObject({ declarationId: 'd-box', subject: 'container:CSQU3054383', port: 'CNSGH' });
    expect(subjects).toEqual(['container:CSQU3054383', 'truck:SHA12345', 'mmsi:477123456', 'imo:9321483']);
    for (const s of subjects) await expect(store.declarationIdsBySubject(s)).resolves.toEqual(['d-box']);
    await expect(store.declarationIdsBySubject(truckSubject('SHA-12345'))).resolves.toEqual(['d-box']);
    await expect(store.declarationIdsBySubject('truck:OTHER')).resolves.toEqual([]);
  });
});
