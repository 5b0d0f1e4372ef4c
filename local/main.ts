import { PortCode } from '../events/v1';
import { type PlatformHandle, startPlatform } from './platform';
import { parseTimeScale } from './step-functions/time-scale';

/**
 * `npm start`: the whole platform on this machine (CONTRACT.md §1).
 *
 *   npm start [-- --no-simulator] [-- --no-agencies] [-- --in-memory] [-- --time-scale N]
 *   KOUAN_HTTP_PORT (3000) KOUAN_MQTT_PORT (1883) KOUAN_DATA_DIR (.kouan/) KOUAN_PORT_CODE (CNSGH)
 *
 * Prints one line containing `kouan ready` once every part is up; SIGINT/SIGTERM stop every part and exit 0,
 * or exit 1 after 5 s if something hangs.
 */

const USAGE = `usage: npm start -- [--no-simulator] [--no-agencies] [--in-memory] [--time-scale N]

  --no-simulator   everything but simulated device traffic (and the simulated agencies)
  --no-agencies    simulated devices, but no simulated declarant, customs officer or joint-control agencies
  --in-memory      persist nothing (default: persist under KOUAN_DATA_DIR)
  --time-scale N   joint-control timeouts and heartbeats run N times faster (60: a 30 min task timeout is 30 s);
                   default KOUAN_TIME_SCALE, else 60 with the simulator (its clock), 1 without

environment: KOUAN_HTTP_PORT (3000), KOUAN_MQTT_PORT (1883), KOUAN_DATA_DIR (.kouan/),
             KOUAN_PORT_CODE (CNSGH, a UN/LOCODE the simulator plays)`;

const STOP_DEADLINE_MS = 5000;

class UsageError extends Error {
  readonly code = 'USAGE';
}

interface Settings {
  simulator: boolean;
  agencies: boolean;
  inMemory: boolean;
  httpPort: number;
  mqttPort: number;
  dataDir: string;
  portCode: string;
  timeScale: number;
}

function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings {
  // `--time-scale N` (or `--time-scale=N`) is the one option with a value; take it out before the flag checks.
  let timeScaleArg: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--time-scale') {
      timeScaleArg = argv[++i];
      if (timeScaleArg === undefined) throw new UsageError('--time-scale needs a number, e.g. --time-scale 60');
    } else if (a.startsWith('--time-scale=')) timeScaleArg = a.slice('--time-scale='.length);
    else rest.push(a);
  }
  const flags = new Set(rest);
  for (const f of flags) {
    if (!['--no-simulator', '--no-agencies', '--in-memory', '--help', '-h'].includes(f))
      throw new UsageError(`unknown option ${f}`);
  }
  if (flags.has('--help') || flags.has('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const portCode = env.KOUAN_PORT_CODE ?? 'CNSGH';
  if (!PortCode.safeParse(portCode).success) {
    throw new UsageError(`KOUAN_PORT_CODE must be a UN/LOCODE such as CNSGH, got "${portCode}"`);
  }
  return {
    simulator: !flags.has('--no-simulator'),
    agencies: !flags.has('--no-agencies'),
    inMemory: flags.has('--in-memory'),
    httpPort: tcpPort('KOUAN_HTTP_PORT', env.KOUAN_HTTP_PORT, 3000),
    mqttPort: tcpPort('KOUAN_MQTT_PORT', env.KOUAN_MQTT_PORT, 1883),
    dataDir: env.KOUAN_DATA_DIR ?? '.kouan/',
    portCode,
    // The simulator runs the port 60× faster than real time (a port hour per minute); its incidents' agency tasks
    // time out on the same clock unless told otherwise.
    timeScale: asUsage(() =>
      parseTimeScale(timeScaleArg ?? env.KOUAN_TIME_SCALE, flags.has('--no-simulator') ? 1 : 60),
    ),
  };
}

function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function tcpPort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${name} must be a TCP port (0–65535), got "${raw}"`);
  return n;
}

const stamp = () => `[kouan] ${new Date().toTimeString().slice(0, 8)}`;

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }

  let stopping = false;
  const starting: Promise<PlatformHandle> = startPlatform({
    httpPort: settings.httpPort,
    mqttPort: settings.mqttPort,
    ...(settings.inMemory ? {} : { dataDir: settings.dataDir }),
    portCode: settings.portCode,
    simulator: settings.simulator ? (settings.agencies ? {} : { agencies: false }) : false,
    progressIntervalMs: 5000,
    timeScale: settings.timeScale,
  });

  const shutdown = (signal: string) => {
    if (stopping) {
      console.log(`${stamp()} ${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${stamp()} ${signal}: stopping…`);
    const force = setTimeout(() => {
      console.error(`${stamp()} parts still running after ${STOP_DEADLINE_MS / 1000} s: forcing exit`);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    force.unref();
    // A signal during start-up waits for the parts that are starting, so none is left half-open.
    starting
      .then((platform) => platform.stop())
      .then(
        () => {
          console.log(`${stamp()} stopped cleanly`);
          process.exit(0);
        },
        (e: unknown) => {
          console.error(`${stamp()} stop failed: ${(e as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  let platform: PlatformHandle;
  try {
    platform = await starting;
  } catch (e) {
    console.error(`${stamp()} could not start: ${explain(e)}`);
    process.exit(1);
  }
  if (stopping) return;

  // performance.now() counts from this process's start, so this includes loading every module.
  const seconds = (performance.now() / 1000).toFixed(1);
  const storage = platform.dataDir ? `data ${platform.dataDir}` : 'data in memory';
  const traffic = settings.simulator
    ? `simulator on (${platform.portCode}${settings.agencies ? ', with agencies' : ''})`
    : 'simulator off';
  const timeScale = settings.timeScale === 1 ? '' : `  joint-control time ×${settings.timeScale}`;
  console.log(
    `${stamp()} kouan ready in ${seconds} s  api ${platform.httpUrl}/v1/health  mqtt ${platform.mqttUrl}  ${storage}  ${traffic}${timeScale}`,
  );
}

function explain(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { port?: number };
  if (err.code === 'EADDRINUSE') {
    return `port ${err.port ?? '?'} on 127.0.0.1 is in use: set KOUAN_HTTP_PORT / KOUAN_MQTT_PORT to free ports`;
  }
  if (err.name === 'UnknownPortError') return `${err.message} (or start with --no-simulator)`;
  // Typed errors (with a stable code) say what is wrong; anything else is a bug, so show where.
  if (err instanceof Error) return typeof err.code === 'string' ? err.message : (err.stack ?? err.message);
  return String(e);
}

void main();
