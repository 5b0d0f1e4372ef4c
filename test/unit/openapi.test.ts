import { readFileSync } from 'node:fs';
import type * as z from 'zod';
import type { Alert, DeadLetter, Device, GateVisit, Vessel } from '../../events/v1/api';
import type * as model from '../../shared/domain/model';
import { OPENAPI_FILE, renderOpenApi } from '../../shared/http/generate-openapi';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { ROUTES } from '../../shared/http/routes';

// Compile-time: the response schemas describe exactly the domain's read models (tsc fails on drift).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<z.infer<typeof Vessel>, model.Vessel>,
  Same<z.infer<typeof GateVisit>, model.GateVisit>,
  Same<z.infer<typeof Device>, model.Device>,
  Same<z.infer<typeof DeadLetter>, model.DeadLetter>,
  Same<z.infer<typeof Alert>, model.Alert>,
] = [true, true, true, true, true];

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, { $ref?: string; content?: { 'application/json': { schema: { $ref: string } } } }>;
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument(ROUTES);
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const operation = (method: string, path: string) => paths[path]?.[method.toLowerCase()];

  it('keeps the response schemas in line with the domain model', () => {
    expect(sameShapes).toEqual([true, true, true, true, true]);
  });

  it('is OpenAPI 3.1 with the bearer JWT scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.cognitoJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it.each(ROUTES.map((r) => [r.method, r.path, r] as const))('has %s %s', (method, path, route) => {
    const op = operation(method, path);
    expect(op).toBeDefined();
    expect(op?.security).toEqual(route.access === 'public' ? [] : [{ cognitoJwt: [] }]);
    if (route.access !== 'public') {
      expect(op?.responses['401']).toBeDefined();
      expect(op?.responses['403']).toBeDefined();
    }
    // Every path parameter is declared, and every query key the handler validates is a parameter.
    for (const [, name] of route.path.matchAll(/\{([A-Za-z]+)\}/g)) {
      expect(op?.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
    }
    for (const name of Object.keys(route.request.query?.shape ?? {})) {
      expect(op?.parameters).toContainEqual(expect.objectContaining({ name, in: 'query' }));
    }
    // The success response names a schema of components.schemas.
    const ref = op?.responses[String(route.response.status)]?.content?.['application/json'].schema.$ref ?? '';
    expect(doc.components.schemas[ref.replace('#/components/schemas/', '')]).toBeDefined();
  });

  it('has unique operation ids and every $ref resolves', () => {
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, kind, name] of refs) {
      expect((doc.components as Record<string, Record<string, unknown>>)[kind ?? '']?.[name ?? '']).toBeDefined();
    }
  });

  it('marks required query parameters from the schemas (port required, limit defaulted)', () => {
    const params = operation('GET', '/v1/vessels')?.parameters ?? [];
    expect(params.find((p) => p.name === 'port')?.required).toBe(true);
    expect(params.find((p) => p.name === 'limit')?.required).toBe(false);
  });

  it('matches docs/openapi.json (run `npm run docs:openapi` after changing routes or schemas)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });
});
