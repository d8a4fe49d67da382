/**
 * Snapshots (frozen, dated copies of a dashboard view), their comparison, share links and exports: the
 * API contract. A snapshot's payload is a copy, so its schema describes what was stored, never a live join.
 */
import { z } from 'zod';
import { progressByDimension, progressQuery, progressSummary, progressTimeline, progressTrajectory } from './progress-api.ts';
import { indicatorStatus, isoDate, locale, milestoneStatus } from './schemas.ts';
import { timelineEvent } from './reporting.ts';
import { progressScorecard } from './scorecard.ts';

/**
 * Snapshots and exports take the progress API's filters (`status` = indicator statuses) and its figures choice
 * (`figures`: latest, the default — also for snapshots taken before the choice existed — or approved).
 */
const filters = progressQuery;

/** Snapshot ids are 16 random bytes in base64url: exactly 22 characters of [A-Za-z0-9_-]. */
export const SNAPSHOT_ID = /^[A-Za-z0-9_-]{22}$/;
/** Share tokens are 32 random bytes in base64url: exactly 43 characters. */
export const SHARE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const snapshotId = z.string().regex(SNAPSHOT_ID, 'must be a snapshot id (22 characters A–Z, a–z, 0–9, _ or -)');
export const snapshotParams = z.strictObject({ id: snapshotId });

/** The dimensions the progress API groups by; every one is frozen into a snapshot. */
export const SNAPSHOT_DIMENSIONS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome'] as const;
export const snapshotDimension = z.enum(SNAPSHOT_DIMENSIONS);
export type SnapshotDimension = z.infer<typeof snapshotDimension>;

export const snapshotInput = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  note: z.string().trim().max(4000, 'must be at most 4000 characters').nullable().optional(),
  filters,
});
export type SnapshotInput = z.input<typeof snapshotInput>;

// ------------------------------------------------------------------ the frozen record rows
export const snapshotPartnership = z.object({
  id: z.number().int(), externalId: z.string().nullable(), title: z.string(), modality: z.string(), level: z.string(),
  region: z.string(), country: z.string().nullable(), leadPartnerType: z.string().nullable(), leadPartner: z.string().nullable(),
  partners: z.array(z.string()), mandates: z.array(z.string()), outcomes: z.array(z.string()),
  startDate: z.string(), endDate: z.string(), resourcesUsd: z.number(), status: z.string(),
});
export const snapshotActionPlan = z.object({
  id: z.number().int(), externalId: z.string().nullable(), title: z.string(), owningUnit: z.string(), region: z.string(),
  country: z.string().nullable(), mandates: z.array(z.string()), outcomes: z.array(z.string()), partnershipIds: z.array(z.number().int()),
  /** Lead partner types of the linked partnerships (how an action plan matches a partner type). */
  partnerTypes: z.array(z.string()),
  startDate: z.string(), endDate: z.string(),
  milestonesTotal: z.number().int(), milestonesCompleted: z.number().int(), milestoneCompletionRate: z.number().nullable(),
  indicatorsTotal: z.number().int(), progress: z.number().nullable(), status: indicatorStatus,
});
export const snapshotMilestone = z.object({
  id: z.number().int(), externalId: z.string().nullable(), actionPlanId: z.number().int(), region: z.string(), title: z.string(),
  dueDate: z.string(), status: milestoneStatus, percentComplete: z.number(), completedDate: z.string().nullable(),
});
export const snapshotIndicator = z.object({
  id: z.number().int(), externalId: z.string().nullable(), actionPlanId: z.number().int(), region: z.string(), name: z.string(),
  unit: z.string(), direction: z.string(), baselineValue: z.number(), baselineDate: z.string(), targetValue: z.number(), targetDate: z.string(),
  latestValue: z.number().nullable(), latestDate: z.string().nullable(), attainment: z.number().nullable(), expected: z.number(),
  status: indicatorStatus,
});
export type SnapshotPartnership = z.infer<typeof snapshotPartnership>;
export type SnapshotActionPlan = z.infer<typeof snapshotActionPlan>;
export type SnapshotMilestone = z.infer<typeof snapshotMilestone>;
export type SnapshotIndicator = z.infer<typeof snapshotIndicator>;

export const snapshotRecords = z.object({
  partnerships: z.array(snapshotPartnership),
  actionPlans: z.array(snapshotActionPlan),
  milestones: z.array(snapshotMilestone),
  indicators: z.array(snapshotIndicator),
});
export type SnapshotRecords = z.infer<typeof snapshotRecords>;

/**
 * The progress views exactly as the progress API answered them at snapshot time (its own response
 * schemas in progress-api.ts describe each part); kept verbatim so the frozen dashboard is drawn by the
 * same code as the live one.
 */
export const snapshotProgress = z.object({
  summary: progressSummary,
  byDimension: z.object({
    region: progressByDimension, country: progressByDimension, partnerType: progressByDimension, modality: progressByDimension,
    mandate: progressByDimension, objective: progressByDimension, outcome: progressByDimension,
  }),
  trajectory: z.object({ year: progressTrajectory, quarter: progressTrajectory }),
  timeline: progressTimeline,
  /**
   * The mainstreaming scorecard under the snapshot's region, country and partnerType filters (the others do not
   * apply to it), every entity on one page; absent in snapshots taken before the scorecard existed.
   */
  scorecard: progressScorecard.optional(),
  /** The agenda's events the view's trajectory and burn-up charts marked, frozen with it; absent in older snapshots. */
  events: z.array(timelineEvent).optional(),
});
export type SnapshotProgress = z.infer<typeof snapshotProgress>;

export const snapshotData = z.object({ progress: snapshotProgress, records: snapshotRecords });
export type SnapshotData = z.infer<typeof snapshotData>;

