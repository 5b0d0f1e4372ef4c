import mqtt, { type MqttClient } from 'mqtt';
import { KouanError } from '../../shared/domain/errors';
import type { SimulatedDevice } from './fleet';
import type { SimulatedPublish } from './outbox';

/** A device could not reach the broker in time. */
export class SimulatorConnectError extends KouanError {
  constructor(message: string, details?: unknown) {
    super('SIMULATOR_CONNECT_FAILED', message, details);
  }
}

export interface MqttDevicesOptions {
  mqttUrl: string;
  connectTimeoutMs: number;
  log: (line: string) => void;
}

/**
 * One MQTT connection per device, as in the field: the client id is the device id (the broker, like the IoT policy,
 * lets a device publish only under its own id), MQTT 3.1.1 (the local broker speaks nothing newer), QoS 1. A
 * dropped connection reconnects and mqtt.js resends its unacknowledged QoS 1 messages.
 */
export class MqttDevices {
  private readonly clients = new Map<string, MqttClient>();
  private readonly acked = new Map<string, number>();
  private readonly reported = new Set<string>();
  private published = 0;
  private failed = 0;

  constructor(private readonly options: MqttDevicesOptions) {}

  /** Connects every device; rejects (after closing those that did connect) if any is not connected in time. */
  async connect(devices: readonly SimulatedDevice[]): Promise<void> {
    const attempts = devices.map((device) => {
      const client = mqtt.connect(this.options.mqttUrl, {
        clientId: device.deviceId,
        protocolVersion: 4,
        clean: true,
        keepalive: 30,
        reconnectPeriod: 1_000,
        connectTimeout: this.options.connectTimeoutMs,
      });
      this.clients.set(device.deviceId, client);
      client.on('error', (e) => this.reportOnce(device.deviceId, `error: ${e.message}`));
      client.on('offline', () => this.reportOnce(device.deviceId, 'offline, reconnecting'));
      client.on('connect', () => this.reported.delete(device.deviceId));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new SimulatorConnectError(`${device.deviceId} did not connect to ${this.options.mqttUrl} in time`)),
          this.options.connectTimeoutMs,
        );
        client.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    try {
      await Promise.all(attempts);
    } catch (e) {
      await this.close(0);
      throw e;
    }
  }

  publish(message: SimulatedPublish): void {
    const client = this.clients.get(message.clientId);
    if (!client) throw new RangeError(`no MQTT client for ${message.clientId}`);
    client.publish(message.topic, JSON.stringify(message.envelope), { qos: 1 }, (error) => {
      if (error) {
        this.failed++;
        this.reportOnce(message.clientId, `publish failed: ${error.message}`);
        return;
      }
      this.published++;
      this.acked.set(message.clientId, (this.acked.get(message.clientId) ?? 0) + 1);
    });
  }

  /** Publishes acknowledged by the broker (PUBACK), in total and per device; publishes that failed. */
  stats(): { published: number; byDevice: Record<string, number>; failed: number } {
    return { published: this.published, byDevice: Object.fromEntries(this.acked), failed: this.failed };
  }

  /** Disconnects every device, letting in-flight QoS 1 publishes finish for up to `graceMs`, then cutting them off. */
  async close(graceMs: number): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      clients.map(async (client) => {
        let timer: NodeJS.Timeout | undefined;
        const graceful = client.endAsync(false);
        const cutOff = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), graceMs);
        });
        const outcome = await Promise.race([
          graceful.then(
            () => 'done' as const,
            () => 'done' as const,
          ),
          cutOff,
        ]);
        clearTimeout(timer);
        if (outcome === 'late') await client.endAsync(true).catch(() => undefined);
      }),
    );
  }

  /** One line per device per trouble until it reconnects: a flapping broker must not flood the console. */
  private reportOnce(deviceId: string, what: string): void {
    if (this.reported.has(deviceId)) return;
    this.reported.add(deviceId);
    this.options.log(`${deviceId}: ${what}`);
  }
}
