import { DeviceEvent, KINDS_BY_CLASS, parseEventsTopic } from '../../events/v1';
import {
  createPortTraffic,
  generateTraffic,
  PORTS,
  type SimulatedPublish,
  sequenceOf,
  UnknownPortError,
} from '../../local/simulator';
import { insidePolygon } from '../../local/simulator/geo';
import { imoCheckDigitValid } from '../../local/simulator/vessel-registry';
import { type AisMessage, decodeAisSentences } from '../../shared/domain/ais';
import { checkDigitValid, isContainerNumberShape, normaliseContainerRead } from '../../shared/domain/container-number';
import { assessOccupancy } from '../../shared/domain/radiation';

const START = Date.parse('2026-11-26T00:00:00.000Z');
const MINUTE = 60_000;

type EventOf<K extends DeviceEvent['kind']> = Extract<DeviceEvent, { kind: K }>;

function ofKind<K extends DeviceEvent['kind']>(traffic: readonly SimulatedPublish[], kind: K): EventOf<K>[] {
  return traffic.map((p) => p.envelope).filter((e): e is EventOf<K> => e.kind === kind);
}

function decodedAis(traffic: readonly SimulatedPublish[]) {
  const messages: AisMessage[] = [];
  const rejected: string[] = [];
  let sentences = 0;
  for (const e of ofKind(traffic, 'ais.nmea')) {
    sentences += e.payload.sentences.length;
    const result = decodeAisSentences(e.payload.sentences);
    messages.push(...result.messages.map((m) => m.message));
    rejected.push(...result.rejected.map((r) => r.code));
  }
  return { messages, rejected, sentences };
}

