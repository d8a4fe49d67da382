/**
 * `GET /progress/scorecard`: three set-based reads (the criteria, the selected entities, every assessment assessed
 * on or before asOf with its ratings as one compact array) fed to the pure buildScorecard in shared/. The same
 * Kysely code runs on SQLite and PostgreSQL.
 */
import {
  AGENCY_PARTNER_TYPES, buildScorecard, COUNTRIES, entityKey, entityRegion, RATING_CODES,
  type PartnerTypeCode, type ProgressScorecard, type RegionCode, type ScorecardAssessmentInput, type ScorecardEntityInput, type ScorecardQuery, type ScorecardRating,
} from '@mm/shared';
import { isDemo } from '../db/seed.ts';
import { compactRows, stringAgg } from '../db/util.ts';
import { sql } from 'kysely';
import type { AppDeps } from '../deps.ts';
import { loadApprovedWindows } from './progress-data.ts';
import { allCriteria } from './scorecard.ts';

type Selection = Pick<ScorecardQuery, 'region' | 'country' | 'partnerType' | 'entityType'>;

/** The selected entities: un/ifi partners (agencies) and the reference countries (country teams). */
export async function scorecardEntities(deps: AppDeps, q: Selection): Promise<ScorecardEntityInput[]> {
  const wantAgencies = q.entityType.length === 0 || q.entityType.includes('agency');
  const wantTeams = (q.entityType.length === 0 || q.entityType.includes('country_team')) && q.partnerType.length === 0;
  const out: ScorecardEntityInput[] = [];
  if (wantAgencies) {
    const types = q.partnerType.length > 0 ? AGENCY_PARTNER_TYPES.filter((t) => q.partnerType.includes(t)) : [...AGENCY_PARTNER_TYPES];
    if (types.length > 0) {
      let b = deps.db.selectFrom('partners').select(['id', 'name', 'partner_type', 'hq_region']).where('partner_type', 'in', types);
      if (q.country.length > 0) b = b.where('hq_country', 'in', q.country);
      const rows = await b.execute();
      for (const p of rows) {
        const region = entityRegion({ entityType: 'agency', hqRegion: p.hq_region as RegionCode | null });
        if (q.region.length > 0 && !q.region.includes(region)) continue;
        out.push({ entityType: 'agency', entityKey: entityKey({ entityType: 'agency', partnerId: p.id }), partnerId: p.id, country: null, entityName: p.name, partnerType: p.partner_type as PartnerTypeCode, region });
      }
    }
  }
  if (wantTeams) {
    for (const c of COUNTRIES) {
      if (q.country.length > 0 && !q.country.includes(c.code)) continue;
      if (q.region.length > 0 && !q.region.includes(c.region)) continue;
      out.push({ entityType: 'country_team', entityKey: entityKey({ entityType: 'country_team', country: c.code }), partnerId: null, country: c.code, entityName: c.label, partnerType: null, region: c.region });
    }
  }
  return out;
}

/**
 * Assessments assessed on or before asOf (of the selected regions and entity types: the rest the math drops by
 * entity), each with its ratings of `criterionIds` (null: of every criterion). The ratings come aggregated per assessment as one string of
 * `criterionId × 8 + rating index` numbers (2,000 rows instead of 40,000 at the m scale: the read went from
 * about 45 to about 10 ms on SQLite), the whole read as one JSON array.
 */
export async function scorecardAssessments(deps: AppDeps, q: Selection & { asOf: string; figures?: ScorecardQuery['figures'] }, criterionIds: readonly number[] | null): Promise<ScorecardAssessmentInput[]> {
  const ratingIndex = sql.join(RATING_CODES.map((code, i) => sql`WHEN ${sql.lit(code)} THEN ${sql.lit(i)}`), sql` `);
  const coded = sql`CAST(r.criterion_id * 8 + CASE r.rating ${ratingIndex} END AS TEXT)`;
  let b = deps.db.selectFrom('assessments as a')
    .select((eb) => {
      let ratings = eb.selectFrom('assessment_ratings as r').select(stringAgg(deps.dialect, coded, ',').as('c')).whereRef('r.assessment_id', '=', 'a.id');
      // null = every criterion (no pillar filter): no IN list, which made SQLite look each criterion up separately.
      if (criterionIds) ratings = ratings.where('r.criterion_id', 'in', criterionIds.length > 0 ? [...criterionIds] : [-1]);
      return ['a.id', 'a.entity_key', 'a.checkpoint', 'a.assessed_on', 'a.status', ratings.as('codes')];
    })
    .where('a.assessed_on', '<=', q.asOf);
  if (q.region.length > 0) b = b.where('a.region', 'in', q.region);
  if (q.entityType.length > 0) b = b.where('a.entity_type', 'in', q.entityType);
  if (q.figures === 'approved') {
    // Approved figures: only assessments whose assessedOn lies in a period approved for the entity's region
    // (assessments.region: a country team's country's region, an agency's headquarters region or GLO).
    const windows = await loadApprovedWindows(deps.db);
    b = b.where(windows.length === 0 ? sql<boolean>`(1 = 0)`
      : sql<boolean>`(${sql.join(windows.map((w) => sql`(a.region = ${w.region} AND a.assessed_on >= ${w.start} AND a.assessed_on <= ${w.end})`), sql` OR `)})`);
  }
  const rows = await compactRows(deps.db, deps.dialect, b, ['id', 'entity_key', 'checkpoint', 'assessed_on', 'status', 'codes'], ['entity_key', 'checkpoint', 'assessed_on', 'status', 'codes']);
  const out = rows.map(([id, key, checkpoint, assessedOn, status, codes]): ScorecardAssessmentInput => {
    const ratings = new Map<number, ScorecardRating>();
    if (typeof codes === 'string' && codes !== '') {
      for (const part of codes.split(',')) {
        const n = Number(part);
        const rating = RATING_CODES[n & 7];
        if (rating) ratings.set(n >> 3, rating);
      }
    }
    return { id: Number(id), entityKey: String(key), checkpoint: String(checkpoint), assessedOn: String(assessedOn), status: status === 'complete' ? 'complete' : 'draft', ratings };
  });
  return out.sort((a, b) => a.id - b.id);
}

export async function getScorecard(deps: AppDeps, q: ScorecardQuery & { asOf: string }): Promise<ProgressScorecard> {
  const criteria = (await allCriteria(deps.db)).filter((c) => q.pillar.length === 0 || q.pillar.includes(c.pillar));
  const [entities, assessments, demo] = await Promise.all([
    scorecardEntities(deps, q),
    scorecardAssessments(deps, q, q.pillar.length === 0 ? null : criteria.map((c) => c.id)),
    isDemo(deps.db),
  ]);
  return { ...buildScorecard({ asOf: q.asOf, criteria, entities, assessments, page: q.page, pageSize: q.pageSize }), demo };
}

/**
 * The scorecard under a dashboard view's filters (snapshots, exports, compare): region, country and partnerType
 * apply, the other filters do not; every entity on one page.
 */
export function scorecardOfView(deps: AppDeps, f: Pick<ScorecardQuery, 'region' | 'country' | 'partnerType'> & { asOf: string; figures?: ScorecardQuery['figures'] }): Promise<ProgressScorecard> {
  return getScorecard(deps, { region: f.region, country: f.country, partnerType: f.partnerType, entityType: [], pillar: [], asOf: f.asOf, page: 1, pageSize: 1_000_000, figures: f.figures ?? 'latest' });
}
