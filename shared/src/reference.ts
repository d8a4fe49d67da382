/**
 * Reference data for the domain (see ../shared/DOMAIN.md in the steering repo for sources).
 * Codes are the API's values; labels are what people read. Items marked `unverified` are best readings.
 */

export const REGIONS = [
  { code: 'AFR', label: 'Africa' },
  { code: 'AME', label: 'Americas' },
  { code: 'ARB', label: 'Arab States' },
  { code: 'ASP', label: 'Asia and the Pacific' },
  { code: 'ECA', label: 'Europe and Central Asia' },
  { code: 'GLO', label: 'Interregional / Global' },
] as const;
export type RegionCode = (typeof REGIONS)[number]['code'];

/** Countries used by the demo data; `dao` marks the eight Delivering as One pilots (2007). Region split unverified. */
export const COUNTRIES = [
  { code: 'CPV', label: 'Cabo Verde', region: 'AFR', dao: true },
  { code: 'MOZ', label: 'Mozambique', region: 'AFR', dao: true },
  { code: 'RWA', label: 'Rwanda', region: 'AFR', dao: true },
  { code: 'TZA', label: 'United Republic of Tanzania', region: 'AFR', dao: true },
  { code: 'EGY', label: 'Egypt', region: 'AFR', dao: false },
  { code: 'ETH', label: 'Ethiopia', region: 'AFR', dao: false },
  { code: 'GHA', label: 'Ghana', region: 'AFR', dao: false },
  { code: 'KEN', label: 'Kenya', region: 'AFR', dao: false },
  { code: 'NGA', label: 'Nigeria', region: 'AFR', dao: false },
  { code: 'SEN', label: 'Senegal', region: 'AFR', dao: false },
  { code: 'ZAF', label: 'South Africa', region: 'AFR', dao: false },
  { code: 'UGA', label: 'Uganda', region: 'AFR', dao: false },
  { code: 'ZMB', label: 'Zambia', region: 'AFR', dao: false },
  { code: 'URY', label: 'Uruguay', region: 'AME', dao: true },
  { code: 'ARG', label: 'Argentina', region: 'AME', dao: false },
  { code: 'BRA', label: 'Brazil', region: 'AME', dao: false },
  { code: 'CHL', label: 'Chile', region: 'AME', dao: false },
  { code: 'COL', label: 'Colombia', region: 'AME', dao: false },
  { code: 'HTI', label: 'Haiti', region: 'AME', dao: false },
  { code: 'MEX', label: 'Mexico', region: 'AME', dao: false },
  { code: 'PER', label: 'Peru', region: 'AME', dao: false },
  { code: 'JOR', label: 'Jordan', region: 'ARB', dao: false },
  { code: 'LBN', label: 'Lebanon', region: 'ARB', dao: false },
  { code: 'OMN', label: 'Oman', region: 'ARB', dao: false },
  { code: 'YEM', label: 'Yemen', region: 'ARB', dao: false },
  { code: 'PSE', label: 'Occupied Palestinian Territory', region: 'ARB', dao: false },
  { code: 'PAK', label: 'Pakistan', region: 'ASP', dao: true },
  { code: 'VNM', label: 'Viet Nam', region: 'ASP', dao: true },
  { code: 'BGD', label: 'Bangladesh', region: 'ASP', dao: false },
  { code: 'KHM', label: 'Cambodia', region: 'ASP', dao: false },
  { code: 'IND', label: 'India', region: 'ASP', dao: false },
  { code: 'IDN', label: 'Indonesia', region: 'ASP', dao: false },
  { code: 'NPL', label: 'Nepal', region: 'ASP', dao: false },
  { code: 'PHL', label: 'Philippines', region: 'ASP', dao: false },
  { code: 'TLS', label: 'Timor-Leste', region: 'ASP', dao: false },
  { code: 'ALB', label: 'Albania', region: 'ECA', dao: true },
  { code: 'KGZ', label: 'Kyrgyzstan', region: 'ECA', dao: false },
  { code: 'MDA', label: 'Republic of Moldova', region: 'ECA', dao: false },
  { code: 'SRB', label: 'Serbia', region: 'ECA', dao: false },
  { code: 'TUR', label: 'Türkiye', region: 'ECA', dao: false },
  { code: 'UKR', label: 'Ukraine', region: 'ECA', dao: false },
] as const satisfies readonly { code: string; label: string; region: RegionCode; dao: boolean }[];
export type CountryCode = (typeof COUNTRIES)[number]['code'];

