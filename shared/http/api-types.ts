import type { Role } from '../domain/roles';
import type { PortReader } from '../ports/port-reader';

/** A request as every route sees it, whether it came from API Gateway or the local server. */
export interface ApiRequest {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | undefined;
  requestId: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What routes may use: injected once per cold start by the handler. */
export interface ApiDependencies {
  reader: PortReader;
}

/** Who may call a route: `public`, or any of these roles (enforced once tokens arrive; see issue 3). */
export type Access = 'public' | readonly Role[];

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `/v1/vessels/{mmsi}`. */
  path: string;
  access: Access;
  summary: string;
  operation: (req: ApiRequest, deps: ApiDependencies) => Promise<ApiResponse>;
}
