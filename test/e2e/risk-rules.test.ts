import importSea from '../../events/v1/samples/declarations/import-sea.json';
import { signLocalToken } from '../../local/dev-tokens';
import { type PlatformHandle, startPlatform } from '../../local/platform';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import { callApi } from '../support/api-client';
import { withFreshReference } from '../support/envelopes';

// Selectivity criteria edited through /v1/risk/rules by customs-risk, and lodgement assessing with them.

const PORT = 'CNSGH';
let platform: PlatformHandle;
let declarant: string;
let risk: string;

beforeAll(async () => {
  platform = await startPlatform({ portCode: PORT, log: () => {} });
  declarant = await signLocalToken({ roles: ['declarant'], sub: 'trader-rules' });
  risk = await signLocalToken({ roles: ['customs-risk'], sub: 'risk-rules' });
}, 30_000);

afterAll(async () => {
  await platform?.stop();
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  callApi(platform.httpUrl, method, path, token, body);

/** A red criterion on an origin no default criterion looks at for this sample: the sample's own items (VN). */
const VIETNAM_RED = {
  id: 'E2E-VN-RED',
  version: 1,
  validFrom: '2025-01-01',
  directions: ['import'],
  ports: 'all',
  condition: { anyItem: { field: 'items.originCountry', op: 'eq', value: 'VN' } },
  lane: 'red',
  weight: 80,
  reasonCode: 'E2E_VN_RED',
  note: 'Examine: a test criterion on Vietnamese origin.',
  enabled: true,
};

describe('/v1/risk/rules', () => {
  it('serves the seeded default profile on first read', async () => {
    const res = await call('GET', '/v1/risk/rules', risk);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: DEFAULT_RISK_PROFILE.version, revision: 1, publishedBy: 'kouan' });
    expect(res.body.criteria).toEqual(DEFAULT_RISK_PROFILE.criteria);
  });

  it('sends the next lodged declaration to red once a red criterion is added, and back when it is disabled', async () => {
    const before = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    const beforeReasons = before.body.reasons as { code: string; ruleId: string }[];
    expect(beforeReasons).not.toContainEqual(expect.objectContaining({ ruleId: 'E2E-VN-RED' }));
    // Random selection (a seeded draw on the declaration's random id, ~2 % to red) is the only other way to red.
    if (before.body.lane === 'red') {
      expect(beforeReasons).toContainEqual(expect.objectContaining({ code: 'RANDOM_SELECTION' }));
    }

    const added = await call('POST', '/v1/risk/rules', risk, VIETNAM_RED);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ revision: 2, version: 'rules-r2', publishedBy: 'risk-rules' });

    const after = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    expect(after.body.lane).toBe('red');
    expect(after.body.reasons).toContainEqual(expect.objectContaining({ code: 'E2E_VN_RED', ruleId: 'E2E-VN-RED' }));

    const disabled = await call('PUT', '/v1/risk/rules/E2E-VN-RED', risk, { ...VIETNAM_RED, enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body.revision).toBe(3);
    expect(disabled.body.criteria).toContainEqual(
      expect.objectContaining({ id: 'E2E-VN-RED', version: 2, enabled: false }),
    );

    const later = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    expect(later.body.reasons).not.toContainEqual(expect.objectContaining({ ruleId: 'E2E-VN-RED' }));
  });

  it('answers 400 with details for a criterion that fails its schema, and publishes nothing', async () => {
    const { revision } = (await call('GET', '/v1/risk/rules', risk)).body;

    const res = await call('POST', '/v1/risk/rules', risk, { ...VIETNAM_RED, id: 'E2E-BAD', weight: 101 });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ path: 'weight' })],
    });
    expect((await call('GET', '/v1/risk/rules', risk)).body.revision).toBe(revision);
  });

  it('answers 400 for a criterion naming a list the profile does not have', async () => {
    const res = await call('POST', '/v1/risk/rules', risk, {
      ...VIETNAM_RED,
      id: 'E2E-NO-LIST',
      condition: { anyItem: { field: 'items.originCountry', op: 'inList', value: 'no-such-list' } },
    });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'RISK_PROFILE_INVALID' });
  });

  it('answers 409 for an id that exists, 404 for an unknown one, 400 for a body whose id is not the path’s', async () => {
    expect((await call('POST', '/v1/risk/rules', risk, VIETNAM_RED)).status).toBe(409);
    expect(
      (await call('PUT', '/v1/risk/rules/NO-SUCH-RULE', risk, { ...VIETNAM_RED, id: 'NO-SUCH-RULE' })).status,
    ).toBe(404);
    expect((await call('PUT', '/v1/risk/rules/HS93-WEAPONS', risk, VIETNAM_RED)).status).toBe(400);
  });

  it('answers 409 RISK_RULES_STALE to an edit made against a revision that is no longer in force', async () => {
    const { revision } = (await call('GET', '/v1/risk/rules', risk)).body;
    const rule = { ...VIETNAM_RED, id: 'E2E-STALE', lane: 'green', weight: 0 };

    const stale = await call('POST', `/v1/risk/rules?expectedRevision=${Number(revision) - 1}`, risk, rule);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'RISK_RULES_STALE' });

    const fresh = await call('POST', `/v1/risk/rules?expectedRevision=${Number(revision)}`, risk, rule);
    expect(fresh.status).toBe(201);
    expect(fresh.body.revision).toBe(Number(revision) + 1);
  });

  it('lets only one of two concurrent edits publish the next revision; the other gets 409', async () => {
    const rule = (id: string) => ({ ...VIETNAM_RED, id, lane: 'green', weight: 0 });

    const results = await Promise.all([
      call('POST', '/v1/risk/rules', risk, rule('E2E-RACE-A')),
      call('POST', '/v1/risk/rules', risk, rule('E2E-RACE-B')),
    ]);

    const statuses = results.map((r) => r.status).sort();
    // Both may also succeed one after the other when the requests do not overlap; never both on one revision.
    if (statuses[0] === 201 && statuses[1] === 201) {
      expect(results[0]?.body.revision).not.toBe(results[1]?.body.revision);
    } else {
      expect(statuses).toEqual([201, 409]);
    }
  });
});

