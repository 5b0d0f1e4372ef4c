/** What the platform tells a gate device (CONTRACT.md §2 extension: `kouan/v1/{port}/gate/{deviceId}/commands`). */
export interface GateCommand {
  /** Derived from the gate transaction's device and messageId: a device acts on a commandId once. */
  commandId: string;
  issuedAt: string;
  action: 'open' | 'hold';
  reason: string;
  plate: string;
  containers: string[];
}

/** Delivers commands to gate devices (AWS IoT Core in the cloud, the local broker locally); throws when it could not. */
export interface GateCommandPublisher {
  publish(target: { port: string; deviceId: string }, command: GateCommand): Promise<void>;
}
