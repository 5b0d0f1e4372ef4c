import {
  type AssessContext,
  assess,
  DEFAULT_RISK_PROFILE,
  defaultSelectivitySettings,
  ELECTRONICS_WATCH_ORIGINS,
  hashDraw,
  InvalidSelectivitySettingsError,
  type RiskCriterion,
  type RiskDeclaration,
  type RiskEvidence,
  type RiskItem,
  type RiskProfile,
  type SelectionRandom,
  type SelectivitySettings,
} from '../../shared/domain/risk';

// Real ISO 6346 numbers (../shared/realdata/iso6346.json).
const C1 = 'CSQU3054383';
const C2 = 'ECMU4657496';
const OTHER = 'TGHU7599330';
const AT = '2026-03-01T07:00:00.000Z';
const NOW = new Date('2026-03-01T08:00:00.000Z');

/** A draw that never selects, so rule tests are not disturbed by random selection. */
const neverDrawn: SelectionRandom = { draw: () => 0.999_999 };
const drawn = (value: number): SelectionRandom => ({ draw: () => value });
const context = (over: Partial<AssessContext> = {}): AssessContext => ({ now: () => NOW, random: neverDrawn, ...over });

const SETTINGS = defaultSelectivitySettings(
  { seedId: 'test-2026-03', seed: 'test-seed-not-secret-0001' },
  { EUR: 1.1, CNY: 0.14 },
);
const withSettings = (over: Partial<SelectivitySettings>): SelectivitySettings => ({ ...SETTINGS, ...over });

/** Furniture from Vietnam with its invoice: hits nothing in the default profile. */
function item(over: Partial<RiskItem> = {}): RiskItem {
  return {
    hsCode: '940360',
    originCountry: 'VN',
    quantity: 10,
    unit: 'PCE',
    grossWeightKg: 500,
    customsValue: { amount: 5_000, currency: 'USD' },
    ...over,
  };
}

function declaration(over: Partial<RiskDeclaration> = {}): RiskDeclaration {
  return {
    id: 'DCL-0001',
    port: 'CNSGH',
    direction: 'import',
    trader: { id: 'TR-1', country: 'CN', aeo: false },
    transport: { mode: 'sea', vesselImo: '9321483', vesselMmsi: 477_123_456, truckPlate: 'HU-A 12345' },
    containers: [C1, C2],
    items: [item()],
    documents: [{ type: 'invoice', ref: 'INV-1' }],
    ...over,
  };
}

const run = (
  d: RiskDeclaration,
  evidence: RiskEvidence = {},
  profile: RiskProfile = DEFAULT_RISK_PROFILE,
  settings: SelectivitySettings = SETTINGS,
  ctx: AssessContext = context(),
) => assess(d, evidence, profile, settings, ctx);

const codes = (a: { reasons: { code: string }[] }) => a.reasons.map((r) => r.code);

describe('assess: a clean declaration', () => {
  it('goes green with score 0, no reasons, and the data needed to reproduce it', () => {
    const a = run(declaration());
    expect(a).toEqual({
      declarationId: 'DCL-0001',
      lane: 'green',
      score: 0,
      reasons: [],
      selectedBy: null,
      aeo: false,
      randomDraw: 0.999_999,
      randomSeedId: 'test-2026-03',
      profileVersion: 'default-2026.1',
      assessedAt: '2026-03-01T08:00:00.000Z',
    });
  });
});

