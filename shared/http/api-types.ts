import type * as z from 'zod';
import type { Caller } from '../domain/caller';
import type { Role } from '../domain/roles';
import type { PortReader } from '../ports/port-reader';
import type { DeclarationDependencies } from '../use-cases/declarations';
import type { IncidentDependencies } from '../use-cases/incidents';
import type { PerformanceDependencies } from '../use-cases/performance';
import type { RiskRuleDependencies } from '../use-cases/risk-rules';

export type { Caller } from '../domain/caller';

/** A request as every route sees it, whether it came from API Gateway or the local server. */
export interface ApiRequest {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | undefined;
  requestId: string;
  /** Undefined on public routes and whenever no authorizer ran; the router answers 401 before a protected route. */
  caller?: Caller;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What routes may use: injected once per cold start by the handler. */
export interface ApiDependencies {
  reader: PortReader;
  declarations: DeclarationDependencies;
  riskRules: RiskRuleDependencies;
  incidents: IncidentDependencies;
  /** Port performance evaluation (`/v1/ports/{port}/performance`, `/kpis`); those routes fail without it. */
  performance?: PerformanceDependencies;
}

/** Who may call a route: `public` (no token), or a caller holding any of these roles. */
export type Access = 'public' | readonly Role[];

/** The success response a route documents (errors are the common error shape). */
export interface RouteResponse {
  status: number;
  description: string;
  /** A schema registered in events/v1/api.ts's `API_SCHEMAS`, so the OpenAPI document can name it. */
  schema: z.ZodType;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path syntax: `/v1/vessels/{mmsi}`. */
  path: string;
  access: Access;
  summary: string;
  /** The schemas the operation validates with; the OpenAPI document is generated from them. */
  request: {
    query?: z.ZodObject;
    params?: z.ZodObject;
    body?: z.ZodType;
  };
  response: RouteResponse;
  /**
   * Runs after the router has checked `access`, with `req.caller` set on every non-public route. Per-object rules
   * (a declarant sees only its own declarations) belong inside the operation, after it has loaded the object:
   * see `authorizeObject` in authorize.ts.
   */
  operation: (req: ApiRequest, deps: ApiDependencies) => Promise<ApiResponse>;
}
