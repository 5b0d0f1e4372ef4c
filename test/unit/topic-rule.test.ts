import { StreamRecord } from '../../events/v1';
import { applyTopicRule, TOPIC_FILTER, TOPIC_RULE } from '../../shared/platform/topic-rule';

describe('topic rule (one definition for IoT Core and the local broker)', () => {
  it('selects in SQL exactly the fields the local twin builds', () => {
    const routed = applyTopicRule('kouan/v1/CNSGH/gate/gate-01/events', Buffer.from('{}'), 'gate-01', 1);
    expect(routed).toBeDefined();
    const sqlFields = [...TOPIC_RULE.sql.matchAll(/ AS (\w+)/g)].map((m) => m[1]).sort();
    expect(sqlFields).toEqual(Object.keys(routed?.record ?? {}).sort());
    expect(Object.keys(StreamRecord.shape).sort()).toEqual(sqlFields);
  });

  it('reads port, class and device id from the same topic segments as the SQL', () => {
    const routed = applyTopicRule('kouan/v1/NLRTM/rpm/rpm-9/events', Buffer.from('x'), undefined, 5);
    expect(TOPIC_RULE.sql).toContain('topic(3) AS port');
    expect(TOPIC_RULE.sql).toContain('topic(4) AS deviceClass');
    expect(TOPIC_RULE.sql).toContain('topic(5) AS deviceId');
    expect(routed?.record).toMatchObject({ port: 'NLRTM', deviceClass: 'rpm', deviceId: 'rpm-9', receivedAt: 5 });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the IoT substitution template itself.
    expect(TOPIC_RULE.partitionKey).toBe('${topic(5)}');
    expect(routed?.partitionKey).toBe('rpm-9');
  });

  it('carries any payload base64-encoded, JSON or not', () => {
    const bytes = Buffer.from([0, 255, 10, 13]);
    const routed = applyTopicRule('kouan/v1/CNSGH/ais/ais-1/events', bytes, 'ais-1', 0);
    expect(Buffer.from(routed?.record.raw ?? '', 'base64')).toEqual(bytes);
    expect(TOPIC_RULE.sql).toContain("encode(*, 'base64') AS raw");
  });

  it.each([
    'kouan/v1/CNSGH/gate/gate-01/commands',
    'kouan/v2/CNSGH/gate/gate-01/events',
    'kouan/v1/cnsgh/gate/gate-01/events',
    'kouan/v1/CNSGH/drone/d-1/events',
    'kouan/v1/CNSGH/gate/bad id/events',
    'kouan/v1/CNSGH/gate/events',
  ])('does not route %s (outside the rule filter or the contract)', (topic) => {
    expect(applyTopicRule(topic, Buffer.from('{}'), 'x', 0)).toBeUndefined();
  });

  it('uses the contract topic filter', () => {
    expect(TOPIC_FILTER).toBe('kouan/v1/+/+/+/events');
    expect(TOPIC_RULE.sql).toContain(`FROM '${TOPIC_FILTER}'`);
  });
});
