import { Match } from 'aws-cdk-lib/assertions';
import { PORT_TABLE } from '../../shared/platform/port-table';
import { onlyResource, synthKouan } from './fixture';

describe('stateful stack (dev)', () => {
  const { stacks, stateful } = synthKouan();
  const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] };

  it('is named by stage and tagged with project, stage and port', () => {
    expect(stacks.stateful.stackName).toBe('Kouan-dev-Stateful');
    expect(stacks.stateful.terminationProtection).toBe(false);
    const table = onlyResource(stateful, 'AWS::DynamoDB::Table');
    expect(table.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'project', Value: 'kouan' },
        { Key: 'stage', Value: 'dev' },
        { Key: 'port', Value: 'CNSGH' },
      ]),
    );
  });

  it('has one customer-managed key with rotation on', () => {
    stateful.resourceCountIs('AWS::KMS::Key', 1);
    stateful.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    stateful.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/kouan-dev-data' });
  });

  it('lets CloudWatch Logs use the key only for Kouan log groups of the stage', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsForKouanLogGroups',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:/kouan/dev/\\*$')])],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('builds the port table from PORT_TABLE: keys, on-demand billing, PITR, deletion protection, KMS, TTL', () => {
    const table = onlyResource(stateful, 'AWS::DynamoDB::Table');
    expect(table).toMatchObject({
      KeySchema: [
        { AttributeName: PORT_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: PORT_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: PORT_TABLE.ttlAttribute, Enabled: true },
    });
    stateful.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: keyArn } });
  });

  it('creates every GSI of PORT_TABLE with projection ALL', () => {
    const table = onlyResource(stateful, 'AWS::DynamoDB::Table');
    expect(table.GlobalSecondaryIndexes).toEqual(
      PORT_TABLE.globalIndexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('encrypts the device stream with the customer key and sizes it from config', () => {
    stateful.hasResourceProperties('AWS::Kinesis::Stream', {
      RetentionPeriodHours: 24,
      ShardCount: 1,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: keyArn },
    });
  });

  it('makes the failure queue encrypted with the customer key and TLS-only', () => {
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: keyArn,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets dev tear its data down (but only once deletion protection is turned off)', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue', 'AWS::KMS::Key']) {
      stateful.hasResource(type, { DeletionPolicy: 'Delete' });
    }
    const unprotected = synthKouan({ tableDeletionProtection: 'false' }).stateful;
    unprotected.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});

describe('stateful stack (prod)', () => {
  const { stacks, stateful } = synthKouan({
    stage: 'prod',
    portCode: 'NLRTM',
    riskSeed: 'prod-test-selectivity-seed',
    region: 'eu-west-1',
  });

  it('is protected from deletion and retains every resource that holds data', () => {
    expect(stacks.stateful.stackName).toBe('Kouan-prod-Stateful');
    expect(stacks.stateful.terminationProtection).toBe(true);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue', 'AWS::KMS::Key']) {
      stateful.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    stateful.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('uses an on-demand stream with a week of retention', () => {
    const stream = onlyResource(stateful, 'AWS::Kinesis::Stream');
    expect(stream).toMatchObject({ RetentionPeriodHours: 168, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    expect(stream.ShardCount).toBeUndefined();
  });

  it('tags resources with the configured port', () => {
    expect(onlyResource(stateful, 'AWS::Kinesis::Stream').Tags).toEqual(
      expect.arrayContaining([{ Key: 'port', Value: 'NLRTM' }]),
    );
  });
});
