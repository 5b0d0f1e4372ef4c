import type { Incident, IncidentStatus } from '../../events/v1/incidents';
import { StaleWriteError } from '../../shared/ports/declaration-store';
import type { IncidentStore } from '../../shared/ports/incident-store';
import type { PageRequest, PageResult } from '../../shared/ports/port-reader';

const copy = <T>(v: T): T => structuredClone(v);

/** The IncidentStore contract in memory (the DynamoDB adapter's int test checks the same behaviour on dynalite). */
export class InMemoryIncidentStore implements IncidentStore {
  readonly incidents = new Map<string, Incident>();
  readonly dedupe = new Map<string, { incidentId: string; windowEndsAt: string }>();
  readonly tokens = new Map<string, { taskToken: string; attempt: number }>();
  readonly duplicates = new Set<string>();

  async claimDedupe(key: string, incidentId: string, now: string, windowEndsAt: string) {
    const held = this.dedupe.get(key);
    if (held && held.windowEndsAt > now && held.incidentId !== incidentId) {
      return { claimed: false as const, incidentId: held.incidentId };
    }
    this.dedupe.set(key, { incidentId, windowEndsAt });
    return { claimed: true as const };
  }

  async create(incident: Incident): Promise<boolean> {
    if (this.incidents.has(incident.incidentId)) return false;
    this.incidents.set(incident.incidentId, copy(incident));
    return true;
  }

  async get(id: string): Promise<Incident | undefined> {
    const i = this.incidents.get(id);
    return i ? copy(i) : undefined;
  }

  async update(incident: Incident, expectedVersion: number): Promise<void> {
    if (this.incidents.get(incident.incidentId)?.version !== expectedVersion) {
      throw new StaleWriteError(`incident ${incident.incidentId} changed since version ${expectedVersion}`);
    }
    this.incidents.set(incident.incidentId, copy(incident));
  }

  async markDuplicate(incidentId: string, sourceId: string): Promise<boolean> {
    const key = `${incidentId}/${sourceId}`;
    if (this.duplicates.has(key)) return false;
    this.duplicates.add(key);
    return true;
  }

  async putTaskToken(incidentId: string, taskId: string, taskToken: string, attempt: number): Promise<void> {
    const key = `${incidentId}/${taskId}`;
    if ((this.tokens.get(key)?.attempt ?? 0) > attempt) return;
    this.tokens.set(key, { taskToken, attempt });
  }

  async getTaskToken(incidentId: string, taskId: string) {
    return this.tokens.get(`${incidentId}/${taskId}`);
  }

  async openSubjects(port: string, max: number) {
    const open = await this.listByPort(port, 'open', { limit: max });
    return open.items.map(({ incidentId, containers, subject }) => ({ incidentId, containers, subject }));
  }

  async listByPort(port: string, status: IncidentStatus | undefined, page: PageRequest): Promise<PageResult<Incident>> {
    const all = [...this.incidents.values()]
      .filter((i) => i.port === port && (status === undefined || i.status === status))
      .sort((a, b) => `${b.raisedAt}#${b.incidentId}`.localeCompare(`${a.raisedAt}#${a.incidentId}`));
    const start = page.nextToken ? Number(page.nextToken) : 0;
    const items = all.slice(start, start + page.limit).map(copy);
    const next = start + page.limit;
    return { items, ...(next < all.length ? { nextToken: String(next) } : {}) };
  }
}
