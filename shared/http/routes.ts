import {
  AlertListQuery,
  AlertPage,
  DeadLetterListQuery,
  DeadLetterPage,
  Declaration,
  DeclarationListQuery,
  DeclarationPath,
  DeclarationSummaryPage,
  Device,
  DeviceListQuery,
  DevicePage,
  DevicePath,
  GateVisitListQuery,
  GateVisitPage,
  Health,
  OpenApiDocument,
  Vessel,
  VesselGetQuery,
  VesselListQuery,
  VesselPage,
  VesselPath,
} from '../../events/v1/api';
import { CustomsEventListQuery, CustomsEventPage } from '../../events/v1/customs-events';
import {
  DecisionInput,
  DeclarationAssessment,
  DeclarationInput,
  InspectionResultInput,
} from '../../events/v1/declaration';
import { DeclarationAudit } from '../../events/v1/declaration-audit';
import {
  Incident,
  IncidentListQuery,
  IncidentPage,
  IncidentPath,
  IncidentRaiseInput,
  IncidentTaskPath,
  TaskCompletionInput,
} from '../../events/v1/incidents';
import {
  KpiReport,
  PerformancePath,
  PerformanceQuery,
  PortPerformance,
  PortRanking,
} from '../../events/v1/performance';
import { RiskRuleEditQuery, RiskRulePath, RiskRules } from '../../events/v1/risk-rules';
import { RiskCriterion } from '../domain/risk/criterion';
import { AGENCY_ROLES, type Role } from '../domain/roles';
import {
  decideDeclaration,
  getDeclaration,
  getDeclarationAudit,
  listCustomsEvents,
  listDeclarations,
  lodgeDeclaration,
} from '../use-cases/declarations';
import {
  acknowledgeIncidentTask,
  completeIncidentTask,
  getIncident,
  listIncidents,
  raiseIncidentByHand,
} from '../use-cases/incidents';
import { recordInspectionResult } from '../use-cases/inspection-results';
import { portQueries } from '../use-cases/port-queries';
import { addRiskRule, getRiskRules, replaceRiskRule } from '../use-cases/risk-rules';
import type { Route } from './api-types';
import { defineRoute } from './define-route';
import { buildOpenApiDocument } from './openapi';

/** Who reads what (CONTRACT.md §3). "Agencies" are the border agencies of AGENCY_ROLES. */
const AGENCIES_AND_PORT_OPERATOR: readonly Role[] = [...AGENCY_ROLES, 'port-operator'];
const AGENCIES: readonly Role[] = AGENCY_ROLES;
const DEVICE_READERS: readonly Role[] = ['platform-admin', 'port-operator'];
const PLATFORM_ADMIN: readonly Role[] = ['platform-admin'];
const LODGERS: readonly Role[] = ['declarant', 'customs-officer'];
/** Declarants (their own only: the use case answers 404 for others') and the agencies. */
const DECLARATION_READERS: readonly Role[] = ['declarant', ...AGENCY_ROLES];
const CUSTOMS_OFFICERS: readonly Role[] = ['customs-officer'];
const CUSTOMS: readonly Role[] = ['customs-officer', 'customs-risk'];
const CUSTOMS_RISK: readonly Role[] = ['customs-risk'];
const INSPECTORS: readonly Role[] = ['customs-officer', 'quarantine'];
/** Joint control: the agencies and the port operator (who has tasks too) read and raise incidents. */
const INCIDENT_READERS: readonly Role[] = [...AGENCY_ROLES, 'port-operator'];
/** The roles that act for an agency (`customs` → customs-officer); the use case checks it is the task's. */
const TASK_ACTORS: readonly Role[] = ['customs-officer', 'border', 'maritime', 'quarantine', 'port-operator'];

const ok = (description: string, schema: Route['response']['schema']) => ({ status: 200, description, schema });

let openApiDocument: unknown;

/**
 * The API's route table, defined once: the API Lambda routes with it, the local server serves it (and decides from
 * `access` which requests need a token), the OpenAPI document is generated from it, and the CDK app creates one
 * API Gateway route per entry (with the JWT authorizer on every non-public one).
 */
