import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from './openapi';
import { ROUTES } from './routes';

/** `npm run docs:openapi`: writes docs/openapi.json (test/unit/openapi.test.ts fails when it drifts). */
export const OPENAPI_FILE = join(__dirname, '..', '..', 'docs', 'openapi.json');

export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(ROUTES), null, 2)}\n`;
}

// Run as a script (`tsx shared/http/generate-openapi.ts`), not when imported by the drift test.
if (/generate-openapi\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
