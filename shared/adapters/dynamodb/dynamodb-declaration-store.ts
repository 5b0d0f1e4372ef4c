import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DecisionLogEntry } from '../../../events/v1/declaration-audit';
import type { SubjectKey } from '../../domain/clearance/declaration-subjects';
import {
  type DeclarationFilter,
  type DeclarationStore,
  type ReferenceClaim,
  StaleWriteError,
  type StoredDeclaration,
} from '../../ports/declaration-store';
import type { PageRequest, PageResult } from '../../ports/port-reader';
import { inChunks } from './batch-requests';
import { isConditionalCheckFailed } from './document-client';
import { queryIndexPage } from './index-page';
import { keys, withoutInternalAttributes } from './keys';

const clean = withoutInternalAttributes;

/**
 * Declarations on the port table. One partition per declaration holds its state (`STATE`) and its decision log
 * (`LOG#{seq}`); the state item carries gsi1 (per port) and gsi2 (per declarant) for the lists, newest first.
 * Every write is a single-item conditional put: log entries on `attribute_not_exists` (append-only), the state on
 * its version.
 */
/** The subject index items of a declaration (`SUBJECT#{key}` / `DECL#{id}`). */
function subjectItems(d: Pick<StoredDeclaration, 'id' | 'port' | 'lodgedAt'>, subjects: readonly SubjectKey[]) {
  return subjects.map((subject) => ({
    ...keys.subjectDeclaration(subject, d.id),
    subject,
    declarationId: d.id,
    port: d.port,
    lodgedAt: d.lodgedAt,
  }));
}