describe('assess: each default declaration criterion', () => {
  const watchProfile: RiskProfile = {
    ...DEFAULT_RISK_PROFILE,
    version: 'test-watch',
    lists: { [ELECTRONICS_WATCH_ORIGINS]: ['AA'] },
  };
  const cases: [string, RiskDeclaration, 'red' | 'yellow', string, number, RiskProfile?][] = [
    ['arms (HS 93)', declaration({ items: [item(), item({ hsCode: '930200' })] }), 'red', 'HS_WEAPONS_AMMUNITION', 90],
    ['explosives (HS 3602)', declaration({ items: [item({ hsCode: '360200' })] }), 'red', 'HS_EXPLOSIVES', 80],
    [
      'potassium permanganate',
      declaration({ items: [item({ hsCode: '284161' })] }),
      'yellow',
      'PRECURSOR_CHEMICAL',
      50,
    ],
    [
      'live animals without a veterinary certificate',
      declaration({ items: [item({ hsCode: '010121' })] }),
      'yellow',
      'VETERINARY_CERTIFICATE_MISSING',
      50,
    ],
    [
      'live plants without a phytosanitary certificate',
      declaration({ items: [item({ hsCode: '060210' })] }),
      'yellow',
      'PHYTOSANITARY_CERTIFICATE_MISSING',
      50,
    ],
    ['no invoice', declaration({ documents: [] }), 'yellow', 'INVOICE_MISSING', 30],
    [
      'drones in transit',
      declaration({ direction: 'transit', documents: undefined, items: [item({ hsCode: '880622' })] }),
      'yellow',
      'DUAL_USE_TRANSIT',
      50,
    ],
    [
      'high-value phones from a watch-listed origin',
      declaration({
        items: [
          item({
            hsCode: '851713',
            originCountry: 'AA',
            grossWeightKg: 200,
            customsValue: { amount: 60_000, currency: 'USD' },
          }),
        ],
      }),
      'yellow',
      'HIGH_VALUE_ELECTRONICS_WATCHLIST',
      40,
      watchProfile,
    ],
    [
      'T-shirts at 0.5 USD/kg',
      declaration({
        items: [item({ hsCode: '610910', grossWeightKg: 1_000, customsValue: { amount: 500, currency: 'USD' } })],
      }),
      'yellow',
      'VALUE_BELOW_RANGE',
      40,
    ],
    [
      'hot-rolled steel at 20 USD/kg',
      declaration({
        items: [item({ hsCode: '720851', grossWeightKg: 1_000, customsValue: { amount: 20_000, currency: 'USD' } })],
      }),
      'yellow',
      'VALUE_ABOVE_RANGE',
      30,
    ],
  ];

  // Rows as objects: jest hands a `done` callback to a test function with more parameters than the row has cells.
  const rows = cases.map(([name, d, lane, code, weight, profile]) => ({ name, d, lane, code, weight, profile }));
  it.each(rows)('$name → $lane with $code (weight $weight)', ({ d, lane, code, weight, profile }) => {
    const a = run(d, {}, profile ?? DEFAULT_RISK_PROFILE);
    expect(a.lane).toBe(lane);
    expect(codes(a)).toEqual([code]);
    expect(a.reasons[0]).toMatchObject({ code, weight, lane });
    expect(a.score).toBe(weight);
    expect(a.selectedBy).toBe('criteria');
  });

  it('names the items behind an item hit (1-based)', () => {
    const a = run(declaration({ items: [item(), item({ hsCode: '930200' }), item({ hsCode: '930690' })] }));
    expect(a.reasons[0]).toMatchObject({ ruleId: 'HS93-WEAPONS', ruleVersion: 1, items: [2, 3] });
  });

  it('the certificate rules do not hit when the certificate is attached', () => {
    const docs = [
      { type: 'invoice', ref: 'I' },
      { type: 'veterinary', ref: 'V' },
      { type: 'phytosanitary', ref: 'P' },
    ];
    const a = run(declaration({ documents: docs, items: [item({ hsCode: '010121' }), item({ hsCode: '060210' })] }));
    expect(a.reasons).toEqual([]);
  });

  it('the watch-list rule waits for its list: with the shipped empty list it never hits', () => {
    const d = declaration({
      items: [item({ hsCode: '851713', originCountry: 'AA', customsValue: { amount: 60_000, currency: 'USD' } })],
    });
    expect(codes(run(d))).toEqual([]);
  });

  it('the watch-list rule needs one item to be electronics, watch-listed and over 50,000 USD at once', () => {
    const profile: RiskProfile = {
      ...DEFAULT_RISK_PROFILE,
      version: 't',
      lists: { [ELECTRONICS_WATCH_ORIGINS]: ['AA'] },
    };
    const d = declaration({
      items: [
        item({ hsCode: '851713', originCountry: 'VN', customsValue: { amount: 60_000, currency: 'USD' } }),
        item({
          hsCode: '851713',
          originCountry: 'AA',
          grossWeightKg: 20,
          customsValue: { amount: 1_000, currency: 'USD' },
        }),
      ],
    });
    expect(codes(run(d, {}, profile))).toEqual([]);
  });

  it('dual-use goods are only a transit criterion', () => {
    expect(codes(run(declaration({ items: [item({ hsCode: '880622' })] })))).toEqual([]);
  });

  it('converts currencies for value checks, and an unconvertible value is not a hit', () => {
    // 400 EUR × 1.1 = 440 USD over 1,000 kg = 0.44 USD/kg < 1.
    const eur = item({ hsCode: '610910', grossWeightKg: 1_000, customsValue: { amount: 400, currency: 'EUR' } });
    expect(codes(run(declaration({ items: [eur] })))).toEqual(['VALUE_BELOW_RANGE']);
    // 5,000 EUR = 5,500 USD → 5.5 USD/kg: within.
    const eurOk = item({ hsCode: '610910', grossWeightKg: 1_000, customsValue: { amount: 5_000, currency: 'EUR' } });
    expect(codes(run(declaration({ items: [eurOk] })))).toEqual([]);
    const unknown = item({ hsCode: '610910', grossWeightKg: 1_000, customsValue: { amount: 1, currency: 'XAU' } });
    expect(codes(run(declaration({ items: [unknown] })))).toEqual([]);
  });

  it('checks per-unit ranges only for the unit they are written for', () => {
    const car = (unit: string) =>
      item({
        hsCode: '870323',
        unit,
        quantity: 2,
        grossWeightKg: 3_000,
        customsValue: { amount: 800, currency: 'USD' },
      });
    expect(codes(run(declaration({ items: [car('PCE')] })))).toEqual(['VALUE_BELOW_RANGE']);
    expect(codes(run(declaration({ items: [car('KGM')] })))).toEqual([]);
  });
});

