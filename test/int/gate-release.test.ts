import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { DeclarationInput } from '../../events/v1/declaration';
import { DynamoPortReader } from '../../shared/adapters/dynamodb/dynamodb-port-reader';
import { type DeclarationDependencies, decideDeclaration, lodgeDeclaration } from '../../shared/use-cases/declarations';
import { testDeclarationDependencies } from '../support/declaration-deps';
import { gate, nextId, PORT, topicOf } from '../support/envelopes';
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
  local = await startLocalTable(`kouan-gate-${process.pid}`);
  ({ handler } = await import('../../functions/ingest/handler'));
  deps = testDeclarationDependencies(local);
});
afterAll(async () => {
  await local.stop();
});

const lodge = (container: string) =>
  lodgeDeclaration(deps, officer, {
    ...OPEN_DECLARATION,
    reference: nextId('ref'),
    containers: [container],
  } as DeclarationInput);

describe('one-stop gate release (ingest handler against dynalite)', () => {
  it('publishes open for a released truck and hold for another, once per exit, and records both decisions', async () => {
    const released = await lodge('CSQU3054383');
    await decideDeclaration(deps, officer, released.id, { action: 'release', reason: 'documents checked' });
    const open = await lodge('TGHU7599330');
    const exitReleased = gate('out', 'SH-C3003', ['CSQU3054383']);
    const exitHeld = gate('out', 'SH-C3004', ['TGHU7599330']);

    const res = await handler(
      kinesisEvent([
        { topic: topicOf('gate', 'gate-out-1'), payload: exitReleased },
        { topic: topicOf('gate', 'gate-out-2'), payload: exitHeld },
        { topic: topicOf('gate', 'gate-out-1'), payload: gate('in', 'SH-C3005', ['CSQU3054383']) },
      ]),
      ctx,
    );
    await handler(kinesisEvent([{ topic: topicOf('gate', 'gate-out-1'), payload: exitReleased }]), ctx);

    expect(res.batchItemFailures).toEqual([]);
    expect(local.published).toHaveLength(2);
    const byPlate = new Map(local.published.map((p) => [(p.payload as { plate: string }).plate, p]));
    expect(byPlate.get('SH-C3003')).toMatchObject({
      topic: `kouan/v1/${PORT}/gate/gate-out-1/commands`,
      qos: 1,
      payload: { action: 'open', plate: 'SH-C3003', containers: ['CSQU3054383'] },
    });
    expect(byPlate.get('SH-C3004')).toMatchObject({
      topic: `kouan/v1/${PORT}/gate/gate-out-2/commands`,
      payload: { action: 'hold', plate: 'SH-C3004' },
    });
    const held = byPlate.get('SH-C3004')?.payload as { reason: string } | undefined;
    expect(held?.reason).toContain(open.id);
    const reader = new DynamoPortReader(local.db, local.tableName);
    const holds = await reader.listAlerts(PORT, 'gate.hold', { limit: 10 });
    const releases = await reader.listAlerts(PORT, 'gate.release', { limit: 10 });
    expect(holds.items.map((a) => a.subject.id)).toEqual(['SH-C3004']);
    expect(releases.items.map((a) => a.subject.id)).toEqual(['SH-C3003']);
  });
});
