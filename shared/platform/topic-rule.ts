import type { StreamRecord } from '../../events/v1/stream-record';
import { parseEventsTopic } from '../../events/v1/topic';

/**
 * The IoT topic rule, defined once. The CDK app deploys `TOPIC_RULE.sql` to AWS IoT Core; the local broker
 * plays the same rule with `applyTopicRule`, which builds exactly the record the SQL selects. If you change one
 * field here, both sides change: test/unit/topic-rule.test.ts keeps them in step.
 */
export const TOPIC_FILTER = 'kouan/v1/+/+/+/events';

/** Fields the SQL adds from the topic: `topic(n)` is 1-based over the topic's segments. */
const TOPIC_FIELDS = [
  { name: 'port', segment: 3 },
  { name: 'deviceClass', segment: 4 },
  { name: 'deviceId', segment: 5 },
] as const;

export const TOPIC_RULE = {
  /** IoT SQL 2016-03-23. `encode(*, 'base64')` carries any payload, JSON or not, to the ingest function. */
  sql: [
    "SELECT encode(*, 'base64') AS raw, topic() AS topic,",
    ...TOPIC_FIELDS.map((f) => `topic(${f.segment}) AS ${f.name},`),
    `clientid() AS clientId, timestamp() AS receivedAt FROM '${TOPIC_FILTER}'`,
  ].join(' '),
  sqlVersion: '2016-03-23',
  /** Kinesis partition key: one device's records stay on one shard, in order. */
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IoT substitution template, not a JS template.
  partitionKey: '${topic(5)}',
} as const;

/**
 * Local twin of the topic rule: what IoT Core would put on the stream for one publish, or `undefined` when the
 * topic does not match the rule's filter (IoT Core would not route it either).
 */
export function applyTopicRule(
  topic: string,
  payload: Buffer,
  clientId: string | undefined,
  receivedAt: number,
): { partitionKey: string; record: StreamRecord } | undefined {
  const t = parseEventsTopic(topic);
  if (!t) return undefined;
  const record: StreamRecord = {
    raw: payload.toString('base64'),
    topic,
    port: t.port,
    deviceClass: t.deviceClass,
    deviceId: t.deviceId,
    ...(clientId ? { clientId } : {}),
    receivedAt,
  };
  return { partitionKey: t.deviceId, record };
}
