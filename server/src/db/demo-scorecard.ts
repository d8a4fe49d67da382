/**
 * Illustrative scorecard data for the demo (deterministic, invented; never ILO data): the illustrative checklist
 * of shared/src/scorecard.ts (one criterion revised in 2012, to show versioning) and self-assessments of every
 * agency (un/ifi partners) and UN country team. At `demo` scale most entities assessed the baseline and 2010 and
 * fewer 2015; at `m` scale every entity assessed all three plus some interim checkpoints (about 2,000
 * assessments × 20 ratings). Entities mature over time, each at its own pace, so ratings mostly improve.
 */
import { COUNTRIES, entityKey, entityRegion, ILLUSTRATIVE_CRITERIA, type RegionCode, type ScorecardPillar, type ScorecardRating } from '@mm/shared';
import { prng, type DemoPartner, type DemoScale } from './demo.ts';

export interface DemoCriterionVersion { version: number; code: string; text: string; pillar: ScorecardPillar; changedAt: string }
export interface DemoCriterion { key: number; versions: DemoCriterionVersion[] }
export interface DemoAssessment {
  key: number; entityType: 'agency' | 'country_team'; partnerId: number | null; country: string | null; entityKey: string; region: RegionCode;
  checkpoint: string; assessedOn: string; status: 'draft' | 'complete';
  ratings: { criterionKey: number; criterionVersion: number; rating: ScorecardRating; note: string | null; evidenceUrl: string | null }[];
}

/** SP1 was reworded after the Social Protection Floor Initiative (CEB, April 2009): ratings before 2012 show the old text. */
const REVISED = { code: 'SP1', before: 'Programmes contribute to national social protection systems.', on: '2012-01-01' };
const SEED_DAY = '2007-04-30';

export function demoCriteria(): DemoCriterion[] {
  return ILLUSTRATIVE_CRITERIA.map((c, i) => ({
    key: i + 1,
    versions: c.code === REVISED.code
      ? [{ version: 1, code: c.code, text: REVISED.before, pillar: c.pillar, changedAt: `${SEED_DAY}T00:00:00.000Z` }, { version: 2, code: c.code, text: c.text, pillar: c.pillar, changedAt: `${REVISED.on}T00:00:00.000Z` }]
      : [{ version: 1, code: c.code, text: c.text, pillar: c.pillar, changedAt: `${SEED_DAY}T00:00:00.000Z` }],
  }));
}

const PLAN: Record<DemoScale, { named: Record<string, number>; interim: Record<string, number>; draft: number }> = {
  demo: { named: { baseline: 0.92, '2010': 0.8, '2015': 0.6 }, interim: { '2012-06-30': 0.12 }, draft: 0.08 },
  m: { named: { baseline: 1, '2010': 1, '2015': 1 }, interim: { '2009-06-30': 0.4, '2012-06-30': 0.4, '2013-12-31': 0.4, '2014-06-30': 0.4 }, draft: 0.05 },
};
const WINDOW: Record<string, [string, string]> = { baseline: ['2007-06-01', '2008-12-15'], '2010': ['2010-02-01', '2010-12-15'], '2015': ['2015-02-01', '2015-12-15'] };
/** Years since the Toolkit, for each checkpoint's maturity. */
const T: Record<string, number> = { baseline: 0.5, '2009-06-30': 2, '2010': 3.3, '2012-06-30': 5, '2013-12-31': 6.5, '2014-06-30': 7, '2015': 8.3 };
const NOTES: Record<ScorecardRating, string[]> = {
  missing: ['No policy or practice yet.', 'Not yet addressed in planning documents.'],
  approaches: ['Draft guidance under review.', 'Applied in some country programmes only.', 'Focal point named, not yet resourced.'],
  meets: ['Adopted and applied across programmes.', 'Documented in the annual report.', 'Included in the results framework.'],
  exceeds: ['Applied system-wide with independent review.', 'Good practice shared with other agencies.'],
  not_applicable: ['Outside the mandate of this entity.'],
};

function dayBetween(rand: () => number, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.floor(rand() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

export function generateDemoScorecard(scale: DemoScale, partners: readonly DemoPartner[], seed = 2007): { criteria: DemoCriterion[]; assessments: DemoAssessment[] } {
  const rand = prng(seed);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] ?? (xs[0] as X);
  const criteria = demoCriteria();
  const plan = PLAN[scale];
  const entities = [
    ...partners.filter((p) => p.partnerType === 'un' || p.partnerType === 'ifi').map((p) => ({ entityType: 'agency' as const, partnerId: p.key, country: null, region: entityRegion({ entityType: 'agency', hqRegion: p.hqRegion }) })),
    ...COUNTRIES.map((c) => ({ entityType: 'country_team' as const, partnerId: null, country: c.code, region: c.region as RegionCode })),
  ];
  const assessments: DemoAssessment[] = [];
  for (const e of entities) {
    const start = rand() * 0.9 - 0.4;
    const pace = 0.05 + rand() * 0.12;
    const strength = criteria.map(() => (rand() - 0.5) * 0.6);
    const applicable = criteria.map(() => rand() > 0.04);
    const checkpoints = [
      ...Object.entries(plan.named).filter(([, p]) => rand() < p).map(([cp]) => ({ cp, on: dayBetween(rand, ...(WINDOW[cp] ?? ['2010-01-01', '2010-12-31'])) })),
      ...Object.entries(plan.interim).filter(([, p]) => rand() < p).map(([cp]) => ({ cp, on: cp })),
    ];
    for (const { cp, on } of checkpoints) {
      const draft = rand() < (cp === '2015' ? plan.draft * 2 : plan.draft);
      const maturity = start + pace * (T[cp] ?? 4);
      const ratings: DemoAssessment['ratings'] = [];
      criteria.forEach((c, i) => {
        if (draft && rand() < 0.4) return;
        const level = maturity + (strength[i] ?? 0) + (rand() - 0.5) * 0.5;
        const rating: ScorecardRating = !applicable[i] ? 'not_applicable' : level < 0.1 ? 'missing' : level < 0.5 ? 'approaches' : level < 1.05 ? 'meets' : 'exceeds';
        const version = c.versions.length > 1 && on >= REVISED.on ? 2 : 1;
        ratings.push({
          criterionKey: c.key, criterionVersion: version, rating, note: rand() < 0.7 ? pick(NOTES[rating]) : null,
          evidenceUrl: rating === 'meets' || rating === 'exceeds' ? (rand() < 0.4 ? `https://example.org/demo/evidence/${assessments.length + 1}/${c.key}` : null) : null,
        });
      });
      assessments.push({
        key: assessments.length + 1, entityType: e.entityType, partnerId: e.partnerId, country: e.country, entityKey: entityKey(e), region: e.region,
        checkpoint: cp, assessedOn: on, status: draft ? 'draft' : 'complete', ratings,
      });
    }
  }
  return { criteria, assessments };
}
