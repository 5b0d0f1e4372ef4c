import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  GateTransactionProjection,
  MessageSource,
  Projection,
  VesselPositionProjection,
  VesselStaticProjection,
} from '../../domain/ingest/ingest-plan';
import type { Alert, DeadLetter, EquipmentStatus, GateVisit } from '../../domain/model';
import type { CommitResult, DeviceTally, IngestStore, MessageLogEntry } from '../../ports/ingest-store';
import { isConditionalCheckFailed } from './document-client';
import { keys, mmsiSortKey } from './keys';

export interface DynamoIngestStoreOptions {
  tableName: string;
  /** How long a message key is remembered; longer than the stream's retention (checked by the stage config). */
  dedupeWindowHours: number;
  trackRetentionHours: number;
  now?: () => number;
}

/**
 * IngestStore on DynamoDB with single-item conditional writes only (DESIGN.md "Data rules": no transactions).
 * Each projection write is guarded so that applying it again is harmless.
 */
export class DynamoIngestStore implements IngestStore {
  private readonly now: () => number;

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

  async commit(entry: MessageLogEntry): Promise<CommitResult> {
    const key = keys.message(entry.deviceId, entry.key);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key,
            ...entry,
            status: 'pending',
            committedAt: new Date(this.now()).toISOString(),
            expiresAt: this.expiresIn(this.options.dedupeWindowHours),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'new';
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return existing.Item?.status === 'applied' ? 'applied' : 'pending';
  }

