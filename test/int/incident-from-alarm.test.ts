import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { DeclarationInput } from '../../events/v1/declaration';
import type { Incident } from '../../events/v1/incidents';
import { DynamoIncidentStore } from '../../shared/adapters/dynamodb/dynamodb-incident-store';
import { EventBridgeNotifier } from '../../shared/adapters/eventbridge/eventbridge-notifier';
import { SfnTaskCallbacks } from '../../shared/adapters/stepfunctions/sfn-task-callbacks';
import { SfnWorkflowStarter } from '../../shared/adapters/stepfunctions/sfn-workflow-starter';
import { incidentIdFor } from '../../shared/domain/incidents/incident';
import { type DeclarationDependencies, lodgeDeclaration } from '../../shared/use-cases/declarations';
import {
  acknowledgeIncidentTask,
  completeIncidentTask,
  type IncidentDependencies,
  listIncidents,
} from '../../shared/use-cases/incidents';
import { testDeclarationDependencies } from '../support/declaration-deps';
import { nextId, rpmAlarm, topicOf } from '../support/envelopes';
import { kinesisEvent } from '../support/kinesis-event';
import { lambdaContext } from '../support/lambda-context';
import { type LocalTable, startLocalTable } from '../support/local-table';
import { OPEN_DECLARATION } from '../support/route-samples';

// A radiation alarm on the stream raises one incident (real ingest handler), the committed state machine plans and
// dispatches its tasks in the local runner (real workflow handler), the agencies answer through the use cases with
// the real SFN client, and the close holds the declaration: the whole loop against dynalite, on loopback.

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

let local: LocalTable;
let ingest: Handler;
let declarations: DeclarationDependencies;
let incidents: IncidentDependencies;
const ctx = lambdaContext('kouan-ingest');

beforeAll(async () => {
  local = await startLocalTable(`kouan-incidents-${process.pid}`);
  ({ handler: ingest } = await import('../../functions/ingest/handler'));
  declarations = testDeclarationDependencies(local);
  const sfn = new SFNClient({});
  incidents = {
    store: new DynamoIncidentStore(local.db, local.tableName),
    workflow: new SfnWorkflowStarter(sfn, local.jointControl.stateMachineArn),
    callbacks: new SfnTaskCallbacks(sfn),
    notifier: new EventBridgeNotifier(new EventBridgeClient({}), 'kouan-test-notifications'),
    servedPort: 'CNSGH',
  };
}, 30_000);
afterAll(async () => {
  await local?.stop();
});

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const get = (id: string) => incidents.store.get(id);

describe('joint control from a radiation alarm (ingest → state machine → agencies → close)', () => {
  it('raises one incident, dispatches three agencies, closes seized and holds the declaration', async () => {
    const container = 'MSKU9070323';
    const body = { ...OPEN_DECLARATION, reference: nextId('ref'), containers: [container] } as DeclarationInput;
    const lodged = await lodgeDeclaration(declarations, { sub: 'o', roles: ['customs-officer'] }, body);
    const alarm = rpmAlarm(container);
    const event = kinesisEvent([{ topic: topicOf('rpm', 'rpm-j1'), payload: alarm }]);

    expect((await ingest(event, ctx)).batchItemFailures).toEqual([]);
    expect((await ingest(event, ctx)).batchItemFailures).toEqual([]);

    const open = await listIncidents(incidents, { limit: 100, status: 'open' });
    const mine = open.items.filter((i) => i.subject.id === container);
    expect(mine).toHaveLength(1);
    const id = mine[0]?.incidentId ?? '';
    expect(mine[0]).toMatchObject({ type: 'radiation-alarm', agencies: ['customs', 'border', 'port-operator'] });

    const dispatched = await until('every task dispatched', async () => {
      const i = await get(id);
      return i && i.tasks.length === 3 && i.tasks.every((t) => t.status === 'dispatched') ? i : undefined;
    });
    expect(dispatched.tasks.map((t) => t.role)).toEqual(['customs-officer', 'border', 'port-operator']);
    const seen = local.notifications().filter((n) => (n.detail as { incidentId?: string }).incidentId === id);
    expect(seen.map((n) => [n.detailType, (n.detail as { audience: string }).audience])).toEqual(
      expect.arrayContaining([
        ['incident.raised', 'border'],
        ['task.dispatched', 'customs-officer'],
        ['task.dispatched', 'border'],
        ['task.dispatched', 'port-operator'],
      ]),
    );
    expect(JSON.stringify(seen)).not.toMatch(/taskToken/);

    await acknowledgeIncidentTask(incidents, { sub: 'b', roles: ['border'] }, id, 'border');
    await completeIncidentTask(incidents, { sub: 'b', roles: ['border'] }, id, 'border', { outcome: 'no-finding' });
    await completeIncidentTask(incidents, { sub: 'p', roles: ['port-operator'] }, id, 'port-operator', {
      outcome: 'cleared',
      findings: 'vehicle isolated in bay 3',
    });
    await completeIncidentTask(incidents, { sub: 'c', roles: ['customs-officer'] }, id, 'customs', {
      outcome: 'seized',
      findings: 'Cs-137 source in pallet 4',
    });

    const closed: Incident = await until('the incident closed', async () => {
      const i = await get(id);
      const told = local
        .notifications()
        .filter((n) => n.detailType === 'incident.closed' && (n.detail as { incidentId?: string }).incidentId === id);
      return i?.status === 'closed' && told.length === 3 ? i : undefined;
    });
    expect(closed.outcome).toBe('seized');
    expect(closed.responseTimes.firstAckMinutes).toEqual(expect.any(Number));
    expect(closed.feedback?.declarations).toEqual([{ declarationId: lodged.id, action: 'hold', result: 'applied' }]);
    expect((await declarations.store.get(lodged.id))?.status).toBe('held');
    // The alarm's alert raised it: its id derives from that alert, so a replay names the same incident.
    expect(id).toMatch(/^INC-[0-9a-f]{24}$/);
    expect(id).not.toBe(incidentIdFor({ kind: 'alert', id: 'something-else' }));
  }, 30_000);
});
