/**
 * The mainstreaming scorecard (issue 15): the CEB Toolkit for Mainstreaming Employment and Decent Work (April
 * 2007) self-assessment. Reference data (pillars, the rating scale, checkpoints and their due dates, the
 * illustrative checklist the demo seeds) and the API contract of criteria, assessments and
 * `GET /progress/scorecard`.
 *
 * Rules, in one place:
 * - An entity is an agency (a partner of type `un` or `ifi`; region = its `hqRegion`, or `GLO` without one) or a UN
 *   country team (a country; region = the country's region in {@link COUNTRIES}). Key: `agency:<partnerId>` or
 *   `country_team:<ISO3>`.
 * - One assessment per (entity, checkpoint). Checkpoints are `baseline`, `2010`, `2015`, or a dated interim one
 *   written as its date `YYYY-MM-DD`. Only the three named ones are ever due (see {@link SCORECARD_CHECKPOINTS}).
 * - Criteria are versioned: every change of code, text, pillar or retired flag is a new version (kept in
 *   criterion_versions); a rating stores the criterion version it was given against, and an assessment shows the
 *   criteria as they stood then. Retired criteria are not asked for any more, and may not be newly rated.
 * - An assessment is a `draft` or `complete`; marking it complete needs a rating for every criterion that is not
 *   retired (422 naming each missing one).
 * - The scorecard counts **complete** assessments whose `assessedOn` is on or before `asOf` (drafts appear in the
 *   entity grid, flagged, but count nowhere). % met or exceeded = (meets + exceeds) / (missing + approaches + meets +
 *   exceeds): `not_applicable` is left out of the denominator, and with nothing rated the figure is null, not 0.
 * - Movement compares an entity's rating of the same criterion at two checkpoints (baseline→2010, 2010→2015,
 *   baseline→2015), on the order missing < approaches < meets < exceeds; pairs where either side is missing or
 *   not_applicable are not compared.
 * - A checkpoint is due once `asOf` is past its due date; an entity that has no complete assessment of a due
 *   checkpoint (as of asOf) is listed in `missing`.
 */
import { z } from 'zod';
import { codesOf } from './reference.ts';
import { ENTITY_TYPES, RATING_CODES, SCORECARD_CHECKPOINTS, SCORECARD_PILLARS } from './scorecard-reference.ts';
import { country, filters, id, idParam, isoDate, partnerType, region } from './schemas.ts';
import { FIGURES } from './reporting.ts';

export * from './scorecard-reference.ts';

// ------------------------------------------------------------------ schemas
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);
const meta = { version: z.number().int(), createdAt: z.string(), updatedAt: z.string() };

export const scorecardPillar = z.enum(codesOf(SCORECARD_PILLARS));
export const scorecardRating = z.enum(RATING_CODES);
export const entityType = z.enum(codesOf(ENTITY_TYPES));
/** `baseline`, `2010`, `2015`, or a dated interim checkpoint `YYYY-MM-DD`. */
export const checkpoint = z.union([z.enum(codesOf(SCORECARD_CHECKPOINTS)), isoDate], { error: 'must be baseline, 2010, 2015 or an interim date YYYY-MM-DD' });
export type Checkpoint = z.infer<typeof checkpoint>;

