import * as z from 'zod';
import { API_SCHEMAS } from '../../events/v1/api';
import type { Route } from './api-types';

/**
 * The OpenAPI 3.1 document of the API, generated from the route table and the zod schemas the handlers validate
 * with (zod's own JSON Schema output: OpenAPI 3.1 schemas are JSON Schema 2020-12). Served at
 * `GET /v1/openapi.json` and written to docs/openapi.json by `npm run docs:openapi`.
 */

const SECURITY_SCHEME = 'cognitoJwt';
const ERROR_RESPONSE_REF = { $ref: '#/components/responses/Error' };

type JsonSchema = Record<string, unknown>;

/** Builds the document; pure and deterministic (the drift test compares it with docs/openapi.json). */
export function buildOpenApiDocument(routes: readonly Route[]) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_SCHEMAS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  const schemas = hoistSharedDefinitions(generated.schemas);

  const refTo = (schema: z.ZodType, where: string) => {
    const id = registry.get(schema)?.id;
    if (!id) throw new Error(`${where}: its response schema is not in API_SCHEMAS (events/v1/api.ts)`);
    return { $ref: `#/components/schemas/${id}` };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const where = `${route.method} ${route.path}`;
    const access = route.access;
    const isPublic = access === 'public';
    const errors: Record<string, unknown> = {};
    if (route.request.query || route.request.params || route.request.body) errors['400'] = ERROR_RESPONSE_REF;
    if (!isPublic) {
      errors['401'] = ERROR_RESPONSE_REF;
      errors['403'] = ERROR_RESPONSE_REF;
    }
    if (route.request.params) errors['404'] = ERROR_RESPONSE_REF;
    errors['500'] = ERROR_RESPONSE_REF;

    const operation = {
      operationId: operationId(route),
      summary: route.summary,
      description: access === 'public' ? 'Public: no token needed.' : `Roles (any of): ${access.join(', ')}.`,
      tags: [route.path.split('/')[2] ?? 'api'],
      security: isPublic ? [] : [{ [SECURITY_SCHEME]: [] }],
      parameters: [...parametersOf(route.request.params, 'path'), ...parametersOf(route.request.query, 'query')],
      ...(route.request.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: inputSchema(route.request.body) } },
            },
          }
        : {}),
      responses: {
        [String(route.response.status)]: {
          description: route.response.description,
          content: { 'application/json': { schema: refTo(route.response.schema, where) } },
        },
        ...errors,
      },
    };
    paths[route.path] ??= {};
    const item = paths[route.path];
    if (item) item[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Kouan agency API',
      version: '1.0.0',
      description:
        'The port-of-entry platform’s HTTP API (CONTRACT.md §3). Every route but the public ones needs ' +
        '`Authorization: Bearer <JWT>`; the roles are the token’s `cognito:groups`.',
    },
    servers: [{ url: '/', description: 'the API’s own origin (API Gateway, or http://127.0.0.1:3000 locally)' }],
    paths,
    components: {
      schemas,
      responses: {
        Error: {
          description: 'an error: `{ error: { code, message, details? } }`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
        },
      },
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito access token in the cloud; locally `npm run -s token -- --role <role>`. Roles are the ' +
            'token’s `cognito:groups`.',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** `GET /v1/vessels/{mmsi}` → `getVesselsByMmsi`. */
function operationId(route: Route): string {
  const words = route.path
    .split('/')
    .slice(2)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part)?.[1];
      return param ? `By-${param}` : part;
    })
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))].join('');
}

/** One OpenAPI parameter per key of a query or path schema; required when the schema rejects a missing value. */
function parametersOf(schema: z.ZodObject | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const s = inputSchema(field as z.ZodType);
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** What a client sends (before coercion and transforms). */
function inputSchema(schema: z.ZodType): JsonSchema {
  return withoutSchemaKeywords(z.toJSONSchema(schema, { io: 'input' }) as JsonSchema);
}

/**
 * zod puts schemas used by several registered ones but not registered themselves (the recursive JSON value of a log
 * entry's `details`) under a `__shared` entry's `$defs`, referenced as `…/__shared#/$defs/schema0`: not a component
 * an OpenAPI tool can resolve. They become components of their own, `Shared_schema0`.
 */
function hoistSharedDefinitions(generated: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const rewritten = JSON.parse(
    JSON.stringify(generated).replaceAll('#/components/schemas/__shared#/$defs/', '#/components/schemas/Shared_'),
  ) as Record<string, JsonSchema>;
  const { __shared: shared, ...named } = rewritten;
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(named)) schemas[id] = withoutSchemaKeywords(schema);
  const defs = (shared?.$defs ?? {}) as Record<string, JsonSchema>;
  for (const [id, schema] of Object.entries(defs)) schemas[`Shared_${id}`] = schema;
  return schemas;
}

function withoutSchemaKeywords(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}
