import { DynamoDeclarationStore } from '../../shared/adapters/dynamodb/dynamodb-declaration-store';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { type DeclarationDependencies, selectivitySettingsFromSeed } from '../../shared/use-cases/declarations';
import { PORT } from './envelopes';
import { InMemoryDeclarationStore } from './in-memory-declaration-store';
import type { LocalTable } from './local-table';

/** The declaration use cases' dependencies on a local table: the default profile and a fixed test seed. */
export function testDeclarationDependencies(local: LocalTable): DeclarationDependencies {
  return {
    store: new DynamoDeclarationStore(local.db, local.tableName),
    servedPort: PORT,
    profile: async () => DEFAULT_RISK_PROFILE,
    settings: selectivitySettingsFromSeed('kouan-test-selectivity-seed'),
  };
}

/** The same in memory, at a fixed time, for unit tests of the use cases. */
export function inMemoryDeclarationDependencies(): DeclarationDependencies & { store: InMemoryDeclarationStore } {
  return {
    store: new InMemoryDeclarationStore(),
    servedPort: PORT,
    profile: async () => DEFAULT_RISK_PROFILE,
    settings: selectivitySettingsFromSeed('unit-test-selectivity-seed'),
    now: () => new Date('2026-11-26T08:00:00Z'),
  };
}
