import type { CountedInspection, HitCount, RuleHitStore } from '../../shared/ports/rule-hit-store';

/** The RuleHitStore contract in memory. */
export class InMemoryRuleHitStore implements RuleHitStore {
  readonly rules = new Map<string, HitCount>();
  readonly selection = new Map<string, HitCount>();

  async count(i: CountedInspection): Promise<void> {
    const bump = (m: Map<string, HitCount>, k: string) => {
      const c = m.get(k) ?? { inspections: 0, finds: 0 };
      m.set(k, { inspections: c.inspections + 1, finds: c.finds + (i.found ? 1 : 0) });
    };
    for (const id of new Set(i.ruleIds)) bump(this.rules, id);
    bump(this.selection, i.selectedBy);
  }

  async counts() {
    return { rules: new Map(this.rules), selection: new Map(this.selection) };
  }
}
