import type * as z from 'zod';
import type { Route } from '../../shared/http/api-types';

/**
 * A valid request for any route of the table, derived from its schemas: path parameters and required query
 * parameters take the sample value of their name. A new route with a parameter not listed here fails loudly, so
 * the authorization matrix cannot silently skip it.
 */
export const SAMPLE_VALUES: Record<string, string> = {
  port: 'CNSGH',
  mmsi: '371798000',
  deviceId: 'gate-auth-01',
};

export function sampleUrl(route: Route): string {
  const path = route.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => encodeURIComponent(sample(route, name)));
  const query = new URLSearchParams();
  const shape = (route.request.query?.shape ?? {}) as Record<string, z.ZodType>;
  for (const [name, field] of Object.entries(shape)) {
    if (!field.safeParse(undefined).success) query.set(name, sample(route, name));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

function sample(route: Route, name: string): string {
  const value = SAMPLE_VALUES[name];
  if (value === undefined) throw new Error(`${route.method} ${route.path}: add a sample value for "${name}"`);
  return value;
}
