import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { DeclarationInput } from '../../events/v1/declaration';
import { DynamoCustomsEventStore } from '../../shared/adapters/dynamodb/dynamodb-customs-event-store';
import { DynamoIngestStore } from '../../shared/adapters/dynamodb/dynamodb-ingest-store';
import { DynamoPortReader } from '../../shared/adapters/dynamodb/dynamodb-port-reader';
import { containerSubject } from '../../shared/domain/clearance/declaration-subjects';
import { createIngestBatchHandler } from '../../shared/platform/kinesis-batch';
import { type DeclarationDependencies, lodgeDeclaration } from '../../shared/use-cases/declarations';
import { reassessOnEvidence } from '../../shared/use-cases/reassess-on-evidence';
import { testDeclarationDependencies } from '../support/declaration-deps';
import { AIS_TYPE1, ais, gate, nextId, rpmAlarm, topicOf } from '../support/envelopes';
import { kinesisEvent } from '../support/kinesis-event';
import { lambdaContext } from '../support/lambda-context';
import { type LocalTable, startLocalTable } from '../support/local-table';
import { OPEN_DECLARATION } from '../support/route-samples';

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

let local: LocalTable;
let handler: Handler;
let deps: DeclarationDependencies;
const ctx = lambdaContext('kouan-ingest');
const officer = { sub: 'officer-1', roles: ['customs-officer' as const] };

beforeAll(async () => {
  local = await startLocalTable(`kouan-reassess-${process.pid}`);
  ({ handler } = await import('../../functions/ingest/handler'));
  deps = testDeclarationDependencies(local);
});
afterAll(async () => {
  await local.stop();
});

/** An open (yellow or red) declaration of a single container, lodged through the use case. */
async function lodgeOpen(container: string, truckPlate?: string) {
  const body = {
    ...OPEN_DECLARATION,
    reference: nextId('ref'),
    containers: [container],
    ...(truckPlate ? { transport: { ...OPEN_DECLARATION.transport, truckPlate } } : {}),
  } as DeclarationInput;
  const lodged = await lodgeDeclaration(deps, officer, body);
  expect(lodged.status).not.toBe('released');
  return lodged.id;
}

const reassessEntries = async (id: string) => (await deps.store.readLog(id)).filter((e) => e.action === 'reassess');

