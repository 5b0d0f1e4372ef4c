import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import { DynamoPortReader } from '../../shared/adapters/dynamodb/dynamodb-port-reader';
import { encodeAisMessage } from '../../shared/domain/ais/ais-encoder';
import type { AisMessage } from '../../shared/domain/ais/ais-message';
import { createIngestBatchHandler } from '../../shared/platform/kinesis-batch';
import type { IngestStore } from '../../shared/ports/ingest-store';
import { AIS_TYPE1, ais, envelope, gate, heartbeat, PORT, rpmAlarm, topicOf } from '../support/envelopes';
import { kinesisEvent, kinesisRecord, type Publish, rawKinesisRecord } from '../support/kinesis-event';
import { lambdaContext } from '../support/lambda-context';
import { type LocalTable, startLocalTable } from '../support/local-table';

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

let local: LocalTable;
let handler: Handler;
let reader: DynamoPortReader;
const ctx = lambdaContext('kouan-ingest');

beforeAll(async () => {
  local = await startLocalTable();
  // The real handler module, loaded after the environment points at the emulators.
  ({ handler } = await import('../../functions/ingest/handler'));
  reader = new DynamoPortReader(local.db, local.tableName);
});
afterAll(async () => {
  await local.stop();
});

const failedIds = (r: KinesisStreamBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier);
const deviceOf = (id: string) => reader.getDevice(id);

