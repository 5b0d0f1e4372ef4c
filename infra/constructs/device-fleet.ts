import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import { DeviceClass } from '../../events/v1';

/**
 * IoT policy variables, resolved by IoT Core per connection from the thing the certificate is attached to.
 * A thing must carry the `port` and `deviceClass` attributes (docs/deploy.md); without them the variables do not
 * resolve and the device may connect but not publish or subscribe.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT policy variable, resolved by IoT Core
export const THING_NAME = '${iot:Connection.Thing.ThingName}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT policy variable, resolved by IoT Core
export const THING_PORT = '${iot:Connection.Thing.Attributes[port]}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT policy variable, resolved by IoT Core
export const THING_CLASS = '${iot:Connection.Thing.Attributes[deviceClass]}';

/** The thing attributes the device policy reads; searchable so that operators can list a port's devices. */
export const THING_ATTRIBUTES = ['port', 'deviceClass'] as const;

/** `kouan/v1/{port}/{class}/{thing}` with the connection's own values (CONTRACT.md §2). */
const OWN_TOPIC_ROOT = `kouan/v1/${THING_PORT}/${THING_CLASS}/${THING_NAME}`;

export interface DeviceFleetProps {
  /** Name of the device policy to attach to each device certificate. */
  readonly policyName: string;
  /** Thing type name for a device class. */
  readonly thingTypeName: (deviceClass: DeviceClass) => string;
}

/**
 * The device side of IoT Core: one thing type per device class, and the one policy every device certificate
 * gets. The policy pins a connection to its own thing: it connects only with its thing name as client id
 * (and only while the certificate is attached to that thing), publishes only its own `…/events` topic, and
 * subscribes to and receives only its own `…/commands` topic.
 */
export class DeviceFleet extends Construct {
  readonly policy: iot.CfnPolicy;
  readonly thingTypes: Readonly<Record<DeviceClass, iot.CfnThingType>>;

  constructor(scope: Construct, id: string, props: DeviceFleetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const iotArn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'iot', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

    const thingTypes = {} as Record<DeviceClass, iot.CfnThingType>;
    for (const deviceClass of DeviceClass.options) {
      thingTypes[deviceClass] = new iot.CfnThingType(this, `ThingType-${deviceClass}`, {
        thingTypeName: props.thingTypeName(deviceClass),
        thingTypeProperties: {
          thingTypeDescription: `Kouan ${deviceClass} device; things carry the attributes ${THING_ATTRIBUTES.join(', ')}`,
          searchableAttributes: [...THING_ATTRIBUTES],
        },
      });
    }
    this.thingTypes = thingTypes;

    this.policy = new iot.CfnPolicy(this, 'DevicePolicy', {
      policyName: props.policyName,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ConnectOnlyAsOwnThing',
            Effect: 'Allow',
            Action: 'iot:Connect',
            Resource: iotArn('client', THING_NAME),
            // Without this a certificate not attached to any thing could still try client ids.
            Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
          },
          {
            Sid: 'PublishOnlyOwnEvents',
            Effect: 'Allow',
            Action: 'iot:Publish',
            Resource: iotArn('topic', `${OWN_TOPIC_ROOT}/events`),
          },
          {
            Sid: 'SubscribeOnlyOwnCommands',
            Effect: 'Allow',
            Action: 'iot:Subscribe',
            Resource: iotArn('topicfilter', `${OWN_TOPIC_ROOT}/commands`),
          },
          {
            Sid: 'ReceiveOnlyOwnCommands',
            Effect: 'Allow',
            Action: 'iot:Receive',
            Resource: iotArn('topic', `${OWN_TOPIC_ROOT}/commands`),
          },
        ],
      },
    });
  }
}