export const ROUTES: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    summary: 'Liveness of the API',
    response: ok('the API is up', Health),
    handle: async () => ({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/openapi.json',
    access: 'public',
    summary: 'This API’s OpenAPI 3.1 document, generated from the schemas the handlers validate with',
    response: ok('the OpenAPI document', OpenApiDocument),
    handle: async () => {
      openApiDocument ??= buildOpenApiDocument(ROUTES);
      return openApiDocument;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/vessels',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary: 'Vessels last heard by a port’s AIS receivers, with their last position and static data',
    query: VesselListQuery,
    response: ok('a page of vessels', VesselPage),
    handle: ({ query }, { reader }) => portQueries.listVessels(reader, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/vessels/{mmsi}',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary: 'One vessel with its recent track (newest first)',
    query: VesselGetQuery,
    params: VesselPath,
    response: ok('the vessel with its track', Vessel),
    handle: ({ query, params }, { reader }) => portQueries.getVessel(reader, params.mmsi, query.trackLimit),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/gate/visits',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary: 'Truck visits built from gate-in/gate-out pairs, newest first',
    query: GateVisitListQuery,
    response: ok('a page of gate visits', GateVisitPage),
    handle: ({ query }, { reader }) => portQueries.listGateVisits(reader, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/devices',
    access: DEVICE_READERS,
    summary: 'Devices of a port with last-seen time, health and accepted/rejected counts',
    query: DeviceListQuery,
    response: ok('a page of devices', DevicePage),
    handle: ({ query }, { reader }) => portQueries.listDevices(reader, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/devices/{deviceId}',
    access: DEVICE_READERS,
    summary: 'One device',
    params: DevicePath,
    response: ok('the device', Device),
    handle: ({ params }, { reader }) => portQueries.getDevice(reader, params.deviceId),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/dead-letters',
    access: PLATFORM_ADMIN,
    summary: 'Rejected device messages with their reasons, newest first',
    query: DeadLetterListQuery,
    response: ok('a page of dead letters', DeadLetterPage),
    handle: ({ query }, { reader }) => portQueries.listDeadLetters(reader, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/alerts',
    access: AGENCIES,
    summary: 'Alerts raised from device evidence (rpm.alarm, nii.anomaly, …), newest first',
    query: AlertListQuery,
    response: ok('a page of alerts', AlertPage),
    handle: ({ query }, { reader }) => portQueries.listAlerts(reader, query),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/declarations',
    access: LODGERS,
    summary: 'Lodge a declaration; the lane, score and reasons come back in the response',
    body: DeclarationInput,
    response: { status: 201, description: 'the declaration is lodged and assessed', schema: DeclarationAssessment },
    handle: ({ body, caller }, { declarations }) => lodgeDeclaration(declarations, caller(), body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/declarations',
    access: DECLARATION_READERS,
    summary: 'Declarations newest first: a port’s for agencies, a declarant’s own for a declarant',
    query: DeclarationListQuery,
    response: ok('a page of declarations', DeclarationSummaryPage),
    handle: ({ query, caller }, { declarations }) => listDeclarations(declarations, caller(), query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/declarations/{id}',
    access: DECLARATION_READERS,
    summary: 'One declaration: status, lane, score, reasons and status history (another declarant’s is a 404)',
    params: DeclarationPath,
    response: ok('the declaration', Declaration),
    handle: ({ params, caller }, { declarations }) => getDeclaration(declarations, caller(), params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/decisions',
    access: CUSTOMS_OFFICERS,
    summary: 'An officer’s decision (release, hold, inspect, reroute) with its reason, appended to the decision log',
    params: DeclarationPath,
    body: DecisionInput,
    response: { status: 201, description: 'the decision is recorded; the declaration after it', schema: Declaration },
    handle: ({ params, body, caller }, { declarations }) => decideDeclaration(declarations, caller(), params.id, body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/declarations/{id}/audit',
    access: CUSTOMS,
    summary: 'The hash-chained decision log of a declaration and whether it verifies',
    params: DeclarationPath,
    response: ok('the decision log and its verification', DeclarationAudit),
    handle: ({ params, caller }, { declarations }) => getDeclarationAudit(declarations, caller(), params.id),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary:
      'What customs did, as DCSA Track & Trace v3 events (CUSI, CUSR per container; HOLD, RELS per declaration), newest first',
    query: CustomsEventListQuery,
    response: ok('a page of customs events', CustomsEventPage),
    handle: ({ query }, { declarations }) => listCustomsEvents(declarations, query),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/inspections/{id}/results',
    access: INSPECTORS,
    summary:
      'The result of the current inspection of declaration {id} (in inspection or documentary-check; one per inspection): logged, and counted in the rules’ hit rates',
    params: DeclarationPath,
    body: InspectionResultInput,
    response: { status: 201, description: 'the result is recorded; the declaration after it', schema: Declaration },
    handle: ({ params, body, caller }, { declarations, riskRules }) =>
      recordInspectionResult(declarations, riskRules.hits, caller(), params.id, body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/risk/rules',
    access: CUSTOMS_RISK,
    summary: 'The selectivity profile in force: its version, revision and criteria (seeded with the default profile)',
    response: ok('the risk rules in force', RiskRules),
    handle: (_req, { riskRules }) => getRiskRules(riskRules),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/risk/rules',
    access: CUSTOMS_RISK,
    summary:
      'Add a selectivity criterion: publishes a new profile version (409 on a taken id, a concurrent edit or a stale expectedRevision)',
    query: RiskRuleEditQuery,
    body: RiskCriterion,
    response: { status: 201, description: 'the criterion is added; the rules in force after it', schema: RiskRules },
    handle: ({ query, body, caller }, { riskRules }) => addRiskRule(riskRules, caller(), body, query),
  }),
  defineRoute({
    method: 'PUT',
    path: '/v1/risk/rules/{ruleId}',
    access: CUSTOMS_RISK,
    summary: 'Replace a selectivity criterion (disable it with enabled: false): publishes a new profile version',
    params: RiskRulePath,
    query: RiskRuleEditQuery,
    body: RiskCriterion,
    response: ok('the criterion is replaced; the rules in force after it', RiskRules),
    handle: ({ params, query, body, caller }, { riskRules }) =>
      replaceRiskRule(riskRules, caller(), params.ruleId, body, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/incidents',
    access: INCIDENT_READERS,
    summary: 'Joint-control incidents of a port (the served port by default), newest first, optionally by status',
    query: IncidentListQuery,
    response: ok('a page of incidents (without timeline and evidence)', IncidentPage),
    handle: ({ query }, { incidents }) => listIncidents(incidents, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/incidents/{incidentId}',
    access: INCIDENT_READERS,
    summary: 'One incident with its agency tasks, evidence, timeline and, once closed, its outcome and feedback',
    params: IncidentPath,
    response: ok('the incident', Incident),
    handle: ({ params }, { incidents }) => getIncident(incidents, params.incidentId),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/incidents',
    access: INCIDENT_READERS,
    summary:
      'Raise an incident by hand (one-click dispatch): the agencies of its type get tasks; the same subject and cause within the dedupe window answers the standing incident',
    body: IncidentRaiseInput,
    response: { status: 201, description: 'the incident raised (or the standing one it joins)', schema: Incident },
    handle: ({ body, caller }, { incidents }) => raiseIncidentByHand(incidents, caller(), body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/incidents/{incidentId}/tasks/{taskId}/ack',
    access: TASK_ACTORS,
    summary: 'Acknowledge a task (only the role acting for its agency; 403 otherwise); repeated: no second effect',
    params: IncidentTaskPath,
    response: ok('the incident after the acknowledgement', Incident),
    handle: ({ params, caller }, { incidents }) =>
      acknowledgeIncidentTask(incidents, caller(), params.incidentId, params.taskId),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/incidents/{incidentId}/tasks/{taskId}/complete',
    access: TASK_ACTORS,
    summary:
      'Complete a task with { outcome, findings } (only the role acting for its agency); the same completion again changes nothing, another outcome is a 409',
    params: IncidentTaskPath,
    body: TaskCompletionInput,
    response: ok('the incident after the completion', Incident),
    handle: ({ params, body, caller }, { incidents }) =>
      completeIncidentTask(incidents, caller(), params.incidentId, params.taskId, body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/ports/{port}/performance',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary:
      'The port’s evaluation over a period: index and grade, the eight dimensions with their indicators, the trend against the previous period, and the bottlenecks (docs/performance.md)',
    params: PerformancePath,
    query: PerformanceQuery,
    response: ok('the evaluation of the period', PortPerformance),
    // Loaded on first use: the evaluation (sketches, model) is not part of the API function's cold start.
    handle: async ({ params, query }, { performance }) => {
      const { configured, getPerformance } = await import('../use-cases/performance');
      return getPerformance(configured(performance), params.port, query);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/ports/{port}/kpis',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary:
      'The port’s KPIs over a period (CONTRACT.md §4), each with its sample size n, with clearance by lane, direction, mode and stage and hit rates per rule',
    params: PerformancePath,
    query: PerformanceQuery,
    response: ok('the KPIs of the period', KpiReport),
    handle: async ({ params, query }, { performance }) => {
      const { configured, getKpis } = await import('../use-cases/performance');
      return getKpis(configured(performance), params.port, query);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/performance/ranking',
    access: AGENCIES_AND_PORT_OPERATOR,
    summary:
      'The evaluated ports side by side over a period (dynamic classification): index, grade and trend, best first; ports without data last',
    query: PerformanceQuery,
    response: ok('the ranking of the period', PortRanking),
    handle: async ({ query }, { performance }) => {
      const { configured, rankEvaluatedPorts } = await import('../use-cases/performance');
      return rankEvaluatedPorts(configured(performance), query);
    },
  }),
];