describe('ingest handler against DynamoDB (dynalite)', () => {
  it('projects every device kind into the port database', async () => {
    const res = await handler(
      kinesisEvent([
        { topic: topicOf('gate', 'gate-a1'), payload: gate('in', 'SH-A1001') },
        { topic: topicOf('ais', 'ais-a1'), payload: ais() },
        { topic: topicOf('rpm', 'rpm-a1'), payload: rpmAlarm('MSKU9070323') },
        { topic: topicOf('gate', 'gate-a1'), payload: heartbeat('degraded') },
      ]),
      ctx,
    );
    expect(res.batchItemFailures).toEqual([]);
    const visits = await reader.listGateVisits(PORT, 'SH-A1001', { limit: 10 });
    expect(visits.items).toHaveLength(1);
    expect(visits.items[0]).toMatchObject({
      plate: 'SH-A1001',
      status: 'in-yard',
      laneIn: 'IN-1',
      containers: [{ number: 'CSQU3054383', checkDigitValid: true }],
    });
    const vessel = await reader.getVessel(371798000, 10);
    expect(vessel).toMatchObject({ mmsi: 371798000, port: PORT, aisClass: 'A', sog: 12.3, cog: 224, heading: 215 });
    expect(vessel?.lat).toBeCloseTo(48.3816333, 5);
    expect(vessel?.track).toHaveLength(1);
    const alerts = await reader.listAlerts(PORT, 'rpm.alarm', { limit: 10 });
    expect(alerts.items.map((a) => a.subject)).toContainEqual({ kind: 'container', id: 'MSKU9070323' });
    expect(await deviceOf('gate-a1')).toMatchObject({
      accepted: 2,
      rejected: 0,
      health: 'degraded',
      deviceClass: 'gate',
    });
  });

  it('lists a vessel per port only once it has a position, with the static data heard before', async () => {
    // Real two-part type 5 (gpsd test/sample.aivdm, BSD-2-Clause): EVER DIADEM, MMSI 351759000.
    const type5 = [
      '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
      '!AIVDM,2,2,1,A,88888888880,2*25',
    ];
    await handler(kinesisEvent([{ topic: topicOf('ais', 'ais-static'), payload: ais(type5) }]), ctx);
    expect(await reader.getVessel(351759000, 5)).toMatchObject({ name: 'EVER DIADEM', imo: 9134270 });
    const listed = async () => (await reader.listVessels(PORT, { limit: 100 })).items.some((v) => v.mmsi === 351759000);
    expect(await listed()).toBe(false);

    const position = encodeAisMessage({
      type: 1,
      repeat: 0,
      mmsi: 351759000,
      navStatus: 1,
      rot: 0,
      sog: 0.2,
      lon: 121.55,
      lat: 31.35,
      cog: 87.5,
      heading: 90,
      timestamp: 30,
      maneuver: 0,
      accuracy: true,
      raim: false,
    } as AisMessage);
    await handler(kinesisEvent([{ topic: topicOf('ais', 'ais-static'), payload: ais(position) }]), ctx);
    expect(await listed()).toBe(true);
    expect(await reader.getVessel(351759000, 5)).toMatchObject({
      name: 'EVER DIADEM',
      lat: 31.35,
      lon: 121.55,
      navStatus: 1,
    });
  });

  it('closes a visit on gate-out of the same plate and keeps in/out order within one batch', async () => {
    const res = await handler(
      kinesisEvent([
        { topic: topicOf('gate', 'gate-b1'), payload: gate('in', 'SH-B2002', ['CSQU3054383', 'MSKU9070324']) },
        { topic: topicOf('gate', 'gate-b1'), payload: gate('out', 'SH-B2002', []) },
      ]),
      ctx,
    );
    expect(res.batchItemFailures).toEqual([]);
    const { items } = await reader.listGateVisits(PORT, 'SH-B2002', { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'completed', laneIn: 'IN-1', laneOut: 'OUT-2' });
    expect(items[0]?.containers).toEqual([
      { number: 'CSQU3054383', checkDigitValid: true },
      { number: 'MSKU9070324', checkDigitValid: false },
    ]);
    const invalid = await reader.listAlerts(PORT, 'gate.container.invalid', { limit: 10 });
    expect(invalid.items.map((a) => a.subject.id)).toContain('MSKU9070324');
  });

  it('joins an exit seen before its entry (in-lane and out-lane cameras are different devices)', async () => {
    const inAt = new Date(Date.now() - 60_000).toISOString();
    const gin = gate('in', 'SH-LATEIN', ['CSQU3054383'], { observedAt: inAt });
    const gout = gate('out', 'SH-LATEIN', []);
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-outlane'), payload: gout }]), ctx);
    expect((await reader.listGateVisits(PORT, 'SH-LATEIN', { limit: 10 })).items[0]?.status).toBe('out-only');
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-inlane'), payload: gin }]), ctx);
    const { items } = await reader.listGateVisits(PORT, 'SH-LATEIN', { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'completed', inAt, laneIn: 'IN-1', laneOut: 'OUT-2' });
  });

  describe.each([0, 4, 9])('garbage at position %i of a batch of 10', (position) => {
    const garbage = [
      { name: 'non-JSON', payload: 'this is not json {', code: 'INVALID_JSON' },
      { name: 'wrong kind', payload: envelope('gate.teleport', {}), code: 'UNKNOWN_KIND' },
      { name: 'oversized', payload: Buffer.alloc(130 * 1024, 0x61), code: 'PAYLOAD_TOO_LARGE' },
      {
        name: 'bad NMEA',
        payload: ais(['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B']),
        code: 'AIS_NO_VALID_SENTENCE',
      },
      { name: 'schema', payload: gate('in', 'X', ['A'], { observedAt: 'yesterday' }), code: 'SCHEMA_INVALID' },
    ];
    it.each(garbage)('$name is dead-lettered with $code, nothing else written, the rest processed', async (g) => {
      const badDevice = `bad-${position}-${g.code}`.toLowerCase();
      const plates = Array.from({ length: 9 }, (_, i) => `GP${position}${g.code.slice(0, 3)}${i}`);
      const publishes: Publish[] = plates.map((plate, i) => ({
        topic: topicOf('gate', `gate-g${i}`),
        payload: gate('in', plate),
      }));
      publishes.splice(position, 0, {
        topic: topicOf(g.code === 'AIS_NO_VALID_SENTENCE' ? 'ais' : 'gate', badDevice),
        payload: g.payload,
      });

      const res = await handler(kinesisEvent(publishes), ctx);

      expect(res.batchItemFailures).toEqual([]);
      const dl = await reader.listDeadLetters(badDevice, { limit: 10 });
      expect(dl.items).toHaveLength(1);
      expect(dl.items[0]).toMatchObject({ deviceId: badDevice, port: PORT, reason: { code: g.code } });
      expect(dl.items[0]?.reason.message.length).toBeGreaterThan(5);
      expect(await deviceOf(badDevice)).toMatchObject({ accepted: 0, rejected: 1 });
      for (const plate of plates) {
        expect((await reader.listGateVisits(PORT, plate, { limit: 5 })).items).toHaveLength(1);
      }
    });
  });

  it('dead-letters a record that did not come through the topic rule', async () => {
    const rec = rawKinesisRecord('whoever', Buffer.from('\u0000\u0001binary'));
    const res = await handler({ Records: [rec] }, ctx);
    expect(res.batchItemFailures).toEqual([]);
    const dl = await reader.listDeadLetters('unknown', { limit: 10 });
    expect(dl.items.map((d) => d.reason.code)).toContain('STREAM_RECORD_INVALID');
  });

  it('keeps good sentences of a publish and dead-letters the bad one', async () => {
    const bad = '!AIVDM,1,1,,B,25Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*61';
    const res = await handler(
      kinesisEvent([{ topic: topicOf('ais', 'ais-mixed'), payload: ais([AIS_TYPE1, bad]) }]),
      ctx,
    );
    expect(res.batchItemFailures).toEqual([]);
    const dl = await reader.listDeadLetters('ais-mixed', { limit: 10 });
    expect(dl.items).toHaveLength(1);
    expect(dl.items[0]?.reason.code).toBe('NMEA_BAD_CHECKSUM');
    expect(dl.items[0]?.excerpt).toBe(bad);
    expect(await deviceOf('ais-mixed')).toMatchObject({ accepted: 1, rejected: 0 });
  });
});