export const snapshotSummary = z.object({
  id: snapshotId,
  title: z.string(),
  note: z.string().nullable(),
  filters,
  asOf: z.string(),
  createdBy: z.object({ id: z.number().int().nullable(), name: z.string().nullable(), email: z.string().nullable() }),
  createdAt: z.string(),
  /** True when the data was the illustrative demo data set. */
  demo: z.boolean(),
  counts: z.object({ partnerships: z.number().int(), actionPlans: z.number().int(), milestones: z.number().int(), indicators: z.number().int() }),
});
export const snapshot = snapshotSummary.extend({ data: snapshotData });
export type SnapshotSummary = z.infer<typeof snapshotSummary>;
export type Snapshot = z.infer<typeof snapshot>;
export const snapshotList = z.object({ items: z.array(snapshotSummary), canCreate: z.boolean() });

// ------------------------------------------------------------------ compare
export const compareQuery = z.strictObject({
  from: snapshotId,
  to: z.union([z.literal('live'), snapshotId]),
  /** For `to=live`: the as-of date of the live side (default today). */
  asOf: isoDate.optional(),
});
export const COMPARE_DIMENSIONS = ['region', 'partnerType', 'mandate'] as const;
export type CompareDimension = (typeof COMPARE_DIMENSIONS)[number];

export const statusTransition = z.object({ from: indicatorStatus, to: indicatorStatus, count: z.number().int() });
export type StatusTransition = z.infer<typeof statusTransition>;
const fromTo = z.object({ from: z.number(), to: z.number(), delta: z.number() });
export const compareRow = z.object({
  key: z.string(),
  label: z.string(),
  milestonesCompleted: fromTo,
  indicators: z.object({
    improved: z.number().int(), worsened: z.number().int(), unchanged: z.number().int(),
    added: z.number().int(), removed: z.number().int(),
    /** Indicators (matched by id) whose status changed, counted per (from, to) pair; no zero entries. */
    transitions: z.array(statusTransition),
  }),
  resourcesUsd: fromTo.extend({ added: z.number(), removed: z.number() }),
  partnerships: z.object({ from: z.number().int(), to: z.number().int(), added: z.number().int(), removed: z.number().int() }),
});
export type CompareRow = z.infer<typeof compareRow>;
export const compareSide = z.object({ id: z.string(), title: z.string(), asOf: z.string(), takenAt: z.string(), filters, demo: z.boolean() });
export const compareResult = z.object({
  from: compareSide,
  to: compareSide,
  overall: compareRow,
  byDimension: z.object({ region: z.array(compareRow), partnerType: z.array(compareRow), mandate: z.array(compareRow) }),
  /** % of criteria met or exceeded per checkpoint on each side (null where nothing was rated); absent when a side has no scorecard. */
  scorecard: z.array(z.object({ checkpoint: z.string(), from: z.number().nullable(), to: z.number().nullable(), delta: z.number().nullable() })).optional(),
});
export type CompareResult = z.infer<typeof compareResult>;

// ------------------------------------------------------------------ share links
export const shareInput = z.strictObject({ expiresInDays: z.number().int().min(1).max(365) });
export const shareLink = z.object({ id: z.number().int(), token: z.string(), url: z.string(), expiresAt: z.string() });
export const shareLinkParams = z.strictObject({ id: snapshotId, linkId: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id').transform(Number) });
export const shareLinkInfo = z.object({ id: z.number().int(), createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(), createdBy: z.number().int().nullable() });

// ------------------------------------------------------------------ settings
export const settings = z.object({ viewersMayTakeSnapshots: z.boolean() });
export const settingsInput = z.strictObject({ viewersMayTakeSnapshots: z.boolean() });
export type Settings = z.infer<typeof settings>;

// ------------------------------------------------------------------ exports
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'pdf'] as const;
export const exportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof exportFormat>;
/** Record and summary views; `progress-by-<dimension>` are the grouped progress tables. */
export const EXPORT_VIEWS = [
  'summary', 'partnerships', 'action-plans', 'milestones', 'indicators', 'scorecard',
  ...SNAPSHOT_DIMENSIONS.map((d) => `progress-by-${d}` as const),
] as const;
export const exportView = z.enum(EXPORT_VIEWS);
export type ExportView = z.infer<typeof exportView>;
/**
 * The language of an export's words, numbers and dates (en, fr, es). Absent: the signed-in person's language
 * (their account's `locale`), else the browser's (the `mm_locale` cookie, else Accept-Language), else English.
 * Names people typed (records, snapshots, events) stay as typed; JSON stays English (it is for programs).
 */
export const exportLang = locale.optional().describe("The file's language: en, fr or es. Default: the signed-in person's language, else the browser's (mm_locale cookie, else Accept-Language), else en. Record names stay as typed; JSON is always English.");
export const snapshotExportQuery = z.strictObject({ format: exportFormat, view: exportView.optional(), lang: exportLang });
/**
 * Charts a snapshot's PNG endpoint draws: every overview chart by its on-screen id (chart-config.ts
 * OVERVIEW_CHARTS), and the names the endpoint had before (`by-region` = `status-by-region`, `timeline` = `burnup`).
 */
export const CHARTS = [
  'partnerships-by-region', 'resources-by-modality', 'trajectory', 'burnup',
  'attainment-by-region', 'status-by-region', 'attainment-by-partnerType', 'status-by-partnerType', 'attainment-by-mandate', 'status-by-mandate',
  'milestones-by-region', 'scorecard', 'by-region', 'by-partner-type', 'by-mandate', 'by-modality', 'by-objective', 'timeline',
] as const;
export const chartName = z.enum(CHARTS);
export const chartQuery = z.strictObject({ chart: chartName.default('by-region'), lang: exportLang });
