import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceEvent, type DeviceEventKind, KINDS_BY_CLASS, MAX_PAYLOAD_BYTES } from '../../events/v1';
import { RAW_SAMPLES, SAMPLES, type SampleName, samplesOfKind } from '../../events/v1/samples';
import { checkDigitValid, normaliseContainerRead } from '../../shared/domain/container-number';
import { assessOccupancy } from '../../shared/domain/radiation';

const SAMPLES_DIR = join(__dirname, '../../events/v1/samples');
const ALL_KINDS = [...new Set(Object.values(KINDS_BY_CLASS).flat())] as DeviceEventKind[];
const names = Object.keys(RAW_SAMPLES) as SampleName[];

/** A deep, mutable copy of a sample's raw JSON, so a test can break it without touching the shared one. */
const mutable = (name: SampleName): Record<string, unknown> & { payload: Record<string, unknown> } =>
  JSON.parse(JSON.stringify(RAW_SAMPLES[name]));

const refusal = (input: unknown): string[] => {
  const result = DeviceEvent.safeParse(input);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => `${i.code}:${i.path.join('.')}`) ?? [];
};

describe('sample events', () => {
  it('every JSON file in events/v1/samples is in the sample map, and every entry has its file', () => {
    const files = readdirSync(SAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
    expect(files).toEqual([...names].sort());
  });

  it('covers every kind of the contract', () => {
    const covered = new Set(Object.values(SAMPLES).map((s) => s.kind));
    expect([...covered].sort()).toEqual([...ALL_KINDS].sort());
  });

  it.each(names)('%s parses with DeviceEvent, fits in one publish and is named after its kind', (name) => {
    const text = readFileSync(join(SAMPLES_DIR, `${name}.json`), 'utf8');
    const result = DeviceEvent.safeParse(JSON.parse(text));
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(SAMPLES[name]);
    expect(name.startsWith(SAMPLES[name].kind)).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_PAYLOAD_BYTES);
  });

  it('message ids are unique across samples', () => {
    const ids = Object.values(SAMPLES).map((s) => s.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('samples are frozen so one test cannot change another', () => {
    const gate = SAMPLES['gate.transaction.in'];
    expect(Object.isFrozen(gate)).toBe(true);
    expect(Object.isFrozen(gate.payload.containers)).toBe(true);
  });

  it('samplesOfKind returns the samples of one kind only', () => {
    expect(samplesOfKind('gate.transaction').map((s) => s.payload.direction)).toEqual(['in', 'out']);
    expect(samplesOfKind('device.heartbeat')).toHaveLength(1);
  });
});

describe('what the samples say', () => {
  it('the AIS sample carries a complete two-part type 5 and a type 1', () => {
    const { sentences } = SAMPLES['ais.nmea'].payload;
    expect(sentences.map((s) => s.split(',').slice(1, 4).join(','))).toEqual(['2,1,1', '2,2,1', '1,1,']);
  });

  it('every container number in gate, RPM and NII samples has a valid ISO 6346 check digit once normalised', () => {
    const reads = [
      ...samplesOfKind('gate.transaction').flatMap((s) => s.payload.containers),
      ...samplesOfKind('rpm.scan').flatMap((s) => s.payload.containers ?? []),
      ...samplesOfKind('nii.scan').flatMap((s) => s.payload.containers),
    ];
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect([read, checkDigitValid(normaliseContainerRead(read))]).toEqual([read, true]);
  });

  it('the RPM samples are what their names say under the platform rule', () => {
    expect(assessOccupancy(SAMPLES['rpm.scan.clear'].payload).alarm).toBe(false);
    const alarm = assessOccupancy(SAMPLES['rpm.scan.alarm'].payload);
    expect(alarm.alarm).toBe(true);
    expect(alarm.gamma.alarm).toBe(true);
    expect(alarm.neutron.alarm).toBe(false);
  });

  it('the NII and equipment samples show both outcomes', () => {
    expect(SAMPLES['nii.scan.clear'].payload.result).toBe('clear');
    expect(SAMPLES['nii.scan.anomaly'].payload.anomalies?.length).toBeGreaterThan(0);
    expect(SAMPLES['equipment.telemetry.operating'].payload.status).toBe('operating');
    expect(SAMPLES['equipment.telemetry.fault'].payload.faultCode).toBeDefined();
  });
});

describe('mutated samples are refused', () => {
  it('an unknown field in the envelope (e.g. a topic hint)', () => {
    const e = { ...mutable('device.heartbeat'), topic: 'kouan/v1/CNSGH/rpm/rpm-03/events' };
    expect(refusal(e)).toContain('unrecognized_keys:');
  });

  it('an unknown field in the payload', () => {
    const e = mutable('gate.transaction.in');
    e.payload.trailerId = 'T-1';
    expect(refusal(e)).toContain('unrecognized_keys:payload');
  });

  it('a kind that does not match the payload', () => {
    // The payload is then judged against the rpm.scan schema: gate fields are unknown, RPM fields missing.
    const e = { ...mutable('gate.transaction.in'), kind: 'rpm.scan' };
    expect(refusal(e)).toEqual(expect.arrayContaining(['unrecognized_keys:payload', 'invalid_type:payload.gammaCps']));
  });

  it('a kind the contract does not know', () => {
    const e = { ...mutable('device.heartbeat'), kind: 'device.reboot' };
    expect(refusal(e)).toContain('invalid_union:kind');
  });

  it('a missing messageId, an empty one and one over 128 characters', () => {
    const { messageId: _dropped, ...missing } = mutable('device.heartbeat');
    expect(refusal(missing)).toContain('invalid_type:messageId');
    expect(refusal({ ...mutable('device.heartbeat'), messageId: '' })).toContain('too_small:messageId');
    expect(refusal({ ...mutable('device.heartbeat'), messageId: 'x'.repeat(129) })).toContain('too_big:messageId');
  });

  it.each(['2026-11-26T08:15:02.120', '2026-11-26', '26/11/2026 08:15', '2026-11-26T08:15:02.120+0800'])(
    'observedAt without a proper offset: %s',
    (observedAt) => {
      expect(refusal({ ...mutable('gate.transaction.in'), observedAt })).toContain('invalid_format:observedAt');
    },
  );

  it('5 containers on a gate transaction (at most 4)', () => {
    const e = mutable('gate.transaction.in');
    e.payload.containers = ['CSQU3054383', 'TGHU7599330', 'OOLU8643084', 'HLXU2008419', 'MEDU6246078'];
    expect(refusal(e)).toContain('too_big:payload.containers');
  });

  it('101 NMEA sentences in one publish (at most 100)', () => {
    const e = mutable('ais.nmea');
    const sentence = (e.payload.sentences as string[])[2];
    e.payload.sentences = Array.from({ length: 101 }, () => sentence);
    expect(refusal(e)).toContain('too_big:payload.sentences');
  });

  it('an empty NMEA publish, and a gate direction other than in/out', () => {
    const ais = mutable('ais.nmea');
    ais.payload.sentences = [];
    expect(refusal(ais)).toContain('too_small:payload.sentences');
    const gate = mutable('gate.transaction.out');
    gate.payload.direction = 'through';
    expect(refusal(gate)).toContain('invalid_value:payload.direction');
  });

  it('an RPM scan without gamma samples or with a negative count rate', () => {
    const empty = mutable('rpm.scan.clear');
    empty.payload.gammaCps = [];
    expect(refusal(empty)).toContain('too_small:payload.gammaCps');
    const negative = mutable('rpm.scan.clear');
    negative.payload.neutronBackgroundCps = -1;
    expect(refusal(negative)).toContain('too_small:payload.neutronBackgroundCps');
  });
});