describe('device evidence re-assesses open declarations (ingest handler against dynalite)', () => {
  it('turns a declaration red with RPM_ALARM when its container alarms, once however often the message arrives', async () => {
    const id = await lodgeOpen('MSKU9070323');
    const alarm = rpmAlarm('MSKU9070323');

    const first = await handler(kinesisEvent([{ topic: topicOf('rpm', 'rpm-r1'), payload: alarm }]), ctx);
    const again = await handler(kinesisEvent([{ topic: topicOf('rpm', 'rpm-r1'), payload: alarm }]), ctx);

    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const d = await deps.store.get(id);
    expect(d).toMatchObject({ status: 'inspection', assessment: { lane: 'red' } });
    expect(d?.assessment.reasons.map((r) => r.code)).toContain('RPM_ALARM');
    const entries = await reassessEntries(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { sub: 'kouan-ingest', role: 'system' }, lane: 'red' });
    expect(d?.logHead.seq).toBe(entries[0]?.seq);
    // The re-assessment sent it to inspection: CUSI for its container, once.
    const events = await new DynamoCustomsEventStore(local.db, local.tableName).listByPort('CNSGH', undefined, {
      limit: 100,
    });
    const cusi = events.items.filter((e) => e.documentReference === id && e.equipmentEventTypeCode === 'CUSI');
    expect(cusi.map((e) => e.eventId)).toEqual([`${id}.${entries[0]?.seq}.CUSI.MSKU9070323`]);
  });

  it('finishes a committed re-assessment whose state write was lost, without a second entry', async () => {
    const id = await lodgeOpen('TGHU7599330');
    const evidence = {
      subjects: [containerSubject('TGHU7599330')],
      evidence: {
        radiationAlarms: [{ id: 'AL-crash-test', at: new Date().toISOString(), containers: ['TGHU7599330'] }],
      },
      factIds: ['AL-crash-test'],
    };
    const before = await deps.store.get(id);
    if (!before) throw new Error('declaration missing');
    await reassessOnEvidence(deps, evidence);
    const after = await deps.store.get(id);
    // Put the state back to before the re-assessment (its version moved on): the log is ahead of it, as after a crash.
    await deps.store.update({ ...before, version: (after?.version ?? 0) + 1 }, after?.version ?? 0);

    const outcome = await reassessOnEvidence(deps, evidence);

    expect(outcome.get(id)).toBe('unchanged');
    expect(await reassessEntries(id)).toHaveLength(1);
    expect(await deps.store.get(id)).toMatchObject({ assessment: { lane: 'red' }, logHead: after?.logHead });
  });

  it('sends a declaration to red when its truck passes the gate with a container it does not declare', async () => {
    const id = await lodgeOpen('CSQU3054383', 'SH-B2002');

    const res = await handler(
      kinesisEvent([
        { topic: topicOf('gate', 'gate-r1'), payload: gate('in', 'SH-B2002', ['CSQU3054383', 'MSKU9070323']) },
      ]),
      ctx,
    );

    expect(res.batchItemFailures).toEqual([]);
    const d = await deps.store.get(id);
    expect(d?.assessment.lane).toBe('red');
    expect(d?.assessment.reasons.map((r) => r.code)).toContain('UNDECLARED_CONTAINER');
  });

  it('sends an import to yellow CONTAINER_NOT_SEEN_AT_GATE when its declared truck leaves without a declared container', async () => {
    const plate = `SH-N${Date.now() % 10000}`;
    const lodged = await lodgeDeclaration(deps, officer, {
      ...OPEN_DECLARATION,
      reference: nextId('ref'),
      containers: ['CSQU3054383', 'TGHU7599330'],
      transport: { ...OPEN_DECLARATION.transport, truckPlate: plate },
    } as DeclarationInput);
    const before = await deps.store.get(lodged.id);

    // Arriving empty says nothing (an import's containers leave on the truck); leaving with one of two does.
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-n1'), payload: gate('in', plate, []) }]), ctx);
    expect((await reassessEntries(lodged.id)).length).toBe(0);
    const res = await handler(
      kinesisEvent([{ topic: topicOf('gate', 'gate-n2'), payload: gate('out', plate, ['CSQU3054383']) }]),
      ctx,
    );

    expect(res.batchItemFailures).toEqual([]);
    const d = await deps.store.get(lodged.id);
    expect(d?.assessment.reasons.map((r) => r.code)).toContain('CONTAINER_NOT_SEEN_AT_GATE');
    expect(['yellow', 'red']).toContain(d?.assessment.lane);
    expect(d?.assessment.score).toBeGreaterThanOrEqual(before?.assessment.score ?? 0);
  });

  it('raises ais.dark when the declared vessel is heard again after a silence near the port, and re-assesses it VESSEL_DARK_NEAR_PORT', async () => {
    const mmsi = 371798000; // the vessel of AIS_TYPE1 (real gpsd traffic)
    const lodged = await lodgeDeclaration(deps, officer, {
      ...OPEN_DECLARATION,
      reference: nextId('ref'),
      containers: ['MSKU9070323'],
      transport: { mode: 'sea', vesselMmsi: mmsi },
    } as DeclarationInput);
    const t0 = Date.now() - 3 * 3_600_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

    for (const minutes of [0, 5, 80]) {
      const res = await handler(
        kinesisEvent([{ topic: topicOf('ais', 'ais-dark-1'), payload: ais([AIS_TYPE1], { observedAt: at(minutes) }) }]),
        ctx,
      );
      expect(res.batchItemFailures).toEqual([]);
    }

    const alerts = await new DynamoPortReader(local.db, local.tableName).listAlerts('CNSGH', 'ais.dark', { limit: 10 });
    const dark = alerts.items.filter((a) => a.subject.id === String(mmsi));
    expect(dark).toHaveLength(1);
    expect(dark[0]?.evidence).toMatchObject({ gapMinutes: 75, lastSeenAt: at(5), reappearedAt: at(80) });
    const d = await deps.store.get(lodged.id);
    expect(d?.assessment.reasons.map((r) => r.code)).toContain('VESSEL_DARK_NEAR_PORT');
    expect(['yellow', 'red']).toContain(d?.assessment.lane);
  });

  it('leaves a released declaration alone', async () => {
    const lodged = await lodgeDeclaration(deps, officer, {
      ...OPEN_DECLARATION,
      reference: nextId('ref'),
      containers: ['MSKU9070323'],
    } as DeclarationInput);
    const { reroute } = { reroute: { action: 'release' as const, reason: 'documents checked' } };
    const { decideDeclaration } = await import('../../shared/use-cases/declarations');
    await decideDeclaration(deps, officer, lodged.id, reroute);

    await handler(kinesisEvent([{ topic: topicOf('rpm', 'rpm-r3'), payload: rpmAlarm('MSKU9070323') }]), ctx);

    const d = await deps.store.get(lodged.id);
    expect(d?.status).toBe('released');
    expect(await reassessEntries(lodged.id)).toHaveLength(0);
  });

  it('reports the record as a batch item failure when re-assessment fails, and applies it on the retry', async () => {
    const ingestStore = new DynamoIngestStore(local.db, {
      tableName: local.tableName,
      dedupeWindowHours: 192,
      trackRetentionHours: 48,
    });
    const failing = createIngestBatchHandler(ingestStore, new Logger({ logLevel: 'SILENT' }), {
      evidence: {
        evidence: async () => {
          throw new Error('declaration store unavailable');
        },
      },
    });
    const id = await lodgeOpen('CSQU3054383');
    const alarm = rpmAlarm('CSQU3054383');
    const event = kinesisEvent([{ topic: topicOf('rpm', 'rpm-r9'), payload: alarm }]);

    const failed = await failing(event, ctx);
    const retried = await handler(event, ctx);

    expect(failed.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect((await deps.store.get(id))?.assessment.lane).toBe('red');
  });
});
