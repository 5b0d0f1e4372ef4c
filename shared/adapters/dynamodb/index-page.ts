import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PageRequest, PageResult } from '../../ports/port-reader';
import { decodePageToken, encodePageToken } from './page-token';

/** Filters applied after DynamoDB's `Limit`: a page may come back short (even empty) and still carry a nextToken. */
export interface PageFilter {
  names: Record<string, string>;
  values: Record<string, unknown>;
  conditions: string[];
}

/**
 * One page of an index partition (gsi1 or gsi2), the list shape of every `GET` that lists: a `nextToken` is the
 * LastEvaluatedKey, checked on the way back in to belong to the same partition.
 */
export async function queryIndexPage<T>(
  db: DynamoDBDocumentClient,
  table: string,
  query: { index: 'gsi1' | 'gsi2'; partition: string; newestFirst: boolean; filter?: PageFilter },
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<PageResult<T>> {
  const { index, partition, filter } = query;
  const pkAttr = `${index}pk`;
  const startKey = decodePageToken(page.nextToken, { attribute: pkAttr, value: partition }, [
    'pk',
    'sk',
    pkAttr,
    `${index}sk`,
  ]);
  const conditions = filter?.conditions ?? [];
  const res = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
      ExpressionAttributeNames: { '#pk': pkAttr, ...filter?.names },
      ExpressionAttributeValues: { ':pk': partition, ...filter?.values },
      ScanIndexForward: !query.newestFirst,
      Limit: page.limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  const nextToken = encodePageToken(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map(map), ...(nextToken ? { nextToken } : {}) };
}