export const criterionInput = z.strictObject({
  code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,20}$/, 'must be 1–20 letters, digits, dots, dashes or underscores'),
  text: text(1000),
  pillar: scorecardPillar,
  retired: z.boolean().default(false),
});
/** Partial change of a criterion (If-Match required); each change is a new criterion version. */
export const criterionPatch = z.strictObject({
  code: criterionInput.shape.code.optional(),
  text: text(1000).optional(),
  pillar: scorecardPillar.optional(),
  retired: z.boolean().optional(),
});
export const criterion = z.object({
  id, code: z.string(), text: z.string(), pillar: scorecardPillar, retired: z.boolean(), ...meta,
});
export type CriterionInput = z.infer<typeof criterionInput>;
export type CriterionPatch = z.infer<typeof criterionPatch>;
export type Criterion = z.infer<typeof criterion>;
export const criteriaQuery = z.strictObject({
  pillar: z.array(scorecardPillar).max(10).default([]),
  /** `true` lists retired criteria too (default: only the current checklist). */
  includeRetired: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type CriteriaQuery = z.infer<typeof criteriaQuery>;
export const criteriaPage = z.object({ items: z.array(criterion), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ratingInput = z.strictObject({
  criterionId: id,
  rating: scorecardRating,
  note: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
  evidenceUrl: url.nullable().optional(),
});
export type RatingInput = z.infer<typeof ratingInput>;

function uniqueCriteria(v: { ratings?: readonly { criterionId: number }[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<number>();
  (v.ratings ?? []).forEach((r, i) => {
    if (seen.has(r.criterionId)) ctx.addIssue({ code: 'custom', path: ['ratings', i, 'criterionId'], message: 'the criterion is rated twice' });
    seen.add(r.criterionId);
  });
}
export const assessmentStatus = z.enum(['draft', 'complete']);
export type AssessmentStatus = z.infer<typeof assessmentStatus>;
const ratings = z.array(ratingInput).max(500);

export const assessmentInput = z.strictObject({
  entityType,
  /** The agency (entityType `agency`): a partner of type un or ifi. */
  partnerId: id.nullable().optional(),
  /** The country of the UN country team (entityType `country_team`). */
  country: country.nullable().optional(),
  checkpoint,
  assessedOn: isoDate,
  status: assessmentStatus.default('draft'),
  ratings: ratings.default([]),
}).superRefine((v, ctx) => {
  if (v.entityType === 'agency') {
    if (v.partnerId == null) ctx.addIssue({ code: 'custom', path: ['partnerId'], message: 'an agency assessment needs partnerId' });
    if (v.country != null) ctx.addIssue({ code: 'custom', path: ['country'], message: 'an agency assessment has no country; use partnerId' });
  } else {
    if (v.country == null) ctx.addIssue({ code: 'custom', path: ['country'], message: 'a country team assessment needs country' });
    if (v.partnerId != null) ctx.addIssue({ code: 'custom', path: ['partnerId'], message: 'a country team assessment has no partnerId; use country' });
  }
  uniqueCriteria(v, ctx);
});
/**
 * Change of an assessment (If-Match required). The entity is fixed (delete and create again to move it).
 * `ratings` are merged by criterion: the ones sent replace that criterion's rating, the others stay.
 */
export const assessmentPatch = z.strictObject({
  checkpoint: checkpoint.optional(),
  assessedOn: isoDate.optional(),
  status: assessmentStatus.optional(),
  ratings: ratings.optional(),
}).superRefine(uniqueCriteria);
export type AssessmentInput = z.infer<typeof assessmentInput>;
export type AssessmentPatch = z.infer<typeof assessmentPatch>;

export const ratingCounts = z.object({
  missing: z.number().int(), approaches: z.number().int(), meets: z.number().int(), exceeds: z.number().int(), not_applicable: z.number().int(),
});
export type RatingCounts = z.infer<typeof ratingCounts>;
/** The headline figure of a set of ratings. */
export const scoreFigures = z.object({
  pctMetOrExceeded: z.number().nullable().describe('(meets + exceeds) / (all ratings except not_applicable), 0–1; null with nothing rated.'),
  counts: ratingCounts,
});
export type ScoreFigures = z.infer<typeof scoreFigures>;

export const assessmentRating = z.object({
  criterionId: id,
  /** The criterion as it stood when this rating was given. */
  criterionVersion: z.number().int(),
  code: z.string(), text: z.string(), pillar: scorecardPillar,
  rating: scorecardRating, note: z.string().nullable(), evidenceUrl: z.string().nullable(),
});
const entityFields = {
  entityType,
  entityKey: z.string().describe('`agency:<partnerId>` or `country_team:<ISO3>`.'),
  partnerId: id.nullable(),
  country: country.nullable(),
  /** The agency's name or the country's name. */
  entityName: z.string(),
  /** un or ifi for agencies; null for country teams. */
  partnerType: partnerType.nullable(),
  region,
};
export const assessmentSummary = z.object({
  id, ...entityFields, checkpoint: z.string(), assessedOn: z.string(), status: assessmentStatus,
  ...scoreFigures.shape,
  ...meta,
});
export const assessment = assessmentSummary.extend({
  ratings: z.array(assessmentRating).describe('In checklist order (pillar, then code).'),
  /** Current criteria not rated yet (what marking it complete would ask for). */
  unrated: z.array(z.object({ criterionId: id, code: z.string() })),
});
export type AssessmentSummary = z.infer<typeof assessmentSummary>;
export type Assessment = z.infer<typeof assessment>;
export const assessmentPage = z.object({ items: z.array(assessmentSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

const many = <T extends z.ZodType>(item: T) => z.array(item).max(100).default([]);
/** The scorecard's own repeatable query parameters (beyond the shared filters'); the server reads them as arrays. */
export const SCORECARD_MULTI_KEYS = ['entityType', 'checkpoint', 'pillar'] as const;
/** The filters the scorecard takes from the shared ones (region, country, partnerType, asOf), plus its own. */
const scorecardFilterShape = {
  ...filters.pick({ region: true, country: true, partnerType: true, asOf: true }).shape,
  entityType: many(entityType),
};
export const assessmentListQuery = z.strictObject({
  ...scorecardFilterShape,
  checkpoint: many(checkpoint),
  status: many(assessmentStatus),
  partnerId: idParam.optional(),
  sort: z.enum(['assessedOn', '-assessedOn', 'checkpoint', '-checkpoint', 'entityName', '-entityName', 'id', '-id', 'updatedAt', '-updatedAt']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type AssessmentListQuery = z.infer<typeof assessmentListQuery>;

/**
 * `GET /progress/scorecard`. region/country/partnerType/entityType select entities (country: country teams of
 * those countries and agencies headquartered there; partnerType: agencies of those types only); pillar narrows
 * the criteria counted; entities are paged (`page`, `pageSize`), the aggregates cover every selected entity.
 */
export const scorecardQuery = z.strictObject({
  ...scorecardFilterShape,
  pillar: z.array(scorecardPillar).max(10).default([]),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  figures: z.enum(FIGURES).default('latest').describe('`approved`: only assessments whose assessedOn lies in a reporting period approved for the entity\'s region (a country team: its country\'s region; an agency: its headquarters region, or GLO); `latest` (default): every assessment.'),
});
export type ScorecardQuery = z.infer<typeof scorecardQuery>;

export const moveCounts = z.object({ improved: z.number().int(), held: z.number().int(), slipped: z.number().int() });
export type MoveCounts = z.infer<typeof moveCounts>;
export const movement = z.object({ from: z.string(), to: z.string(), ...moveCounts.shape });
export type Movement = z.infer<typeof movement>;
/** Keyed by checkpoint code; read them in the order of the response's `checkpoints` (JSON puts `2010`, `2015` before `baseline`). */
const byCheckpointFigures = z.record(z.string(), scoreFigures.extend({ assessments: z.number().int().describe('Complete assessments counted.') }));
export const scorecardGroup = z.object({ key: z.string(), label: z.string(), byCheckpoint: byCheckpointFigures });
export type ScorecardGroup = z.infer<typeof scorecardGroup>;

export const scorecardCell = scoreFigures.extend({
  assessmentId: id, status: assessmentStatus, assessedOn: z.string(),
  ratings: z.array(scorecardRating.nullable()).describe('Aligned with the response\'s `criteria`: this assessment\'s rating of each, null where not rated.'),
});
export type ScorecardCell = z.infer<typeof scorecardCell>;
export const scorecardEntity = z.object({
  ...entityFields,
  byCheckpoint: z.record(z.string(), scorecardCell).describe('Per checkpoint assessed on or before asOf (drafts included, flagged by status).'),
  movement: z.array(movement).describe('Per SCORECARD_MOVES pair: criteria improved, held, slipped between the two complete assessments.'),
  missingCheckpoints: z.array(z.string()).describe('Due checkpoints (as of asOf) without a complete assessment.'),
});
export type ScorecardEntity = z.infer<typeof scorecardEntity>;

export const progressScorecard = z.object({
  asOf: z.string(),
  checkpoints: z.array(z.object({
    code: z.string(), label: z.string(), dueDate: z.string().nullable().describe('Null for interim checkpoints, which are never due.'),
    due: z.boolean(),
  })).describe('baseline, 2010, 2015, then any interim checkpoints assessed by asOf, in date order.'),
  criteria: z.array(z.object({ id, code: z.string(), text: z.string(), pillar: scorecardPillar, retired: z.boolean() })),
  overall: byCheckpointFigures.describe('% of criteria met or exceeded per checkpoint, over every selected entity.'),
  headline: z.object({ checkpoint: z.string(), label: z.string(), pctMetOrExceeded: z.number().nullable(), assessments: z.number().int() }).nullable()
    .describe('The KPI the overview shows: the latest named checkpoint (2015, else 2010, else baseline) with a complete assessment by asOf; null when there is none.'),
  entities: z.array(scorecardEntity),
  entityTotal: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
  byPillar: z.array(scorecardGroup),
  byPartnerType: z.array(scorecardGroup).describe('Agencies by partner type (un, ifi); country teams are in byEntityType.'),
  byEntityType: z.array(scorecardGroup),
  byRegion: z.array(scorecardGroup),
  byCriterion: z.array(scorecardGroup.extend({ criterionId: id, pillar: scorecardPillar, movement: z.array(movement) })),
  movement: z.array(movement).describe('Summed over the selected entities.'),
  missing: z.array(z.object({ ...entityFields, checkpoints: z.array(z.string()) })).describe('Entities without a complete assessment of a due checkpoint.'),
  demo: z.boolean(),
});
export type ProgressScorecard = z.infer<typeof progressScorecard>;
