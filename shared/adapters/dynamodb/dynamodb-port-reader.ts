import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Alert, DeadLetter, Device, GateVisit, TrackPoint, Vessel } from '../../domain/model';
import type { PageRequest, PageResult, PortReader } from '../../ports/port-reader';
import { queryIndexPage } from './index-page';
import { keys, withoutInternalAttributes } from './keys';

const clean = withoutInternalAttributes;

/** PortReader on the port table: every list is one Query on a GSI partition, newest first where time-keyed. */
export class DynamoPortReader implements PortReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private queryIndex<T>(
    index: 'gsi1' | 'gsi2',
    partition: string,
    page: PageRequest,
    newestFirst: boolean,
    map: (item: Record<string, unknown>) => T = (i) => clean<T>(i),
  ): Promise<PageResult<T>> {
    return queryIndexPage(this.db, this.tableName, { index, partition, newestFirst }, page, map);
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
