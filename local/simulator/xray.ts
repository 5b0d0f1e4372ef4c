import type { SeededRandom } from './random';
import type { TrafficContext } from './traffic-context';

/**
 * The drive-through X-ray scanner (NII). Customs picks a share of the trucks carrying containers; most images are
 * clear, a few show an anomaly found by the scanner's image analysis (codes in the manner of HS/T 73—2023
 * intelligent image review). Images stay on the scanner; the event carries a WCO UFF file reference.
 */
export const ANOMALY_CODES = [
  'DENSITY_MISMATCH',
  'ORGANIC_CONCEALMENT',
  'HIDDEN_COMPARTMENT',
  'UNDECLARED_VEHICLE',
  'IRREGULAR_LOAD_PROFILE',
] as const;

export interface ScanRequest {
  plate: string;
  containers: readonly string[];
}

export class XrayScanner {
  private readonly random: SeededRandom;
  private scans = 0;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly anomalyRate: number,
  ) {
    this.random = ctx.random.fork('xray');
  }

  scan(at: number, request: ScanRequest): void {
    const r = this.random;
    const device = this.ctx.fleet.nii;
    this.scans++;
    const n = String(this.scans).padStart(5, '0');
    const scanId = `${device.deviceId}-${this.ctx.runId}-${n}`;
    const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '/');
    const anomalous = r.chance(this.anomalyRate);
    const anomalies = anomalous
      ? [...new Set([r.pick(ANOMALY_CODES), ...(r.chance(0.3) ? [r.pick(ANOMALY_CODES)] : [])])].map((code) => ({
          code,
          confidence: Math.round(r.range(0.55, 0.97) * 100) / 100,
        }))
      : undefined;
    this.ctx.outbox.emit(device, at, {
      kind: 'nii.scan',
      payload: {
        scanId,
        containers: [...request.containers],
        plate: request.plate,
        result: anomalous ? 'anomaly' : 'clear',
        ...(anomalies ? { anomalies } : {}),
        imageRef: `uff:${device.deviceId}/${day}/${this.ctx.runId}-${n}`,
      },
    });
  }
}
