import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../shared/domain/roles';
import { signLocalToken } from './dev-tokens';

/**
 * `npm run -s token -- --role <role> [--sub <id>] [--ttl <seconds>]`: prints a token the LOCAL API accepts, and
 * nothing else on stdout, so that `TOKEN=$(npm run -s token -- --role border)` works. Errors go to stderr, exit 2.
 */

const USAGE = `usage: npm run -s token -- --role <role> [--sub <id>] [--ttl <seconds>]\nroles: ${ROLES.join(', ')}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { role?: string; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (!values.role) fail('--role is required');
  if (!(ROLES as readonly string[]).includes(values.role)) fail(`unknown role ${values.role}`);
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 24 * 3600) fail('--ttl must be whole seconds, 1 to 604800');
  if (values.sub !== undefined && values.sub.trim() === '') fail('--sub must not be empty');
  const token = await signLocalToken({
    roles: [values.role as Role],
    ttlSeconds: ttl,
    ...(values.sub ? { sub: values.sub } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
