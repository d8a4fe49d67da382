/**
 * The mainstreaming scorecard's data: criteria (versioned; every change writes a criterion_versions row), and
 * assessments with their ratings (versioned writes, audit entry and data-version bump in one transaction, as for
 * milestones). The counting rules are in shared/src/scorecard.ts; the math in shared/src/scorecard-math.ts.
 */
import {
  AGENCY_PARTNER_TYPES, COUNTRIES, entityKey, entityRegion, scoreOf,
  type Assessment, type AssessmentInput, type AssessmentListQuery, type AssessmentPatch, type AssessmentSummary,
  type CriteriaQuery, type Criterion, type CriterionInput, type CriterionPatch, type EntityType, type RatingInput,
  type RegionCode, type ScorecardPillar, type ScorecardRating,
} from '@mm/shared';
import { sql } from 'kysely';
import { withRetry } from '../db/retry.ts';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { ProblemError, type FieldError } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { offsetOf, type Page } from './records.ts';

const PILLAR_ORDER = sql<number>`CASE pillar WHEN 'employment' THEN 1 WHEN 'social_protection' THEN 2 WHEN 'standards' THEN 3 ELSE 4 END`;

/** 422 problem+json naming the fields: the input is well-formed but refers to something it may not. */
export const unprocessable = (detail: string, errors: FieldError[]) => new ProblemError(422, 'Unprocessable', detail, errors);

// ------------------------------------------------------------------ criteria
interface CriterionRow { id: number; code: string; text: string; pillar: string; retired: number; version: number; created_at: string; updated_at: string }
const toCriterion = (r: CriterionRow): Criterion => ({
  id: r.id, code: r.code, text: r.text, pillar: r.pillar as ScorecardPillar, retired: num(r.retired) === 1,
  version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
});

/** The checklist in order: pillar (the Toolkit's order), then code. */
export async function allCriteria(db: Db): Promise<Criterion[]> {
  const rows = await db.selectFrom('scorecard_criteria').selectAll().orderBy(PILLAR_ORDER).orderBy('code').execute();
  return rows.map(toCriterion);
}

export async function listCriteria(db: Db, q: CriteriaQuery): Promise<Page<Criterion>> {
  let b = db.selectFrom('scorecard_criteria');
  if (q.pillar.length > 0) b = b.where('pillar', 'in', q.pillar);
  if (!q.includeRetired) b = b.where('retired', '=', 0);
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.selectAll().orderBy(PILLAR_ORDER).orderBy('code').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map(toCriterion), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getCriterion(db: Db, id: number): Promise<Criterion | undefined> {
  const r = await db.selectFrom('scorecard_criteria').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toCriterion(r) : undefined;
}

const versionRow = (c: Criterion, by: number | null) => ({
  criterion_id: c.id, version: c.version, code: c.code, text: c.text, pillar: c.pillar, retired: c.retired ? 1 : 0, changed_at: c.updatedAt, changed_by: by,
});

export async function createCriterion(deps: AppDeps, actor: AuditActor, input: CriterionInput): Promise<Criterion> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('scorecard_criteria').values({
      code: input.code, text: input.text, pillar: input.pillar, retired: input.retired ? 1 : 0, version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const c = await getCriterion(trx, id);
    if (!c) throw new Error('inserted criterion not found');
    await trx.insertInto('criterion_versions').values(versionRow(c, actor.id)).execute();
    await writeAudit(trx, now, { actor, action: 'create', entity: 'scorecard_criterion', entityId: id, after: c });
    await bumpDataVersion(trx);
    return c;
  });
}

export async function updateCriterion(deps: AppDeps, actor: AuditActor, before: Criterion, expected: number, p: CriterionPatch): Promise<Criterion> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('scorecard_criteria').set((eb) => ({
      ...(p.code !== undefined ? { code: p.code } : {}),
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.pillar !== undefined ? { pillar: p.pillar } : {}),
      ...(p.retired !== undefined ? { retired: p.retired ? 1 : 0 } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    const after = await getCriterion(trx, before.id);
    if (!after) throw new StaleWrite();
    await trx.insertInto('criterion_versions').values(versionRow(after, actor.id)).execute();
    await writeAudit(trx, now, { actor, action: 'update', entity: 'scorecard_criterion', entityId: before.id, before, after });
    await bumpDataVersion(trx);
    return after;
  });
}

// --------------------------------------------------------------- assessments
interface AssessmentRow {
  id: number; entity_type: string; partner_id: number | null; country: string | null; entity_key: string; region: string; checkpoint: string;
  assessed_on: string; status: string; version: number; created_at: string; updated_at: string; partner_name: string | null; partner_type: string | null;
}
const COUNTRY_NAME = new Map<string, string>(COUNTRIES.map((c) => [c.code, c.label]));

