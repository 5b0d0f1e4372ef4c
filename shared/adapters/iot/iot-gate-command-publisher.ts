import { type IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { commandsTopic, type PortCode } from '../../../events/v1/topic';
import type { GateCommand, GateCommandPublisher } from '../../ports/gate-command-publisher';

/**
 * Gate commands through the AWS IoT Data Plane `Publish` API (QoS 1) to `kouan/v1/{port}/gate/{deviceId}/commands`.
 * Locally the same client reaches the local broker's data endpoint through `AWS_ENDPOINT_URL_IOT_DATA_PLANE`.
 */
export class IotGateCommandPublisher implements GateCommandPublisher {
  constructor(private readonly client: IoTDataPlaneClient) {}

  async publish(target: { port: string; deviceId: string }, command: GateCommand): Promise<void> {
    await this.client.send(
      new PublishCommand({
        topic: commandsTopic({ port: target.port as PortCode, deviceClass: 'gate', deviceId: target.deviceId }),
        qos: 1,
        contentType: 'application/json',
        payload: Buffer.from(JSON.stringify(command)),
      }),
    );
  }
}