describe('idempotency on messageId', () => {
  it('gives one effect for the same messageId three times (retries, QoS 1 duplicates)', async () => {
    const msg = gate('in', 'SH-DUP3');
    for (let i = 0; i < 3; i++) {
      const res = await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-dup3'), payload: msg }]), ctx);
      expect(res.batchItemFailures).toEqual([]);
    }
    expect((await reader.listGateVisits(PORT, 'SH-DUP3', { limit: 10 })).items).toHaveLength(1);
    expect(await deviceOf('gate-dup3')).toMatchObject({ accepted: 1 });
  });

  it('gives one effect for the same messageId ten times concurrently', async () => {
    const msg = rpmAlarm('TGHU1234569');
    const gateMsg = gate('in', 'SH-DUP10');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        handler(
          kinesisEvent([
            { topic: topicOf('rpm', 'rpm-dup10'), payload: msg },
            { topic: topicOf('gate', 'gate-dup10'), payload: gateMsg },
          ]),
          ctx,
        ),
      ),
    );
    for (const r of results) expect(r.batchItemFailures).toEqual([]);
    const alerts = await reader.listAlerts(PORT, 'rpm.alarm', { limit: 100 });
    expect(alerts.items.filter((a) => a.deviceId === 'rpm-dup10')).toHaveLength(1);
    expect((await reader.listGateVisits(PORT, 'SH-DUP10', { limit: 10 })).items).toHaveLength(1);
    expect(await deviceOf('rpm-dup10')).toMatchObject({ accepted: 1 });
    expect(await deviceOf('gate-dup10')).toMatchObject({ accepted: 1 });
  });

  it('ignores a replay days later (after newer messages from the same device)', async () => {
    const first = gate('in', 'SH-REPLAY');
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-replay'), payload: first }]), ctx);
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-replay'), payload: gate('out', 'SH-REPLAY') }]), ctx);
    await handler(
      kinesisEvent([
        { topic: topicOf('gate', 'gate-replay'), payload: first, receivedAt: Date.now() + 3 * 86_400_000 },
      ]),
      ctx,
    );
    const { items } = await reader.listGateVisits(PORT, 'SH-REPLAY', { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]?.status).toBe('completed');
    expect(await deviceOf('gate-replay')).toMatchObject({ accepted: 2 });
  });

  it('counts the same garbage once', async () => {
    for (let i = 0; i < 3; i++) {
      await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-garbage3'), payload: 'not json' }]), ctx);
    }
    expect((await reader.listDeadLetters('gate-garbage3', { limit: 10 })).items).toHaveLength(1);
    expect(await deviceOf('gate-garbage3')).toMatchObject({ rejected: 1 });
  });
});