describe('assess: device evidence', () => {
  const clean = declaration();

  it('a radiation alarm on a declared container → red RPM_ALARM with the alarm id', () => {
    const a = run(clean, { radiationAlarms: [{ id: 'rpm-1', at: AT, containers: [C2] }] });
    expect(a.lane).toBe('red');
    expect(a.reasons).toEqual([expect.objectContaining({ code: 'RPM_ALARM', weight: 100, evidenceIds: ['rpm-1'] })]);
    expect(a.selectedBy).toBe('evidence');
  });

  it('a radiation alarm on the declared truck counts, the plate compared without spaces, dashes or case', () => {
    const a = run(clean, { radiationAlarms: [{ id: 'rpm-2', at: AT, plate: 'hua12345' }] });
    expect(codes(a)).toEqual(['RPM_ALARM']);
  });

  it('an alarm about another container or another truck does not count', () => {
    const a = run(clean, {
      radiationAlarms: [
        { id: 'rpm-3', at: AT, containers: [OTHER] },
        { id: 'rpm-4', at: AT, plate: 'ZZ-999' },
      ],
    });
    expect(a.reasons).toEqual([]);
  });

  it('an X-ray anomaly on a declared container → red NII_ANOMALY', () => {
    const a = run(clean, { niiAnomalies: [{ id: 'nii-1', at: AT, containers: [C1], codes: ['DENSITY'] }] });
    expect(a.lane).toBe('red');
    expect(a.reasons).toEqual([expect.objectContaining({ code: 'NII_ANOMALY', evidenceIds: ['nii-1'] })]);
  });

  it('a closed gate window without a declared container → yellow CONTAINER_NOT_SEEN_AT_GATE', () => {
    const a = run(clean, { gateWindow: { id: 'gw-1', at: AT, seen: [{ id: 'g-1', at: AT, container: C1 }] } });
    expect(a.lane).toBe('yellow');
    expect(a.reasons).toEqual([
      expect.objectContaining({ code: 'CONTAINER_NOT_SEEN_AT_GATE', weight: 50, evidenceIds: ['gw-1'] }),
    ]);
  });

  it('a gate window that saw every declared container is not a hit', () => {
    const seen = [C1, C2].map((container, i) => ({ id: `g-${i}`, at: AT, container }));
    expect(run(clean, { gateWindow: { id: 'gw-2', at: AT, seen } }).reasons).toEqual([]);
  });

  it('a gate window counts only for the declared truck, crossing the way the declared containers must', () => {
    const seen = [{ id: 'g-1', at: AT, container: C1 }];
    const hit = (w: object) => run(clean, { gateWindow: { id: 'gw-3', at: AT, seen, ...w } }).reasons.length > 0;
    // `clean` is an import on truck HU-A 12345: its containers must be on the truck when it leaves.
    expect(hit({ plate: 'hu-a12345', crossing: 'out' })).toBe(true);
    expect(hit({ plate: 'HU-A 12345', crossing: 'in' })).toBe(false);
    expect(hit({ plate: 'SH-B2002', crossing: 'out' })).toBe(false);
    expect(
      run(
        { ...clean, direction: 'export' },
        { gateWindow: { id: 'gw-4', at: AT, seen, plate: 'HU-A12345', crossing: 'in' } },
      ).lane,
    ).toBe('yellow');
    const noTruck = { ...clean, transport: { mode: 'sea' as const, vesselImo: '9321483' } };
    expect(
      run(noTruck, { gateWindow: { id: 'gw-5', at: AT, seen, plate: 'HU-A12345', crossing: 'out' } }).reasons,
    ).toEqual([]);
  });

  it('an undeclared container on the declared truck → red UNDECLARED_CONTAINER', () => {
    const a = run(clean, { undeclaredContainers: [{ id: 'gt-9', at: AT, container: OTHER, plate: 'HU-A12345' }] });
    expect(a.lane).toBe('red');
    expect(a.reasons).toEqual([
      expect.objectContaining({ code: 'UNDECLARED_CONTAINER', weight: 80, evidenceIds: ['gt-9'] }),
    ]);
  });

  it('a container that is declared, or a truck that is not the declared one, is no undeclared container', () => {
    const a = run(clean, {
      undeclaredContainers: [
        { id: 'gt-1', at: AT, container: C1, plate: 'HU-A 12345' },
        { id: 'gt-2', at: AT, container: OTHER, plate: 'SU-B 777' },
      ],
    });
    expect(a.reasons).toEqual([]);
  });

  it('the declared vessel going dark (by MMSI or IMO) → yellow VESSEL_DARK_NEAR_PORT; another vessel does not count', () => {
    const byMmsi = run(clean, { vesselDark: [{ id: 'ais-1', at: AT, mmsi: 477_123_456, gapMinutes: 180 }] });
    expect(byMmsi.lane).toBe('yellow');
    expect(codes(byMmsi)).toEqual(['VESSEL_DARK_NEAR_PORT']);
    expect(codes(run(clean, { vesselDark: [{ id: 'ais-2', at: AT, imo: '9321483' }] }))).toEqual([
      'VESSEL_DARK_NEAR_PORT',
    ]);
    expect(run(clean, { vesselDark: [{ id: 'ais-3', at: AT, mmsi: 412_000_001 }] }).reasons).toEqual([]);
  });
});

