import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Fix } from '../../domain/ais/dark-vessel';
import type {
  GateTransactionProjection,
  MessageSource,
  Projection,
  VesselPositionProjection,
  VesselStaticProjection,
} from '../../domain/ingest/ingest-plan';
import type { Alert, DeadLetter, EquipmentStatus, GateVisit } from '../../domain/model';
import type {
  AppliedProjection,
  DeviceTally,
  IngestSession,
  IngestStore,
  MessageLogEntry,
  MessageRef,
} from '../../ports/ingest-store';
import { inChunks } from './batch-requests';
import { isConditionalCheckFailed } from './document-client';
import { keys, mmsiSortKey } from './keys';

/** The previous fix a vessel item remembers (absent on its first position: then prev* equals the fix itself). */
function appliedFix(item: Record<string, unknown> | undefined): AppliedProjection {
  if (item === undefined || item.prevObservedAt === item.observedAt) return {};
  const { prevObservedAt, prevLat, prevLon, prevPort, imo } = item;
  if (typeof prevObservedAt !== 'string' || typeof prevLat !== 'number' || typeof prevLon !== 'number') return {};
  return {
    previousFix: { observedAt: prevObservedAt, lat: prevLat, lon: prevLon, port: String(prevPort) as Fix['port'] },
    ...(typeof imo === 'number' ? { imo } : {}),
  };
}

export interface DynamoIngestStoreOptions {
  tableName: string;
  /** How long a message key is remembered; longer than the stream's retention (checked by the stage config). */
  dedupeWindowHours: number;
  trackRetentionHours: number;
  now?: () => number;
}

/** IngestStore on DynamoDB: one session per batch of stream records. */
export class DynamoIngestStore implements IngestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly options: DynamoIngestStoreOptions,
  ) {}

  session(): IngestSession {
    return new DynamoIngestSession(this.db, this.options);
  }
}

type Item = Record<string, unknown> & { pk: string; sk: string };

/**
 * The plate item: which visit of a truck is open (`openVisitId`, `openedAt`), and the last exit (`closedAt`, the
 * message that closed it, and the visit it closed or the exit-only visit it created).
 */
const NO_VISIT = '-';

interface PlatePointer {
  openVisitId?: string;
  openedAt?: string;
  closedAt?: string;
  lastOutMessageKey?: string;
  closedVisitId?: string;
  lastOutOnlyVisitId?: string;
}

interface DeviceBatchTally {
  tally: DeviceTally;
  accepted: number;
  rejected: number;
}

/**
 * One batch's writes, with single-item conditional writes only (DESIGN.md "Data rules": no transactions). Every
 * projection write is guarded (by time or by existence) so that applying it again is harmless. The message log is
 * read once per batch (BatchGetItem) to drop duplicates, and written at the flush, after every effect; writes that
 * need no condition (track points, dead letters, log entries) go with BatchWriteItem, and each device's tally is
 * one update per batch: the emulator, and the bill, are per request.
 */
class DynamoIngestSession implements IngestSession {
  private readonly now: () => number;
  private readonly puts: Item[] = [];
  private readonly applied: Item[] = [];
  /** Messages the log holds (prefetched) or this batch took: `deviceId\u0000key`. */
  private readonly seen = new Set<string>();
  private readonly tallies = new Map<string, DeviceBatchTally>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly options: DynamoIngestStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private get table(): string {
    return this.options.tableName;
  }

  private expiresIn(hours: number, from = this.now()): number {
    return Math.floor(from / 1000) + hours * 3600;
  }

  private logItem(entry: MessageLogEntry): Item {
    return {
      ...keys.message(entry.deviceId, entry.key),
      ...entry,
      appliedAt: new Date(this.now()).toISOString(),
      expiresAt: this.expiresIn(this.options.dedupeWindowHours),
    };
  }

