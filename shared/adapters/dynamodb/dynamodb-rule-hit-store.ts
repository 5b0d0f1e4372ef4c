import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CountedInspection, HitCount, RuleHitStore } from '../../ports/rule-hit-store';
import { keys } from './keys';

/**
 * Hit-rate counters on the port table: one item per criterion (`RULE#{id}`) and per selection source
 * (`SELECTED#{source}`) in the `RULEHITS` partition, each bumped with a single-item `ADD` (no read, no lost update).
 */
export class DynamoRuleHitStore implements RuleHitStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async count(inspection: CountedInspection): Promise<void> {
    const targets = [
      ...[...new Set(inspection.ruleIds)].map((id) => keys.ruleHits(`RULE#${id}`)),
      keys.ruleHits(`SELECTED#${inspection.selectedBy}`),
    ];
    await Promise.all(
      targets.map((Key) =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'ADD inspections :one, finds :found',
            ExpressionAttributeValues: { ':one': 1, ':found': inspection.found ? 1 : 0 },
          }),
        ),
      ),
    );
  }

  async counts(): Promise<{ rules: Map<string, HitCount>; selection: Map<string, HitCount> }> {
    const rules = new Map<string, HitCount>();
    const selection = new Map<string, HitCount>();
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.ruleHitsPartition },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of res.Items ?? []) {
        const sk = String(item.sk);
        const count = { inspections: Number(item.inspections ?? 0), finds: Number(item.finds ?? 0) };
        if (sk.startsWith('RULE#')) rules.set(sk.slice('RULE#'.length), count);
        else if (sk.startsWith('SELECTED#')) selection.set(sk.slice('SELECTED#'.length), count);
      }
      start = res.LastEvaluatedKey;
    } while (start);
    return { rules, selection };
  }
}
