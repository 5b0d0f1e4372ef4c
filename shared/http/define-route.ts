import type * as z from 'zod';
import type { Access, ApiDependencies, ApiRequest, Caller, Route, RouteResponse } from './api-types';
import { UnauthorizedError } from './authorize';
import { MAX_BODY_BYTES, parseBody } from './parse-body';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler gets: the query and path parameters parsed by the route's own schemas. */
export interface RouteInput<Q, P, B = undefined> {
  query: Parsed<Q>;
  params: Parsed<P>;
  /** The JSON body parsed by the route's `body` schema (size-checked first). */
  body: Parsed<B>;
  req: ApiRequest;
  /** The verified caller; on a public route, asking for it is a 401. */
  caller: () => Caller;
}

export interface RouteDefinition<
  Q extends z.ZodObject | undefined,
  P extends z.ZodObject | undefined,
  B extends z.ZodType | undefined = undefined,
> {
  method: Route['method'];
  path: string;
  access: Access;
  summary: string;
  query?: Q;
  params?: P;
  body?: B;
  /** Larger bodies are answered 413 before parsing. @default MAX_BODY_BYTES (256 KB) */
  maxBodyBytes?: number;
  response: RouteResponse;
  handle: (input: RouteInput<Q, P, B>, deps: ApiDependencies) => Promise<unknown>;
}

/**
 * A route whose declared schemas are the ones it validates with: the query and path parameters are parsed here
 * (a failure is a 400 with the issues) before `handle` runs, and the same schemas feed the OpenAPI document, so
 * the document cannot drift from what the handler accepts.
 */
export function defineRoute<
  Q extends z.ZodObject | undefined = undefined,
  P extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(def: RouteDefinition<Q, P, B>): Route {
  return {
    method: def.method,
    path: def.path,
    access: def.access,
    summary: def.summary,
    request: {
      ...(def.query ? { query: def.query } : {}),
      ...(def.params ? { params: def.params } : {}),
      ...(def.body ? { body: def.body } : {}),
    },
    response: def.response,
    operation: async (req, deps) => {
      const query = (def.query ? def.query.parse(req.query) : undefined) as Parsed<Q>;
      const params = (def.params ? def.params.parse(req.pathParams) : undefined) as Parsed<P>;
      const body = (
        def.body ? parseBody(def.body, req.body, def.maxBodyBytes ?? MAX_BODY_BYTES) : undefined
      ) as Parsed<B>;
      const caller = () => {
        if (!req.caller) throw new UnauthorizedError();
        return req.caller;
      };
      return { status: def.response.status, body: await def.handle({ query, params, body, req, caller }, deps) };
    },
  };
}
