import type { ReferralAgency } from '../../../events/v1/declaration';

/**
 * Referral to quarantine at lodgement (biosecurity: live animals, plants and their unprocessed products, animal
 * feed, raw hides, wood and wool), by HS chapter — or any declaration that carries a phytosanitary or veterinary
 * certificate, which only such goods need. Processed foods (chapters 16–22) go to quarantine by an officer's
 * `refer` where a port's rules say so. Data, not code: a deployment that needs other chapters changes this list.
 */
export const QUARANTINE_HS_CHAPTERS: readonly string[] = Object.freeze([
  ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'],
  '23', // residues of the food industries, animal feed
  '41', // raw hides and skins
  '44', // wood (and the wood packaging of any goods)
  '51', // wool and animal hair
]);

const QUARANTINE_DOCUMENTS = new Set(['phytosanitary', 'veterinary']);

export interface ReferralInput {
  items: readonly { hsCode: string }[];
  documents?: readonly { type: string }[];
}

/** The agencies a declaration is referred to when it is lodged; with the reason for the decision log. */
export function referralsAtLodgement(d: ReferralInput): { agency: ReferralAgency; reason: string }[] {
  const chapters = [
    ...new Set(d.items.map((i) => i.hsCode.slice(0, 2)).filter((c) => QUARANTINE_HS_CHAPTERS.includes(c))),
  ];
  const documents = [...new Set((d.documents ?? []).map((x) => x.type).filter((t) => QUARANTINE_DOCUMENTS.has(t)))];
  if (chapters.length === 0 && documents.length === 0) return [];
  const why = [
    ...(chapters.length > 0 ? [`HS chapter${chapters.length > 1 ? 's' : ''} ${chapters.join(', ')}`] : []),
    ...(documents.length > 0 ? [`${documents.join(' and ')} certificate`] : []),
  ];
  return [{ agency: 'quarantine', reason: `referred to quarantine at lodgement: ${why.join('; ')}` }];
}
