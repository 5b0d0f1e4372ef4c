import { StaleWriteError } from '../../shared/ports/declaration-store';
import type { RiskRuleStore, StoredRiskProfile } from '../../shared/ports/risk-rule-store';

/** The RiskRuleStore contract in memory: revisions written once each, the newest in force. */
export class InMemoryRiskRuleStore implements RiskRuleStore {
  readonly revisions = new Map<number, StoredRiskProfile>();

  async latestRevision(): Promise<number | undefined> {
    const all = [...this.revisions.keys()];
    return all.length > 0 ? Math.max(...all) : undefined;
  }

  async get(revision: number): Promise<StoredRiskProfile | undefined> {
    const r = this.revisions.get(revision);
    return r ? structuredClone(r) : undefined;
  }

  async publish(stored: StoredRiskProfile): Promise<void> {
    if (this.revisions.has(stored.revision)) throw new StaleWriteError(`revision ${stored.revision} exists`);
    this.revisions.set(stored.revision, structuredClone(stored));
  }
}
