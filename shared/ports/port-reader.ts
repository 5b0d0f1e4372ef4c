import type { Alert, DeadLetter, Device, GateVisit, Vessel } from '../domain/model';

export interface PageRequest {
  limit: number;
  nextToken?: string;
}

export interface PageResult<T> {
  items: T[];
  nextToken?: string;
}

/** Read side of the port's database, as the API needs it. */
export interface PortReader {
  listVessels(port: string, page: PageRequest): Promise<PageResult<Vessel>>;
  getVessel(mmsi: number, trackLimit: number): Promise<Vessel | undefined>;
  listGateVisits(port: string, plate: string | undefined, page: PageRequest): Promise<PageResult<GateVisit>>;
  listDevices(port: string, page: PageRequest): Promise<PageResult<Device>>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  listDeadLetters(deviceId: string | undefined, page: PageRequest): Promise<PageResult<DeadLetter>>;
  listAlerts(port: string, type: string | undefined, page: PageRequest): Promise<PageResult<Alert>>;
}
