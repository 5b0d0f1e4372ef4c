/**
 * ISO 4217 alphabetic currency codes: the active entries of the standard's List One as of 2026 (after the
 * Caribbean guilder `XCG` replaced `ANG` in 2025, Zimbabwe Gold `ZWG` replaced `ZWL` in 2024, the Arab Accounting
 * Dinar `XAD` was added in 2025, and Bulgaria moved from `BGN` to the euro on 2026-01-01). Codes are facts, not
 * copyrightable text. Withdrawn codes (`ANG`, `BGN`, `CUC`, `HRK`, `SLL`, `ZWL`, …) are refused: nobody publishes
 * an exchange rate for them any more, so a value declared in one cannot be assessed.
 */

const CODES = `
AED AFN ALL AMD AOA ARS AUD AWG AZN
BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK
DJF DKK DOP DZD
EGP ERN ETB EUR
FJD FKP
GBP GEL GHS GIP GMD GNF GTQ GYD
HKD HNL HTG HUF
IDR ILS INR IQD IRR ISK
JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN
NAD NGN NIO NOK NPR NZD
OMR
PAB PEN PGK PHP PKR PLN PYG
QAR
RON RSD RUB RWF
SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL
THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD USN UYI UYU UYW UZS
VED VES VND VUV
WST
XAD XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX
YER
ZAR ZMW ZWG
`;

/** Every active ISO 4217 alphabetic code, in alphabetical order (circulating currencies, funds and units). */
export const ISO_4217_ACTIVE: readonly string[] = Object.freeze(CODES.trim().split(/\s+/));

/**
 * Fund codes: units of account tied to a currency (e.g. `CLF` Unidad de Fomento, `USN` US dollar next day) that
 * settle in the currency itself.
 */
export const ISO_4217_FUNDS: readonly string[] = Object.freeze(
  ['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW'].sort(),
);

/**
 * Codes that are not money in circulation: precious metals (`XAU`, `XAG`, `XPD`, `XPT`), bond-market units
 * (`XBA`–`XBD`), accounting units (`XDR`, `XSU`, `XUA`, `XAD`), the testing code `XTS` and "no currency" `XXX`.
 */
export const ISO_4217_NON_MONETARY: readonly string[] = Object.freeze(
  ['XAD', 'XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX'].sort(),
);

const EXCLUDED = new Set([...ISO_4217_FUNDS, ...ISO_4217_NON_MONETARY]);

/**
 * Currencies in circulation: what an invoice, and so a customs value, is written in (the active list without fund
 * codes and non-monetary units).
 */
export const CIRCULATING_CURRENCIES: readonly string[] = Object.freeze(ISO_4217_ACTIVE.filter((c) => !EXCLUDED.has(c)));

const ACTIVE = new Set(ISO_4217_ACTIVE);
const CIRCULATING = new Set(CIRCULATING_CURRENCIES);

/** Whether `code` is an active ISO 4217 alphabetic code (upper case, e.g. `USD`, `XAU`, `CLF`). */
export const isIso4217Active = (code: string): boolean => ACTIVE.has(code);

/** Whether `code` is a currency in circulation (e.g. `USD`, `CNY`, `XOF`; not `XAU`, `XXX` or `CLF`). */
export const isCirculatingCurrency = (code: string): boolean => CIRCULATING.has(code);