describe('assess: AEO treatment', () => {
  const aeo = (d: RiskDeclaration) => ({ ...d, trader: { ...d.trader, aeo: true } });
  const arms = declaration({ items: [item({ hsCode: '930200' })] });

  it('halves criteria weights and caps a criteria-only red at yellow', () => {
    const plain = run(arms);
    const trusted = run(aeo(arms));
    expect(plain).toMatchObject({ lane: 'red', score: 90, aeo: false });
    expect(trusted).toMatchObject({ lane: 'yellow', score: 45, aeo: true, selectedBy: 'criteria' });
    expect(trusted.reasons[0]).toMatchObject({ code: 'HS_WEAPONS_AMMUNITION', weight: 45, lane: 'yellow' });
  });

  it('never waives evidence: an alarm on an AEO shipment is red at full weight', () => {
    const a = run(aeo(declaration()), { radiationAlarms: [{ id: 'rpm-1', at: AT, containers: [C1] }] });
    expect(a).toMatchObject({ lane: 'red', score: 100, selectedBy: 'evidence' });
    expect(a.reasons[0]).toMatchObject({ code: 'RPM_ALARM', weight: 100, lane: 'red' });
  });

  it('adds reduced criteria weights to full evidence weights', () => {
    const a = run(aeo(declaration({ documents: [] })), {
      vesselDark: [{ id: 'ais-1', at: AT, mmsi: 477_123_456 }],
    });
    // INVOICE_MISSING 30 × 0.5 + VESSEL_DARK 40.
    expect(a.score).toBe(55);
  });

  it('lowers the random rate: a draw of 0.015 selects a 2 % import, not an AEO (1 %)', () => {
    const ctx = context({ random: drawn(0.015) });
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, SETTINGS, ctx).lane).toBe('red');
    expect(run(aeo(declaration()), {}, DEFAULT_RISK_PROFILE, SETTINGS, ctx).lane).toBe('green');
  });
});

