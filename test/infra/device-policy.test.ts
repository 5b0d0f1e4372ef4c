import { commandsTopic, type DeviceTopic, eventsTopic } from '../../events/v1';
import { THING_NAME } from '../../infra/constructs/device-fleet';
import { onlyResource, synthKouan } from './fixture';

/**
 * AWS Solutions checks have no IoT Core rules, so the device policy is checked here by evaluating it: the
 * synthesized document is rendered for one account and region, IoT policy variables are substituted for a given
 * connection the way IoT Core does, and each request is allowed only if some Allow statement matches it.
 */

const PARTITION = 'aws';
const REGION = 'eu-west-1';
const ACCOUNT = '111111111111';
const ARN = `arn:${PARTITION}:iot:${REGION}:${ACCOUNT}`;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: Json;
  Condition?: { Bool?: Record<string, string> };
}

/** Renders `Fn::Join` / pseudo-parameter `Ref`s of the template into a plain string for one environment. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const ref = value.Ref;
    if (ref === 'AWS::Partition') return PARTITION;
    if (ref === 'AWS::Region') return REGION;
    if (ref === 'AWS::AccountId') return ACCOUNT;
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [separator, parts] = join as [string, Json[]];
      return parts.map(render).join(separator);
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** A connection as IoT Core sees it: the thing behind the certificate. */
interface Connection {
  thingName: string;
  attributes: Record<string, string>;
  /** Whether the certificate is attached to the thing (`iot:Connection.Thing.IsAttached`). */
  attached: boolean;
}

/** Substitutes IoT policy variables; `undefined` when one does not resolve (the statement then matches nothing). */
function substitute(text: string, c: Connection): string | undefined {
  let unresolved = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_, variable: string) => {
    if (variable === 'iot:Connection.Thing.ThingName') return c.thingName;
    const attribute = /^iot:Connection\.Thing\.Attributes\[(.+)\]$/.exec(variable);
    const value = attribute ? c.attributes[attribute[1] as string] : undefined;
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : out;
}

/** IoT policy resource matching: `*` any characters, `?` one character, everything else literal. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

const { ingest } = synthKouan();
const policy = onlyResource(ingest, 'AWS::IoT::Policy') as { PolicyDocument: { Statement: Statement[] } };
const statements = policy.PolicyDocument.Statement;

function allowed(action: string, resource: string, c: Connection): boolean {
  const matching = statements.filter((s) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.some((a) => globMatches(a, action))) return false;
    const resources = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(render);
    if (!resources.some((r) => ((p) => p !== undefined && globMatches(p, resource))(substitute(r, c)))) return false;
    const attachedCondition = s.Condition?.Bool?.['iot:Connection.Thing.IsAttached'];
    return attachedCondition === undefined || attachedCondition === String(c.attached);
  });
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

const gate01: DeviceTopic = { port: 'CNSGH', deviceClass: 'gate', deviceId: 'gate-01' };
const device: Connection = {
  thingName: 'gate-01',
  attributes: { port: 'CNSGH', deviceClass: 'gate' },
  attached: true,
};
const connect = (clientId: string, c = device) => allowed('iot:Connect', `${ARN}:client/${clientId}`, c);
const publish = (topic: string, c = device) => allowed('iot:Publish', `${ARN}:topic/${topic}`, c);
const subscribe = (filter: string, c = device) => allowed('iot:Subscribe', `${ARN}:topicfilter/${filter}`, c);
const receive = (topic: string, c = device) => allowed('iot:Receive', `${ARN}:topic/${topic}`, c);

describe('device policy', () => {
  it('lets a device connect only with its own thing name as client id', () => {
    expect(connect('gate-01')).toBe(true);
    expect(connect('gate-02')).toBe(false);
    expect(connect('gate-01-shadow')).toBe(false);
  });

  it('refuses a connection whose certificate is not attached to the thing', () => {
    expect(connect('gate-01', { ...device, attached: false })).toBe(false);
  });

  it('lets a device publish its own events topic', () => {
    expect(publish(eventsTopic(gate01))).toBe(true);
    expect(publish('kouan/v1/CNSGH/gate/gate-01/events')).toBe(true);
  });

  it('refuses publishing under another device id, class or port', () => {
    expect(publish(eventsTopic({ ...gate01, deviceId: 'gate-02' }))).toBe(false);
    expect(publish(eventsTopic({ ...gate01, deviceClass: 'rpm' }))).toBe(false);
    expect(publish(eventsTopic({ ...gate01, port: 'NLRTM' }))).toBe(false);
    expect(publish('kouan/v1/CNSGH/gate/gate-01/events/extra')).toBe(false);
  });

  it('refuses publishing commands, even to itself', () => {
    expect(publish(commandsTopic(gate01))).toBe(false);
  });

  it('lets a device subscribe to and receive only its own commands topic', () => {
    expect(subscribe(commandsTopic(gate01))).toBe(true);
    expect(receive(commandsTopic(gate01))).toBe(true);
    expect(subscribe(commandsTopic({ ...gate01, deviceId: 'gate-02' }))).toBe(false);
    expect(receive(commandsTopic({ ...gate01, deviceId: 'gate-02' }))).toBe(false);
  });

  it('refuses wildcard subscriptions and listening to events', () => {
    expect(subscribe('kouan/#')).toBe(false);
    expect(subscribe('kouan/v1/+/+/+/events')).toBe(false);
    expect(subscribe('kouan/v1/CNSGH/gate/+/commands')).toBe(false);
    expect(receive(eventsTopic({ ...gate01, deviceId: 'gate-02' }))).toBe(false);
  });

  it('lets a thing without port and class attributes connect but not publish or subscribe', () => {
    const bare: Connection = { thingName: 'gate-01', attributes: {}, attached: true };
    expect(connect('gate-01', bare)).toBe(true);
    expect(publish(eventsTopic(gate01), bare)).toBe(false);
    expect(subscribe(commandsTopic(gate01), bare)).toBe(false);
  });

  it('grants no other IoT action and no wildcard action or resource', () => {
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.sort()).toEqual(['iot:Connect', 'iot:Publish', 'iot:Receive', 'iot:Subscribe']);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      expect(render(s.Resource)).not.toMatch(/[*?]/);
    }
  });

  it('pins every resource to the thing name policy variable', () => {
    for (const s of statements) expect(render(s.Resource)).toContain(THING_NAME);
  });
});
