import * as z from 'zod';
import { imoNumberValid } from '../../shared/domain/clearance/imo-number';
import { checkDigitValid, normaliseContainerRead } from '../../shared/domain/container-number';
import { DeclarationStatus, Lane, Timestamp } from './clearance-enums';
import { HS_CODE_PATTERN, hsCodeProblem } from './reference/hs2022';
import { isIso3166Alpha2 } from './reference/iso3166';
import { isCirculatingCurrency, isIso4217Active } from './reference/iso4217';
import { hasKnownUnLocodeCountry, UNLOCODE_PATTERN } from './reference/unlocode';

/**
 * Customs declarations, v1 (CONTRACT.md §3): the body of `POST /v1/declarations`, the assessment it returns, and
 * the bodies of officer decisions and inspection results. These are the types (`z.infer`) and the source of the
 * OpenAPI document.
 *
 * Every object is closed: a field the contract does not know is refused, never silently dropped or stored, so a
 * client cannot smuggle `status`, `lane` or `__proto__` into a declaration (no mass assignment). Every issue
 * carries the path of the offending field and a plain message; {@link issueDetails} turns a `ZodError` into
 * `[{ path, message }]` for the API's error `details`.
 *
 * What the schema cannot know is left to the route: whether the declaring port is one this deployment serves,
 * whether a timestamp lies in the future, and the request size (the route answers 413 before parsing).
 */

/** Size limits of one declaration. Exported so the docs, the route and the tests quote the same numbers. */
export const DECLARATION_LIMITS = {
  referenceLength: 64,
  items: 200,
  containers: 100,
  documents: 50,
  descriptionLength: 512,
  nameLength: 200,
  reasonLength: 2000,
  notesLength: 2000,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** A closed object: unknown keys (including `__proto__` and `constructor` as own keys) are refused by name. */
function closed<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const names = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      const noun = issue.keys.length === 1 ? 'field' : 'fields';
      return `unknown ${noun} ${names} in ${what}: unknown fields are refused, not ignored`;
    },
  });
}

/** C0 and C1 control characters (and DEL); tabs and line breaks only where `multiline`. */
function hasControlCharacters(s: string, multiline: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    if (control && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d))) return true;
  }
  return false;
}

/** One line of text: trimmed, not blank, at most `max` characters, no control characters. */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(max, `at most ${max} characters`)
    .refine((s) => !hasControlCharacters(s, false), 'must be one line without control characters');

/** Free text (descriptions, reasons, notes): trimmed, not blank, at most `max` characters; line breaks allowed. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .max(max, `at most ${max} characters`)
    .refine((s) => !hasControlCharacters(s, true), 'must not contain control characters other than line breaks');

/**
 * ISO 3166-1 alpha-2 country code, upper case. `XK` (Kosovo) is accepted beside the officially assigned codes: it
 * is user-assigned in ISO 3166 but is what the EU, the WCO data model and most customs systems use.
 */
export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code in upper case, e.g. CN')
  .refine((c) => isIso3166Alpha2(c) || c === 'XK', 'not an ISO 3166-1 alpha-2 country code')
  .describe('ISO 3166-1 alpha-2 country code (officially assigned, or XK)');

/** ISO 4217 code of a currency in circulation (not a fund code, precious metal, `XTS` or `XXX`). */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code in upper case, e.g. USD')
  .refine(isCirculatingCurrency, {
    error: (issue) =>
      typeof issue.input === 'string' && isIso4217Active(issue.input)
        ? `${issue.input} is in ISO 4217 but is not money in circulation (a fund code, precious metal or unit of account)`
        : 'not an active ISO 4217 currency code',
  })
  .describe('ISO 4217 code of a currency in circulation');

/**
 * UN/LOCODE of the declaring port: the form of CONTRACT.md and a known country prefix. Whether the deployment serves
 * this port is the route's check, not the schema's.
 */
export const DeclarationPort = z
  .string()
  .regex(UNLOCODE_PATTERN, 'a UN/LOCODE such as CNSGH')
  .refine(hasKnownUnLocodeCountry, 'the first two letters of a UN/LOCODE are an ISO 3166-1 country code')
  .describe('UN/LOCODE of a port this deployment serves');

/** HS code: 6–10 digits whose first two are an HS 2022 chapter and first four a heading of that chapter. */
export const HsCode = z
  .string()
  .regex(HS_CODE_PATTERN, 'an HS code is 6 to 10 digits, e.g. 850440')
  .superRefine((code, ctx) => {
    const problem = hsCodeProblem(code);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: code });
  })
  .describe('HS code, 6–10 digits, in an HS 2022 chapter and heading');

