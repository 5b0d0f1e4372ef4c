import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freeLoopbackPort } from '../local/loopback';

/** `npm start -- --in-memory --no-simulator`, as a user runs it, in its own process. */
export async function startPlatformProcess(): Promise<{ child: ChildProcess; httpUrl: string; mqttUrl: string }> {
  const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const child = spawn(
    join(process.cwd(), 'node_modules/.bin/tsx'),
    ['local/main.ts', '--in-memory', '--no-simulator'],
    {
      env: { ...process.env, KOUAN_HTTP_PORT: String(httpPort), KOUAN_MQTT_PORT: String(mqttPort) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('platform not ready within 30 s')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('kouan ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
  });
  child.stdout?.resume();
  return { child, httpUrl: `http://127.0.0.1:${httpPort}`, mqttUrl: `mqtt://127.0.0.1:${mqttPort}` };
}