describe('partial batch failures', () => {
  /** A store whose writes fail for chosen messages, as a throttled or failing table would. */
  function failingStore(failFor: Set<string>, failAfter: Set<string> = new Set()): IngestStore {
    const real = new DynamoIngestStore(local.db, {
      tableName: local.tableName,
      dedupeWindowHours: 192,
      trackRetentionHours: 48,
    });
    return {
      session: () => {
        const inner = real.session();
        return {
          prefetch: (m) => inner.prefetch(m),
          claim: (m) => inner.claim(m),
          apply: async (source, messageId, p) => {
            if (failFor.has(messageId)) throw new Error(`ProvisionedThroughputExceededException for ${messageId}`);
            await inner.apply(source, messageId, p);
            // A crash after the write: the retry re-applies what was already written.
            if (failAfter.has(messageId)) throw new Error(`Lambda timed out after writing ${messageId}`);
          },
          deadLetter: (d) => inner.deadLetter(d),
          done: (e, t) => inner.done(e, t),
          flush: () => inner.flush(),
        };
      },
    };
  }
  const quietLogger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

  it.each([0, 5, 9])('reports only the poison record at position %i', async (position) => {
    const fail = new Set<string>();
    const batchHandler = createIngestBatchHandler(failingStore(fail), quietLogger);
    const records = Array.from({ length: 10 }, (_, i) => {
      const msg = gate('in', `PZ${position}-${i}`);
      if (i === position) fail.add(msg.messageId);
      return kinesisRecord({ topic: topicOf('gate', `gate-p${position}-${i}`), payload: msg });
    });
    const res = await batchHandler({ Records: records }, ctx);
    expect(failedIds(res)).toEqual([records[position]?.kinesis.sequenceNumber]);
  });

  it('holds back later records of the failed device and applies them in order on retry', async () => {
    const fail = new Set<string>();
    const batchHandler = createIngestBatchHandler(failingStore(fail), quietLogger);
    const gin = gate('in', 'SH-ORDER');
    const gout = gate('out', 'SH-ORDER');
    fail.add(gin.messageId);
    const records = [
      kinesisRecord({ topic: topicOf('gate', 'gate-order'), payload: gin }),
      kinesisRecord({ topic: topicOf('gate', 'gate-other'), payload: gate('in', 'SH-OTHER') }),
      kinesisRecord({ topic: topicOf('gate', 'gate-order'), payload: gout }),
    ];
    const first = await batchHandler({ Records: records }, ctx);
    expect(failedIds(first)).toEqual([records[0]?.kinesis.sequenceNumber, records[2]?.kinesis.sequenceNumber]);
    expect((await reader.listGateVisits(PORT, 'SH-ORDER', { limit: 10 })).items).toHaveLength(0);

    // The event source mapping retries from the first failed record, including those after it.
    fail.clear();
    const retry = await batchHandler({ Records: records }, ctx);
    expect(retry.batchItemFailures).toEqual([]);
    const { items } = await reader.listGateVisits(PORT, 'SH-ORDER', { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]?.status).toBe('completed');
    expect(await deviceOf('gate-order')).toMatchObject({ accepted: 2 });
    expect(await deviceOf('gate-other')).toMatchObject({ accepted: 1 });
  });

  it.each(['in', 'out'] as const)(
    're-applies a gate-%s written before a crash without a second effect',
    async (direction) => {
      const failAfter = new Set<string>();
      const batchHandler = createIngestBatchHandler(failingStore(new Set(), failAfter), quietLogger);
      const plate = `SH-CRASH-${direction}`.toUpperCase();
      const gin = gate('in', plate);
      const gout = gate('out', plate);
      failAfter.add((direction === 'in' ? gin : gout).messageId);
      const recIn = kinesisRecord({ topic: topicOf('gate', `gate-crash-${direction}`), payload: gin });
      const recOut = kinesisRecord({ topic: topicOf('gate', `gate-crash-${direction}`), payload: gout });
      const first = await batchHandler({ Records: [recIn, recOut] }, ctx);
      expect(first.batchItemFailures.length).toBeGreaterThan(0);
      failAfter.clear();
      const retryFrom = direction === 'in' ? [recIn, recOut] : [recOut];
      expect((await batchHandler({ Records: retryFrom }, ctx)).batchItemFailures).toEqual([]);
      const { items } = await reader.listGateVisits(PORT, plate, { limit: 10 });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ status: 'completed', laneIn: 'IN-1', laneOut: 'OUT-2' });
      expect(await deviceOf(`gate-crash-${direction}`)).toMatchObject({ accepted: 2 });
    },
  );

  it('applies a message again when a crash came before its log entry was written', async () => {
    const fail = new Set<string>();
    const batchHandler = createIngestBatchHandler(failingStore(fail), quietLogger);
    const msg = gate('in', 'SH-PENDING');
    fail.add(msg.messageId);
    const rec = kinesisRecord({ topic: topicOf('gate', 'gate-pending'), payload: msg });
    expect(failedIds(await batchHandler({ Records: [rec] }, ctx))).toHaveLength(1);
    fail.clear();
    expect((await batchHandler({ Records: [rec] }, ctx)).batchItemFailures).toEqual([]);
    expect((await reader.listGateVisits(PORT, 'SH-PENDING', { limit: 10 })).items).toHaveLength(1);
    expect(await deviceOf('gate-pending')).toMatchObject({ accepted: 1 });
  });
});
