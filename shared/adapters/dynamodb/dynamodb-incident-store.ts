import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Incident, IncidentStatus } from '../../../events/v1/incidents';
import { StaleWriteError } from '../../ports/declaration-store';
import type { IncidentStore, OpenIncidentSubject } from '../../ports/incident-store';
import type { PageRequest, PageResult } from '../../ports/port-reader';
import { isConditionalCheckFailed } from './document-client';
import { queryIndexPage } from './index-page';
import { keys, withoutInternalAttributes } from './keys';

/** An incident as readers get it: without the table's attributes, and never with a token, whatever was stored. */
function clean(item: Record<string, unknown>): Incident {
  const { taskToken: _never, ...rest } = withoutInternalAttributes<Record<string, unknown>>(item);
  return rest as unknown as Incident;
}

/**
 * Incidents on the port table: `INCIDENT#{id}` / `STATE` (gsi1 per port, gsi2 per port and status, newest first),
 * with the task tokens (`TOKEN#{taskId}`) and suppressed duplicates (`DUP#{source}`) in the same partition, and the
 * dedupe window under `INCIDENTKEY#{port}#{type}#{subject}`. Every write is a single-item conditional put.
 */
export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claimDedupe(
    key: string,
    incidentId: string,
    now: string,
    windowEndsAt: string,
  ): Promise<{ claimed: true } | { claimed: false; incidentId: string }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.incidentDedupe(key), dedupeKey: key, incidentId, claimedAt: now, windowEndsAt },
          ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt <= :now OR incidentId = :id',
          ExpressionAttributeValues: { ':now': now, ':id': incidentId },
        }),
      );
      return { claimed: true };
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.incidentDedupe(key), ConsistentRead: true }),
    );
    const holder = res.Item?.incidentId;
    if (typeof holder !== 'string') throw new StaleWriteError(`dedupe key ${key} changed while claiming it`);
    return { claimed: false, incidentId: holder };
  }

  async create(incident: Incident): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.stateItem(incident),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async get(incidentId: string): Promise<Incident | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.incident(incidentId), ConsistentRead: true }),
    );
    return res.Item ? clean(res.Item) : undefined;
  }

  async update(incident: Incident, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: this.stateItem(incident),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (e) {
      if (isConditionalCheckFailed(e)) {
        throw new StaleWriteError(`incident ${incident.incidentId} changed since version ${expectedVersion}`);
      }
      throw e;
    }
  }

  async markDuplicate(incidentId: string, sourceId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.incidentDuplicate(incidentId, sourceId), incidentId, sourceId, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  }

  async putTaskToken(incidentId: string, taskId: string, taskToken: string, attempt: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.incidentTaskToken(incidentId, taskId), incidentId, taskId, taskToken, attempt },
          ConditionExpression: 'attribute_not_exists(pk) OR attempt <= :attempt',
          ExpressionAttributeValues: { ':attempt': attempt },
        }),
      );
    } catch (e) {
      // A newer attempt's token is there already (this dispatch is a late retry): it stays.
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  async getTaskToken(incidentId: string, taskId: string): Promise<{ taskToken: string; attempt: number } | undefined> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.incidentTaskToken(incidentId, taskId),
        ConsistentRead: true,
      }),
    );
    const item = res.Item;
    if (typeof item?.taskToken !== 'string' || typeof item.attempt !== 'number') return undefined;
    return { taskToken: item.taskToken, attempt: item.attempt };
  }

  async listByPort(port: string, status: IncidentStatus | undefined, page: PageRequest): Promise<PageResult<Incident>> {
    const index = status ? 'gsi2' : 'gsi1';
    const partition = status ? keys.incidentsByStatus(port, status) : keys.incidentsByPort(port);
    return queryIndexPage(this.db, this.table, { index, partition, newestFirst: true }, page, clean);
  }

  async openSubjects(port: string, max: number): Promise<OpenIncidentSubject[]> {
    const out: OpenIncidentSubject[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.incidentsByStatus(port, 'open') },
          ProjectionExpression: 'incidentId, containers, subject',
          ScanIndexForward: false,
          Limit: max - out.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      out.push(...((res.Items ?? []) as OpenIncidentSubject[]));
      start = res.LastEvaluatedKey;
    } while (start && out.length < max);
    return out;
  }

  private stateItem(i: Incident): Record<string, unknown> {
    const sortKey = `${i.raisedAt}#${i.incidentId}`;
    return {
      ...keys.incident(i.incidentId),
      gsi1pk: keys.incidentsByPort(i.port),
      gsi1sk: sortKey,
      gsi2pk: keys.incidentsByStatus(i.port, i.status),
      gsi2sk: sortKey,
      ...i,
    };
  }
}
