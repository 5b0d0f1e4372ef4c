import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../local/loopback';

// `npm start` as a user runs it (CONTRACT.md §1): one `kouan ready` line with the URLs, a working API, and a clean
// exit 0 within 5 s of SIGTERM. The test runs the same `tsx local/main.ts` that `npm start` runs, without npm or
// npx in front: they do not pass a SIGTERM sent to their own pid on to the platform (npm hands it to a `sh -c`
// that dies without forwarding it), so the exit code asserted would be npm's, not the platform's. Ctrl-C reaches
// every process of the foreground group and is unaffected.

const ROOT = join(__dirname, '..', '..');
let child: ChildProcess | undefined;

afterAll(() => {
  // Only if an assertion failed half-way: never leave the platform running behind the test.
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
});

function waitForLine(proc: ChildProcess, pattern: RegExp, timeoutMs: number, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${output.join('')}`)),
      timeoutMs,
    );
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        resolve(line);
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}:\n${output.join('')}`));
    });
  });
}

function waitForExit(proc: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('npm start (local/main.ts)', () => {
  it('prints one ready line with the URLs, serves /v1/health and exits 0 within 5 s of SIGTERM', async () => {
    const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
    const output: string[] = [];
    const startedAt = Date.now();
    child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts', '--in-memory', '--no-simulator'], {
      cwd: ROOT,
      // Its own process group, so afterAll can end tsx and the platform under it together if the test fails.
      detached: true,
      env: { ...process.env, KOUAN_HTTP_PORT: String(httpPort), KOUAN_MQTT_PORT: String(mqttPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString('utf8')));

    const ready = await waitForLine(child, /kouan ready/, 20_000, output);
    const readyAfterMs = Date.now() - startedAt;

    expect(ready).toContain(`http://127.0.0.1:${httpPort}/v1/health`);
    expect(ready).toContain(`mqtt://127.0.0.1:${mqttPort}`);
    expect(ready).toContain('in memory');
    expect(readyAfterMs).toBeLessThan(20_000);
    const health = await fetch(`http://127.0.0.1:${httpPort}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const stopAt = Date.now();
    child.kill('SIGTERM');
    const code = await waitForExit(child, 5000);

    expect(code).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5000);
    expect(output.join('').match(/kouan ready/g)).toHaveLength(1);
  }, 30_000);
});