function base(db: Db) {
  return db.selectFrom('assessments').leftJoin('partners', 'partners.id', 'assessments.partner_id');
}
const COLUMNS = [
  'assessments.id', 'assessments.entity_type', 'assessments.partner_id', 'assessments.country', 'assessments.entity_key', 'assessments.region',
  'assessments.checkpoint', 'assessments.assessed_on', 'assessments.status', 'assessments.version', 'assessments.created_at', 'assessments.updated_at',
  'partners.name as partner_name', 'partners.partner_type as partner_type',
] as const;

function toSummary(r: AssessmentRow, ratings: readonly ScorecardRating[]): AssessmentSummary {
  return {
    id: r.id, entityType: r.entity_type as EntityType, entityKey: r.entity_key, partnerId: r.partner_id, country: r.country as AssessmentSummary['country'],
    entityName: r.entity_type === 'agency' ? (r.partner_name ?? `Partner ${r.partner_id ?? ''}`) : (COUNTRY_NAME.get(r.country ?? '') ?? r.country ?? ''),
    partnerType: r.entity_type === 'agency' ? (r.partner_type as AssessmentSummary['partnerType']) : null,
    region: r.region as RegionCode, checkpoint: r.checkpoint, assessedOn: r.assessed_on, status: r.status === 'complete' ? 'complete' : 'draft',
    ...scoreOf(ratings), version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

const SORT: Record<string, string> = { assessedOn: 'assessments.assessed_on', checkpoint: 'assessments.checkpoint', entityName: 'entity_name', id: 'assessments.id', updatedAt: 'assessments.updated_at' };

export async function listAssessments(deps: AppDeps, q: AssessmentListQuery): Promise<Page<AssessmentSummary>> {
  let b = base(deps.db);
  if (q.region.length > 0) b = b.where('assessments.region', 'in', q.region);
  if (q.entityType.length > 0) b = b.where('assessments.entity_type', 'in', q.entityType);
  if (q.checkpoint.length > 0) b = b.where('assessments.checkpoint', 'in', q.checkpoint);
  if (q.status.length > 0) b = b.where('assessments.status', 'in', q.status);
  if (q.partnerId !== undefined) b = b.where('assessments.partner_id', '=', q.partnerId);
  if (q.partnerType.length > 0) b = b.where('assessments.entity_type', '=', 'agency').where('partners.partner_type', 'in', q.partnerType);
  if (q.country.length > 0) b = b.where((eb) => eb.or([eb('assessments.country', 'in', q.country), eb('partners.hq_country', 'in', q.country)]));
  if (q.asOf) b = b.where('assessments.assessed_on', '<=', q.asOf);
  const raw = q.sort ?? '-assessedOn';
  const desc = raw.startsWith('-');
  const col = SORT[desc ? raw.slice(1) : raw] ?? 'assessments.assessed_on';
  const name = sql<string>`lower(COALESCE(partners.name, assessments.country))`;
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.select([...COLUMNS]).orderBy(col === 'entity_name' ? name : sql.ref(col), desc ? 'desc' : 'asc').orderBy('assessments.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  const ids = rows.map((r) => r.id);
  const ratings = ids.length === 0 ? [] : await deps.db.selectFrom('assessment_ratings').select(['assessment_id', 'rating']).where('assessment_id', 'in', ids).execute();
  const by = new Map<number, ScorecardRating[]>();
  for (const r of ratings) {
    const list = by.get(r.assessment_id);
    if (list) list.push(r.rating as ScorecardRating); else by.set(r.assessment_id, [r.rating as ScorecardRating]);
  }
  return { items: rows.map((r) => toSummary(r, by.get(r.id) ?? [])), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getAssessment(deps: Pick<AppDeps, 'db'>, id: number, db: Db = deps.db): Promise<Assessment | undefined> {
  const r = await base(db).select([...COLUMNS]).where('assessments.id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const [ratings, criteria] = await Promise.all([
    db.selectFrom('assessment_ratings as ar')
      .innerJoin('criterion_versions as cv', (j) => j.onRef('cv.criterion_id', '=', 'ar.criterion_id').onRef('cv.version', '=', 'ar.criterion_version'))
      .select(['ar.criterion_id', 'ar.criterion_version', 'ar.rating', 'ar.note', 'ar.evidence_url', 'cv.code', 'cv.text', 'cv.pillar'])
      .where('ar.assessment_id', '=', id).execute(),
    allCriteria(db),
  ]);
  const order = new Map(criteria.map((c, i) => [c.id, i]));
  ratings.sort((a, b) => (order.get(a.criterion_id) ?? 1e9) - (order.get(b.criterion_id) ?? 1e9));
  const ratedIds = new Set(ratings.map((x) => x.criterion_id));
  return {
    ...toSummary(r, ratings.map((x) => x.rating as ScorecardRating)),
    ratings: ratings.map((x) => ({
      criterionId: x.criterion_id, criterionVersion: num(x.criterion_version), code: x.code, text: x.text, pillar: x.pillar as ScorecardPillar,
      rating: x.rating as ScorecardRating, note: x.note, evidenceUrl: x.evidence_url,
    })),
    unrated: criteria.filter((c) => !c.retired && !ratedIds.has(c.id)).map((c) => ({ criterionId: c.id, code: c.code })),
  };
}

/** The entity an assessment input names, with its derived region; 422 naming partnerId for a partner that is not an agency. */
export async function resolveEntity(db: Db, input: Pick<AssessmentInput, 'entityType' | 'partnerId' | 'country'>): Promise<{ entityKey: string; region: RegionCode }> {
  if (input.entityType === 'country_team') {
    return { entityKey: entityKey(input), region: entityRegion(input) };
  }
  const p = await db.selectFrom('partners').select(['id', 'partner_type', 'hq_region']).where('id', '=', input.partnerId ?? -1).executeTakeFirst();
  if (!p) throw unprocessable('The partner does not exist.', [{ field: 'partnerId', reason: 'no partner with this id', value: input.partnerId }]);
  if (!(AGENCY_PARTNER_TYPES as readonly string[]).includes(p.partner_type)) {
    throw unprocessable('Only UN agencies and IFIs self-assess as agencies.', [{ field: 'partnerId', reason: `the partner is of type ${p.partner_type}; an agency must be of type un or ifi`, value: input.partnerId }]);
  }
  return { entityKey: entityKey(input), region: entityRegion({ entityType: 'agency', hqRegion: p.hq_region as RegionCode | null }) };
}

/**
 * Checks the ratings against the checklist (422 naming each problem): every criterion must exist; a retired one may
 * only keep a rating it already had; a complete assessment needs a rating for every current criterion. Returns the
 * current version of each criterion, which the ratings are stored against.
 */
async function checkRatings(db: Db, next: ReadonlyMap<number, RatingInput>, changed: readonly RatingInput[], already: ReadonlySet<number>, status: string): Promise<Map<number, number>> {
  const criteria = await allCriteria(db);
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const errors: FieldError[] = [];
  changed.forEach((r, i) => {
    const c = byId.get(r.criterionId);
    if (!c) errors.push({ field: `ratings.${i}.criterionId`, reason: 'no criterion with this id', value: r.criterionId });
    else if (c.retired && !already.has(c.id)) errors.push({ field: `ratings.${i}.criterionId`, reason: `criterion ${c.code} is retired and can no longer be rated`, value: r.criterionId });
  });
  if (errors.length > 0) throw unprocessable('Some ratings name criteria that cannot be rated.', errors);
  if (status === 'complete') {
    const missing = criteria.filter((c) => !c.retired && !next.has(c.id));
    if (missing.length > 0) {
      throw unprocessable(`A complete assessment rates every criterion; ${missing.length} not rated: ${missing.map((c) => c.code).join(', ')}.`,
        missing.map((c) => ({ field: 'ratings', reason: `no rating for criterion ${c.code}`, value: c.id })));
    }
  }
  return new Map(criteria.map((c) => [c.id, c.version]));
}

async function assertNoDuplicate(db: Db, key: string, checkpoint: string, except?: number): Promise<void> {
  let b = db.selectFrom('assessments').select('id').where('entity_key', '=', key).where('checkpoint', '=', checkpoint);
  if (except !== undefined) b = b.where('id', '!=', except);
  const other = await b.executeTakeFirst();
  if (other) throw duplicate(checkpoint, other.id);
}
const duplicate = (checkpoint: string, otherId?: number) => unprocessable(
  `This entity already has an assessment for checkpoint ${checkpoint}${otherId ? ` (assessment ${otherId})` : ''}; edit that one instead.`,
  [{ field: 'checkpoint', reason: 'the entity already has an assessment for this checkpoint', value: checkpoint }],
);
/** A unique-constraint failure of (entity_key, checkpoint) that slipped past the check (a concurrent create). */
function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = Reflect.get(e, 'code');
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const ratingRows = (assessmentId: number, rs: Iterable<RatingInput>, versions: ReadonlyMap<number, number>) => [...rs].map((r) => ({
  assessment_id: assessmentId, criterion_id: r.criterionId, criterion_version: versions.get(r.criterionId) ?? 1, rating: r.rating,
  note: r.note ?? null, evidence_url: r.evidenceUrl ?? null,
}));

/** What the audit trail keeps of an assessment: the record without computed figures, ratings compact. */
function auditOf(a: Assessment): Record<string, unknown> {
  return {
    id: a.id, entityType: a.entityType, entityKey: a.entityKey, partnerId: a.partnerId, country: a.country, region: a.region, checkpoint: a.checkpoint,
    assessedOn: a.assessedOn, status: a.status, version: a.version, createdAt: a.createdAt, updatedAt: a.updatedAt,
    ratings: a.ratings.map((r) => ({ criterionId: r.criterionId, code: r.code, rating: r.rating, note: r.note, evidenceUrl: r.evidenceUrl })),
  };
}

export async function createAssessment(deps: AppDeps, actor: AuditActor, input: AssessmentInput, entity: { entityKey: string; region: string }): Promise<Assessment> {
  const now = deps.clock().toISOString();
  await assertNoDuplicate(deps.db, entity.entityKey, input.checkpoint);
  const next = new Map(input.ratings.map((r) => [r.criterionId, r]));
  const versions = await checkRatings(deps.db, next, input.ratings, new Set(), input.status);
  try {
    return await withRetry(deps.db, async (trx) => {
      const { id } = await trx.insertInto('assessments').values({
        entity_type: input.entityType, partner_id: input.entityType === 'agency' ? (input.partnerId ?? null) : null,
        country: input.entityType === 'country_team' ? (input.country ?? null) : null, entity_key: entity.entityKey, region: entity.region,
        checkpoint: input.checkpoint, assessed_on: input.assessedOn, status: input.status, version: 1, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      const rows = ratingRows(id, input.ratings, versions);
      if (rows.length > 0) await trx.insertInto('assessment_ratings').values(rows).execute();
      const a = await getAssessment(deps, id, trx);
      if (!a) throw new Error('inserted assessment not found');
      await writeAudit(trx, now, { actor, action: 'create', entity: 'assessment', entityId: id, region: a.region, after: auditOf(a) });
      await bumpDataVersion(trx);
      return a;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(input.checkpoint);
    throw e;
  }
}

/** Applies a patch conditional on `expected`; ratings sent replace those criteria's ratings (stored against today's criterion version). */
export async function updateAssessment(deps: AppDeps, actor: AuditActor, before: Assessment, expected: number, p: AssessmentPatch): Promise<Assessment> {
  const now = deps.clock().toISOString();
  const checkpoint = p.checkpoint ?? before.checkpoint;
  if (checkpoint !== before.checkpoint) await assertNoDuplicate(deps.db, before.entityKey, checkpoint, before.id);
  const next = new Map<number, RatingInput>(before.ratings.map((r) => [r.criterionId, r]));
  for (const r of p.ratings ?? []) next.set(r.criterionId, r);
  const versions = await checkRatings(deps.db, next, p.ratings ?? [], new Set(before.ratings.map((r) => r.criterionId)), p.status ?? before.status);
  try {
    return await withRetry(deps.db, async (trx) => {
      const r = await trx.updateTable('assessments').set((eb) => ({
        ...(p.checkpoint !== undefined ? { checkpoint: p.checkpoint } : {}),
        ...(p.assessedOn !== undefined ? { assessed_on: p.assessedOn } : {}),
        ...(p.status !== undefined ? { status: p.status } : {}),
        updated_at: now, version: eb('version', '+', 1),
      })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
      const changed = p.ratings ?? [];
      if (changed.length > 0) {
        await trx.deleteFrom('assessment_ratings').where('assessment_id', '=', before.id).where('criterion_id', 'in', changed.map((x) => x.criterionId)).execute();
        await trx.insertInto('assessment_ratings').values(ratingRows(before.id, changed, versions)).execute();
      }
      const after = await getAssessment(deps, before.id, trx);
      if (!after) throw new StaleWrite();
      await writeAudit(trx, now, { actor, action: 'update', entity: 'assessment', entityId: before.id, region: after.region, before: auditOf(before), after: auditOf(after) });
      await bumpDataVersion(trx);
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(checkpoint);
    throw e;
  }
}

export async function deleteAssessment(deps: AppDeps, actor: AuditActor, before: Assessment, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    await trx.deleteFrom('assessment_ratings').where('assessment_id', '=', before.id).execute();
    const r = await trx.deleteFrom('assessments').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'assessment', entityId: before.id, region: before.region, before: auditOf(before) });
    await bumpDataVersion(trx);
  });
}
