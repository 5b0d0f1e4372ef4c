import type * as z from 'zod';
import importSea from '../../events/v1/samples/declarations/import-sea.json';
import { DEFAULT_RISK_PROFILE } from '../../shared/domain/risk';
import type { Role } from '../../shared/domain/roles';
import type { Route } from '../../shared/http/api-types';
import { MATRIX_INCIDENT_ID, MATRIX_TASK_ID } from './incident-fakes';

/**
 * A valid request for any route of the table, derived from its schemas: path parameters and required query
 * parameters take the sample value of their name, bodies the sample of their route. A new route with a parameter
 * or body not listed here fails loudly, so the authorization matrix cannot silently skip it.
 */
export const SAMPLE_VALUES: Record<string, string> = {
  port: 'CNSGH',
  mmsi: '371798000',
  deviceId: 'gate-auth-01',
  ruleId: 'HS93-WEAPONS',
  incidentId: MATRIX_INCIDENT_ID,
  taskId: MATRIX_TASK_ID,
};

/** A value of each path parameter that names no object: the "missing" column of the matrix. */
export const MISSING_VALUES: Record<string, string> = {
  // A well-formed UN/LOCODE of a port this deployment does not evaluate (performance routes answer 404).
  port: 'AQZZZ',
  mmsi: '999999998',
  deviceId: 'gate-never-seen',
  id: '00000000-0000-4000-8000-000000000000',
  ruleId: 'NO-SUCH-RULE',
  incidentId: 'INC-000000000000000000000000',
  taskId: 'maritime',
};

/**
 * Routes whose object is assigned to one role (an incident's task): another role allowed on the route gets a 403 for
 * the existing object (see `seedMatrixIncident`).
 */
const ASSIGNED_ROLE: Record<string, Role> = {
  'POST /v1/incidents/{incidentId}/tasks/{taskId}/ack': 'border',
  'POST /v1/incidents/{incidentId}/tasks/{taskId}/complete': 'border',
};

/**
 * Path parameters naming an object that belongs to someone (a declarant's declaration): the matrix asks for the
 * caller's own object and another's, lodged for each case (see `objectVariants`).
 */
export const OWNED_PARAMS: readonly string[] = ['id'];

/**
 * A declaration that stays open after lodging (no invoice: INVOICE_MISSING sends it to yellow, or red when drawn at
 * random), so that an officer's `hold` in the matrix is always allowed.
 */
export const OPEN_DECLARATION = {
  ...importSea,
  documents: importSea.documents.filter((d) => d.type !== 'invoice'),
};

const weaponsRule = DEFAULT_RISK_PROFILE.criteria.find((c) => c.id === 'HS93-WEAPONS');

/**
 * A criterion that selects nothing (a green lane, weight 0: a rule trialled in the shadow), so that adding it in the
 * matrix changes no other test's lanes.
 */
export const SHADOW_RULE = {
  id: 'MATRIX-SHADOW',
  version: 1,
  validFrom: '2025-01-01',
  directions: ['import'],
  ports: 'all',
  condition: { field: 'transport.mode', op: 'eq', value: 'air' },
  lane: 'green',
  weight: 0,
  reasonCode: 'MATRIX_SHADOW',
  note: 'Added by the authorization matrix; selects nothing.',
  enabled: true,
};

const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /v1/inspections/{id}/results': {
    findings: { found: false },
    inspectedAt: '2026-01-05T10:00:00Z',
    method: 'documentary',
  },
  'POST /v1/risk/rules': SHADOW_RULE,
  'PUT /v1/risk/rules/{ruleId}': weaponsRule,
  'POST /v1/declarations': OPEN_DECLARATION,
  'POST /v1/declarations/{id}/decisions': { action: 'hold', reason: 'held for the authorization matrix' },
  'POST /v1/incidents': {
    type: 'manual',
    subject: { kind: 'truck', id: 'MATRIX2' },
    summary: 'raised by the authorization matrix',
    agencies: ['border'],
  },
  'POST /v1/incidents/{incidentId}/tasks/{taskId}/complete': {
    outcome: 'no-finding',
    findings: 'matrix: nothing found',
  },
};

/** Routes whose `{id}` is a declaration. */
const DECLARATION_OBJECT = /^\/v1\/(declarations|inspections)\/\{id\}/;

export type ObjectVariant = 'none' | 'existing' | 'missing' | 'own' | 'other';

const pathParams = (route: Route) => [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? '');

/** Which objects a route is called on: none without path parameters; own/other/missing or existing/missing. */
export function objectVariants(route: Route): ObjectVariant[] {
  const params = pathParams(route);
  if (params.length === 0) return ['none'];
  return params.some((p) => OWNED_PARAMS.includes(p)) ? ['own', 'other', 'missing'] : ['existing', 'missing'];
}

/** The status the matrix expects: route access first (401/403), then the object (404 missing or not visible). */
export function expectedStatus(route: Route, role: Role | undefined, variant: ObjectVariant): number {
  if (route.access !== 'public') {
    if (role === undefined) return 401;
    if (!route.access.includes(role)) return 403;
  }
  if (variant === 'missing') return 404;
  const assigned = ASSIGNED_ROLE[`${route.method} ${route.path}`];
  if (variant === 'existing' && assigned !== undefined && role !== assigned) return 403;
  // Declarants see only their own; another's is a 404 so that ids cannot be probed.
  if (variant === 'other' && role === 'declarant') return 404;
  // Quarantine sees only declarations referred to it, and the matrix's (HS 85, no certificates) are not: a 404 as
  // for any declaration it may not see (referral itself is tested with the declarations).
  if ((variant === 'own' || variant === 'other') && role === 'quarantine' && DECLARATION_OBJECT.test(route.path)) {
    return 404;
  }
  return route.response.status;
}

/** The URL of a sample request; `values` overrides the samples (e.g. the id of an object lodged for the case). */
export function sampleUrl(route: Route, values: Record<string, string> = {}, variant: ObjectVariant = 'none'): string {
  const path = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) =>
    encodeURIComponent(
      variant === 'missing' ? (MISSING_VALUES[name] ?? sample(route, name)) : sample(route, name, values),
    ),
  );
  const query = new URLSearchParams();
  const shape = (route.request.query?.shape ?? {}) as Record<string, z.ZodType>;
  for (const [name, field] of Object.entries(shape)) {
    if (!field.safeParse(undefined).success) query.set(name, sample(route, name, values));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The JSON body of a sample request, or undefined for a route without a body. */
export function sampleBody(route: Route): string | undefined {
  if (!route.request.body) return undefined;
  const body = SAMPLE_BODIES[`${route.method} ${route.path}`];
  if (body === undefined) throw new Error(`${route.method} ${route.path}: add a sample body`);
  return JSON.stringify(body);
}

function sample(route: Route, name: string, values: Record<string, string> = {}): string {
  const value = values[name] ?? SAMPLE_VALUES[name];
  if (value === undefined) throw new Error(`${route.method} ${route.path}: add a sample value for "${name}"`);
  return value;
}