describe('assess: maximum hits with no selection', () => {
  const one = withSettings({ maxHitsWithNoSelection: 1 });

  it('one yellow hit within the allowance stays green, the hit still listed and scored', () => {
    const a = run(declaration({ documents: [] }), {}, DEFAULT_RISK_PROFILE, one);
    expect(a).toMatchObject({ lane: 'green', score: 30, selectedBy: null });
    expect(codes(a)).toEqual(['INVOICE_MISSING']);
  });

  it('two hits exceed an allowance of one and select', () => {
    const d = declaration({ documents: [], items: [item({ hsCode: '284161' })] });
    expect(run(d, {}, DEFAULT_RISK_PROFILE, one).lane).toBe('yellow');
  });

  it('a red hit always selects', () => {
    expect(run(declaration({ items: [item({ hsCode: '930200' })] }), {}, DEFAULT_RISK_PROFILE, one).lane).toBe('red');
  });

  it('an evidence hit always selects, even a yellow one', () => {
    const a = run(
      declaration(),
      { vesselDark: [{ id: 'ais-1', at: AT, mmsi: 477_123_456 }] },
      DEFAULT_RISK_PROFILE,
      one,
    );
    expect(a.lane).toBe('yellow');
  });

  it('the default allowance is 0: every hit selects', () => {
    expect(SETTINGS.maxHitsWithNoSelection).toBe(0);
    expect(run(declaration({ documents: [] })).lane).toBe('yellow');
  });
});

describe('assess: criteria scope', () => {
  const rule = (over: Partial<RiskCriterion>): RiskProfile => ({
    version: 'scope-test',
    criteria: [
      {
        id: 'SCOPED',
        version: 3,
        validFrom: '2026-01-01',
        directions: ['import'],
        ports: 'all',
        condition: { field: 'trader.country', op: 'eq', value: 'CN' },
        lane: 'blue',
        weight: 10,
        reasonCode: 'SCOPED_HIT',
        note: 'scoped',
        enabled: true,
        ...over,
      },
    ],
    lists: {},
    valueRanges: [],
  });

  it('a blue criterion sends the declaration blue (release now, audit later)', () => {
    expect(run(declaration(), {}, rule({}))).toMatchObject({ lane: 'blue', score: 10 });
  });

  it('applies only between validFrom and validTo, inclusive, by the UTC date of the clock', () => {
    expect(run(declaration(), {}, rule({ validFrom: '2026-03-02' })).reasons).toEqual([]);
    expect(run(declaration(), {}, rule({ validTo: '2026-02-28' })).reasons).toEqual([]);
    expect(run(declaration(), {}, rule({ validFrom: '2026-03-01', validTo: '2026-03-01' })).reasons).toHaveLength(1);
  });

  it('applies only in its ports and directions, and only when enabled', () => {
    expect(run(declaration(), {}, rule({ ports: ['NLRTM'] })).reasons).toEqual([]);
    expect(run(declaration(), {}, rule({ ports: ['NLRTM', 'CNSGH'] })).reasons).toHaveLength(1);
    expect(run(declaration(), {}, rule({ directions: ['export'] })).reasons).toEqual([]);
    expect(run(declaration(), {}, rule({ enabled: false })).reasons).toEqual([]);
  });

  it('a green criterion records its hit without selecting (shadow trial)', () => {
    const a = run(declaration(), {}, rule({ lane: 'green' }));
    expect(a).toMatchObject({ lane: 'green', score: 10, selectedBy: null });
    expect(codes(a)).toEqual(['SCOPED_HIT']);
  });
});

