import type { DecisionLogEntry } from '../../events/v1/declaration-audit';
import type { SubjectKey } from '../../shared/domain/clearance/declaration-subjects';
import {
  type DeclarationFilter,
  type DeclarationStore,
  type ReferenceClaim,
  StaleWriteError,
  type StoredDeclaration,
} from '../../shared/ports/declaration-store';
import type { PageRequest, PageResult } from '../../shared/ports/port-reader';

const copy = <T>(v: T): T => structuredClone(v);

/**
 * The DeclarationStore contract in memory, for unit tests of the use cases and routes: the same conditional-write
 * semantics as the DynamoDB adapter (append-only log positions, state on its version); lists without paging.
 */
export class InMemoryDeclarationStore implements DeclarationStore {
  readonly declarations = new Map<string, StoredDeclaration>();
  readonly logs = new Map<string, DecisionLogEntry[]>();
  readonly subjects = new Map<SubjectKey, Set<string>>();
  readonly references = new Map<string, ReferenceClaim>();

  async claimReference(by: string, reference: string, claim: ReferenceClaim): Promise<ReferenceClaim | undefined> {
    const key = `${by}\u0000${reference}`;
    const held = this.references.get(key);
    if (held) return copy(held);
    this.references.set(key, copy(claim));
    return undefined;
  }

  async reassignReference(by: string, reference: string, fromId: string, claim: ReferenceClaim): Promise<void> {
    const key = `${by}\u0000${reference}`;
    if (this.references.get(key)?.declarationId !== fromId) throw new StaleWriteError('reference moved');
    this.references.set(key, copy(claim));
  }

  async startLog(
    entries: readonly DecisionLogEntry[],
    index?: { declaration: Pick<StoredDeclaration, 'id'>; subjects: readonly SubjectKey[] },
  ): Promise<void> {
    for (const e of entries) await this.appendLogEntry(e);
    if (index) await this.indexSubjects(index.declaration, index.subjects);
  }

  async appendLogEntry(entry: DecisionLogEntry): Promise<void> {
    const log = this.logs.get(entry.declarationId) ?? [];
    if (log.some((e) => e.seq === entry.seq)) throw new StaleWriteError(`entry ${entry.seq} exists`);
    log.push(copy(entry));
    log.sort((a, b) => a.seq - b.seq);
    this.logs.set(entry.declarationId, log);
  }

  async create(d: StoredDeclaration): Promise<void> {
    if (this.declarations.has(d.id)) throw new StaleWriteError(`declaration ${d.id} exists`);
    this.declarations.set(d.id, copy(d));
  }

  async update(d: StoredDeclaration, expectedVersion: number): Promise<void> {
    if (this.declarations.get(d.id)?.version !== expectedVersion) throw new StaleWriteError('version changed');
    this.declarations.set(d.id, copy(d));
  }

  async indexSubjects(d: Pick<StoredDeclaration, 'id'>, subjects: readonly SubjectKey[]): Promise<void> {
    for (const s of subjects) {
      const ids = this.subjects.get(s) ?? new Set<string>();
      ids.add(d.id);
      this.subjects.set(s, ids);
    }
  }

  async declarationIdsBySubject(subject: SubjectKey): Promise<string[]> {
    return [...(this.subjects.get(subject) ?? [])];
  }

  async get(id: string): Promise<StoredDeclaration | undefined> {
    const d = this.declarations.get(id);
    return d ? copy(d) : undefined;
  }

  async latestLogEntry(id: string): Promise<DecisionLogEntry | undefined> {
    const log = this.logs.get(id);
    return log?.length ? copy(log[log.length - 1]) : undefined;
  }

  async readLog(id: string): Promise<DecisionLogEntry[]> {
    return copy(this.logs.get(id) ?? []);
  }

  async listByPort(port: string, f: DeclarationFilter, _p: PageRequest): Promise<PageResult<StoredDeclaration>> {
    return { items: this.matching((d) => d.port === port, f) };
  }

  async listByDeclarant(sub: string, f: DeclarationFilter, _p: PageRequest): Promise<PageResult<StoredDeclaration>> {
    return { items: this.matching((d) => d.lodgedBy.sub === sub, f) };
  }

  private matching(where: (d: StoredDeclaration) => boolean, f: DeclarationFilter): StoredDeclaration[] {
    return [...this.declarations.values()]
      .filter(
        (d) =>
          where(d) &&
          (!f.status || d.status === f.status) &&
          (!f.lane || d.assessment.lane === f.lane) &&
          (!f.referredTo || (d.referredTo ?? []).includes(f.referredTo)),
      )
      .sort((a, b) => b.lodgedAt.localeCompare(a.lodgedAt))
      .map(copy);
  }
}