  async markApplied(deviceId: string, key: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.message(deviceId, key),
        UpdateExpression: 'SET #s = :applied',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':applied': 'applied' },
      }),
    );
  }

  async apply(source: MessageSource, messageId: string, p: Projection): Promise<void> {
    switch (p.type) {
      case 'vessel.position':
        return this.applyVesselPosition(source, p);
      case 'vessel.static':
        return this.applyVesselStatic(source, p);
      case 'gate.transaction':
        return this.applyGate(source, messageId, p);
      case 'alert':
        return this.putAlert(p.alert);
      case 'equipment.status':
        return this.applyEquipment(p.equipment);
    }
  }

  private async applyVesselPosition(source: MessageSource, p: VesselPositionProjection): Promise<void> {
    const { position } = p;
    const set: Record<string, unknown> = {
      mmsi: p.mmsi,
      port: source.port,
      lat: position.lat,
      lon: position.lon,
      aisClass: position.aisClass,
      observedAt: position.observedAt,
      gsi1pk: keys.vesselsByPort(source.port),
      gsi1sk: mmsiSortKey(p.mmsi),
    };
    const remove: string[] = [];
    for (const f of ['sog', 'cog', 'heading', 'navStatus'] as const) {
      if (position[f] === undefined) remove.push(f);
      else set[f] = position[f];
    }
    await Promise.all([
      this.guardedUpdate(
        keys.vessel(p.mmsi),
        set,
        remove,
        'attribute_not_exists(observedAt) OR observedAt < :observedAt',
      ),
      // Track points are keyed by time: writing one twice is the same point (no condition needed).
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.trackPoint(p.mmsi, position.observedAt),
            lat: position.lat,
            lon: position.lon,
            ...(position.sog !== undefined ? { sog: position.sog } : {}),
            ...(position.cog !== undefined ? { cog: position.cog } : {}),
            observedAt: position.observedAt,
            expiresAt: this.expiresIn(this.options.trackRetentionHours, Date.parse(position.observedAt)),
          },
        }),
      ),
    ]);
  }

  private async applyVesselStatic(source: MessageSource, p: VesselStaticProjection): Promise<void> {
    await this.guardedUpdate(
      keys.vessel(p.mmsi),
      {
        mmsi: p.mmsi,
        port: source.port,
        gsi1pk: keys.vesselsByPort(source.port),
        gsi1sk: mmsiSortKey(p.mmsi),
        staticObservedAt: p.observedAt,
        ...p.fields,
      },
      [],
      'attribute_not_exists(staticObservedAt) OR staticObservedAt < :staticObservedAt',
    );
  }

  /**
   * Gate visits from in/out pairs. A plate item points at the open visit; closing records which message closed
   * it, so re-applying the same gate-out (after a crash) neither closes twice nor invents an exit-only visit.
   */
  private async applyGate(source: MessageSource, messageId: string, p: GateTransactionProjection): Promise<void> {
    const plateKey = keys.plate(source.port, p.plate);
    if (p.direction === 'in') {
      const visit: GateVisit = {
        visitId: p.visitIdIfNew,
        port: source.port,
        plate: p.plate,
        laneIn: p.laneId,
        inAt: p.observedAt,
        containers: p.containers,
        status: 'in-yard',
      };
      await this.putIfAbsent(keys.visit(visit.visitId), {
        ...visit,
        gsi1pk: keys.visitsByPort(source.port),
        gsi1sk: `${p.observedAt}#${visit.visitId}`,
        gsi2pk: keys.visitsByPlate(source.port, p.plate),
        gsi2sk: `${p.observedAt}#${visit.visitId}`,
      });
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: plateKey,
          UpdateExpression: 'SET openVisitId = :v, openedAt = :t',
          ExpressionAttributeValues: { ':v': visit.visitId, ':t': p.observedAt },
        }),
      );
      return;
    }

    const pointer = await this.db.send(new GetCommand({ TableName: this.table, Key: plateKey, ConsistentRead: true }));
    if (pointer.Item?.lastOutMessageKey === messageId) return;
    const openVisitId = pointer.Item?.openVisitId as string | undefined;
    if (openVisitId) {
      await this.guardedUpdate(
        keys.visit(openVisitId),
        {
          laneOut: p.laneId,
          outAt: p.observedAt,
          status: 'completed',
          ...(p.containers.length > 0 ? { containersOut: p.containers } : {}),
        },
        [],
        'attribute_exists(pk) AND attribute_not_exists(outAt)',
      );
    } else {
      const visit: GateVisit = {
        visitId: p.visitIdIfNew,
        port: source.port,
        plate: p.plate,
        laneOut: p.laneId,
        outAt: p.observedAt,
        containers: p.containers,
        status: 'out-only',
      };
      await this.putIfAbsent(keys.visit(visit.visitId), {
        ...visit,
        gsi1pk: keys.visitsByPort(source.port),
        gsi1sk: `${p.observedAt}#${visit.visitId}`,
        gsi2pk: keys.visitsByPlate(source.port, p.plate),
        gsi2sk: `${p.observedAt}#${visit.visitId}`,
      });
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: plateKey,
          UpdateExpression: 'SET lastOutMessageKey = :m, closedAt = :t REMOVE openVisitId',
          ConditionExpression: openVisitId ? 'openVisitId = :v' : 'attribute_not_exists(openVisitId)',
          ExpressionAttributeValues: {
            ':m': messageId,
            ':t': p.observedAt,
            ...(openVisitId ? { ':v': openVisitId } : {}),
          },
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
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

  async putDeadLetters(deadLetters: readonly DeadLetter[]): Promise<void> {
    // No condition is needed (ids are content-derived), so batch: the local emulator is write-bound.
    const requests = deadLetters.map((d) => {
      const sortKey = `${d.receivedAt}#${d.id}`;
      return {
        PutRequest: {
          Item: {
            ...keys.deadLetter(d.id),
            ...d,
            gsi1pk: keys.deadLettersAll,
            gsi1sk: sortKey,
            gsi2pk: keys.deadLettersByDevice(d.deviceId),
            gsi2sk: sortKey,
          },
        },
      };
    });
    for (let i = 0; i < requests.length; i += 25) {
      let pending: typeof requests | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`dead letters not stored after ${attempt} attempts (throttled)`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 10));
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = res.UnprocessedItems?.[this.table] as typeof requests | undefined;
      }
    }
  }

  async tallyDevice(t: DeviceTally): Promise<void> {
    const counter = t.outcome === 'accepted' ? 'accepted' : 'rejected';
    const other = t.outcome === 'accepted' ? 'rejected' : 'accepted';
    const values: Record<string, unknown> = {
      ':id': t.source.deviceId,
      ':port': t.source.port,
      ':class': t.source.deviceClass,
      ':seen': t.source.receivedAt,
      ':k': t.messageKey,
      ':g1pk': keys.devicesByPort(t.source.port),
      ':one': 1,
      ':zero': 0,
    };
    const sets = [
      'deviceId = :id',
      '#port = :port',
      'deviceClass = :class',
      'lastSeenAt = :seen',
      'lastMessageKey = :k',
      'gsi1pk = :g1pk',
      'gsi1sk = :id',
      `${other} = if_not_exists(${other}, :zero)`,
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
          UpdateExpression: `SET ${sets.join(', ')} ADD ${counter} :one`,
          // The guard makes a retried message (same key) count once; per-device order makes "last" sufficient.
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
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(set)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    for (const r of remove) names[`#${r}`] = r;
    // The condition refers to attributes by plain name; placeholders only for values.
    const expression = `SET ${sets.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.map((r) => `#${r}`).join(', ')}` : ''}`;
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
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  }
}