describe('assess: random selection', () => {
  it('the draw is hashDraw(seed, declaration id) by default', () => {
    const a = run(declaration({ id: 'DCL-42' }), {}, DEFAULT_RISK_PROFILE, SETTINGS, { now: () => NOW });
    expect(a.randomDraw).toBe(hashDraw(SETTINGS.random.seed, 'DCL-42'));
  });

  it('a draw under the rate selects to the rate lane with RANDOM_SELECTION (weight 0)', () => {
    const a = run(declaration(), {}, DEFAULT_RISK_PROFILE, SETTINGS, context({ random: drawn(0.019) }));
    expect(a).toMatchObject({ lane: 'red', score: 0, selectedBy: 'random' });
    expect(a.reasons).toEqual([
      expect.objectContaining({ code: 'RANDOM_SELECTION', ruleId: 'random:*:import', weight: 0, lane: 'red' }),
    ]);
  });

  it('a draw at the rate does not select (draw < rate)', () => {
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, SETTINGS, context({ random: drawn(0.02) })).lane).toBe('green');
  });

  it('uses the most specific rate: port and direction over port over direction over default', () => {
    const settings = withSettings({
      random: {
        ...SETTINGS.random,
        rates: [
          { port: '*', direction: '*', rate: 0.01, lane: 'yellow' },
          { port: '*', direction: 'import', rate: 0.02, lane: 'yellow' },
          { port: 'CNSGH', direction: '*', rate: 0.03, lane: 'yellow' },
          { port: 'CNSGH', direction: 'import', rate: 0.04, lane: 'red' },
        ],
      },
    });
    const at = (d: RiskDeclaration, draw: number) =>
      run(d, {}, DEFAULT_RISK_PROFILE, settings, context({ random: drawn(draw) })).reasons[0]?.ruleId;
    expect(at(declaration(), 0.035)).toBe('random:CNSGH:import');
    expect(at(declaration({ direction: 'export' }), 0.025)).toBe('random:CNSGH:*');
    expect(at(declaration({ port: 'NLRTM' }), 0.015)).toBe('random:*:import');
    expect(at(declaration({ port: 'NLRTM', direction: 'export' }), 0.005)).toBe('random:*:*');
    expect(at(declaration({ port: 'NLRTM', direction: 'export' }), 0.015)).toBeUndefined();
  });

  it('draws for every declaration: a criteria-red one still records the random selection, source unchanged', () => {
    const d = declaration({ items: [item({ hsCode: '930200' })] });
    const a = run(d, {}, DEFAULT_RISK_PROFILE, SETTINGS, context({ random: drawn(0.001) }));
    expect(a).toMatchObject({ lane: 'red', selectedBy: 'criteria' });
    expect(codes(a)).toEqual(['HS_WEAPONS_AMMUNITION', 'RANDOM_SELECTION']);
  });
});

describe('assess: expected-rate quotas', () => {
  const settings = withSettings({ quotas: [{ port: '*', direction: '*', red: 0.02, yellow: 0.05, blue: 0.1 }] });
  const withCounts = (assessed: number, red: number, yellow: number, blue: number) =>
    context({ quotaCounts: { assessed, red, yellow, blue } });

  it('takes a would-be-green declaration for red first when red is short', () => {
    const a = run(declaration(), {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 0, 0, 0));
    expect(a).toMatchObject({ lane: 'red', selectedBy: 'quota' });
    expect(a.reasons).toEqual([expect.objectContaining({ code: 'QUOTA_SELECTION', ruleId: 'quota:*:*', lane: 'red' })]);
  });

  it('then yellow, then blue, in that precedence', () => {
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 2, 0, 0)).lane).toBe('yellow');
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 2, 5, 0)).lane).toBe('blue');
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 2, 5, 10)).lane).toBe('green');
  });

  it('never takes a declaration that is not green, nor an AEO, nor without counters', () => {
    const yellow = declaration({ documents: [] });
    expect(run(yellow, {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 0, 0, 0)).lane).toBe('yellow');
    const aeo = declaration({ trader: { id: 'TR-2', country: 'CN', aeo: true } });
    expect(run(aeo, {}, DEFAULT_RISK_PROFILE, settings, withCounts(99, 0, 0, 0)).lane).toBe('green');
    expect(run(declaration(), {}, DEFAULT_RISK_PROFILE, settings, context()).lane).toBe('green');
  });

  it('over a run of green declarations, each lane reaches its expected rate', () => {
    const counts = { assessed: 0, red: 0, yellow: 0, blue: 0 };
    for (let i = 0; i < 1_000; i++) {
      const a = run(
        declaration({ id: `Q-${i}` }),
        {},
        DEFAULT_RISK_PROFILE,
        settings,
        context({ quotaCounts: { ...counts } }),
      );
      counts.assessed++;
      if (a.lane !== 'green') counts[a.lane]++;
    }
    expect(counts).toEqual({ assessed: 1_000, red: 20, yellow: 50, blue: 100 });
  });
});

describe('assess: settings', () => {
  it('refuses invalid settings with a typed error on first use', () => {
    const shortSeed = withSettings({ random: { ...SETTINGS.random, seed: 'short' } });
    expect(() => run(declaration(), {}, DEFAULT_RISK_PROFILE, shortSeed)).toThrow(InvalidSelectivitySettingsError);
    const badRate = withSettings({
      random: { ...SETTINGS.random, rates: [{ port: '*', direction: '*', rate: 1.5, lane: 'red' }] },
    });
    expect(() => run(declaration(), {}, DEFAULT_RISK_PROFILE, badRate)).toThrow(
      expect.objectContaining({ code: 'SELECTIVITY_SETTINGS_INVALID' }),
    );
  });
});
