import {
  AlertListQuery,
  DeadLetterListQuery,
  DeviceListQuery,
  DevicePath,
  GateVisitListQuery,
  VesselGetQuery,
  VesselListQuery,
  VesselPath,
} from '../../events/v1/api';
import { AGENCY_ROLES } from '../domain/roles';
import { portQueries } from '../use-cases/port-queries';
import type { Route } from './api-types';

const ok = (body: unknown) => ({ status: 200, body });
const agenciesAndOperator = [...AGENCY_ROLES, 'port-operator', 'platform-admin'] as const;

/**
 * The API's route table, defined once: the API Lambda routes with it, the local server serves it, and the CDK app
 * (with the next issue) creates one API Gateway route per entry.
 */
export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    summary: 'Liveness of the API',
    operation: async () => ok({ status: 'ok' }),
  },
  {
    method: 'GET',
    path: '/v1/vessels',
    access: agenciesAndOperator,
    summary: 'Vessels last heard by a port’s AIS receivers, with their last position and static data',
    operation: async (req, { reader }) => ok(await portQueries.listVessels(reader, VesselListQuery.parse(req.query))),
  },
  {
    method: 'GET',
    path: '/v1/vessels/{mmsi}',
    access: agenciesAndOperator,
    summary: 'One vessel with its recent track (newest first)',
    operation: async (req, { reader }) => {
      const { mmsi } = VesselPath.parse(req.pathParams);
      const { trackLimit } = VesselGetQuery.parse(req.query);
      return ok(await portQueries.getVessel(reader, mmsi, trackLimit));
    },
  },
  {
    method: 'GET',
    path: '/v1/gate/visits',
    access: agenciesAndOperator,
    summary: 'Truck visits built from gate-in/gate-out pairs, newest first',
    operation: async (req, { reader }) =>
      ok(await portQueries.listGateVisits(reader, GateVisitListQuery.parse(req.query))),
  },
  {
    method: 'GET',
    path: '/v1/devices',
    access: ['platform-admin', 'port-operator'],
    summary: 'Devices of a port with last-seen time, health and accepted/rejected counts',
    operation: async (req, { reader }) => ok(await portQueries.listDevices(reader, DeviceListQuery.parse(req.query))),
  },
  {
    method: 'GET',
    path: '/v1/devices/{deviceId}',
    access: ['platform-admin', 'port-operator'],
    summary: 'One device',
    operation: async (req, { reader }) =>
      ok(await portQueries.getDevice(reader, DevicePath.parse(req.pathParams).deviceId)),
  },
  {
    method: 'GET',
    path: '/v1/dead-letters',
    access: ['platform-admin'],
    summary: 'Rejected device messages with their reasons, newest first',
    operation: async (req, { reader }) =>
      ok(await portQueries.listDeadLetters(reader, DeadLetterListQuery.parse(req.query))),
  },
  {
    method: 'GET',
    path: '/v1/alerts',
    access: [...AGENCY_ROLES, 'port-operator'],
    summary: 'Alerts raised from device evidence (rpm.alarm, nii.anomaly, …), newest first',
    operation: async (req, { reader }) => ok(await portQueries.listAlerts(reader, AlertListQuery.parse(req.query))),
  },
];
