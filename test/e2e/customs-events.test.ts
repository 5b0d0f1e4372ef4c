import importSea from '../../events/v1/samples/declarations/import-sea.json';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { callApi } from '../support/api-client';
import { withFreshReference } from '../support/envelopes';

// DCSA-style customs events at GET /v1/events, written alongside the decision log.

const PORT = 'CNSGH';
let platform: PlatformHandle;
let declarant: string;
let officer: string;
let operator: string;
let risk: string;

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  declarant = await signLocalToken({ roles: ['declarant'], sub: 'trader-events' });
  officer = await signLocalToken({ roles: ['customs-officer'], sub: 'officer-events' });
  operator = await signLocalToken({ roles: ['port-operator'], sub: 'operator-events' });
  risk = await signLocalToken({ roles: ['customs-risk'], sub: 'risk-events' });
}, 30_000);

afterAll(async () => {
  await platform?.stop();
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  callApi(platform.httpUrl, method, path, token, body);

type Event = Record<string, unknown>;
const eventsOf = async (id: string): Promise<Event[]> => {
  const res = await call('GET', '/v1/events?limit=100', operator);
  expect(res.status).toBe(200);
  return (res.body.items as Event[]).filter((e) => e.documentReference === id);
};

describe('GET /v1/events', () => {
  beforeAll(async () => {
    // Every import from Vietnam to red, so the sample goes to inspection.
    const rule = {
      id: 'E2E-EVENTS-RED',
      version: 1,
      validFrom: '2025-01-01',
      directions: ['import'],
      ports: 'all',
      condition: { anyItem: { field: 'items.originCountry', op: 'eq', value: 'VN' } },
      lane: 'red',
      weight: 80,
      reasonCode: 'E2E_EVENTS_RED',
      note: 'Examine: a test criterion.',
      enabled: true,
    };
    expect((await call('POST', '/v1/risk/rules', risk, rule)).status).toBe(201);
  });

  it('writes CUSI per container at a red assessment, then HOLD, then CUSR per container and RELS at release', async () => {
    const body = withFreshReference(importSea);
    const lodged = await call('POST', '/v1/declarations', declarant, body);
    expect(lodged.body.lane).toBe('red');
    const id = String(lodged.body.id);

    const atLodgement = await eventsOf(id);
    expect(atLodgement).toHaveLength(importSea.containers.length);
    expect(atLodgement).toEqual(
      expect.arrayContaining(
        importSea.containers.map((c) =>
          expect.objectContaining({
            eventType: 'EQUIPMENT',
            eventClassifierCode: 'ACT',
            equipmentEventTypeCode: 'CUSI',
            equipmentReference: c,
            documentReference: id,
            documentClientReference: body.reference,
            eventDateTime: expect.any(String),
            eventCreatedDateTime: expect.any(String),
          }),
        ),
      ),
    );

    expect(
      (await call('POST', `/v1/declarations/${id}/decisions`, officer, { action: 'hold', reason: 'x-ray' })).status,
    ).toBe(201);
    const release = { action: 'release', reason: 'examined, in order' };
    expect((await call('POST', `/v1/declarations/${id}/decisions`, officer, release)).status).toBe(201);

    const codes = (await eventsOf(id)).map((e) => String(e.equipmentEventTypeCode ?? e.shipmentEventTypeCode));
    const n = importSea.containers.length;
    // Newest first: the release's events (in either order within one write), then HOLD, then the CUSIs.
    expect(codes.slice(0, n + 1).sort()).toEqual([...importSea.containers.map(() => 'CUSR'), 'RELS']);
    expect(codes.slice(n + 1)).toEqual(['HOLD', ...importSea.containers.map(() => 'CUSI')]);
  });

  it('pages with nextToken and filters with since', async () => {
    const first = await call('GET', '/v1/events?limit=1', officer);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const second = await call('GET', `/v1/events?limit=1&nextToken=${String(first.body.nextToken)}`, officer);
    expect(second.body.items).not.toEqual(first.body.items);

    const future = await call('GET', '/v1/events?since=2999-01-01T00:00:00Z', officer);
    expect(future.body.items).toEqual([]);
  });
});