/**
 * ISO 6346 container number with a valid check digit. Spaces and lower case are forgiven (documents print
 * `CSQU 305438 3`) and the number is stored normalised; a wrong check digit is a typo or a fake and is refused.
 */
export const ContainerNumber = z
  .string()
  .max(16, 'a container number is 11 characters (spaces aside)')
  .overwrite(normaliseContainerRead)
  .regex(
    /^[A-Z]{3}[UJZ]\d{7}$/,
    'an ISO 6346 container number: 3-letter owner code, category U/J/Z, 6-digit serial and check digit, e.g. CSQU3054383',
  )
  .refine(checkDigitValid, 'the ISO 6346 check digit does not match: a misread or a wrong container number')
  .describe('ISO 6346 container number with a valid check digit (spaces and lower case are normalised)');

/** IMO ship identification number: seven digits with a valid check digit, without the `IMO` prefix. */
export const ImoNumber = z
  .string()
  .regex(/^\d{7}$/, 'an IMO number is 7 digits without the "IMO" prefix, e.g. 9321483')
  .refine(imoNumberValid, 'the IMO number check digit does not match')
  .describe('IMO ship identification number, 7 digits with check digit');

/** Maritime Mobile Service Identity: nine digits, as a number. */
export const Mmsi = z
  .number()
  .int('an MMSI is a whole number')
  .min(100_000_000, 'an MMSI has 9 digits')
  .max(999_999_999, 'an MMSI has 9 digits')
  .describe('MMSI of the vessel, 9 digits');

/**
 * A truck's registration plate, normalised as the gates read it (upper case, no spaces) so a declared truck matches
 * its gate transactions. Letters of any script are allowed (`沪A12345`).
 */
export const TruckPlate = z
  .string()
  .max(24, 'at most 24 characters')
  .overwrite((p) => p.toUpperCase().replace(/\s+/g, ''))
  .regex(/^[\p{L}\p{N}-]{1,16}$/u, 'a registration plate: 1–16 letters, digits or hyphens')
  .describe('registration plate of the truck (upper-cased, spaces removed)');

/** A quantity unit in the UN/ECE Recommendation 20 style: `PCE`, `KGM`, `LTR`, `MTQ`, `NAR` … */
export const QuantityUnit = z
  .string()
  .regex(/^[A-Z0-9]{2,3}$/, 'a UN/ECE Recommendation 20 unit code of 2–3 upper-case letters or digits, e.g. PCE')
  .describe('UN/ECE Recommendation 20 unit code, e.g. PCE, KGM, LTR');

export const Direction = z.enum(['import', 'export', 'transit']);
export const TransportMode = z.enum(['sea', 'road', 'rail', 'air']);

/** Document types the platform knows by name; the list is open (CONTRACT.md writes "…"), other kebab-case types pass. */
export const KNOWN_DOCUMENT_TYPES = [
  'certificate-of-origin',
  'phytosanitary',
  'veterinary',
  'invoice',
  'packing-list',
  'bill-of-lading',
  'air-waybill',
  'cmr',
  'licence',
  'dangerous-goods',
] as const;

export const DocumentType = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a kebab-case document type, e.g. certificate-of-origin');

// ---------------------------------------------------------------------------------------------------------------
// The declaration body

export const Trader = closed(
  {
    /** The trader's identifier with the administration (EORI, USCC, …). */
    id: line(64),
    name: line(DECLARATION_LIMITS.nameLength),
    country: CountryCode,
    /** Authorised Economic Operator status, which lowers the risk score (WTO TFA 7.7, RCEP Art. 4.13). */
    aeo: z.boolean(),
  },
  'trader',
);

