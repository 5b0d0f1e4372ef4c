import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert, DeadLetter, Device, GateVisit, TrackPoint, Vessel } from '../../domain/model';
import type { PageRequest, PageResult, PortReader } from '../../ports/port-reader';
import { keys, withoutInternalAttributes } from './keys';
import { decodePageToken, encodePageToken } from './page-token';

const clean = withoutInternalAttributes;

/** PortReader on the port table: every list is one Query on a GSI partition, newest first where time-keyed. */
export class DynamoPortReader implements PortReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async queryIndex<T>(
    index: 'gsi1' | 'gsi2',
    partition: string,
    page: PageRequest,
    newestFirst: boolean,
    map: (item: Record<string, unknown>) => T = (i) => clean<T>(i),
  ): Promise<PageResult<T>> {
    const pkAttr = `${index}pk`;
    const startKey = decodePageToken(page.nextToken, { attribute: pkAttr, value: partition }, [
      'pk',
      'sk',
      pkAttr,
      `${index}sk`,
    ]);
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': pkAttr },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: !newestFirst,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const nextToken = encodePageToken(res.LastEvaluatedKey);
    return { items: (res.Items ?? []).map(map), ...(nextToken ? { nextToken } : {}) };
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return res.Item ? clean<T>(res.Item) : undefined;
  }

  listVessels(port: string, page: PageRequest): Promise<PageResult<Vessel>> {
    return this.queryIndex('gsi1', keys.vesselsByPort(port), page, false);
  }

  async getVessel(mmsi: number, trackLimit: number): Promise<Vessel | undefined> {
    const vessel = await this.get<Vessel>(keys.vessel(mmsi));
    if (!vessel) return undefined;
    if (trackLimit === 0) return { ...vessel, track: [] };
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :track)',
        ExpressionAttributeValues: { ':pk': keys.vessel(mmsi).pk, ':track': keys.trackPrefix },
        ScanIndexForward: false,
        Limit: trackLimit,
      }),
    );
    return { ...vessel, track: (res.Items ?? []).map((i) => clean<TrackPoint>(i)) };
  }

  listGateVisits(port: string, plate: string | undefined, page: PageRequest): Promise<PageResult<GateVisit>> {
    return plate
      ? this.queryIndex('gsi2', keys.visitsByPlate(port, plate), page, true)
      : this.queryIndex('gsi1', keys.visitsByPort(port), page, true);
  }

  listDevices(port: string, page: PageRequest): Promise<PageResult<Device>> {
    return this.queryIndex('gsi1', keys.devicesByPort(port), page, false, deviceOf);
  }

  async getDevice(deviceId: string): Promise<Device | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.device(deviceId) }));
    return res.Item ? deviceOf(res.Item) : undefined;
  }

  listDeadLetters(deviceId: string | undefined, page: PageRequest): Promise<PageResult<DeadLetter>> {
    return deviceId
      ? this.queryIndex('gsi2', keys.deadLettersByDevice(deviceId), page, true)
      : this.queryIndex('gsi1', keys.deadLettersAll, page, true);
  }

  listAlerts(port: string, type: string | undefined, page: PageRequest): Promise<PageResult<Alert>> {
    return type
      ? this.queryIndex('gsi2', keys.alertsByType(port, type), page, true)
      : this.queryIndex('gsi1', keys.alertsByPort(port), page, true);
  }
}

function deviceOf(item: Record<string, unknown>): Device {
  const d = clean<Device & { healthAt?: string }>(item);
  return { ...d, accepted: d.accepted ?? 0, rejected: d.rejected ?? 0, health: d.health ?? 'unknown' };
}
