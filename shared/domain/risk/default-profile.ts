import type { RiskCriterion } from './criterion';
import type { RiskProfile } from './risk-profile';
import type { ValueRange } from './value-range';

/**
 * The seeded default risk profile: a starting point that is safe to run on day one, for each administration to
 * tune with its own intelligence and hit rates. Each criterion says below why it exists; docs/risk-engine.md has
 * the same as a table. The `note` of each is what an officer reads.
 */

/** The reason codes of the default profile. Stable: downstream systems (quarantine referral, KPIs) key on them. */
export const REASON_CODES = Object.freeze({
  weaponsAmmunition: 'HS_WEAPONS_AMMUNITION',
  explosives: 'HS_EXPLOSIVES',
  precursorChemical: 'PRECURSOR_CHEMICAL',
  veterinaryCertificateMissing: 'VETERINARY_CERTIFICATE_MISSING',
  phytosanitaryCertificateMissing: 'PHYTOSANITARY_CERTIFICATE_MISSING',
  highValueElectronicsWatchlist: 'HIGH_VALUE_ELECTRONICS_WATCHLIST',
  invoiceMissing: 'INVOICE_MISSING',
  dualUseTransit: 'DUAL_USE_TRANSIT',
  valueBelowRange: 'VALUE_BELOW_RANGE',
  valueAboveRange: 'VALUE_ABOVE_RANGE',
  rpmAlarm: 'RPM_ALARM',
  niiAnomaly: 'NII_ANOMALY',
  undeclaredContainer: 'UNDECLARED_CONTAINER',
  containerNotSeenAtGate: 'CONTAINER_NOT_SEEN_AT_GATE',
  vesselDarkNearPort: 'VESSEL_DARK_NEAR_PORT',
  randomSelection: 'RANDOM_SELECTION',
  quotaSelection: 'QUOTA_SELECTION',
} as const);

/** The named list of origins for the electronics watch-list rule. */
export const ELECTRONICS_WATCH_ORIGINS = 'electronics-watch-origins';

const SINCE = '2025-01-01';
const ALL = ['import', 'export', 'transit'] as const;

const base = { version: 1, validFrom: SINCE, ports: 'all', enabled: true } as const;

