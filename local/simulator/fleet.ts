import { type DeviceClass, eventsTopic, type PortCode } from '../../events/v1';

/**
 * The port's device fleet: stable ids derived from the port code, so a restart reconnects the same things and the
 * platform's device registry does not grow with every run.
 */
export interface SimulatedDevice {
  deviceId: string;
  deviceClass: DeviceClass;
  port: PortCode;
  topic: string;
  firmware: string;
}

/** A gate lane: the OCR portal and the radiation portal monitor that share it. */
export interface GateLane {
  laneId: string;
  direction: 'in' | 'out';
  gate: SimulatedDevice;
  rpm: SimulatedDevice;
}

export interface EquipmentUnit {
  device: SimulatedDevice;
  equipmentId: string;
  type: 'sts-crane' | 'rtg';
}

export interface Fleet {
  port: PortCode;
  /** Shore AIS receivers: [0] at the terminal, [1] overlooking the anchorage. */
  aisReceivers: readonly SimulatedDevice[];
  lanes: readonly GateLane[];
  nii: SimulatedDevice;
  equipment: readonly EquipmentUnit[];
  all: readonly SimulatedDevice[];
}

const FIRMWARE: Record<DeviceClass, string> = {
  ais: 'ais-rx 3.2.1',
  gate: 'ocr-gate 5.8.0',
  rpm: 'rpm 2.11.4',
  nii: 'nii-scan 4.0.2',
  equipment: 'crane-plc 1.19.7',
};

const pad = (n: number): string => String(n).padStart(2, '0');

function device(port: PortCode, deviceClass: DeviceClass, name: string, n: number): SimulatedDevice {
  const deviceId = `${port}-${name}-${pad(n)}`;
  return {
    deviceId,
    deviceClass,
    port,
    topic: eventsTopic({ port, deviceClass, deviceId }),
    firmware: FIRMWARE[deviceClass],
  };
}

/**
 * Builds the fleet: 2 AIS receivers, 4 gate lanes (1–2 in, 3–4 out) each with an OCR gate and an RPM, 1 X-ray
 * scanner, 3 ship-to-shore cranes and 3 rubber-tyred gantries.
 */
export function buildFleet(port: PortCode): Fleet {
  const aisReceivers = [device(port, 'ais', 'ais', 1), device(port, 'ais', 'ais', 2)];
  const lanes: GateLane[] = [1, 2, 3, 4].map((n) => {
    const direction = n <= 2 ? 'in' : 'out';
    return {
      laneId: `${direction.toUpperCase()}${n <= 2 ? n : n - 2}`,
      direction,
      gate: device(port, 'gate', 'gate', n),
      rpm: device(port, 'rpm', 'rpm', n),
    };
  });
  const nii = device(port, 'nii', 'nii', 1);
  const equipment: EquipmentUnit[] = [1, 2, 3, 4, 5, 6].map((n) => ({
    device: device(port, 'equipment', 'crane', n),
    equipmentId: n <= 3 ? `STS-${pad(n)}` : `RTG-${pad(n - 3)}`,
    type: n <= 3 ? 'sts-crane' : 'rtg',
  }));
  const all = [
    ...aisReceivers,
    ...lanes.map((l) => l.gate),
    ...lanes.map((l) => l.rpm),
    nii,
    ...equipment.map((e) => e.device),
  ];
  return { port, aisReceivers, lanes, nii, equipment, all };
}
