import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface BundleFigure {
  name: string;
  bytes: number;
  /** Cold module load (require of the bundle) in a fresh Node process, the fastest of 9 (noise only adds time). */
  initMs: number;
  /** The same for the AWS SDK modules the bundle requires, alone: the part the Lambda runtime provides. */
  sdkInitMs: number;
}

function fastestInit(root: string, script: string): number {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync(
      process.execPath,
      ['-e', `const t=process.hrtime.bigint();${script};console.log(Number(process.hrtime.bigint()-t)/1e6)`],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_PATH: join(root, 'node_modules'),
          KOUAN_TABLE_NAME: 'bench',
          KOUAN_DEDUPE_WINDOW_HOURS: '192',
          KOUAN_TRACK_RETENTION_HOURS: '48',
          KOUAN_PORT_CODE: 'CNSGH',
          KOUAN_PORT_CALL_SPLIT_MINUTES: '1440',
          KOUAN_RISK_SEED: 'bench-risk-seed-0123456789',
          AWS_ENDPOINT_URL_IOT_DATA_PLANE: 'http://127.0.0.1:9',
          KOUAN_INCIDENT_WORKFLOW_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
          KOUAN_NOTIFICATION_BUS_NAME: 'bench',
          KOUAN_INCIDENT_MIN_SCORE: '80',
          KOUAN_INCIDENT_DEDUPE_MINUTES: '60',
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
    );
    times.push(Number(out.toString().trim()));
  }
  times.sort((a, b) => a - b);
  return times[0] ?? Number.NaN;
}

/**
 * Bundles every Lambda entry point the way the CDK PortFunction does (esbuild, minified, CommonJS, AWS SDK
 * external) and measures size and module init. The Lambda runtime ships the SDK, so it is loaded from
 * node_modules here, as it is from the runtime there.
 */
export async function benchBundles(root = process.cwd()): Promise<BundleFigure[]> {
  const out = mkdtempSync(join(tmpdir(), 'kouan-bundles-'));
  const entries = readdirSync(join(root, 'functions')).filter((d) =>
    statSync(join(root, 'functions', d, 'handler.ts'), { throwIfNoEntry: false })?.isFile(),
  );
  const figures: BundleFigure[] = [];
  for (const name of entries) {
    const outfile = join(out, `${name}.js`);
    await build({
      entryPoints: [join(root, 'functions', name, 'handler.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      outfile,
      logLevel: 'silent',
    });
    const initMs = fastestInit(root, `require(${JSON.stringify(outfile)})`);
    const sdkModules = [...new Set(readFileSync(outfile, 'utf8').match(/@aws-sdk\/[a-z0-9-]+/g) ?? [])];
    const sdkInitMs = fastestInit(root, sdkModules.map((m) => `require(${JSON.stringify(m)})`).join(';'));
    figures.push({ name, bytes: statSync(outfile).size, initMs, sdkInitMs });
  }
  return figures;
}