  async prefetch(messages: readonly MessageRef[]): Promise<void> {
    const unique = new Map<string, { pk: string; sk: string }>();
    for (const m of messages) unique.set(`${m.deviceId}\u0000${m.key}`, keys.message(m.deviceId, m.key));
    await inChunks('message log lookup', [...unique.values()], 100, async (chunk) => {
      const res = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: chunk,
              ConsistentRead: true,
              ProjectionExpression: 'deviceId, #k',
              ExpressionAttributeNames: { '#k': 'key' },
            },
          },
        }),
      );
      for (const item of res.Responses?.[this.table] ?? []) this.seen.add(`${item.deviceId}\u0000${item.key}`);
      return (res.UnprocessedKeys?.[this.table]?.Keys ?? []) as { pk: string; sk: string }[];
    });
  }

  claim(message: MessageRef): boolean {
    const id = `${message.deviceId}\u0000${message.key}`;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  async apply(source: MessageSource, messageId: string, p: Projection): Promise<AppliedProjection | undefined> {
    switch (p.type) {
      case 'vessel.position':
        return this.applyVesselPosition(source, p);
      case 'vessel.static':
        await this.applyVesselStatic(source, p);
        return undefined;
      case 'gate.transaction':
        await this.applyGate(source, messageId, p);
        return undefined;
      case 'alert':
        await this.putAlert(p.alert);
        return undefined;
      case 'equipment.status':
        await this.applyEquipment(p.equipment);
        return undefined;
    }
  }

  /**
   * The vessel's latest position, guarded by time. The same write keeps the fix it replaces (`prev*`: operands of
   * an update expression read the item as it was), so the dark-vessel check gets the previous fix without a read,
   * and a re-applied position (a retry after a crash) reads it back from the item.
   */
  private async applyVesselPosition(source: MessageSource, p: VesselPositionProjection): Promise<AppliedProjection> {
    const { position } = p;
    const values: Record<string, unknown> = {
      ':mmsi': p.mmsi,
      ':port': source.port,
      ':lat': position.lat,
      ':lon': position.lon,
      ':aisClass': position.aisClass,
      ':observedAt': position.observedAt,
      ':gsi1pk': keys.vesselsByPort(source.port),
      ':gsi1sk': mmsiSortKey(p.mmsi),
    };
    // Every attribute by #name: some (port, …) are DynamoDB reserved words.
    const names: Record<string, string> = {};
    for (const k of ['mmsi', 'port', 'lat', 'lon', 'aisClass', 'observedAt', 'gsi1pk', 'gsi1sk']) names[`#${k}`] = k;
    for (const k of ['prevObservedAt', 'prevLat', 'prevLon', 'prevPort']) names[`#${k}`] = k;
    const sets = [
      '#prevObservedAt = if_not_exists(#observedAt, :observedAt)',
      '#prevLat = if_not_exists(#lat, :lat)',
      '#prevLon = if_not_exists(#lon, :lon)',
      '#prevPort = if_not_exists(#port, :port)',
      ...['mmsi', 'port', 'lat', 'lon', 'aisClass', 'observedAt', 'gsi1pk', 'gsi1sk'].map((k) => `#${k} = :${k}`),
    ];
    const remove: string[] = [];
    for (const f of ['sog', 'cog', 'heading', 'navStatus'] as const) {
      names[`#${f}`] = f;
      if (position[f] === undefined) remove.push(`#${f}`);
      else {
        values[`:${f}`] = position[f];
        sets.push(`#${f} = :${f}`);
      }
    }
    // Track points are keyed by time: writing one twice is the same point, so they go with the batched puts.
    this.puts.push({
      ...keys.trackPoint(p.mmsi, position.observedAt),
      lat: position.lat,
      lon: position.lon,
      ...(position.sog !== undefined ? { sog: position.sog } : {}),
      ...(position.cog !== undefined ? { cog: position.cog } : {}),
      observedAt: position.observedAt,
      expiresAt: this.expiresIn(this.options.trackRetentionHours, Date.parse(position.observedAt)),
    });
    const key = keys.vessel(p.mmsi);
    let item: Record<string, unknown> | undefined;
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_not_exists(#observedAt) OR #observedAt < :observedAt',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      item = res.Attributes;
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
      // Older than the stored fix (out of order: no gap to report) or this very fix again (a retry: report it again).
      const res = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
      if (res.Item?.observedAt !== position.observedAt) return {};
      item = res.Item;
    }
    return appliedFix(item);
  }

  private async applyVesselStatic(source: MessageSource, p: VesselStaticProjection): Promise<void> {
    await this.guardedUpdate(
      keys.vessel(p.mmsi),
      // Not listed per port (gsi1) until a position arrives: the list promises lat/lon (CONTRACT.md §3).
      { mmsi: p.mmsi, port: source.port, staticObservedAt: p.observedAt, ...p.fields },
      [],
      'attribute_not_exists(staticObservedAt) OR staticObservedAt < :staticObservedAt',
    );
  }

  /**
   * Gate visits from in/out pairs of one plate. A plate item points at the open visit and remembers the last exit.
   * Writes are guarded by time, so re-applying a transaction (after a crash) changes nothing, and an exit seen
   * before its entry (the in-lane and out-lane cameras are different devices, on different shards) is joined
   * with that entry when it arrives instead of leaving an "out-only" visit and a visit that never closes.
   * The usual paths take two writes and no read: the local emulator, and the bill, are per request.
   */
  private async applyGate(source: MessageSource, messageId: string, p: GateTransactionProjection): Promise<void> {
    return p.direction === 'in' ? this.gateIn(source, p) : this.gateOut(source, messageId, p);
  }

  private async gateIn(source: MessageSource, p: GateTransactionProjection): Promise<void> {
    const plateKey = keys.plate(source.port, p.plate);
    const opened = await this.conditionalUpdate(
      plateKey,
      { openVisitId: p.visitIdIfNew, openedAt: p.observedAt },
      [],
      '(attribute_not_exists(openedAt) OR openedAt < :openedAt) AND (attribute_not_exists(closedAt) OR closedAt < :openedAt)',
    );
    if (!opened) {
      // Either a replay of this entry (already open) or an exit of this visit seen first: find out which.
      const pointer = (
        await this.db.send(new GetCommand({ TableName: this.table, Key: plateKey, ConsistentRead: true }))
      ).Item as PlatePointer | undefined;
      if (pointer?.lastOutOnlyVisitId && pointer.closedAt && pointer.closedAt > p.observedAt) {
        await this.conditionalUpdate(
          keys.visit(pointer.lastOutOnlyVisitId),
          { laneIn: p.laneId, inAt: p.observedAt, containers: p.containers, status: 'completed' },
          [],
          'attribute_exists(pk) AND attribute_not_exists(inAt)',
        );
        return;
      }
      if (pointer?.openVisitId !== p.visitIdIfNew) return;
    }
    // The pointer names this visit: create it (absent after a crash between the two writes, present on a replay).
    await this.putVisit(source, {
      visitId: p.visitIdIfNew,
      port: source.port,
      plate: p.plate,
      laneIn: p.laneId,
      inAt: p.observedAt,
      containers: p.containers,
      status: 'in-yard',
    });
  }

  private async gateOut(source: MessageSource, messageId: string, p: GateTransactionProjection): Promise<void> {
    const plateKey = keys.plate(source.port, p.plate);
    // Close the pointer and learn which visit was open, in one write (the old item comes back).
    let previous: PlatePointer | undefined;
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: plateKey,
          // closedVisitId keeps the id of the visit this exit closes ('-': none), for a replay after a crash.
          UpdateExpression:
            'SET lastOutMessageKey = :m, closedAt = :t, closedVisitId = if_not_exists(openVisitId, :none) REMOVE openVisitId, lastOutOnlyVisitId',
          ConditionExpression:
            '(attribute_not_exists(closedAt) OR closedAt < :t) AND (attribute_not_exists(openedAt) OR openedAt <= :t)',
          ExpressionAttributeValues: { ':m': messageId, ':t': p.observedAt, ':none': NO_VISIT },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = (res.Attributes ?? {}) as PlatePointer;
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
    if (previous === undefined) {
      // Not newer than the last exit: a replay of this exit (finish what it started) or a stale one (ignore).
      const pointer = (
        await this.db.send(new GetCommand({ TableName: this.table, Key: plateKey, ConsistentRead: true }))
      ).Item as PlatePointer | undefined;
      if (pointer?.lastOutMessageKey !== messageId) return;
      previous =
        pointer.closedVisitId && pointer.closedVisitId !== NO_VISIT ? { openVisitId: pointer.closedVisitId } : {};
    }
    if (previous.openVisitId) {
      await this.conditionalUpdate(
        keys.visit(previous.openVisitId),
        {
          laneOut: p.laneId,
          outAt: p.observedAt,
          status: 'completed',
          ...(p.containers.length > 0 ? { containersOut: p.containers } : {}),
        },
        [],
        'attribute_exists(pk) AND attribute_not_exists(outAt)',
      );
      return;
    }
    await this.putVisit(source, {
      visitId: p.visitIdIfNew,
      port: source.port,
      plate: p.plate,
      laneOut: p.laneId,
      outAt: p.observedAt,
      containers: p.containers,
      status: 'out-only',
    });
    await this.conditionalUpdate(plateKey, { lastOutOnlyVisitId: p.visitIdIfNew }, [], 'lastOutMessageKey = :m', {
      ':m': messageId,
    });
  }

  private async putVisit(source: MessageSource, visit: GateVisit): Promise<void> {
    const at = visit.inAt ?? visit.outAt ?? '';
    await this.putIfAbsent(keys.visit(visit.visitId), {
      ...visit,
      gsi1pk: keys.visitsByPort(source.port),
      gsi1sk: `${at}#${visit.visitId}`,
      gsi2pk: keys.visitsByPlate(source.port, visit.plate),
      gsi2sk: `${at}#${visit.visitId}`,
    });
  }

  private async putAlert(alert: Alert): Promise<void> {
    const sortKey = `${alert.observedAt}#${alert.alertId}`;
    await this.putIfAbsent(keys.alert(alert.alertId), {
      ...alert,
      gsi1pk: keys.alertsByPort(alert.port),
      gsi1sk: sortKey,
      gsi2pk: keys.alertsByType(alert.port, alert.type),
      gsi2sk: sortKey,
    });
  }

  private async applyEquipment(e: EquipmentStatus): Promise<void> {
    await this.guardedUpdate(
      keys.equipment(e.port, e.equipmentId),
      { ...e, gsi1pk: keys.equipmentByPort(e.port), gsi1sk: e.equipmentId },
      e.faultCode === undefined ? ['faultCode'] : [],
      'attribute_not_exists(observedAt) OR observedAt < :observedAt',
    );
  }

  deadLetter(deadLetters: readonly DeadLetter[]): void {
    for (const d of deadLetters) {
      const sortKey = `${d.receivedAt}#${d.id}`;
      this.puts.push({
        ...keys.deadLetter(d.id),
        ...d,
        gsi1pk: keys.deadLettersAll,
        gsi1sk: sortKey,
        gsi2pk: keys.deadLettersByDevice(d.deviceId),
        gsi2sk: sortKey,
      });
    }
  }

  done(entry: MessageLogEntry, tally: DeviceTally | undefined): void {
    this.applied.push(this.logItem(entry));
    if (!tally) return;
    const current = this.tallies.get(tally.source.deviceId);
    const accepted = (current?.accepted ?? 0) + (tally.outcome === 'accepted' ? 1 : 0);
    const rejected = (current?.rejected ?? 0) + (tally.outcome === 'rejected' ? 1 : 0);
    // Records of one device are handled in order, so the latest tally carries the newest time and key; the
    // newest health report wins unless this message had none.
    const health = tally.health ?? current?.tally.health;
    this.tallies.set(tally.source.deviceId, {
      tally: { ...tally, ...(health ? { health } : {}) },
      accepted,
      rejected,
    });
  }

  async flush(): Promise<void> {
    // Effects first (track points, dead letters, device tallies), the log last: a crash in between leaves the
    // messages out of the log, and applying them again is harmless.
    await Promise.all([this.batchPut(this.puts), ...[...this.tallies.values()].map((t) => this.writeTally(t))]);
    await this.batchPut(this.applied);
    this.puts.length = 0;
    this.applied.length = 0;
    this.tallies.clear();
  }

  private async batchPut(items: readonly Item[]): Promise<void> {
    await inChunks('batched writes', items, 25, async (chunk) => {
      const res = await this.db.send(
        new BatchWriteCommand({ RequestItems: { [this.table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }),
      );
      return (res.UnprocessedItems?.[this.table] ?? []).map((r) => r.PutRequest?.Item as Item);
    });
  }

  private async writeTally({ tally: t, accepted, rejected }: DeviceBatchTally): Promise<void> {
    const values: Record<string, unknown> = {
      ':id': t.source.deviceId,
      ':port': t.source.port,
      ':class': t.source.deviceClass,
      ':seen': t.source.receivedAt,
      ':k': t.messageKey,
      ':g1pk': keys.devicesByPort(t.source.port),
      ':accepted': accepted,
      ':rejected': rejected,
    };
    const sets = [
      'deviceId = :id',
      '#port = :port',
      'deviceClass = :class',
      'lastSeenAt = :seen',
      'lastMessageKey = :k',
      'gsi1pk = :g1pk',
      'gsi1sk = :id',
    ];
    if (t.health) {
      sets.push('health = :health', 'healthAt = :seen');
      values[':health'] = t.health.health;
      if (t.health.firmware) {
        sets.push('firmware = :fw');
        values[':fw'] = t.health.firmware;
      }
      if (t.health.uptimeS !== undefined) {
        sets.push('uptimeS = :up');
        values[':up'] = t.health.uptimeS;
      }
    } else {
      sets.push('health = if_not_exists(health, :unknown)');
      values[':unknown'] = 'unknown';
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.device(t.source.deviceId),
          UpdateExpression: `SET ${sets.join(', ')} ADD accepted :accepted, rejected :rejected`,
          // The guard makes a retried batch, and concurrent deliveries of the same message, count once (they end
          // on the same message). A retry after a crash between this update and the log write, split differently
          // by bisection, could count a message twice: the counts are operational statistics and never miss one.
          ConditionExpression: 'attribute_not_exists(lastMessageKey) OR lastMessageKey <> :k',
          ExpressionAttributeNames: { '#port': 'port' },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  private async putIfAbsent(key: { pk: string; sk: string }, item: object): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...item, ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }

  /** SET (and REMOVE) under a condition; a failed condition means "already newer or already done". */
  private async guardedUpdate(
    key: { pk: string; sk: string },
    set: Record<string, unknown>,
    remove: readonly string[],
    condition: string,
  ): Promise<void> {
    await this.conditionalUpdate(key, set, remove, condition);
  }

  /**
   * SET (and REMOVE) under a condition that refers to attributes by plain name and to the SET values as
   * `:name` (plus `extraValues`). Returns false when the condition failed.
   */
  private async conditionalUpdate(
    key: { pk: string; sk: string },
    set: Record<string, unknown>,
    remove: readonly string[],
    condition: string,
    extraValues: Record<string, unknown> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ...extraValues };
    const sets: string[] = [];
    for (const [k, v] of Object.entries(set)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    for (const r of remove) names[`#${r}`] = r;
    const expression = [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.map((r) => `#${r}`).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
      return false;
    }
  }
}
