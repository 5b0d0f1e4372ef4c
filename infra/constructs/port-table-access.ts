import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { PORT_TABLE } from '../../shared/platform/port-table';

/** Item reads and single-item conditional writes (DESIGN.md: no transactions, no scans on the hot path). */
const READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** Item reads only: what the agency API needs while every write still arrives through the stream. */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** The table and each of its indexes, named one by one from `PORT_TABLE` (no `index/*`). */
const tableAndIndexArns = (table: dynamodb.ITable): string[] => [
  table.tableArn,
  ...PORT_TABLE.globalIndexes.map((i) => `${table.tableArn}/index/${i.indexName}`),
];

/**
 * Grants item read/write on the port table and its indexes, named one by one from `PORT_TABLE` (no `index/*`),
 * and use of the table's key only through DynamoDB. `table.grantReadWriteData` would add Scan, DescribeTable,
 * `index/*` and the kms:ReEncrypt* and kms:GenerateDataKey* wildcards.
 */
export function grantPortTableReadWrite(grantee: iam.IGrantable, table: dynamodb.ITable, key: kms.IKey): void {
  const region = Stack.of(table).region;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...READ_WRITE_ACTIONS],
      resources: tableAndIndexArns(table),
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
    }),
  );
}

/**
 * Grants item reads (GetItem, BatchGetItem, Query) on the port table and its indexes, and decryption with the table's
 * key only through DynamoDB. `table.grantReadData` would add Scan, DescribeTable, ConditionCheckItem and `index/*`.
 */
export function grantPortTableRead(grantee: iam.IGrantable, table: dynamodb.ITable, key: kms.IKey): void {
  const region = Stack.of(table).region;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...READ_ACTIONS], resources: tableAndIndexArns(table) }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
    }),
  );
}