const criteria: RiskCriterion[] = [
  // Arms and ammunition are licensed in every direction (UN Firearms Protocol, Arms Trade Treaty Art. 5–10): a
  // licence is checked and the goods examined, whoever the trader is.
  {
    ...base,
    id: 'HS93-WEAPONS',
    directions: [...ALL],
    condition: { anyItem: { field: 'items.hsCode', op: 'startsWith', value: '93' } },
    lane: 'red',
    weight: 90,
    reasonCode: REASON_CODES.weaponsAmmunition,
    note: 'Arms or ammunition (HS chapter 93): check the arms licence for this movement and examine the goods.',
  },
  // Explosives, detonators and fuses (HS 3601–3603): licensed, and a safety risk in a container yard.
  {
    ...base,
    id: 'HS36-EXPLOSIVES',
    directions: [...ALL],
    condition: { anyItem: { field: 'items.hsCode', op: 'startsWith', value: ['3601', '3602', '3603'] } },
    lane: 'red',
    weight: 80,
    reasonCode: REASON_CODES.explosives,
    note: 'Explosives, detonators or fuses (HS 3601–3603): check the explosives licence and the dangerous-goods declaration, and examine.',
  },
  // Drug precursors of the 1988 UN Convention, Tables I–II (potassium permanganate; hydrochloric and sulphuric
  // acid) and explosives precursors (EU Regulation 2019/1148, Annex I: hydrogen peroxide, nitric acid, chlorates,
  // perchlorates, potassium nitrate, ammonium nitrate). Legitimate trade is large, so documents first: end-user
  // statement, licence or pre-export notification.
  {
    ...base,
    id: 'PRECURSOR-CHEMICALS',
    directions: [...ALL],
    condition: {
      anyItem: {
        field: 'items.hsCode',
        op: 'startsWith',
        value: ['280610', '280700', '280800', '282911', '282919', '282990', '283421', '284161', '284700', '310230'],
      },
    },
    lane: 'yellow',
    weight: 50,
    reasonCode: REASON_CODES.precursorChemical,
    note: 'Drug or explosives precursor chemical: check the licence, end-user statement or pre-export notification.',
  },
  // Live animals need a veterinary certificate (WTO SPS Agreement, WOAH Terrestrial Code); without one the case
  // goes to quarantine before anything else.
  {
    ...base,
    id: 'LIVE-ANIMALS-NO-VET-CERT',
    directions: ['import', 'transit'],
    condition: {
      all: [
        { anyItem: { field: 'items.hsCode', op: 'startsWith', value: '01' } },
        { not: { field: 'documents.type', op: 'in', value: ['veterinary', 'veterinary-certificate'] } },
      ],
    },
    lane: 'yellow',
    weight: 50,
    reasonCode: REASON_CODES.veterinaryCertificateMissing,
    note: 'Live animals (HS chapter 01) without a veterinary certificate: refer to quarantine.',
  },
  // Live plants, bulbs and cut flowers carry pests (IPPC, ISPM 12): a phytosanitary certificate is required.
  {
    ...base,
    id: 'LIVE-PLANTS-NO-PHYTO-CERT',
    directions: ['import', 'transit'],
    condition: {
      all: [
        { anyItem: { field: 'items.hsCode', op: 'startsWith', value: '06' } },
        { not: { field: 'documents.type', op: 'eq', value: 'phytosanitary' } },
      ],
    },
    lane: 'yellow',
    weight: 50,
    reasonCode: REASON_CODES.phytosanitaryCertificateMissing,
    note: 'Live plants, bulbs or cut flowers (HS chapter 06) without a phytosanitary certificate: refer to quarantine.',
  },
  // Computers, phones, cameras, monitors and chips of high value from origins on the administration's watch-list:
  // counterfeits, origin laundering to dodge anti-dumping duties, under-valuation. The list ships empty: naming
  // origins is intelligence work each administration does for itself, and the rule waits for it.
  {
    ...base,
    id: 'ELECTRONICS-WATCHLIST',
    directions: ['import'],
    condition: {
      anyItem: {
        all: [
          { field: 'items.hsCode', op: 'startsWith', value: ['8471', '8517', '8525', '8528', '8542'] },
          { field: 'items.originCountry', op: 'inList', value: ELECTRONICS_WATCH_ORIGINS },
          { field: 'items.valueUsd', op: 'gt', value: 50_000 },
        ],
      },
    },
    lane: 'yellow',
    weight: 40,
    reasonCode: REASON_CODES.highValueElectronicsWatchlist,
    note: 'High-value electronics (over 50,000 USD) from a watch-listed origin: check origin proof, invoice and brand authorisation.',
  },
  // The customs value is the transaction value (WTO Customs Valuation Agreement Art. 1); without the commercial
  // invoice it cannot be checked. Transit declarations move under guarantee and need none.
  {
    ...base,
    id: 'INVOICE-MISSING',
    directions: ['import', 'export'],
    condition: { not: { field: 'documents.type', op: 'eq', value: 'invoice' } },
    lane: 'yellow',
    weight: 30,
    reasonCode: REASON_CODES.invoiceMissing,
    note: 'No commercial invoice attached: the declared value cannot be checked; ask for the invoice.',
  },
  // Transit is the classic diversion route for dual-use goods (UNSCR 1540 asks for transit controls; Wassenaar
  // categories): nuclear equipment (8401), beam/EDM machine tools (8456), gas turbines and reaction engines (8411,
  // 8412), radar and radio remote control (8526), aircraft, spacecraft, drones and their parts (8802, 8806, 8807).
  {
    ...base,
    id: 'DUAL-USE-TRANSIT',
    directions: ['transit'],
    condition: {
      anyItem: {
        field: 'items.hsCode',
        op: 'startsWith',
        value: ['8401', '8456', '8411', '8412', '8526', '8802', '8806', '8807'],
      },
    },
    lane: 'yellow',
    weight: 50,
    reasonCode: REASON_CODES.dualUseTransit,
    note: 'Possible dual-use goods in transit: check against the control lists and the transit authorisation.',
  },
  // Unit value far under the range for its HS code: the classic duty and VAT evasion.
  {
    ...base,
    id: 'VALUE-BELOW-RANGE',
    directions: ['import', 'export'],
    condition: { field: 'items.valueRange', op: 'eq', value: 'below' },
    lane: 'yellow',
    weight: 40,
    reasonCode: REASON_CODES.valueBelowRange,
    note: 'Unit value far below the usual range for this HS code: check the invoice, payment and any related-party link.',
  },
  // Unit value far over the range: inflated export refunds, or money moved through trade (FATF trade-based money
  // laundering red flags).
  {
    ...base,
    id: 'VALUE-ABOVE-RANGE',
    directions: ['import', 'export'],
    condition: { field: 'items.valueRange', op: 'eq', value: 'above' },
    lane: 'yellow',
    weight: 30,
    reasonCode: REASON_CODES.valueAboveRange,
    note: 'Unit value far above the usual range for this HS code: check the invoice and payment (over-invoicing).',
  },

  // Device evidence. These read `evidence.*` fields, so AEO status neither reduces nor caps them.

  // A radiation alarm goes to secondary inspection, never straight to a verdict (DESIGN.md): red is that
  // inspection. Most alarms are NORM (ceramics, fertiliser, bananas); the officer's finding feeds the hit rate.
  {
    ...base,
    id: 'EV-RPM-ALARM',
    directions: [...ALL],
    condition: { field: 'evidence.rpmAlarms', op: 'gt', value: 0 },
    lane: 'red',
    weight: 100,
    reasonCode: REASON_CODES.rpmAlarm,
    note: 'Radiation portal monitor alarm on a declared container or the declared truck: secondary inspection with a hand-held identifier.',
  },
  // The X-ray image shows something the declaration does not explain: only opening the container settles it.
  {
    ...base,
    id: 'EV-NII-ANOMALY',
    directions: [...ALL],
    condition: { field: 'evidence.niiAnomalies', op: 'gt', value: 0 },
    lane: 'red',
    weight: 100,
    reasonCode: REASON_CODES.niiAnomaly,
    note: 'X-ray (NII) anomaly on a declared container or the declared truck: examine at the marked location.',
  },
  // An extra container riding on a truck with declared cargo is the textbook smuggling pattern: red.
  {
    ...base,
    id: 'EV-UNDECLARED-CONTAINER',
    directions: [...ALL],
    condition: { field: 'evidence.undeclaredContainers', op: 'gt', value: 0 },
    lane: 'red',
    weight: 80,
    reasonCode: REASON_CODES.undeclaredContainer,
    note: 'The declared truck carried a container that is not on this declaration: examine the truck and every container on it.',
  },
  // A declared container the gate never saw is most often a clerical error, an OCR miss or a container rolled to
  // another sailing; a documentary check (yard and carrier records) resolves those, and escalates the rest.
  {
    ...base,
    id: 'EV-CONTAINER-NOT-SEEN',
    directions: [...ALL],
    condition: { field: 'evidence.containersNotSeenAtGate', op: 'gt', value: 0 },
    lane: 'yellow',
    weight: 50,
    reasonCode: REASON_CODES.containerNotSeenAtGate,
    note: 'A declared container was not seen at the gate: confirm where it is from yard and carrier records.',
  },
  // A vessel that stops transmitting AIS near the port may be meeting another vessel unseen (ship-to-ship
  // transfer); it may also be a receiver gap, hence a documentary check rather than an examination.
  {
    ...base,
    id: 'EV-VESSEL-DARK',
    directions: [...ALL],
    condition: { field: 'evidence.vesselDark', op: 'gt', value: 0 },
    lane: 'yellow',
    weight: 40,
    reasonCode: REASON_CODES.vesselDarkNearPort,
    note: 'The declared vessel went dark on AIS near the port: check the voyage record and the cargo manifest against the declaration.',
  },
];

