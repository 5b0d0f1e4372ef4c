import * as fc from 'fast-check';
import { misread, newContainerNumber } from '../../local/simulator/container-numbers';
import { bearingDeg, distanceNm, insidePolygon, moveBy } from '../../local/simulator/geo';
import { newPlate } from '../../local/simulator/plates';
import { PORTS } from '../../local/simulator/ports';
import { SeededRandom } from '../../local/simulator/random';
import {
  buildVesselRegistry,
  imoCheckDigitValid,
  imoWithCheckDigit,
  midOf,
} from '../../local/simulator/vessel-registry';
import { checkDigitValid } from '../../shared/domain/container-number';

describe('SeededRandom', () => {
  it('replays the same stream for the same seed', () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    const drawsA = Array.from({ length: 50 }, () => a.next());
    const drawsB = Array.from({ length: 50 }, () => b.next());

    expect(drawsA).toEqual(drawsB);
    expect(new Set(drawsA).size).toBe(50);
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -50, max: 50 }), (seed, min) => {
        const r = new SeededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.next();
          const n = r.int(min, min + 5);
          if (x < 0 || x >= 1 || n < min || n > min + 5 || !Number.isInteger(n)) return false;
        }
        return true;
      }),
    );
  });

  it('draws Poisson counts with the right mean', () => {
    const r = new SeededRandom(9);
    for (const mean of [0.8, 12, 120]) {
      const n = 5_000;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += r.poisson(mean);
      expect(Math.abs(sum / n - mean)).toBeLessThan(Math.max(0.05, mean * 0.03));
    }
  });

  it('forks independent streams that do not shift when the parent is used', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    b.next();

    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });
});

describe('simulator container numbers', () => {
  it('generates numbers with a valid check digit, and one-character misreads that fail it', () => {
    const r = new SeededRandom(77);
    for (let i = 0; i < 2_000; i++) {
      const number = newContainerNumber(r);
      const read = misread(number, r);
      const differing = [...number].filter((c, j) => read.charAt(j) !== c).length;

      expect(checkDigitValid(number)).toBe(true);
      expect(checkDigitValid(read)).toBe(false);
      expect(read).toHaveLength(11);
      expect(differing).toBe(1);
    }
  });
});

describe('simulator plates', () => {
  it.each([
    ['CN', /^[沪苏浙][A-H][0-9A-Z]{5}$/],
    ['NL', /^[BV][A-Z]-\d{3}-[A-Z]$/],
    ['DE', /^[A-Z]{1,3}-[A-Z]{1,2} \d{1,4}$/],
    ['SG', /^[XY][A-M]\d{1,4}[A-Z]$/],
    ['KR', /^부산\d\d[사아바자]\d{4}$/],
  ])('formats %s plates as that country does', (country, format) => {
    const r = new SeededRandom(1);
    for (let i = 0; i < 200; i++) {
      const plate = newPlate(country, r);
      expect(plate).toMatch(format);
      expect(plate.length).toBeLessThanOrEqual(16);
    }
  });
});

describe('simulator port maps', () => {
  it.each(Object.values(PORTS))(
    '$code has its berth line and anchorage inside its port limits, the sea entry outside',
    (port) => {
      expect(insidePolygon(port.centre, port.polygon) || port.code === 'SGSIN').toBe(true);
      expect(insidePolygon(port.berthLine[0], port.polygon)).toBe(true);
      expect(insidePolygon(port.berthLine[1], port.polygon)).toBe(true);
      expect(insidePolygon(port.anchorage.centre, port.polygon)).toBe(true);
      expect(insidePolygon(port.seaEntry, port.polygon)).toBe(false);
      // A quay of a few hundred metres to a few kilometres.
      expect(distanceNm(port.berthLine[0], port.berthLine[1])).toBeGreaterThan(0.3);
      expect(distanceNm(port.berthLine[0], port.berthLine[1])).toBeLessThan(4);
    },
  );

  it('uses UN/LOCODE centres, and the stated approximation for Singapore, which UN/LOCODE gives none', () => {
    expect(PORTS.CNSGH?.centre).toEqual({ lat: 31.23333, lon: 121.48333 });
    expect(PORTS.NLRTM?.centre).toEqual({ lat: 51.91667, lon: 4.5 });
    expect(PORTS.DEHAM?.centre).toEqual({ lat: 53.51667, lon: 9.93333 });
    expect(PORTS.SGSIN?.centre).toEqual({ lat: 1.264, lon: 103.84 });
    expect(PORTS.SGSIN?.centreSource).toMatch(/no coordinates/);
  });
});

describe('simulator geometry', () => {
  it('moves a distance along a bearing and measures it back', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: 0, max: 359.9, noNaN: true }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        (lat, lon, course, nm) => {
          const to = moveBy({ lat, lon }, course, nm);
          const back = distanceNm({ lat, lon }, to);
          const turn = Math.abs(((bearingDeg({ lat, lon }, to) - course + 540) % 360) - 180);
          return Math.abs(back - nm) < nm * 0.01 && turn < 1;
        },
      ),
    );
  });
});

describe('simulator vessel registry', () => {
  const port = PORTS.CNSGH;
  if (!port) throw new Error('CNSGH missing');
  const vessels = buildVesselRegistry(port, new SeededRandom(4), 30);

  it('computes IMO check digits as IMO does', () => {
    // Real IMO numbers: EVER GIVEN, EMMA MAERSK.
    expect(imoWithCheckDigit(932148)).toBe(9321483);
    expect(imoCheckDigitValid(9811000)).toBe(true);
    expect(imoCheckDigitValid(9321483)).toBe(true);
    expect(imoCheckDigitValid(9321484)).toBe(false);
  });

  it('draws unique 9-digit MMSIs, valid IMO numbers for seagoing ships, and local flags for small craft', () => {
    expect(vessels).toHaveLength(30);
    expect(new Set(vessels.map((v) => v.mmsi)).size).toBe(30);
    expect(new Set(vessels.map((v) => v.name)).size).toBe(30);
    for (const v of vessels) {
      expect(String(v.mmsi)).toMatch(/^\d{9}$/);
      expect(v.name.length).toBeLessThanOrEqual(20);
      expect(v.callsign.length).toBeLessThanOrEqual(7);
      if (v.aisClass === 'A') {
        expect(imoCheckDigitValid(v.imo ?? 0)).toBe(true);
        expect(v.shipType >= 70 && v.shipType <= 89).toBe(true);
      } else {
        expect(port.localMids).toContain(midOf(v.mmsi));
        expect([30, 36, 37]).toContain(v.shipType);
      }
    }
    expect(vessels.filter((v) => v.aisClass === 'B').length).toBeGreaterThan(0);
  });
});