/** ISO 3166-1 alpha-2 → alpha-3 for the countries above (IATI gives recipient countries as alpha-2). */
export const COUNTRY_ALPHA2: Record<string, CountryCode> = {
  CV: 'CPV', MZ: 'MOZ', RW: 'RWA', TZ: 'TZA', EG: 'EGY', ET: 'ETH', GH: 'GHA', KE: 'KEN', NG: 'NGA', SN: 'SEN',
  ZA: 'ZAF', UG: 'UGA', ZM: 'ZMB', UY: 'URY', AR: 'ARG', BR: 'BRA', CL: 'CHL', CO: 'COL', HT: 'HTI', MX: 'MEX',
  PE: 'PER', JO: 'JOR', LB: 'LBN', OM: 'OMN', YE: 'YEM', PS: 'PSE', PK: 'PAK', VN: 'VNM', BD: 'BGD', KH: 'KHM',
  IN: 'IND', ID: 'IDN', NP: 'NPL', PH: 'PHL', TL: 'TLS', AL: 'ALB', KG: 'KGZ', MD: 'MDA', RS: 'SRB', TR: 'TUR',
  UA: 'UKR',
};

/** Partner types with the IATI OrganisationType codes they report as (first code is the default mapping). */
export const PARTNER_TYPES = [
  { code: 'un', label: 'UN fund, programme or agency', iati: ['40'] },
  { code: 'ifi', label: 'World Bank and other IFIs', iati: ['40'] },
  { code: 'donor', label: 'Donor agency', iati: ['10'] },
  { code: 'regional', label: 'Regional organization', iati: ['40', '15'] },
  { code: 'private', label: 'Private sector', iati: ['70'] },
  { code: 'ngo', label: 'Non-governmental organization', iati: ['21', '22', '23'] },
  { code: 'faith', label: 'Faith-based institution', iati: ['21', '22'] },
  { code: 'academia', label: 'Academia and research', iati: ['80'] },
  { code: 'parliament', label: "Parliamentarians' organization", iati: ['90'] },
  { code: 'foundation', label: 'Foundation', iati: ['60'] },
  { code: 'government', label: 'Government / national institution', iati: ['10', '15'] },
] as const;
export type PartnerTypeCode = (typeof PARTNER_TYPES)[number]['code'];

/**
 * IATI OrganisationType → our partner type. Ambiguous codes (40 Multilateral, 10 Government) map to the
 * most common reading; the import reports the mapping it used so a person can correct it.
 */
export const IATI_ORG_TYPE_TO_PARTNER_TYPE: Record<string, PartnerTypeCode> = {
  '10': 'government', '11': 'government', '15': 'government', '21': 'ngo', '22': 'ngo', '23': 'ngo', '24': 'ngo',
  '30': 'private', '40': 'un', '60': 'foundation', '70': 'private', '71': 'private', '72': 'private', '73': 'private',
  '80': 'academia', '90': 'parliament',
};

export const IATI_ORG_ROLES = { '1': 'funding', '2': 'accountable', '3': 'extending', '4': 'implementing' } as const;

export const MODALITIES = [
  { code: 'earmarked', label: 'Earmarked project (bilateral)' },
  { code: 'rbsa', label: 'Unearmarked core-voluntary (RBSA)' },
  { code: 'domestic_trust', label: 'Domestic trust fund' },
  { code: 'joint_un', label: 'Joint UN programme / MPTF (Delivering as One)' },
  { code: 'ppp', label: 'Public-private partnership' },
  { code: 'south_south', label: 'South-South cooperation' },
  { code: 'triangular', label: 'Triangular cooperation' },
  { code: 'policy', label: 'Policy or knowledge partnership (no funds)' },
] as const;
export type ModalityCode = (typeof MODALITIES)[number]['code'];

export const LEVELS = [
  { code: 'international', label: 'International' },
  { code: 'regional', label: 'Regional' },
  { code: 'national', label: 'National' },
] as const;
export type LevelCode = (typeof LEVELS)[number]['code'];

export const MANDATES = [
  { code: 'WSO-2005', year: 2005, label: 'World Summit Outcome (GA res 60/1, para 47)' },
  { code: 'ECOSOC-MD-2006', year: 2006, label: 'ECOSOC Ministerial Declaration 2006' },
  { code: 'CEB-TOOLKIT-2007', year: 2007, label: 'CEB Toolkit for Mainstreaming Employment and Decent Work' },
  { code: 'DAO-2007', year: 2007, label: 'Delivering as One' },
  { code: 'TCPR-2007', year: 2007, label: 'Triennial Comprehensive Policy Review (GA res 62/208)' },
  { code: 'MDG-1B-2008', year: 2008, label: 'MDG target 1.B' },
  { code: 'SJD-2008', year: 2008, label: 'Declaration on Social Justice for a Fair Globalization' },
  { code: 'GJP-2009', year: 2009, label: 'Global Jobs Pact' },
  { code: 'SPF-2009', year: 2009, label: 'Social Protection Floor Initiative' },
  { code: 'RIO20-2012', year: 2012, label: 'Rio+20 "The Future We Want"' },
  { code: 'QCPR-2012', year: 2012, label: 'Quadrennial Comprehensive Policy Review (GA res 67/226)' },
] as const;
export type MandateCode = (typeof MANDATES)[number]['code'];

export const OBJECTIVES = [
  { code: 'EMP', label: 'Employment' },
  { code: 'SP', label: 'Social protection' },
  { code: 'SD', label: 'Social dialogue' },
  { code: 'STD', label: 'Standards and rights' },
  { code: 'PC', label: 'Policy coherence' },
] as const;
export type ObjectiveCode = (typeof OBJECTIVES)[number]['code'];