/**
 * Indicative unit-value ranges, deliberately wide so that only values "far outside" hit. Gross weight includes
 * packaging, so per-kg floors are low. Replace them with ranges from your own declarations (e.g. the 1st–99th
 * percentile per heading over a year).
 */
const valueRanges: ValueRange[] = [
  {
    hsPrefix: '8471',
    basis: 'kg',
    minUsd: 10,
    maxUsd: 3_000,
    note: 'Computers: ~25 USD/kg for a mouse, ~300 for a laptop or server (gross). Under 10 is scrap or under-valuation.',
  },
  {
    hsPrefix: '8517',
    basis: 'kg',
    minUsd: 10,
    maxUsd: 5_000,
    note: 'Phones and network gear: ~30 USD/kg for a feature phone, ~1,000 for a flagship phone (gross).',
  },
  {
    hsPrefix: '8542',
    basis: 'kg',
    minUsd: 20,
    maxUsd: 500_000,
    note: 'Integrated circuits: very high value per kg; a low unit value suggests counterfeit or mis-classified goods.',
  },
  {
    hsPrefix: '8703',
    basis: 'unit',
    unit: 'PCE',
    minUsd: 1_000,
    maxUsd: 500_000,
    note: 'Passenger cars per vehicle: under 1,000 USD is under-valuation (or a wreck declared as a car).',
  },
  {
    hsPrefix: '6109',
    basis: 'kg',
    minUsd: 1,
    maxUsd: 200,
    note: 'T-shirts: ~10 USD/kg for basic cotton; under 1 USD/kg is a textile under-valuation pattern.',
  },
  {
    hsPrefix: '2402',
    basis: 'kg',
    minUsd: 5,
    maxUsd: 1_000,
    note: 'Cigarettes and cigars: excise fraud declares them near zero value.',
  },
  {
    hsPrefix: '7108',
    basis: 'kg',
    minUsd: 20_000,
    maxUsd: 200_000,
    note: 'Gold: ~60,000–130,000 USD/kg at 2024–2026 prices; outside the range is mis-declared purity or value laundering.',
  },
  {
    hsPrefix: '0303',
    basis: 'kg',
    minUsd: 0.3,
    maxUsd: 60,
    note: 'Frozen fish: ~1–15 USD/kg; far above suggests mis-declared species (e.g. protected or IUU catch).',
  },
  {
    hsPrefix: '7208',
    basis: 'kg',
    minUsd: 0.2,
    maxUsd: 5,
    note: 'Hot-rolled steel: ~0.5–1 USD/kg; outside the range, look at anti-dumping evasion or mis-classification.',
  },
];

/**
 * The default profile (version `default-2026.1`). Deep-frozen: the engine caches compiled profiles by identity, so a
 * profile must never change in place; derive a new object (with a new version) to change it.
 */
export const DEFAULT_RISK_PROFILE: RiskProfile = deepFreeze({
  version: 'default-2026.1',
  criteria,
  lists: { [ELECTRONICS_WATCH_ORIGINS]: [] },
  valueRanges,
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
