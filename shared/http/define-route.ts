import type * as z from 'zod';
import type { Access, ApiDependencies, ApiRequest, Route, RouteResponse } from './api-types';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler gets: the query and path parameters parsed by the route's own schemas. */
export interface RouteInput<Q, P> {
  query: Parsed<Q>;
  params: Parsed<P>;
  req: ApiRequest;
}

export interface RouteDefinition<Q extends z.ZodObject | undefined, P extends z.ZodObject | undefined> {
  method: Route['method'];
  path: string;
  access: Access;
  summary: string;
  query?: Q;
  params?: P;
  response: RouteResponse;
  handle: (input: RouteInput<Q, P>, deps: ApiDependencies) => Promise<unknown>;
}

/**
 * A route whose declared schemas are the ones it validates with: the query and path parameters are parsed here
 * (a failure is a 400 with the issues) before `handle` runs, and the same schemas feed the OpenAPI document, so
 * the document cannot drift from what the handler accepts.
 */
export function defineRoute<
  Q extends z.ZodObject | undefined = undefined,
  P extends z.ZodObject | undefined = undefined,
>(def: RouteDefinition<Q, P>): Route {
  return {
    method: def.method,
    path: def.path,
    access: def.access,
    summary: def.summary,
    request: { ...(def.query ? { query: def.query } : {}), ...(def.params ? { params: def.params } : {}) },
    response: def.response,
    operation: async (req, deps) => {
      const query = (def.query ? def.query.parse(req.query) : undefined) as Parsed<Q>;
      const params = (def.params ? def.params.parse(req.pathParams) : undefined) as Parsed<P>;
      return { status: def.response.status, body: await def.handle({ query, params, req }, deps) };
    },
  };
}
