import { DynamoRiskRuleStore } from '../../shared/adapters/dynamodb/dynamodb-risk-rule-store';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { StaleWriteError } from '../../shared/ports/declaration-store';
import { currentProfileSource } from '../../shared/use-cases/risk-rules';
import { type LocalTable, startLocalTable } from '../support/local-table';

// The DynamoDB adapter of the risk rule store against the local emulator (dynalite).

let table: LocalTable;
let store: DynamoRiskRuleStore;

beforeAll(async () => {
  table = await startLocalTable();
  store = new DynamoRiskRuleStore(table.db, table.tableName);
}, 30_000);

afterAll(async () => {
  await table?.stop();
});

const revision = (n: number) => ({
  revision: n,
  profile: { ...DEFAULT_RISK_PROFILE, version: `rules-r${n}` },
  publishedAt: '2026-11-26T08:00:00.000Z',
  publishedBy: 'risk-1',
});

describe('DynamoRiskRuleStore', () => {
  it('has no revision before anything is published', async () => {
    expect(await store.latestRevision()).toBeUndefined();
  });

  it('seeds the default profile once, however many processes read first', async () => {
    const source = currentProfileSource({ store, seed: DEFAULT_RISK_PROFILE });
    const other = currentProfileSource({ store, seed: DEFAULT_RISK_PROFILE });

    const [a, b] = await Promise.all([source(), other()]);

    expect(a.version).toBe(DEFAULT_RISK_PROFILE.version);
    expect(b).toEqual(a);
    expect(await store.latestRevision()).toBe(1);
  });

  it('reads back the newest revision whole', async () => {
    await store.publish(revision(2));

    expect(await store.latestRevision()).toBe(2);
    expect(await store.get(2)).toEqual(revision(2));
  });

  it('refuses a revision that exists (the lock two concurrent edits meet)', async () => {
    await expect(store.publish({ ...revision(2), publishedBy: 'risk-2' })).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.get(2))?.publishedBy).toBe('risk-1');
  });

  it('serves the same profile object until a new revision is published', async () => {
    const source = currentProfileSource({ store, seed: DEFAULT_RISK_PROFILE });
    const first = await source();

    expect(await source()).toBe(first);
    await store.publish(revision(3));
    const after = await source();

    expect(after).not.toBe(first);
    expect(after.version).toBe('rules-r3');
  });
});
