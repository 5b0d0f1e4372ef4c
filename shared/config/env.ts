import { PortCode } from '../../events/v1/topic';

/**
 * The one reader of Lambda environment variables (STYLE.md "config flows one way"). It fails fast at cold start
 * on a missing or malformed variable instead of running with a silent default.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') throw new ConfigError(`environment variable ${name} is required`);
  return v;
}

export function requireIntEnv(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requireEnv(name, env);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`environment variable ${name} must be a whole number, got "${raw}"`);
  return n;
}

/** Names of the variables the stacks set and the functions read: one list, so neither side drifts. */
export const ENV = {
  tableName: 'KOUAN_TABLE_NAME',
  /** How long a messageId is remembered; must outlive the stream's retention. */
  dedupeWindowHours: 'KOUAN_DEDUPE_WINDOW_HOURS',
  /** How long a vessel's track points are kept. */
  trackRetentionHours: 'KOUAN_TRACK_RETENTION_HOURS',
  /** The UN/LOCODE of the port this deployment serves (the agencies' default list of declarations). */
  portCode: 'KOUAN_PORT_CODE',
  /**
   * The random-selection seed (≥ 16 characters). A secret: whoever knows it and a declaration id can tell whether it
   * will be drawn. Set per stage (stage config `riskSeed`); rotate it per period and keep old seeds for audit.
   */
  riskSeed: 'KOUAN_RISK_SEED',
  /**
   * The account's AWS IoT data endpoint (`https://…-ats.iot.{region}.amazonaws.com`), read by the SDK's
   * IoTDataPlaneClient itself; the ingest function publishes gate commands there. Locally the broker's endpoint.
   */
  iotDataEndpoint: 'AWS_ENDPOINT_URL_IOT_DATA_PLANE',
  /**
   * ARN of the joint-control state machine (one execution per incident), read by the functions that start it or
   * answer its callback tasks. Locally the embedded runner's ARN (local/step-functions).
   */
  incidentWorkflowArn: 'KOUAN_INCIDENT_WORKFLOW_ARN',
  /** Name of the EventBridge bus agencies subscribe to for incident and task notifications. */
  notificationBusName: 'KOUAN_NOTIFICATION_BUS_NAME',
  /**
   * The Step Functions endpoint the SDK's SFNClient uses (read by the SDK itself): unset in the cloud, the local
   * Step Functions endpoint on loopback locally.
   */
  stepFunctionsEndpoint: 'AWS_ENDPOINT_URL_SFN',
  /** A declaration assessed red with at least this risk score (0–100) raises a joint-control incident. */
  incidentMinScore: 'KOUAN_INCIDENT_MIN_SCORE',
  /** Minutes in which the same subject and cause raise no second incident (docs/joint-control.md). */
  incidentDedupeMinutes: 'KOUAN_INCIDENT_DEDUPE_MINUTES',
  /**
   * Silence after which the scheduled evaluation closes a vessel's port call, in minutes: 1440 (24 h, the ADB/KMI
   * port-call rule) in the cloud; the local platform sets 24 to match its simulator's 60× time scale.
   */
  portCallSplitMinutes: 'KOUAN_PORT_CALL_SPLIT_MINUTES',
  /**
   * The ports the evaluation covers and ranks, comma-separated UN/LOCODEs (stage config `evaluatedPorts`); unset:
   * the served port alone. An administration evaluating several ports from one deployment lists them here.
   */
  evaluatedPorts: 'KOUAN_EVALUATED_PORTS',
} as const;

/** The evaluated ports: `KOUAN_EVALUATED_PORTS` if set, else the served port. */
export function evaluatedPortsEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const served = requireEnv(ENV.portCode, env);
  const listed = (env[ENV.evaluatedPorts] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of listed) {
    if (!PortCode.safeParse(p).success) throw new ConfigError(`${ENV.evaluatedPorts}: "${p}" is not a UN/LOCODE`);
  }
  return listed.length > 0 ? [...new Set(listed)] : [served];
}