describe('/v1/inspections/{id}/results and the hit rates', () => {
  let officer: string;
  let quarantine: string;
  const HIT_RULE = { ...VIETNAM_RED, id: 'E2E-HIT-RED', reasonCode: 'E2E_HIT_RED' };
  const result = (found: boolean) => ({
    findings: found ? { found: true, codes: ['UNDERVALUATION'] } : { found: false },
    inspectedAt: '2026-01-05T10:00:00Z',
    method: 'physical',
  });
  const hitRateOf = async (ruleId: string) => {
    const rules = await call('GET', '/v1/risk/rules', risk);
    return (rules.body.hitRates as { ruleId: string }[]).find((h) => h.ruleId === ruleId);
  };

  beforeAll(async () => {
    officer = await signLocalToken({ roles: ['customs-officer'], sub: 'officer-rules' });
    quarantine = await signLocalToken({ roles: ['quarantine'], sub: 'quarantine-rules' });
    expect((await call('POST', '/v1/risk/rules', risk, HIT_RULE)).status).toBe(201);
  });

  const REFER = { action: 'refer', agency: 'quarantine', reason: 'wooden crates: check the ISPM 15 marks' };

  it('logs a result, counts it once per inspection for every rule among the reasons, and refuses a second', async () => {
    const lodged = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    expect(lodged.body.status).toBe('inspection');
    const id = String(lodged.body.id);
    expect(await hitRateOf('E2E-HIT-RED')).toEqual({ ruleId: 'E2E-HIT-RED', inspections: 0, finds: 0, hitRate: null });

    const res = await call('POST', `/v1/inspections/${id}/results`, officer, result(true));

    expect(res.status).toBe(201);
    expect(res.body.status).toBe('inspection');
    expect(res.body.history).toContainEqual(
      expect.objectContaining({ action: 'inspection-result', actorRole: 'customs-officer' }),
    );
    expect(await hitRateOf('E2E-HIT-RED')).toEqual({ ruleId: 'E2E-HIT-RED', inspections: 1, finds: 1, hitRate: 1 });

    // Quarantine records results only for what is referred to it (HS 85 is not, until an officer refers it).
    expect((await call('POST', `/v1/inspections/${id}/results`, quarantine, result(false))).status).toBe(404);
    await call('POST', `/v1/declarations/${id}/decisions`, officer, REFER);
    const again = await call('POST', `/v1/inspections/${id}/results`, quarantine, result(false));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INSPECTION_RESULT_EXISTS' });
    expect(await hitRateOf('E2E-HIT-RED')).toMatchObject({ inspections: 1, finds: 1 });

    const audit = await call('GET', `/v1/declarations/${id}/audit`, officer);
    expect(audit.body.verified).toBe(true);
  });

  it('splits the rate by selection source and halves it after an inspection that finds nothing', async () => {
    const lodged = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    await call('POST', `/v1/declarations/${String(lodged.body.id)}/decisions`, officer, REFER);
    const res = await call('POST', `/v1/inspections/${String(lodged.body.id)}/results`, quarantine, result(false));

    expect(res.status).toBe(201);
    expect(await hitRateOf('E2E-HIT-RED')).toEqual({ ruleId: 'E2E-HIT-RED', inspections: 2, finds: 1, hitRate: 0.5 });
    const rules = await call('GET', '/v1/risk/rules', risk);
    expect(rules.body.selection).toContainEqual(
      expect.objectContaining({ selectedBy: 'criteria', inspections: 2, finds: 1 }),
    );
  });

  it('answers 409 for a released declaration, 400 for an inspection ending in the future, 404 for an unknown id', async () => {
    const lodged = await call('POST', '/v1/declarations', declarant, withFreshReference(importSea));
    const id = String(lodged.body.id);
    const future = await call('POST', `/v1/inspections/${id}/results`, officer, {
      ...result(false),
      inspectedAt: '2999-01-01T00:00:00Z',
    });
    expect(future.status).toBe(400);

    await call('POST', `/v1/declarations/${id}/decisions`, officer, {
      action: 'release',
      reason: 'documents in order',
    });
    const released = await call('POST', `/v1/inspections/${id}/results`, officer, result(false));
    expect(released.status).toBe(409);
    expect(released.body.error).toMatchObject({ code: 'INSPECTION_NOT_OPEN' });

    const missing = await call(
      'POST',
      '/v1/inspections/00000000-0000-4000-8000-000000000000/results',
      officer,
      result(false),
    );
    expect(missing.status).toBe(404);
    expect(await hitRateOf('E2E-HIT-RED')).toMatchObject({ inspections: 2 });
  });
});
