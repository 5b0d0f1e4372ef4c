import fc from 'fast-check';
import { planIngest } from '../../shared/domain/ingest/plan-ingest';
import { AIS_TYPE1, ais, envelope, gate, heartbeat, PORT, rpmAlarm, topicOf } from '../support/envelopes';
import { kinesisRecord } from '../support/kinesis-event';

// The factories stamp observedAt with the current time; the records arrive "now" too.
const NOW = new Date().toISOString();
const dataOf = (topic: string, payload: unknown, receivedAt = Date.parse(NOW)) =>
  Buffer.from(kinesisRecord({ topic, payload, receivedAt }).kinesis.data, 'base64');
const plan = (topic: string, payload: unknown) => planIngest(dataOf(topic, payload), NOW);

describe('planIngest', () => {
  it('takes port, class and device from the topic, never from the payload', () => {
    const p = plan(topicOf('gate', 'gate-7'), gate('in', 'SH 123'));
    expect(p.outcome).toBe('accepted');
    if (p.outcome !== 'accepted') return;
    expect(p.source).toMatchObject({ port: PORT, deviceClass: 'gate', deviceId: 'gate-7' });
    expect(p.projections[0]).toMatchObject({ type: 'gate.transaction', plate: 'SH123', direction: 'in' });
  });

  it('normalises observedAt offsets to UTC so stored times compare as strings', () => {
    const p = planIngest(
      dataOf(
        topicOf('gate', 'g'),
        heartbeat('ok', { observedAt: '2026-11-26T16:00:00.000+08:00' }),
        Date.parse('2026-11-26T08:00:01Z'),
      ),
      NOW,
    );
    expect(p.outcome === 'accepted' && p.observedAt).toBe('2026-11-26T08:00:00.000Z');
  });

  it('refuses a kind the device class may not publish', () => {
    const p = plan(topicOf('gate', 'g'), rpmAlarm());
    expect(p.outcome === 'rejected' && p.deadLetter.reason.code).toBe('KIND_NOT_ALLOWED_FOR_CLASS');
  });

  it('refuses an observation from the future beyond the clock skew allowance', () => {
    const inAnHour = new Date(Date.parse(NOW) + 3_600_000).toISOString();
    const p = plan(topicOf('gate', 'g'), heartbeat('ok', { observedAt: inAnHour }));
    expect(p.outcome === 'rejected' && p.deadLetter.reason.code).toBe('OBSERVED_AT_IN_FUTURE');
  });

  it('flags a gate read with a bad ISO 6346 check digit with an alert instead of accepting it silently', () => {
    const p = plan(topicOf('gate', 'g'), gate('in', 'P1', ['CSQU3054383', 'CSQU3054384']));
    if (p.outcome !== 'accepted') throw new Error('expected accepted');
    expect(p.projections[0]).toMatchObject({
      containers: [
        { number: 'CSQU3054383', checkDigitValid: true },
        { number: 'CSQU3054384', checkDigitValid: false },
      ],
    });
    const alerts = p.projections.filter((x) => x.type === 'alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alert: { type: 'gate.container.invalid', subject: { id: 'CSQU3054384' } } });
  });

  it('raises rpm.alarm from counts the platform judged, and nothing for a quiet occupancy', () => {
    const alarm = plan(topicOf('rpm', 'r'), rpmAlarm('CSQU3054383'));
    expect(alarm.outcome === 'accepted' && alarm.projections.map((x) => x.type)).toEqual(['alert']);
    const quiet = plan(
      topicOf('rpm', 'r'),
      envelope('rpm.scan', {
        laneId: 'L',
        occupancyId: 'o',
        gammaCps: [98, 101, 99],
        gammaBackgroundCps: 100,
        neutronCps: [0],
        neutronBackgroundCps: 1,
      }),
    );
    expect(quiet.outcome === 'accepted' && quiet.projections).toEqual([]);
  });

  it('gives the same ids for the same message (idempotency by construction)', () => {
    const msg = rpmAlarm();
    const a = plan(topicOf('rpm', 'r'), msg);
    const b = plan(topicOf('rpm', 'r'), msg);
    expect(a).toEqual(b);
  });

  it('collapses several reports of one vessel in a publish to one position update', () => {
    const p = plan(topicOf('ais', 'a'), ais([AIS_TYPE1, AIS_TYPE1]));
    expect(p.outcome === 'accepted' && p.projections.filter((x) => x.type === 'vessel.position')).toHaveLength(1);
  });
});

describe('planIngest properties (fast-check)', () => {
  const topic = topicOf('gate', 'gate-prop');

  it('never throws, whatever bytes arrive, and a rejection always carries a code and a message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const p = planIngest(dataOf(topic, Buffer.from(bytes)), NOW);
        if (p.outcome === 'rejected') {
          expect(p.deadLetter.reason.code).toMatch(/^[A-Z_]+$/);
          expect(p.deadLetter.reason.message.length).toBeGreaterThan(0);
          expect(p.deadLetter.deviceId).toBe('gate-prop');
        }
      }),
    );
  });

  it('never throws on arbitrary JSON, and accepts only what the schema allows', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const p = planIngest(dataOf(topic, value), NOW);
        expect(['accepted', 'rejected']).toContain(p.outcome);
      }),
    );
  });

  it('refuses any envelope with an extra top-level field (no mass assignment)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((k) => !['messageId', 'observedAt', 'kind', 'payload'].includes(k)),
        fc.jsonValue(),
        (key, value) => {
          const msg = { ...heartbeat('ok', { observedAt: NOW }), [key]: value };
          const p = planIngest(dataOf(topic, msg), NOW);
          expect(p.outcome).toBe('rejected');
        },
      ),
    );
  });

  it('accepts every well-formed gate transaction and keeps each container read', () => {
    const plate = fc.stringMatching(/^[A-Z0-9]{1,10}$/);
    const read = fc.stringMatching(/^[A-Z]{4}[0-9]{7}$/);
    fc.assert(
      fc.property(
        plate,
        fc.array(read, { maxLength: 4 }),
        fc.constantFrom('in', 'out'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pl, reads, dir, conf) => {
          const msg = envelope(
            'gate.transaction',
            { laneId: 'L1', direction: dir, plate: pl, containers: reads, ocrConfidence: conf },
            { observedAt: NOW },
          );
          const p = planIngest(dataOf(topic, msg), NOW);
          expect(p.outcome).toBe('accepted');
          if (p.outcome === 'accepted') {
            expect(p.projections[0]).toMatchObject({ type: 'gate.transaction', plate: pl });
          }
        },
      ),
    );
  });

  it('dead-letters a random change to the messageId type or the observedAt format', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ minLength: 129, maxLength: 200 })),
        (bad) => {
          const p = planIngest(dataOf(topic, { ...heartbeat('ok', { observedAt: NOW }), messageId: bad }), NOW);
          expect(p.outcome === 'rejected' && p.deadLetter.reason.code).toBe('SCHEMA_INVALID');
        },
      ),
    );
  });
});