describe('port simulator traffic (CNSGH, seed 42, 10 wall-clock minutes = 10 port hours)', () => {
  const traffic = createPortTraffic({ port: 'CNSGH', seed: 42, startMs: START });
  const published = traffic.advance(START + 10 * MINUTE);

  it('produces only envelopes that the contract schema accepts', () => {
    const failures = published.filter((p) => !DeviceEvent.safeParse(p.envelope).success);

    expect(published.length).toBeGreaterThan(10_000);
    expect(failures).toEqual([]);
  });

  it('publishes each device under its own topic, with the client id the broker checks, and kinds its class may send', () => {
    const misplaced = published.filter((p) => {
      const topic = parseEventsTopic(p.topic);
      if (topic?.port !== 'CNSGH' || topic.deviceId !== p.clientId) return true;
      const allowed: readonly string[] = KINDS_BY_CLASS[topic.deviceClass];
      return !allowed.includes(p.envelope.kind);
    });

    expect(misplaced).toEqual([]);
  });

  it('has a stable fleet with ids derived from the port code', () => {
    expect(traffic.fleet.all.map((d) => d.deviceId)).toEqual([
      'CNSGH-ais-01',
      'CNSGH-ais-02',
      'CNSGH-gate-01',
      'CNSGH-gate-02',
      'CNSGH-gate-03',
      'CNSGH-gate-04',
      'CNSGH-rpm-01',
      'CNSGH-rpm-02',
      'CNSGH-rpm-03',
      'CNSGH-rpm-04',
      'CNSGH-nii-01',
      'CNSGH-crane-01',
      'CNSGH-crane-02',
      'CNSGH-crane-03',
      'CNSGH-crane-04',
      'CNSGH-crane-05',
      'CNSGH-crane-06',
    ]);
    expect(new Set(published.map((p) => p.clientId))).toEqual(new Set(traffic.fleet.all.map((d) => d.deviceId)));
  });

  it('numbers each device’s messages 1, 2, 3… in time order, with unique ids and UTC timestamps', () => {
    const last = new Map<string, { seq: number; at: string }>();
    const broken: string[] = [];
    for (const { clientId, envelope } of published) {
      const seq = sequenceOf(envelope.messageId) ?? -1;
      const previous = last.get(clientId) ?? { seq: 0, at: '' };
      if (
        !envelope.messageId.startsWith(`${clientId}-${traffic.runId}-`) ||
        seq !== previous.seq + 1 ||
        envelope.observedAt < previous.at ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(envelope.observedAt)
      ) {
        broken.push(`${envelope.messageId} at ${envelope.observedAt} after seq ${previous.seq}`);
      }
      last.set(clientId, { seq, at: envelope.observedAt });
    }

    expect(broken).toEqual([]);
    expect(Object.fromEntries([...last].map(([id, v]) => [id, v.seq]))).toEqual(traffic.counts());
    expect(new Set(published.map((p) => p.envelope.messageId)).size).toBe(published.length);
  });

  it('keeps the target rate steadily: every minute within 15 % of 40 msg/s', () => {
    const perMinute = new Array<number>(10).fill(0);
    for (const p of published) {
      const minute = Math.floor((Date.parse(p.envelope.observedAt) - START) / MINUTE);
      // The window's end instant belongs to the next minute.
      if (minute < perMinute.length) perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    for (const n of perMinute) {
      expect(n / 60).toBeGreaterThan(40 * 0.85);
      expect(n / 60).toBeLessThan(40 * 1.15);
    }
  });

  it('mixes every kind of device traffic', () => {
    const byKind = new Map<string, number>();
    for (const p of published) byKind.set(p.envelope.kind, (byKind.get(p.envelope.kind) ?? 0) + 1);

    expect(byKind.get('gate.transaction')).toBeGreaterThan(5_000);
    expect(byKind.get('rpm.scan')).toBeGreaterThan(5_000);
    expect(byKind.get('equipment.telemetry')).toBeGreaterThan(2_000);
    expect(byKind.get('ais.nmea')).toBeGreaterThan(400);
    expect(byKind.get('nii.scan')).toBeGreaterThan(100);
    // 17 devices, one heartbeat each about every 30 s.
    expect(byKind.get('device.heartbeat')).toBeGreaterThanOrEqual(17 * 19);
    expect(byKind.get('device.heartbeat')).toBeLessThanOrEqual(17 * 21);
  });

  describe('AIS', () => {
    const ais = decodedAis(published);
    const fleetMmsis = new Set(traffic.vessels.map((v) => v.identity.mmsi));

    it('batches 1–100 sentences per publish', () => {
      for (const e of ofKind(published, 'ais.nmea')) {
        expect(e.payload.sentences.length).toBeGreaterThanOrEqual(1);
        expect(e.payload.sentences.length).toBeLessThanOrEqual(100);
      }
      expect(ais.sentences / ofKind(published, 'ais.nmea').length).toBeGreaterThan(2);
    });

    it('decodes to the fleet’s MMSIs, rejecting only the rare sentence with a bad checksum', () => {
      const heard = new Set(ais.messages.map((m) => m.mmsi));

      expect([...heard].every((mmsi) => fleetMmsis.has(mmsi))).toBe(true);
      expect(heard.size).toBeGreaterThanOrEqual(fleetMmsis.size * 0.8);
      expect(new Set(ais.rejected)).toEqual(new Set(['NMEA_BAD_CHECKSUM']));
      expect(ais.rejected.length / ais.sentences).toBeLessThan(0.012);
    });

    it('sends class A positions and two-part static data, class B positions and static parts A and B', () => {
      const types = new Set(ais.messages.map((m) => (m.type === 24 ? `24${m.partNo === 0 ? 'A' : 'B'}` : `${m.type}`)));
      for (const t of ['1', '5', '18', '24A', '24B']) expect(types).toContain(t);
      const type5 = ofKind(published, 'ais.nmea').flatMap((e) =>
        e.payload.sentences.filter((s) => s.startsWith('!AIVDM,2,')),
      );
      expect(type5.length).toBeGreaterThan(0);
    });

    it('carries real-looking identities: 9-digit MMSIs with a ship MID, valid IMO numbers, cargo and tanker types', () => {
      for (const mmsi of fleetMmsis) expect(String(mmsi)).toMatch(/^[2-7]\d{8}$/);
      const statics = ais.messages.filter((m): m is Extract<AisMessage, { type: 5 }> => m.type === 5);
      expect(statics.length).toBeGreaterThan(0);
      for (const s of statics) {
        expect(imoCheckDigitValid(s.imo)).toBe(true);
        expect(s.shipType >= 70 && s.shipType <= 89).toBe(true);
        expect(s.shipName.length).toBeGreaterThan(0);
      }
    });

    it('shows ships waiting at anchor (status 1, under 1 kn) and moored (status 5, stopped) inside the port limits', () => {
      const positions = ais.messages.filter(
        (m): m is Extract<AisMessage, { type: 1 | 2 | 3 }> => m.type === 1 || m.type === 2 || m.type === 3,
      );
      const anchored = positions.filter((p) => p.navStatus === 1);
      const moored = positions.filter((p) => p.navStatus === 5);
      expect(anchored.length).toBeGreaterThan(0);
      expect(moored.length).toBeGreaterThan(0);
      for (const p of anchored) {
        expect(p.sog).toBeLessThan(1);
        expect(insidePolygon(p, traffic.port.polygon)).toBe(true);
      }
      for (const p of moored) {
        expect(p.sog).toBe(0);
        expect(insidePolygon(p, traffic.port.polygon)).toBe(true);
      }
    });
  });

  describe('gates', () => {
    const transactions = ofKind(published, 'gate.transaction');
    const reads = transactions.flatMap((t) => t.payload.containers);

    it('reads ISO 6346 container numbers, about 2 % misread by one character so the check digit fails', () => {
      const invalid = reads.filter((r) => !checkDigitValid(normaliseContainerRead(r)));

      expect(reads.length).toBeGreaterThan(3_000);
      expect(invalid.length / reads.length).toBeGreaterThan(0.01);
      expect(invalid.length / reads.length).toBeLessThan(0.03);
      // A one-character look-alike keeps the number's shape: it is the check digit that exposes it.
      for (const r of invalid) expect(isContainerNumberShape(normaliseContainerRead(r))).toBe(true);
    });

    it('carries 0–2 containers per truck with an OCR confidence of 0.8–0.99, in lanes of one direction', () => {
      const odd = transactions.filter(
        ({ payload: p }) =>
          p.containers.length > 2 ||
          p.ocrConfidence < 0.8 ||
          p.ocrConfidence > 0.99 ||
          !p.laneId.startsWith(p.direction === 'in' ? 'IN' : 'OUT'),
      );

      expect(odd).toEqual([]);
    });

    it('lets a truck out with the same plate some port minutes after it came in', () => {
      const inAt = new Map<string, number>();
      const turnaroundsMin: number[] = [];
      for (const t of transactions) {
        const at = Date.parse(t.observedAt);
        if (t.payload.direction === 'in') {
          expect(inAt.has(t.payload.plate)).toBe(false);
          inAt.set(t.payload.plate, at);
        } else {
          const entered = inAt.get(t.payload.plate);
          if (entered !== undefined) turnaroundsMin.push(((at - entered) / MINUTE) * 60);
          inAt.delete(t.payload.plate);
        }
      }
      turnaroundsMin.sort((a, b) => a - b);

      expect(turnaroundsMin.length).toBeGreaterThan(1_000);
      expect(turnaroundsMin[0]).toBeGreaterThanOrEqual(20);
      expect(turnaroundsMin[turnaroundsMin.length - 1]).toBeLessThanOrEqual(240);
      const median = turnaroundsMin[Math.floor(turnaroundsMin.length / 2)] ?? 0;
      expect(median).toBeGreaterThan(45);
      expect(median).toBeLessThan(80);
    });
  });

  describe('radiation portal monitors', () => {
    const scans = ofKind(published, 'rpm.scan');

    it('alarms on about 1 % of occupancies under the platform’s own rule', () => {
      const alarms = scans.filter((s) => assessOccupancy(s.payload).alarm);

      expect(scans.length).toBeGreaterThan(5_000);
      expect(alarms.length / scans.length).toBeGreaterThan(0.004);
      expect(alarms.length / scans.length).toBeLessThan(0.02);
    });

    it('counts around an 80–300 cps background with the truck’s shielding dip, and neutrons near zero', () => {
      const quiet = scans.filter((s) => !assessOccupancy(s.payload).alarm).map((s) => s.payload);
      const outOfRange = quiet.filter(
        (p) => p.gammaBackgroundCps < 70 || p.gammaBackgroundCps > 320 || p.neutronBackgroundCps > 2,
      );
      // Median sample / background: the truck shields 20–40 % of the background mid-passage.
      const dips = quiet
        .map((p) => {
          const sorted = [...p.gammaCps].sort((a, b) => a - b);
          return (sorted[Math.floor(sorted.length / 2)] ?? 0) / p.gammaBackgroundCps;
        })
        .sort((a, b) => a - b);

      expect(outOfRange).toEqual([]);
      expect(dips[Math.floor(dips.length / 2)]).toBeGreaterThan(0.65);
      expect(dips[Math.floor(dips.length / 2)]).toBeLessThan(0.85);
      expect(dips[Math.floor(dips.length * 0.99)]).toBeLessThan(0.9);
    });

    it('links each occupancy to the plate and containers the lane’s gate just read', () => {
      // In publish order: the latest gate read of that plate in that lane. The first seconds' occupancies belong to
      // trucks that passed the gate during the unpublished warm-up, so they are left out.
      const gateReads = new Map<string, string[]>();
      const unlinked: string[] = [];
      for (const { envelope: e } of published) {
        if (e.kind === 'gate.transaction')
          gateReads.set(`${e.payload.laneId}|${e.payload.plate}`, e.payload.containers);
        if (e.kind !== 'rpm.scan' || Date.parse(e.observedAt) < START + 15_000) continue;
        const read = gateReads.get(`${e.payload.laneId}|${e.payload.plate ?? ''}`);
        if (JSON.stringify(read) !== JSON.stringify(e.payload.containers ?? [])) unlinked.push(e.payload.occupancyId);
      }
      expect(unlinked).toEqual([]);
    });
  });

  it('scans some trucks by X-ray, mostly clear, rarely with an anomaly code', () => {
    const scans = ofKind(published, 'nii.scan');
    const anomalies = scans.filter((s) => s.payload.result === 'anomaly');

    expect(anomalies.length / scans.length).toBeLessThan(0.1);
    for (const s of anomalies) expect(s.payload.anomalies?.length).toBeGreaterThan(0);
    for (const s of scans) expect(s.payload.containers.every((c) => checkDigitValid(c))).toBe(true);
  });

  it('reports crane telemetry whose moves only grow, with a fault code exactly when in fault', () => {
    const moves = new Map<string, number>();
    const odd = ofKind(published, 'equipment.telemetry').filter(({ payload }) => {
      const before = moves.get(payload.equipmentId) ?? 0;
      moves.set(payload.equipmentId, payload.moves ?? -1);
      return (payload.moves ?? -1) < before || (payload.faultCode !== undefined) !== (payload.status === 'fault');
    });

    expect(odd).toEqual([]);
    expect([...moves.keys()].sort()).toEqual(['RTG-01', 'RTG-02', 'RTG-03', 'STS-01', 'STS-02', 'STS-03']);
  });
});

describe('port simulator determinism and rates', () => {
  it('gives the same traffic for the same seed, and different traffic for another seed', () => {
    const run = (seed: number) => generateTraffic({ port: 'NLRTM', seed, startMs: START, durationMs: 2 * MINUTE });

    expect(JSON.stringify(run(7))).toBe(JSON.stringify(run(7)));
    expect(JSON.stringify(run(7))).not.toBe(JSON.stringify(run(8)));
  });

  it('does not depend on how often it is advanced', () => {
    const once = generateTraffic({ port: 'DEHAM', seed: 3, startMs: START, durationMs: MINUTE });
    const stepwise = createPortTraffic({ port: 'DEHAM', seed: 3, startMs: START });
    const inSteps: SimulatedPublish[] = [];
    for (let t = START; t <= START + MINUTE; t += 137) inSteps.push(...stepwise.advance(t));
    inSteps.push(...stepwise.advance(START + MINUTE));

    expect(JSON.stringify(inSteps)).toBe(JSON.stringify(once));
  });

  it.each([10, 200])('holds a target of %i msg/s', (ratePerSecond) => {
    const minutes = 2;
    const out = generateTraffic({
      port: 'SGSIN',
      seed: 1,
      startMs: START,
      durationMs: minutes * MINUTE,
      ratePerSecond,
    });

    expect(out.length / (minutes * 60)).toBeGreaterThan(ratePerSecond * 0.85);
    expect(out.length / (minutes * 60)).toBeLessThan(ratePerSecond * 1.15);
  });

  it('plays every port it has a map of', () => {
    for (const code of Object.keys(PORTS)) {
      const out = generateTraffic({ port: code, seed: 1, startMs: START, durationMs: 20_000 });
      expect(out.length).toBeGreaterThan(0);
      expect(
        out.every((p) => DeviceEvent.safeParse(p.envelope).success && parseEventsTopic(p.topic)?.port === code),
      ).toBe(true);
    }
  });

  it('refuses a port it has no map of, naming the ones it has', () => {
    expect(() => createPortTraffic({ port: 'FRLEH', startMs: START })).toThrow(UnknownPortError);
    expect(() => createPortTraffic({ port: 'FRLEH', startMs: START })).toThrow(/CNSGH/);
  });
});