export class DynamoDeclarationStore implements DeclarationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async startLog(
    entries: readonly DecisionLogEntry[],
    index?: { declaration: Pick<StoredDeclaration, 'id' | 'port' | 'lodgedAt'>; subjects: readonly SubjectKey[] },
  ): Promise<void> {
    const items: Record<string, unknown>[] = [
      ...entries.map((e) => ({ ...keys.declarationLog(e.declarationId, e.seq), ...e })),
      ...(index ? subjectItems(index.declaration, index.subjects) : []),
    ];
    await inChunks('decision log', items, 25, async (chunk) => {
      const res = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      return (res.UnprocessedItems?.[this.table] ?? []).map((r) => r.PutRequest?.Item as (typeof items)[number]);
    });
  }

  async appendLogEntry(entry: DecisionLogEntry): Promise<void> {
    await this.conditionalPut(
      { ...keys.declarationLog(entry.declarationId, entry.seq), ...entry },
      'attribute_not_exists(pk)',
      {},
      `entry ${entry.seq} of declaration ${entry.declarationId} exists already`,
    );
  }

  async claimReference(
    lodgedBy: string,
    reference: string,
    claim: ReferenceClaim,
  ): Promise<ReferenceClaim | undefined> {
    const key = keys.declarationReference(lodgedBy, reference);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, ...claim },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return undefined;
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    const { declarationId, bodyHash, claimedAt } = (res.Item ?? {}) as Partial<ReferenceClaim>;
    if (declarationId === undefined || bodyHash === undefined || claimedAt === undefined) {
      throw new Error(`reference claim of ${reference} is unreadable`);
    }
    return { declarationId, bodyHash, claimedAt };
  }

  async reassignReference(lodgedBy: string, reference: string, fromId: string, claim: ReferenceClaim): Promise<void> {
    await this.conditionalPut(
      { ...keys.declarationReference(lodgedBy, reference), ...claim },
      'declarationId = :from',
      { ':from': fromId },
      `reference ${reference} no longer names declaration ${fromId}`,
    );
  }

  async create(d: StoredDeclaration): Promise<void> {
    await this.conditionalPut(this.stateItem(d), 'attribute_not_exists(pk)', {}, `declaration ${d.id} exists already`);
  }

  async update(d: StoredDeclaration, expectedVersion: number): Promise<void> {
    await this.conditionalPut(
      this.stateItem(d),
      'version = :expected',
      { ':expected': expectedVersion },
      `declaration ${d.id} changed since version ${expectedVersion} was read`,
    );
  }

  async indexSubjects(
    d: Pick<StoredDeclaration, 'id' | 'port' | 'lodgedAt'>,
    subjects: readonly SubjectKey[],
  ): Promise<void> {
    const items = subjectItems(d, subjects);
    await inChunks('subject index', items, 25, async (chunk) => {
      const res = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      return (res.UnprocessedItems?.[this.table] ?? []).map((r) => r.PutRequest?.Item as (typeof items)[number]);
    });
  }

  async declarationIdsBySubject(subject: SubjectKey): Promise<string[]> {
    const { pk } = keys.subjectDeclaration(subject, '');
    const out: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :decl)',
          ExpressionAttributeValues: { ':pk': pk, ':decl': 'DECL#' },
          ProjectionExpression: 'declarationId',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) if (typeof item.declarationId === 'string') out.push(item.declarationId);
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async get(id: string): Promise<StoredDeclaration | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.declaration(id), ConsistentRead: true }),
    );
    return res.Item ? clean<StoredDeclaration>(res.Item) : undefined;
  }

  async latestLogEntry(id: string): Promise<DecisionLogEntry | undefined> {
    const res = await this.db.send(
      new QueryCommand({
        ...this.logQuery(id),
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = res.Items?.[0];
    return item ? clean<DecisionLogEntry>(item) : undefined;
  }

  async readLog(id: string): Promise<DecisionLogEntry[]> {
    const out: DecisionLogEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({ ...this.logQuery(id), ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of res.Items ?? []) out.push(clean<DecisionLogEntry>(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  listByPort(port: string, filter: DeclarationFilter, page: PageRequest): Promise<PageResult<StoredDeclaration>> {
    return this.list('gsi1', keys.declarationsByPort(port), filter, page);
  }

  listByDeclarant(sub: string, filter: DeclarationFilter, page: PageRequest): Promise<PageResult<StoredDeclaration>> {
    return this.list('gsi2', keys.declarationsByDeclarant(sub), filter, page);
  }

  private logQuery(id: string): QueryCommandInput {
    return {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :log)',
      ExpressionAttributeValues: { ':pk': keys.declaration(id).pk, ':log': keys.declarationLogPrefix },
      ConsistentRead: true,
    };
  }

  private stateItem(d: StoredDeclaration): Record<string, unknown> {
    const sortKey = keys.declarationSortKey(d.lodgedAt, d.id);
    return {
      ...keys.declaration(d.id),
      gsi1pk: keys.declarationsByPort(d.port),
      gsi1sk: sortKey,
      gsi2pk: keys.declarationsByDeclarant(d.lodgedBy.sub),
      gsi2sk: sortKey,
      ...d,
    };
  }

  private async conditionalPut(
    item: Record<string, unknown>,
    condition: string,
    values: Record<string, unknown>,
    conflict: string,
  ): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: condition,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (e) {
      if (isConditionalCheckFailed(e)) throw new StaleWriteError(conflict);
      throw e;
    }
  }

  /**
   * One Query on an index partition. Status and lane are filters, applied after DynamoDB's `Limit`: a filtered page
   * may hold fewer than `limit` items (even none) and still carry a `nextToken`; follow it to the end.
   */
  private async list(
    index: 'gsi1' | 'gsi2',
    partition: string,
    filter: DeclarationFilter,
    page: PageRequest,
  ): Promise<PageResult<StoredDeclaration>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (filter.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#status = :status');
    }
    if (filter.lane !== undefined) {
      names['#lane'] = 'assessment';
      names['#laneField'] = 'lane';
      values[':lane'] = filter.lane;
      conditions.push('#lane.#laneField = :lane');
    }
    if (filter.referredTo !== undefined) {
      names['#referredTo'] = 'referredTo';
      values[':referredTo'] = filter.referredTo;
      conditions.push('contains(#referredTo, :referredTo)');
    }
    return queryIndexPage(
      this.db,
      this.table,
      { index, partition, newestFirst: true, filter: { names, values, conditions } },
      page,
      (i) => clean<StoredDeclaration>(i),
    );
  }
}
