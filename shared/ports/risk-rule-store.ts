import type { RiskProfile } from '../domain/risk';

/** One published revision of the risk profile: revisions count up from 1 (the seeded default profile). */
export interface StoredRiskProfile {
  revision: number;
  profile: RiskProfile;
  publishedAt: string;
  /** The token subject that published it (`kouan` for the seed). */
  publishedBy: string;
}

/**
 * Where the selectivity criteria live as data. Append-only: each change publishes the next revision with a
 * conditional put on its number (the commit point: of two concurrent edits only one gets the number), so the newest
 * revision is always the profile in force and there is no pointer that could lag behind it.
 */
export interface RiskRuleStore {
  /** The newest revision number, or undefined before anything is published (a cheap read, for caches). */
  latestRevision(): Promise<number | undefined>;
  get(revision: number): Promise<StoredRiskProfile | undefined>;
  /** Writes one revision. @throws StaleWriteError when that revision exists already. */
  publish(stored: StoredRiskProfile): Promise<void>;
}
