/**
 * The progress API contract: query schemas for the progress endpoints and the zod schemas of their
 * responses (the OpenAPI document is generated from these). Ratios are numbers (1 = 100 %), rounded
 * to 6 decimals, and null when there is nothing to divide by.
 */
import { z } from 'zod';
import { filters, indicatorStatus, isoDate, region, country, direction, indicatorUnit } from './schemas.ts';
import { FIGURES } from './reporting.ts';

export const PROGRESS_DIMENSIONS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome'] as const;
export type ProgressDimension = (typeof PROGRESS_DIMENSIONS)[number];
export const progressDimension = z.enum(PROGRESS_DIMENSIONS);

/**
 * How each dimension counts records; the by-dimension response repeats its rule. `partition` is true
 * when every record is counted in exactly one group or in `unassigned`.
 */
export const DIMENSION_RULES: Record<ProgressDimension, { partition: boolean; rule: string }> = {
  region: { partition: true, rule: 'Partition: every partnership, action plan, milestone and indicator has one region and counts in exactly that group.' },
  country: { partition: true, rule: 'Partition of records that have a country: each counts in its one country group; records without a country (regional or global ones) count only in `unassigned`.' },
  partnerType: { partition: false, rule: "Partnerships and resources partition by the lead partner's type (none in `unassigned`). An action plan's milestones and indicators count once under each lead-partner type among its linked partnerships, so those groups can overlap." },
  modality: { partition: false, rule: "Partnerships and resources partition by modality. An action plan's milestones and indicators count once under each modality among its linked partnerships, so those groups can overlap." },
  mandate: { partition: false, rule: 'A partnership or action plan with several mandates counts once in each of them; groups overlap.' },
  objective: { partition: false, rule: 'A partnership or action plan counts once in each strategic objective of its outcomes; groups overlap; records without outcomes are `unassigned`.' },
  outcome: { partition: false, rule: 'A partnership or action plan with several outcomes counts once in each of them; groups overlap; records without outcomes are `unassigned`.' },
};

/** The counting rules common to every progress endpoint, for docs and summaries. */
export const PROGRESS_RULES =
  'As of `asOf` (default today, UTC): measurements after it are ignored and each milestone has the status of the most recently recorded history entry effective on or before it, so a later correction with an earlier effective date wins (none yet: not started). ' +
  'Partnerships count when they started on or before asOf; milestones and indicators belong to their action plan, which the filters select. ' +
  '`status` selects indicators by their status at asOf and narrows only the indicator figures. ' +
  'attainment = mean of min(attainment, 1) over indicators with data; expected = mean expected attainment over all indicators; forecastMet = share of indicators with a trend forecast (2+ measurements) whose projection meets the target.';

const many = <T extends z.ZodType>(item: T) => z.array(item).max(100).default([]);

/** The shared filters, with `status` limited to indicator statuses (unknown values are 400s). */
export const progressFilters = filters.extend({ status: many(indicatorStatus) });
export type ProgressFilters = z.infer<typeof progressFilters>;

/** What `figures=approved` counts (README "Approved and latest figures"); repeated in the OpenAPI descriptions. */
export const FIGURES_RULES =
  '`figures=latest` (the default) counts every record as entered. `figures=approved` counts only what lies in approved reporting (period, region)s: ' +
  "a measurement counts only when its date falls in a reporting period whose state for its indicator's region (the action plan's) is `approved`; " +
  "a milestone's status, percent and completion date come from its history as recorded within approved periods (the latest recorded change whose effective date lies in a period approved for its region; none: not started); " +
  'records dated in open, submitted, returned or reopened periods, or outside every period, are left out. Partnerships, resources and the indicator and milestone definitions (baseline, target, due date) are counted as they are. ' +
  'With `asOf` both combine exactly: only approved records dated on or before asOf. Scorecard assessments count only when assessedOn lies in a period approved for the entity\'s region (a country team: its country\'s region; an agency: its headquarters region, or GLO).';
/** `figures=approved|latest` (default latest). */
export const figuresParam = z.enum(FIGURES).default('latest').describe(FIGURES_RULES);
/** The progress routes' query: the filters and the figures choice. */
export const progressQuery = progressFilters.extend({ figures: figuresParam });
export type ProgressQuery = z.infer<typeof progressQuery>;
export const trajectoryQuery = progressQuery.extend({ interval: z.enum(['year', 'quarter']).default('year') });
export const asOfQuery = z.strictObject({ asOf: isoDate.optional(), figures: figuresParam });
export const dimensionParams = z.strictObject({ dimension: progressDimension });

const count = z.number().int().min(0);
const ratio = z.number().nullable();
const statusCounts = z.object({ achieved: count, on_track: count, at_risk: count, off_track: count, no_data: count });