export const Transport = closed(
  {
    mode: TransportMode,
    vesselImo: ImoNumber.optional(),
    vesselMmsi: Mmsi.optional(),
    voyage: line(32).optional(),
    truckPlate: TruckPlate.optional(),
  },
  'transport',
).superRefine((t, ctx) => {
  // A declaration the platform cannot tie to a conveyance cannot be matched with AIS or gate evidence.
  if (t.mode === 'sea' && t.vesselImo === undefined && t.vesselMmsi === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['vesselImo'],
      message: 'transport by sea needs the vessel: give vesselImo or vesselMmsi (or both)',
      input: t,
    });
  }
  if (t.mode === 'road' && t.truckPlate === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['truckPlate'],
      message: 'transport by road needs the truck: give truckPlate',
      input: t,
    });
  }
  if (t.mode !== 'sea') {
    for (const field of ['vesselImo', 'vesselMmsi'] as const) {
      if (t[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} belongs to transport by sea, not by ${t.mode}`,
          input: t[field],
        });
      }
    }
  }
});

export const Money = closed(
  {
    amount: z.number().positive('must be greater than 0').max(1e13, 'at most 10,000,000,000,000'),
    currency: CurrencyCode,
  },
  'customsValue',
);

export const DeclarationItem = closed(
  {
    hsCode: HsCode,
    description: text(DECLARATION_LIMITS.descriptionLength),
    originCountry: CountryCode,
    quantity: z.number().positive('must be greater than 0').max(1e12, 'at most 1,000,000,000,000'),
    unit: QuantityUnit,
    grossWeightKg: z.number().positive('must be greater than 0').max(1e9, 'at most 1,000,000,000 kg'),
    customsValue: Money,
  },
  'an item',
);

export const DeclarationDocument = closed({ type: DocumentType, ref: line(128) }, 'a document');

/** The body of `POST /v1/declarations` (CONTRACT.md §3). */
export const DeclarationInput = closed(
  {
    /** The declarant's own reference, unique per declarant (the route uses it for idempotent re-submission). */
    reference: line(DECLARATION_LIMITS.referenceLength),
    port: DeclarationPort,
    direction: Direction,
    trader: Trader,
    transport: Transport,
    containers: z
      .array(ContainerNumber)
      .max(DECLARATION_LIMITS.containers, `at most ${DECLARATION_LIMITS.containers} containers`),
    items: z
      .array(DeclarationItem)
      .min(1, 'a declaration has at least one item')
      .max(DECLARATION_LIMITS.items, `at most ${DECLARATION_LIMITS.items} items`),
    documents: z
      .array(DeclarationDocument)
      .max(DECLARATION_LIMITS.documents, `at most ${DECLARATION_LIMITS.documents} documents`)
      .optional(),
    /** Perishable goods get the shorter release target (RCEP Art. 4.11: 6 h instead of 48 h). */
    perishable: z.boolean().optional(),
  },
  'the declaration',
).superRefine((d, ctx) => {
  // Compared after normalisation, so `CSQU3054383` and `csqu 305438 3` are the same box.
  const seen = new Map<string, number>();
  d.containers.forEach((number, i) => {
    const first = seen.get(number);
    if (first === undefined) seen.set(number, i);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['containers', i],
        message: `container ${number} is already declared at containers.${first}`,
        input: number,
      });
    }
  });
});

export type DeclarationInput = z.infer<typeof DeclarationInput>;
/** The body as a client writes it (before normalisation of container numbers, plates and whitespace). */
export type DeclarationInputBody = z.input<typeof DeclarationInput>;
export type DeclarationItem = z.infer<typeof DeclarationItem>;
export type Trader = z.infer<typeof Trader>;
export type Transport = z.infer<typeof Transport>;
export type Direction = z.infer<typeof Direction>;
export type TransportMode = z.infer<typeof TransportMode>;

// ---------------------------------------------------------------------------------------------------------------
// Assessment, decisions, inspection results

/** Selectivity lanes (ASYCUDA): green release, yellow documentary check, red physical inspection, blue release now with post-clearance audit. */
// In strictness order (green < blue < yellow < red): the risk engine compares lanes by this order.

/** A stable, machine-readable reason code such as `RPM_ALARM` or `RANDOM_SELECTION`. */
export const ReasonCode = z
  .string()
  .max(64, 'at most 64 characters')
  .regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, 'an UPPER_SNAKE_CASE code, e.g. RPM_ALARM');

/** One hit of the assessment: what, by which rule, how much it weighed, and the officer's note. */
export const AssessmentReason = z.strictObject({
  code: ReasonCode,
  ruleId: z.string().min(1).max(64),
  /** Points added to the score; negative for reductions such as AEO status. */
  weight: z.number().min(-100).max(100),
  message: z.string().min(1).max(1000),
});
export type AssessmentReason = z.infer<typeof AssessmentReason>;

/** The 201 body of `POST /v1/declarations`: the lane, score and reasons, in the same response. */
export const DeclarationAssessment = z.strictObject({
  id: z.string().min(1).max(64),
  status: DeclarationStatus,
  lane: Lane,
  score: z.number().min(0).max(100),
  reasons: z.array(AssessmentReason).max(500),
  assessedAt: Timestamp,
  /** When release is due (RCEP Art. 4.11: 48 h, 6 h for perishables; configurable per deployment). */
  slaDueAt: Timestamp,
});
export type DeclarationAssessment = z.infer<typeof DeclarationAssessment>;

export const DecisionAction = z.enum(['release', 'hold', 'inspect', 'reroute', 'refer']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/**
 * Agencies a declaration can be referred to (`refer`): the referred agency then sees it (quarantine sees only
 * what is referred to it) and may record its inspection result.
 */
export const ReferralAgency = z.enum(['quarantine']);
export type ReferralAgency = z.infer<typeof ReferralAgency>;

/** The body of `POST /v1/declarations/{id}/decisions` (customs officers only; the route checks the role). */
export const DecisionInput = closed(
  {
    action: DecisionAction,
    /** The new lane: required for `reroute`, refused otherwise (the other actions imply their outcome). */
    lane: Lane.optional(),
    /** The agency: required for `refer`, refused otherwise. */
    agency: ReferralAgency.optional(),
    /**
     * How to examine, with `inspect`: `scan` (non-intrusive X-ray first: DCSA `CUSS`, selected for scan) or
     * `physical` (the default: `CUSI`, selected for inspection). Refused with other actions.
     */
    method: z.enum(['scan', 'physical']).optional(),
    /** Why, in words another officer or an auditor can follow; it goes into the hash-chained decision log. */
    reason: text(DECLARATION_LIMITS.reasonLength),
  },
  'the decision',
).superRefine((d, ctx) => {
  if (d.action === 'reroute' && d.lane === undefined) {
    ctx.addIssue({ code: 'custom', path: ['lane'], message: 'reroute needs the new lane', input: d });
  }
  if (d.action !== 'inspect' && d.method !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['method'],
      message: `method is given only with action inspect, not with ${d.action}`,
      input: d.method,
    });
  }
  if (d.action === 'refer' && d.agency === undefined) {
    ctx.addIssue({ code: 'custom', path: ['agency'], message: 'refer needs the agency', input: d });
  }
  if (d.action !== 'refer' && d.agency !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['agency'],
      message: `agency is given only with action refer, not with ${d.action}`,
      input: d.agency,
    });
  }
  if (d.action !== 'reroute' && d.lane !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['lane'],
      message: `lane is given only with action reroute, not with ${d.action}`,
      input: d.lane,
    });
  }
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const InspectionMethod = z.enum(['physical', 'documentary', 'nii', 'sampling', 'laboratory']);

export const InspectionFindings = closed(
  {
    /** Whether anything was found; this is what the per-rule hit rate counts. */
    found: z.boolean(),
    /** What was found, as codes (e.g. `MISDECLARED_HS`, `UNDERVALUATION`, `CONTRABAND`). */
    codes: z.array(ReasonCode).max(50, 'at most 50 codes').optional(),
    notes: text(DECLARATION_LIMITS.notesLength).optional(),
  },
  'findings',
).superRefine((f, ctx) => {
  if (!f.found && f.codes !== undefined && f.codes.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['codes'],
      message: 'finding codes need found: true (nothing found means no codes)',
      input: f.codes,
    });
  }
  if (f.found && (f.codes === undefined || f.codes.length === 0) && f.notes === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['codes'],
      message: 'found: true needs at least one finding code or notes saying what was found',
      input: f,
    });
  }
});

/** The body of `POST /v1/inspections/{id}/results` (customs officers and quarantine). */
export const InspectionResultInput = closed(
  {
    findings: InspectionFindings,
    /** When the inspection ended; the route refuses a time in the future. */
    inspectedAt: Timestamp,
    method: InspectionMethod.optional(),
    /** The containers opened or scanned, when not all of the declaration's. */
    containers: z
      .array(ContainerNumber)
      .max(DECLARATION_LIMITS.containers, `at most ${DECLARATION_LIMITS.containers} containers`)
      .optional(),
    /** What the inspecting officer recommends; the customs decision itself goes through `/decisions`. */
    recommendation: z.enum(['release', 'hold', 'seize']).optional(),
  },
  'the inspection result',
);
export type InspectionResultInput = z.infer<typeof InspectionResultInput>;

// ---------------------------------------------------------------------------------------------------------------
// Errors for API clients

export interface IssueDetail {
  /** Dotted path of the offending field (`items.3.hsCode`), or `''` for the body itself. */
  path: string;
  message: string;
}

/**
 * The issues of a failed parse as `[{ path, message }]` for the error `details` of a 400. An unknown field is
 * reported at its own path (`trader.nickname`) rather than at the object holding it, so a client sees exactly which
 * key to remove.
 */
export function issueDetails(error: z.ZodError): IssueDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...base, key].join('.'),
        message: 'unknown field: not part of the contract; unknown fields are refused, not ignored',
      }));
    }
    return [{ path: base.join('.'), message: issue.message }];
  });
}

export { DeclarationStatus, Lane, Timestamp };
