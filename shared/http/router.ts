import type { ApiDependencies, ApiRequest, ApiResponse, Route } from './api-types';
import { authorizeRoute } from './authorize';
import { errorBody, toErrorResponse } from './http-errors';

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  params: string[];
}

function compile(route: Route): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
}

export type RouteMatch =
  | { kind: 'route'; route: Route; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/**
 * Matches method and path against the route table. Shared by the router and the local server's authorizer, which
 * must agree on which route a request is (and so whether it is public).
 */
export function createRouteMatcher(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, path) => {
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const pathParams: Record<string, string> = {};
      c.params.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { kind: 'route', route: c.route, pathParams };
    }
    return { kind: pathMatched ? 'method-not-allowed' : 'not-found' };
  };
}

/**
 * Matches a request to a route of the table, checks the route's access (401 without a caller, 403 without one of
 * its roles) and runs it; every error becomes CONTRACT.md's error shape. Unknown path → 404, known path with
 * another method → 405.
 */
export function createRouter(routes: readonly Route[], deps: ApiDependencies, onInternalError: (e: unknown) => void) {
  const match = createRouteMatcher(routes);
  return async (req: Omit<ApiRequest, 'pathParams'>): Promise<ApiResponse> => {
    const m = match(req.method, req.path);
    if (m.kind === 'method-not-allowed') {
      return { status: 405, body: errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`) };
    }
    if (m.kind === 'not-found') {
      return { status: 404, body: errorBody('ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`) };
    }
    try {
      authorizeRoute(m.route.access, req.caller);
      return await m.route.operation({ ...req, pathParams: m.pathParams }, deps);
    } catch (e) {
      const res = toErrorResponse(e);
      if (res.status >= 500) onInternalError(res.internal ?? e);
      return { status: res.status, body: res.body, ...(res.headers ? { headers: res.headers } : {}) };
    }
  };
}
