import type { ApiDependencies, ApiRequest, ApiResponse, Route } from './api-types';
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

/**
 * Matches a request to a route of the table and runs it; every error becomes CONTRACT.md's error shape.
 * Unknown path → 404, known path with another method → 405.
 */
export function createRouter(routes: readonly Route[], deps: ApiDependencies, onInternalError: (e: unknown) => void) {
  const compiled = routes.map(compile);
  return async (req: Omit<ApiRequest, 'pathParams'>): Promise<ApiResponse> => {
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.pattern.exec(req.path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== req.method) continue;
      const pathParams: Record<string, string> = {};
      c.params.forEach((name, i) => {
        pathParams[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      try {
        return await c.route.operation({ ...req, pathParams }, deps);
      } catch (e) {
        const res = toErrorResponse(e);
        if (res.status >= 500) onInternalError(res.internal ?? e);
        return { status: res.status, body: res.body };
      }
    }
    return pathMatched
      ? { status: 405, body: errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`) }
      : { status: 404, body: errorBody('ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`) };
  };
}
