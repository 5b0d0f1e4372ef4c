import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StaleWriteError } from '../../ports/declaration-store';
import type { RiskRuleStore, StoredRiskProfile } from '../../ports/risk-rule-store';
import { isConditionalCheckFailed } from './document-client';
import { keys } from './keys';

/**
 * Risk profile revisions on the port table: one item per revision in the `RISKPROFILE` partition, written once with
 * `attribute_not_exists` (the next number is the optimistic lock), read newest first.
 */
export class DynamoRiskRuleStore implements RiskRuleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async latestRevision(): Promise<number | undefined> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
        ExpressionAttributeValues: { ':pk': keys.riskProfilePartition, ':rev': keys.riskProfilePrefix },
        ProjectionExpression: 'revision',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const revision = res.Items?.[0]?.revision;
    return typeof revision === 'number' ? revision : undefined;
  }

  async get(revision: number): Promise<StoredRiskProfile | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.riskProfile(revision), ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const { revision: r, profile, publishedAt, publishedBy } = res.Item;
    return { revision: r, profile, publishedAt, publishedBy } as StoredRiskProfile;
  }

  async publish(stored: StoredRiskProfile): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.riskProfile(stored.revision), ...stored },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (isConditionalCheckFailed(e)) throw new StaleWriteError(`risk profile revision ${stored.revision} exists`);
      throw e;
    }
  }
}
