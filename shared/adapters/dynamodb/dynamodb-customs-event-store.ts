import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CustomsEvent } from '../../../events/v1/customs-events';
import type { CustomsEventStore } from '../../ports/customs-event-store';
import type { PageRequest, PageResult } from '../../ports/port-reader';
import { isConditionalCheckFailed } from './document-client';
import { keys, withoutInternalAttributes } from './keys';
import { decodePageToken, encodePageToken } from './page-token';

/**
 * Customs events on the port table: one item per event (`EVENT#{eventId}`), put once with `attribute_not_exists`;
 * gsi1 lists a port's events by creation time, newest first.
 */
export class DynamoCustomsEventStore implements CustomsEventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(events: readonly CustomsEvent[]): Promise<void> {
    // Side by side: each event is its own conditional put, so the order does not matter.
    await Promise.all(events.map((e) => this.appendOne(e)));
  }

  private async appendOne(e: CustomsEvent): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.customsEvent(e.eventId),
            gsi1pk: keys.customsEventsByPort(e.port),
            gsi1sk: `${e.eventCreatedDateTime}#${e.eventId}`,
            ...e,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      // Written before (a retried request): the first write stands, with its creation time.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async listByPort(port: string, since: string | undefined, page: PageRequest): Promise<PageResult<CustomsEvent>> {
    const partition = keys.customsEventsByPort(port);
    const startKey = decodePageToken(page.nextToken, { attribute: 'gsi1pk', value: partition }, [
      'pk',
      'sk',
      'gsi1pk',
      'gsi1sk',
    ]);
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: since ? 'gsi1pk = :pk AND gsi1sk >= :since' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition, ...(since ? { ':since': since } : {}) },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = (res.Items ?? []).map((item) => withoutInternalAttributes<CustomsEvent>(item));
    const nextToken = encodePageToken(res.LastEvaluatedKey);
    return { items, ...(nextToken ? { nextToken } : {}) };
  }
}
