import type { CustomsEvent } from '../../events/v1/customs-events';
import type { PageRequest, PageResult } from './port-reader';

/** The DCSA-style customs events of a port: append-only, each written once by its id, read newest first. */
export interface CustomsEventStore {
  /** Writes events whose ids are new; an id written before is left as it is (a retry writes nothing twice). */
  append(events: readonly CustomsEvent[]): Promise<void>;
  listByPort(port: string, since: string | undefined, page: PageRequest): Promise<PageResult<CustomsEvent>>;
}
