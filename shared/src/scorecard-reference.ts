/**
 * The scorecard's reference data (pillars, the rating scale, checkpoints and their due dates, the illustrative
 * checklist) and entity helpers, without zod, so the charts and pages that need only these stay small; the API
 * contract is in scorecard.ts, which re-exports all of this.
 */
import { codesOf, COUNTRIES, type RegionCode } from './reference.ts';

// ------------------------------------------------------------ reference data
/** The CEB Toolkit's four pillars, in the Toolkit's order. */
export const SCORECARD_PILLARS = [
  { code: 'employment', label: 'Employment and enterprise' },
  { code: 'social_protection', label: 'Social protection' },
  { code: 'standards', label: 'Standards and rights' },
  { code: 'governance', label: 'Governance and social dialogue' },
] as const;
export type ScorecardPillar = (typeof SCORECARD_PILLARS)[number]['code'];

/** The rating scale, UN-SWAP-like (labels unverified); `rank` orders the four rated values, n/a has none. */
export const SCORECARD_RATINGS = [
  { code: 'missing', label: 'Missing', rank: 0 },
  { code: 'approaches', label: 'Approaches requirements', rank: 1 },
  { code: 'meets', label: 'Meets requirements', rank: 2 },
  { code: 'exceeds', label: 'Exceeds requirements', rank: 3 },
  { code: 'not_applicable', label: 'Not applicable', rank: null },
] as const;
export type ScorecardRating = (typeof SCORECARD_RATINGS)[number]['code'];
export const RATING_CODES = codesOf(SCORECARD_RATINGS);

/**
 * The named checkpoints with the dates from which they count as due. The Toolkit asked for a baseline, then
 * progress in 2010 and 2015 (DOMAIN.md); the due dates are illustrative readings (baseline by the end of 2008,
 * the year after endorsement; the others by the end of their year) and live here, editable.
 */
export const SCORECARD_CHECKPOINTS = [
  { code: 'baseline', label: 'Baseline', dueDate: '2008-12-31' },
  { code: '2010', label: '2010', dueDate: '2010-12-31' },
  { code: '2015', label: '2015', dueDate: '2015-12-31' },
] as const;
export type NamedCheckpoint = (typeof SCORECARD_CHECKPOINTS)[number]['code'];
/** The pairs movement is reported for, earlier first. */
export const SCORECARD_MOVES = [['baseline', '2010'], ['2010', '2015'], ['baseline', '2015']] as const;

export const ENTITY_TYPES = [
  { code: 'agency', label: 'Agency' },
  { code: 'country_team', label: 'UN country team' },
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number]['code'];
/** Partner types that self-assess as agencies. */
export const AGENCY_PARTNER_TYPES = ['un', 'ifi'] as const;

/**
 * An ILLUSTRATIVE checklist of 20 criteria, five per pillar, written for the demo from the Toolkit's themes. It is
 * not the Toolkit's text: the real checklist is kept by an admin through `/scorecard/criteria`.
 */
export const ILLUSTRATIVE_CRITERIA: readonly { code: string; pillar: ScorecardPillar; text: string }[] = [
  { code: 'EE1', pillar: 'employment', text: 'The strategic plan names full and productive employment as an expected result.' },
  { code: 'EE2', pillar: 'employment', text: 'Country programmes assess the employment impact of major investments.' },
  { code: 'EE3', pillar: 'employment', text: 'Enterprise and skills programmes target young women and men.' },
  { code: 'EE4', pillar: 'employment', text: 'Procurement and project design favour labour-based methods where feasible.' },
  { code: 'EE5', pillar: 'employment', text: 'Results frameworks carry at least one MDG 1.B employment indicator.' },
  { code: 'SP1', pillar: 'social_protection', text: 'Programmes contribute to a national social protection floor.' },
  { code: 'SP2', pillar: 'social_protection', text: 'Occupational safety and health is part of operations and projects.' },
  { code: 'SP3', pillar: 'social_protection', text: 'HIV/AIDS workplace policies follow the ILO code of practice.' },
  { code: 'SP4', pillar: 'social_protection', text: 'Migrant workers are covered in the design of relevant programmes.' },
  { code: 'SP5', pillar: 'social_protection', text: 'Crisis responses include income support and employment measures.' },
  { code: 'SR1', pillar: 'standards', text: 'Policies refer to the fundamental principles and rights at work.' },
  { code: 'SR2', pillar: 'standards', text: 'Supply chains and procurement exclude child and forced labour.' },
  { code: 'SR3', pillar: 'standards', text: 'Gender equality and non-discrimination at work are monitored.' },
  { code: 'SR4', pillar: 'standards', text: 'Staff receive guidance on international labour standards.' },
  { code: 'SR5', pillar: 'standards', text: 'Country analyses draw on ILO supervisory bodies\' comments.' },
  { code: 'GS1', pillar: 'governance', text: 'Employers\' and workers\' organizations are consulted in programming.' },
  { code: 'GS2', pillar: 'governance', text: 'A focal point for decent work is designated and resourced.' },
  { code: 'GS3', pillar: 'governance', text: 'Decent work is part of the UNDAF or common country programme.' },
  { code: 'GS4', pillar: 'governance', text: 'Labour administration capacity is supported where relevant.' },
  { code: 'GS5', pillar: 'governance', text: 'Progress on mainstreaming is reported to the governing body.' },
];

const COUNTRY_REGION = new Map<string, RegionCode>(COUNTRIES.map((c) => [c.code, c.region]));
/** The region of an entity: a country team's country's region; an agency's headquarters region, or GLO. */
export function entityRegion(e: { entityType: EntityType; country?: string | null; hqRegion?: RegionCode | null }): RegionCode {
  if (e.entityType === 'country_team') return COUNTRY_REGION.get(e.country ?? '') ?? 'GLO';
  return e.hqRegion ?? 'GLO';
}

/** The stable key of an entity: `agency:12` or `country_team:KEN`. */
export function entityKey(e: { entityType: EntityType; partnerId?: number | null; country?: string | null }): string {
  return e.entityType === 'agency' ? `agency:${e.partnerId ?? ''}` : `country_team:${e.country ?? ''}`;
}