/** ILO Strategic Policy Framework 2010–15 outcomes; titles other than 11 and 19 are unverified short names. */
export const OUTCOMES = [
  { code: 'O1', objective: 'EMP', label: 'Employment promotion' },
  { code: 'O2', objective: 'EMP', label: 'Skills development' },
  { code: 'O3', objective: 'EMP', label: 'Sustainable enterprises' },
  { code: 'O4', objective: 'SP', label: 'Social security' },
  { code: 'O5', objective: 'SP', label: 'Working conditions' },
  { code: 'O6', objective: 'SP', label: 'Occupational safety and health' },
  { code: 'O7', objective: 'SP', label: 'Labour migration' },
  { code: 'O8', objective: 'SP', label: 'HIV/AIDS and the world of work' },
  { code: 'O9', objective: 'SD', label: "Employers' organizations" },
  { code: 'O10', objective: 'SD', label: "Workers' organizations" },
  { code: 'O11', objective: 'SD', label: 'Labour administration and labour law' },
  { code: 'O12', objective: 'SD', label: 'Social dialogue and industrial relations' },
  { code: 'O13', objective: 'SD', label: 'Decent work in economic sectors' },
  { code: 'O14', objective: 'STD', label: 'Freedom of association and collective bargaining' },
  { code: 'O15', objective: 'STD', label: 'Forced labour' },
  { code: 'O16', objective: 'STD', label: 'Child labour' },
  { code: 'O17', objective: 'STD', label: 'Discrimination at work' },
  { code: 'O18', objective: 'STD', label: 'International labour standards' },
  { code: 'O19', objective: 'PC', label: 'Mainstreaming decent work' },
] as const satisfies readonly { code: string; objective: ObjectiveCode; label: string }[];
export type OutcomeCode = (typeof OUTCOMES)[number]['code'];

export const PARTNER_ROLES = [
  { code: 'funding', label: 'Funding' },
  { code: 'implementing', label: 'Implementing' },
  { code: 'accountable', label: 'Accountable' },
  { code: 'extending', label: 'Extending' },
  { code: 'technical', label: 'Technical / knowledge' },
] as const;
export type PartnerRoleCode = (typeof PARTNER_ROLES)[number]['code'];

export const PARTNERSHIP_STATUSES = [
  { code: 'pipeline', label: 'Pipeline' },
  { code: 'active', label: 'Active' },
  { code: 'completed', label: 'Completed' },
  { code: 'suspended', label: 'Suspended' },
] as const;
export type PartnershipStatusCode = (typeof PARTNERSHIP_STATUSES)[number]['code'];

export const MILESTONE_STATUS_LIST = [
  { code: 'not_started', label: 'Not started' },
  { code: 'in_progress', label: 'In progress' },
  { code: 'completed', label: 'Completed' },
  { code: 'delayed', label: 'Delayed' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;

export const INDICATOR_UNITS = [
  { code: 'number', label: 'Number' },
  { code: 'percent', label: 'Percent' },
  { code: 'usd', label: 'USD' },
  { code: 'rating', label: 'Rating' },
] as const;
export type IndicatorUnitCode = (typeof INDICATOR_UNITS)[number]['code'];

export const DIRECTIONS = [
  { code: 'increase', label: 'Increase' },
  { code: 'decrease', label: 'Decrease' },
] as const;

export const INDICATOR_STATUS_LIST = [
  { code: 'achieved', label: 'Achieved' },
  { code: 'on_track', label: 'On track' },
  { code: 'at_risk', label: 'At risk' },
  { code: 'off_track', label: 'Off track' },
  { code: 'no_data', label: 'No data' },
] as const;

export const ROLES = ['viewer', 'editor', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Default target date for indicators: the 2015 horizon of the ECOSOC action plans. */
export const DEFAULT_TARGET_DATE = '2015-12-31';

type Coded = readonly { code: string; label: string }[];
/** Codes of a reference list, as a non-empty tuple for z.enum. */
export function codesOf<const T extends Coded>(list: T): [T[number]['code'], ...T[number]['code'][]] {
  const codes = list.map((x) => x.code);
  const [first, ...rest] = codes;
  if (first === undefined) throw new Error('empty reference list');
  return [first, ...rest];
}

/** Label of a code in a reference list, or the code itself when unknown. */
export function labelOf(list: Coded, code: string): string {
  return list.find((x) => x.code === code)?.label ?? code;
}

/**
 * Resolves a code or a label (case-insensitive, trimmed) to the code; undefined when nothing matches.
 * Imports accept either (`AFR` or `Africa`); anything else is an error, never a guess.
 */
export function resolveCode(list: Coded, input: string): string | undefined {
  const s = input.trim().toLowerCase();
  if (s === '') return undefined;
  return list.find((x) => x.code.toLowerCase() === s || x.label.toLowerCase() === s)?.code;
}
