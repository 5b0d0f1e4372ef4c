import { KouanError } from '../domain/errors';
import type { Alert, DeadLetter, Device, GateVisit, Vessel } from '../domain/model';
import type { PageRequest, PageResult, PortReader } from '../ports/port-reader';

export class NotFoundError extends KouanError {
  constructor(what: string, id: string | number) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

/** Read use cases of the port's database ("one database"): what the API routes call. */
export const portQueries = {
  listVessels: (r: PortReader, q: { port: string } & PageRequest): Promise<PageResult<Vessel>> =>
    r.listVessels(q.port, q),

  async getVessel(r: PortReader, mmsi: number, trackLimit: number): Promise<Vessel> {
    const v = await r.getVessel(mmsi, trackLimit);
    if (!v) throw new NotFoundError('vessel', mmsi);
    return v;
  },

  listGateVisits: (r: PortReader, q: { port: string; plate?: string } & PageRequest): Promise<PageResult<GateVisit>> =>
    r.listGateVisits(q.port, q.plate, q),

  listDevices: (r: PortReader, q: { port: string } & PageRequest): Promise<PageResult<Device>> =>
    r.listDevices(q.port, q),

  async getDevice(r: PortReader, deviceId: string): Promise<Device> {
    const d = await r.getDevice(deviceId);
    if (!d) throw new NotFoundError('device', deviceId);
    return d;
  },

  listDeadLetters: (r: PortReader, q: { deviceId?: string } & PageRequest): Promise<PageResult<DeadLetter>> =>
    r.listDeadLetters(q.deviceId, q),

  listAlerts: (r: PortReader, q: { port: string; type?: string } & PageRequest): Promise<PageResult<Alert>> =>
    r.listAlerts(q.port, q.type, q),
};