export const progressSummary = z.object({
  asOf: z.string(),
  partnerships: z.object({ total: count, active: count.describe('Started, not ended, and neither pipeline nor suspended at asOf.') }),
  resourcesUsd: z.number().int(),
  milestones: z.object({ total: count, completed: count, overdue: count, completionRate: ratio, onTimeRate: ratio }),
  indicators: statusCounts.extend({ total: count }),
  attainment: ratio.describe('Mean of min(attainment, 1) over indicators with data.'),
  expected: ratio.describe('Mean expected attainment over the indicators.'),
  forecastMet: ratio.describe('Share of indicators with a trend forecast whose projection meets the target.'),
  demo: z.boolean().describe('True when the database holds the illustrative demo data.'),
});
export type ProgressSummary = z.infer<typeof progressSummary>;

const groupFigures = {
  partnerships: count,
  resourcesUsd: z.number().int(),
  milestones: z.object({ total: count, completed: count, overdue: count, completionRate: ratio }),
  indicators: statusCounts,
  attainment: ratio,
  expected: ratio,
  forecastMet: ratio,
};
export const progressGroupFigures = z.object(groupFigures);
export const progressGroup = z.object({ key: z.string(), label: z.string(), ...groupFigures });
export type ProgressGroup = z.infer<typeof progressGroup>;
export type ProgressGroupFigures = z.infer<typeof progressGroupFigures>;

export const progressByDimension = z.object({
  dimension: progressDimension,
  asOf: z.string(),
  partition: z.boolean().describe('True when each record counts in exactly one group or in `unassigned`.'),
  rule: z.string().describe('How records are counted for this dimension.'),
  groups: z.array(progressGroup).describe('Every reference value of the dimension, in reference order, with zeros where nothing matches.'),
  unassigned: progressGroupFigures.describe('Records in no group (no country, no lead partner type, no linked partnership, no outcome).'),
});
export type ProgressByDimension = z.infer<typeof progressByDimension>;

export const trajectoryPoint = z.object({
  period: z.string().describe('`2012` or `2012-Q3`.'),
  date: z.string().describe('The date the point is evaluated at: the period end, or asOf inside the current period.'),
  actual: ratio.describe('Mean capped attainment of the indicators with data by `date`; null after asOf.'),
  withData: count,
  expected: ratio,
  forecast: ratio.describe('Mean capped projected attainment of the indicators with a trend, from the asOf period to the target date.'),
});
export const progressTrajectory = z.object({
  asOf: z.string(),
  interval: z.enum(['year', 'quarter']),
  indicators: count,
  points: z.array(trajectoryPoint),
  target: z.object({ date: z.string(), attainment: z.literal(1) }).nullable(),
});
export type ProgressTrajectory = z.infer<typeof progressTrajectory>;

export const progressTimeline = z.object({
  asOf: z.string(),
  quarters: z.array(z.object({
    quarter: z.string(), start: z.string(), end: z.string(),
    due: count.describe('Milestones due in the quarter, not cancelled at asOf.'),
    completed: count.describe('Milestones completed at asOf, by completion date.'),
    cumulativeDue: count, cumulativeCompleted: count,
  })),
});
export type ProgressTimeline = z.infer<typeof progressTimeline>;

const forecastSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('insufficient_data') }),
  z.object({ kind: z.literal('trend'), slopePerDay: z.number(), projectedValue: z.number(), projectedAttainment: z.number(), meetsTarget: z.boolean() }),
]);
const datedValue = z.object({ date: z.string(), value: z.number() });

export const indicatorProgressDetail = z.object({
  asOf: z.string(),
  indicator: z.object({ id: z.number().int(), actionPlanId: z.number().int(), name: z.string(), unit: indicatorUnit, direction, region }),
  baseline: datedValue,
  target: datedValue,
  measurements: z.array(z.object({ id: z.number().int(), date: z.string(), value: z.number(), attainment: z.number() })),
  latest: datedValue.nullable(),
  attainment: ratio,
  expected: z.number(),
  status: indicatorStatus,
  forecast: forecastSchema,
  expectedPath: z.array(z.object({ date: z.string(), value: z.number(), expected: z.number() })).describe('The linear path from baseline to target, at the baseline, each year end between, and the target date.'),
  forecastLine: z.array(datedValue).describe('The least-squares trend from the first measurement to the target date (empty without a trend).'),
});
export type IndicatorProgressDetail = z.infer<typeof indicatorProgressDetail>;

export const actionPlanProgressDetail = z.object({
  asOf: z.string(),
  actionPlan: z.object({ id: z.number().int(), title: z.string(), region, country: country.nullable() }),
  progress: z.object({ progress: ratio, indicatorScore: ratio, milestoneScore: ratio, status: indicatorStatus }),
  milestones: z.object({
    total: count, due: count, completed: count, completedDue: count, completedOnTime: count, overdue: count, cancelled: count,
    completionRate: ratio, onTimeRate: ratio,
  }),
  indicators: z.array(z.object({
    id: z.number().int(), name: z.string(), unit: indicatorUnit, direction, status: indicatorStatus,
    attainment: ratio, expected: z.number(), latest: datedValue.nullable(), projectedAttainment: ratio, forecastMet: z.boolean().nullable(),
  })),
});
export type ActionPlanProgressDetail = z.infer<typeof actionPlanProgressDetail>;
