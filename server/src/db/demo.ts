/**
 * Deterministic, clearly illustrative demo data (seeded PRNG: the same records every run).
 * Figures follow the orders of magnitude in DOMAIN.md but are invented: never present them as ILO data.
 */
import {
  COUNTRIES, MANDATES, MODALITIES, OUTCOMES, PARTNER_TYPES, REGIONS,
  type CountryCode, type MandateCode, type ModalityCode, type OutcomeCode, type PartnerTypeCode, type RegionCode,
} from '@mm/shared';

export type DemoScale = 'demo' | 'm';
export const SCALES: Record<DemoScale, { partners: number; partnerships: number; actionPlans: number; milestones: number; indicators: number; measurements: number }> = {
  demo: { partners: 120, partnerships: 300, actionPlans: 120, milestones: 1500, indicators: 400, measurements: 3000 },
  m: { partners: 1500, partnerships: 10_000, actionPlans: 2000, milestones: 50_000, indicators: 5000, measurements: 100_000 },
};

/** mulberry32: small, fast, good enough for plausible data, and identical on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(private readonly next: () => number) {}
  float(): number { return this.next(); }
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error('pick from empty list');
    return x;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) { r -= w; if (r < 0) return v; }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from empty list');
    return last[0];
  }
  some<T>(xs: readonly T[], min: number, max: number): T[] {
    const n = Math.min(xs.length, this.int(min, max));
    const pool = [...xs];
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(...pool.splice(Math.floor(this.next() * pool.length), 1));
    return out;
  }
}

const DAY = 86_400_000;
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + Math.round(days) * DAY).toISOString().slice(0, 10);
}
function dateBetween(r: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.floor(r.float() * ((b - a) / DAY + 1)) * DAY).toISOString().slice(0, 10);
}

export interface DemoPartner { key: number; name: string; partnerType: PartnerTypeCode; hqCountry: CountryCode | null; hqRegion: RegionCode | null }
export interface DemoPartnership {
  key: number; title: string; modality: ModalityCode; level: 'international' | 'regional' | 'national'; region: RegionCode;
  country: CountryCode | null; mandates: MandateCode[]; outcomes: OutcomeCode[]; startDate: string; endDate: string;
  resourcesUsd: number; status: 'pipeline' | 'active' | 'completed' | 'suspended';
  partners: { partnerKey: number; role: 'funding' | 'implementing' | 'technical'; lead: boolean }[];
}
export interface DemoMilestoneChange { status: string; percentComplete: number; completedDate: string | null; effectiveDate: string }
export interface DemoMilestone {
  key: number; planKey: number; title: string; dueDate: string; status: string; percentComplete: number;
  completedDate: string | null; evidenceNote: string | null; history: DemoMilestoneChange[];
}
export interface DemoIndicator {
  key: number; planKey: number; name: string; unit: 'number' | 'percent' | 'usd' | 'rating'; direction: 'increase' | 'decrease';
  baselineValue: number; baselineDate: string; targetValue: number; targetDate: string;
  measurements: { value: number; date: string; source: string }[];
}
export interface DemoActionPlan {
  key: number; title: string; owningUnit: string; region: RegionCode; country: CountryCode | null; mandates: MandateCode[];
  outcomes: OutcomeCode[]; partnershipKeys: number[]; startDate: string; endDate: string;
}
export interface DemoData {
  partners: DemoPartner[]; partnerships: DemoPartnership[]; actionPlans: DemoActionPlan[];
  milestones: DemoMilestone[]; indicators: DemoIndicator[];
}

// Historic regional shares of technical cooperation (DOMAIN.md), used as weights.
const REGION_WEIGHTS: readonly (readonly [RegionCode, number])[] = [['AFR', 38], ['ASP', 23], ['AME', 11], ['ECA', 7], ['ARB', 6], ['GLO', 15]];
const TYPE_WEIGHTS: readonly (readonly [PartnerTypeCode, number])[] = [
  ['un', 18], ['ifi', 8], ['donor', 20], ['regional', 7], ['private', 12], ['ngo', 10], ['faith', 4], ['academia', 7],
  ['parliament', 3], ['foundation', 5], ['government', 6],
];
const MODALITY_WEIGHTS: readonly (readonly [ModalityCode, number])[] = [
  ['earmarked', 40], ['rbsa', 8], ['domestic_trust', 6], ['joint_un', 14], ['ppp', 9], ['south_south', 8], ['triangular', 5], ['policy', 10],
];
const NAME_STEMS: Record<PartnerTypeCode, readonly string[]> = {
  un: ['Development Programme', 'Children\'s Fund', 'Population Fund', 'Food Agency', 'Industrial Development Agency', 'Refugee Agency', 'Women\'s Entity', 'Education Agency', 'Environment Programme', 'Trade Conference', 'Health Agency', 'Habitat Programme'],
  ifi: ['Development Bank', 'Investment Bank', 'Reconstruction Bank', 'Finance Facility', 'Monetary Institute'],
  donor: ['Development Agency', 'Ministry of Foreign Affairs', 'Cooperation Agency', 'Aid Directorate'],
  regional: ['Economic Community', 'Union Commission', 'Regional Secretariat', 'Integration Council'],
  private: ['Garment Manufacturers', 'Mining Group', 'Telecom Holdings', 'Agro Exports', 'Logistics Ltd', 'Retail Group', 'Energy Corp'],
  ngo: ['Workers\' Education Network', 'Youth Employment Alliance', 'Rural Livelihoods Trust', 'Fair Work Action', 'Migrant Support Centre'],
  faith: ['Interfaith Council', 'Church Development Service', 'Islamic Relief Committee', 'Faith Action Network'],
  academia: ['Institute of Labour Studies', 'University Employment Lab', 'Social Policy Research Centre', 'School of Economics'],
  parliament: ['Parliamentarians\' Forum', 'Parliamentary Network on Employment', 'Inter-Parliamentary Group'],
  foundation: ['Foundation for Decent Work', 'Skills Foundation', 'Social Justice Foundation'],
  government: ['Ministry of Labour', 'National Employment Agency', 'Social Security Institute', 'Labour Inspectorate'],
};
const PREFIXES = ['Northern', 'Southern', 'Eastern', 'Western', 'Central', 'United', 'Global', 'Pan-Regional', 'Coastal', 'Highland', 'Atlantic', 'Pacific', 'Continental', 'Lakeside', 'Riverside'];
const THEMES = ['Youth employment', 'Social protection floor', 'Skills for green jobs', 'Child labour elimination', 'Labour inspection', 'Decent work country programme', 'Migrant workers\' rights', 'Enterprise development', 'Occupational safety', 'Social dialogue', 'Rural employment', 'Gender equality at work', 'Employment-intensive investment', 'Labour market information', 'HIV/AIDS workplace policy'];
const UNITS = ['Employment Policy Department', 'Social Protection Department', 'Partnerships Department', 'Regional Office', 'Decent Work Team', 'Country Office', 'Governance Department', 'Enterprises Department'];
const INDICATOR_TEMPLATES: readonly { name: string; unit: DemoIndicator['unit']; direction: DemoIndicator['direction']; base: [number, number]; gain: [number, number] }[] = [
  { name: 'Member States making decent work central to policy-making', unit: 'number', direction: 'increase', base: [0, 6], gain: [4, 16] },
  { name: 'Agencies mainstreaming decent work in their programmes', unit: 'number', direction: 'increase', base: [0, 3], gain: [2, 8] },
  { name: 'Employment-to-population ratio', unit: 'percent', direction: 'increase', base: [45, 62], gain: [2, 6] },
  { name: 'Share of employed below the $1.25 (PPP) poverty line', unit: 'percent', direction: 'decrease', base: [18, 45], gain: [4, 12] },
  { name: 'Own-account and contributing family workers in total employment', unit: 'percent', direction: 'decrease', base: [35, 70], gain: [3, 10] },
  { name: 'Share of women in non-agricultural wage employment', unit: 'percent', direction: 'increase', base: [18, 40], gain: [3, 8] },
  { name: 'Workers covered by social protection schemes', unit: 'number', direction: 'increase', base: [10_000, 200_000], gain: [20_000, 400_000] },
  { name: 'Resources mobilised for decent work programmes', unit: 'usd', direction: 'increase', base: [0, 500_000], gain: [500_000, 5_000_000] },
  { name: 'UN-SWAP-style self-assessment rating (0–5)', unit: 'rating', direction: 'increase', base: [1, 2], gain: [1, 3] },
  { name: 'Child labour incidence (children 5–17)', unit: 'percent', direction: 'decrease', base: [8, 25], gain: [2, 8] },
];

function resourcesFor(r: Rng, modality: ModalityCode): number {
  if (modality === 'policy') return 0;
  const tier = r.weighted([['small', 60], ['medium', 32], ['flagship', 8]] as const);
  const [lo, hi] = tier === 'small' ? [50_000, 300_000] : tier === 'medium' ? [500_000, 3_000_000] : [5_000_000, 20_000_000];
  return Math.round((lo + r.float() * (hi - lo)) / 1000) * 1000;
}

/** Builds the whole illustrative data set for a scale; pure and deterministic. */
export function generateDemoData(scale: DemoScale = 'demo', seed = 2015): DemoData {
  const n = SCALES[scale];
  const r = new Rng(prng(seed));
  const countriesOf = (reg: RegionCode) => COUNTRIES.filter((c) => c.region === reg).map((c) => c.code);

  const partners: DemoPartner[] = [];
  const byType = new Map<PartnerTypeCode, number[]>();
  const usedNames = new Set<string>();
  for (let i = 0; i < n.partners; i++) {
    // Every type appears at least once, the rest by weight.
    const partnerType = i < PARTNER_TYPES.length ? (PARTNER_TYPES[i]?.code ?? 'un') : r.weighted(TYPE_WEIGHTS);
    const regionCode = r.weighted(REGION_WEIGHTS);
    const local = regionCode !== 'GLO' && ['government', 'ngo', 'private', 'academia', 'faith', 'parliament'].includes(partnerType);
    const hqCountry = local ? r.pick(countriesOf(regionCode)) : null;
    let name = '';
    for (let k = 0; k < 50; k++) {
      const stem = r.pick(NAME_STEMS[partnerType]);
      const where = hqCountry ? COUNTRIES.find((c) => c.code === hqCountry)?.label ?? '' : r.pick(PREFIXES);
      name = `${where} ${stem}`;
      if (!usedNames.has(name)) break;
      name = `${name} ${i + 1}`;
    }
    usedNames.add(name);
    partners.push({ key: i + 1, name, partnerType, hqCountry, hqRegion: regionCode === 'GLO' ? null : regionCode });
    byType.set(partnerType, [...(byType.get(partnerType) ?? []), i + 1]);
  }

  const partnerships: DemoPartnership[] = [];
  for (let i = 0; i < n.partnerships; i++) {
    const region = i < REGIONS.length ? (REGIONS[i]?.code ?? 'AFR') : r.weighted(REGION_WEIGHTS);
    const modality = i < MODALITIES.length ? (MODALITIES[i]?.code ?? 'earmarked') : r.weighted(MODALITY_WEIGHTS);
    const level = region === 'GLO' ? 'international' : r.weighted([['national', 65], ['regional', 35]] as const);
    const country = level === 'national' && region !== 'GLO' ? r.pick(countriesOf(region)) : null;
    const startDate = dateBetween(r, '2007-01-01', '2013-06-30');
    const endDate = addDays(startDate, r.int(365, 365 * 5));
    const status = endDate < '2016-01-01'
      ? r.weighted([['completed', 85], ['suspended', 5], ['active', 10]] as const)
      : r.weighted([['active', 80], ['pipeline', 8], ['suspended', 4], ['completed', 8]] as const);
    const leadType = i < PARTNER_TYPES.length ? (PARTNER_TYPES[i]?.code ?? 'un') : r.weighted(TYPE_WEIGHTS);
    const lead = r.pick(byType.get(leadType) ?? [1]);
    const others = r.some(partners.filter((p) => p.key !== lead).map((p) => p.key), 0, 3);
    const theme = r.pick(THEMES);
    const where = country ? COUNTRIES.find((c) => c.code === country)?.label : REGIONS.find((x) => x.code === region)?.label;
    partnerships.push({
      key: i + 1,
      title: `${theme}: ${MODALITIES.find((m) => m.code === modality)?.label.split(' (')[0]?.toLowerCase()} in ${where}`,
      modality, level, region, country,
      mandates: r.some(MANDATES.map((m) => m.code), 1, 3),
      outcomes: r.some(OUTCOMES.map((o) => o.code), 1, 2),
      startDate, endDate, resourcesUsd: resourcesFor(r, modality), status,
      partners: [
        { partnerKey: lead, role: modality === 'policy' ? 'technical' : 'funding', lead: true },
        ...others.map((k) => ({ partnerKey: k, role: r.weighted([['implementing', 60], ['technical', 25], ['funding', 15]] as const), lead: false })),
      ],
    });
  }

  const actionPlans: DemoActionPlan[] = [];
  for (let i = 0; i < n.actionPlans; i++) {
    const region = i < REGIONS.length ? (REGIONS[i]?.code ?? 'AFR') : r.weighted(REGION_WEIGHTS);
    const country = region !== 'GLO' && r.float() < 0.6 ? r.pick(countriesOf(region)) : null;
    const sameRegion = partnerships.filter((p) => p.region === region && (country === null || p.country === null || p.country === country));
    const links = r.some((sameRegion.length > 0 ? sameRegion : partnerships).slice(0, 400).map((p) => p.key), 1, 4);
    const startDate = dateBetween(r, '2007-01-01', '2010-12-31');
    actionPlans.push({
      key: i + 1,
      title: `${r.pick(THEMES)} action plan, ${country ? COUNTRIES.find((c) => c.code === country)?.label : REGIONS.find((x) => x.code === region)?.label} ${startDate.slice(0, 4)}–2015`,
      owningUnit: r.pick(UNITS), region, country,
      mandates: r.some(MANDATES.map((m) => m.code), 1, 3),
      outcomes: r.some(OUTCOMES.map((o) => o.code), 1, 2),
      partnershipKeys: links, startDate, endDate: '2015-12-31',
    });
  }

  const milestones: DemoMilestone[] = [];
  for (let i = 0; i < n.milestones; i++) {
    const plan = actionPlans[i % actionPlans.length];
    if (!plan) break;
    const dueDate = dateBetween(r, addDays(plan.startDate, 120), '2015-12-31');
    const fate = r.weighted([['on_time', 52], ['late', 18], ['delayed', 10], ['in_progress', 8], ['not_started', 4], ['cancelled', 8]] as const);
    const history: DemoMilestoneChange[] = [];
    const startWork = addDays(dueDate, -r.int(60, 300));
    const started = startWork < plan.startDate ? plan.startDate : startWork;
    let status = 'not_started';
    let percent = 0;
    let completedDate: string | null = null;
    if (fate !== 'not_started') {
      percent = r.int(20, 60);
      history.push({ status: 'in_progress', percentComplete: percent, completedDate: null, effectiveDate: started });
      status = 'in_progress';
    }
    if (fate === 'on_time' || fate === 'late') {
      completedDate = fate === 'on_time' ? addDays(dueDate, -r.int(0, 45)) : addDays(dueDate, r.int(20, 400));
      if (completedDate < started) completedDate = started;
      status = 'completed';
      percent = 100;
      history.push({ status, percentComplete: 100, completedDate, effectiveDate: completedDate });
    } else if (fate === 'delayed') {
      status = 'delayed';
      percent = r.int(30, 80);
      history.push({ status, percentComplete: percent, completedDate: null, effectiveDate: addDays(dueDate, r.int(1, 60)) });
    } else if (fate === 'cancelled') {
      status = 'cancelled';
      // Cancelled after work started (never dated before the in-progress change), so history replays to the current state.
      const cancelledOn = addDays(dueDate, -r.int(0, 90));
      history.push({ status, percentComplete: percent, completedDate: null, effectiveDate: cancelledOn < started ? started : cancelledOn });
    } else if (fate === 'in_progress') {
      percent = r.int(40, 90);
      history.push({ status: 'in_progress', percentComplete: percent, completedDate: null, effectiveDate: addDays(dueDate, r.int(0, 200)) });
    }
    milestones.push({
      key: i + 1, planKey: plan.key, title: `${r.pick(['Validate', 'Launch', 'Adopt', 'Train staff on', 'Publish', 'Review', 'Convene partners on', 'Pilot'])} ${r.pick(THEMES).toLowerCase()} ${r.pick(['plan', 'framework', 'report', 'strategy', 'toolkit', 'assessment'])}`,
      dueDate, status, percentComplete: percent, completedDate,
      evidenceNote: status === 'completed' ? 'Illustrative evidence note (demo data).' : null,
      history,
    });
  }

  const indicators: DemoIndicator[] = [];
  // About 4% of indicators have no data yet; the others share the measurement budget.
  const perIndicator = Math.max(1, Math.round(n.measurements / (n.indicators * 0.96)));
  let measurementBudget = n.measurements;
  for (let i = 0; i < n.indicators; i++) {
    const plan = actionPlans[i % actionPlans.length];
    if (!plan) break;
    const t = r.pick(INDICATOR_TEMPLATES);
    const baselineValue = Math.round(t.base[0] + r.float() * (t.base[1] - t.base[0]));
    const gain = Math.max(1, Math.round(t.gain[0] + r.float() * (t.gain[1] - t.gain[0])));
    const targetValue = t.direction === 'increase' ? baselineValue + gain : Math.max(0, baselineValue - gain);
    const baselineDate = plan.startDate;
    // Final attainment by 2015: a realistic mix of achieved, on track, at risk and off track.
    const finalShare = r.weighted([[1.05 + r.float() * 0.25, 34], [0.9 + r.float() * 0.09, 22], [0.76 + r.float() * 0.13, 20], [0.2 + r.float() * 0.5, 20], [Number.NaN, 4]] as const);
    const measurements: DemoIndicator['measurements'] = [];
    const remaining = n.indicators - i;
    const count = Number.isNaN(finalShare) ? 0 : Math.max(1, Math.min(measurementBudget - (remaining - 1), r.int(perIndicator - 3, perIndicator + 3)));
    const span = (Date.parse('2015-12-31T00:00:00Z') - Date.parse(`${baselineDate}T00:00:00Z`)) / DAY;
    const shape = 0.7 + r.float() * 0.8;
    for (let k = 1; k <= count; k++) {
      const frac = k / count;
      const date = addDays(baselineDate, Math.max(1, Math.round(span * frac) - r.int(0, 20)));
      const noise = (r.float() - 0.5) * 0.06;
      const share = finalShare * Math.pow(frac, shape) + noise * frac;
      const raw = baselineValue + (targetValue - baselineValue) * share;
      const value = t.unit === 'percent' || t.unit === 'rating' ? Math.round(raw * 10) / 10 : Math.round(raw);
      measurements.push({ value, date, source: r.pick(['Country office report', 'Labour force survey', 'Partner progress report', 'Self-assessment', 'Administrative records']) });
    }
    measurementBudget -= measurements.length;
    indicators.push({
      key: i + 1, planKey: plan.key, name: t.name, unit: t.unit, direction: t.direction,
      baselineValue, baselineDate, targetValue, targetDate: '2015-12-31', measurements,
    });
  }
  return { partners, partnerships, actionPlans, milestones, indicators };
}
