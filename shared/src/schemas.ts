/**
 * The API contract: zod schemas that the server validates with, the OpenAPI document is generated from,
 * and the web client is typed by. Inputs are strict (unknown fields are rejected, never ignored).
 */
import { z } from 'zod';
import {
  codesOf, COUNTRIES, DIRECTIONS, INDICATOR_STATUS_LIST, INDICATOR_UNITS, LEVELS, MANDATES,
  MILESTONE_STATUS_LIST, MODALITIES, OBJECTIVES, OUTCOMES, PARTNER_ROLES, PARTNER_TYPES, PARTNERSHIP_STATUSES,
  REGIONS, ROLES,
} from './reference.ts';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is rejected). */
export const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
  // zod runs this even when the regex failed: an unparseable string must give false, not a RangeError (a 500).
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real calendar date');

export const region = z.enum(codesOf(REGIONS));
export const country = z.enum(codesOf(COUNTRIES));
export const partnerType = z.enum(codesOf(PARTNER_TYPES));
export const modality = z.enum(codesOf(MODALITIES));
export const level = z.enum(codesOf(LEVELS));
export const mandate = z.enum(codesOf(MANDATES));
export const objective = z.enum(codesOf(OBJECTIVES));
export const outcome = z.enum(codesOf(OUTCOMES));
export const partnerRole = z.enum(codesOf(PARTNER_ROLES));
export const partnershipStatus = z.enum(codesOf(PARTNERSHIP_STATUSES));
export const milestoneStatus = z.enum(codesOf(MILESTONE_STATUS_LIST));
export const indicatorUnit = z.enum(codesOf(INDICATOR_UNITS));
export const direction = z.enum(codesOf(DIRECTIONS));
export const indicatorStatus = z.enum(codesOf(INDICATOR_STATUS_LIST));
export const role = z.enum(ROLES);

/** The largest record id: id columns are 32-bit integers on PostgreSQL (a larger number there is an error, not a miss). */
export const MAX_ID = 2_147_483_647;
export const id = z.number().int().positive().max(MAX_ID);
/** Path ids: digits only, so `*`, `0`, `-1`, `` or `1 OR 1=1` never reach a query. */
export const idParam = z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id').transform(Number).pipe(id);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable();
const usd = z.number().int('must be whole US dollars').min(0).max(1e12);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

/**
 * An indicator quantity (baseline, target, measured value). Bounded so the progress statistics (sums of
 * squares for each indicator's trend) stay finite on every database: PostgreSQL refuses to overflow a double.
 */
export const MAX_QUANTITY = 1e12;
const quantity = z.number().finite('must be a finite number')
  .min(-MAX_QUANTITY, 'must be between -1e12 and 1e12').max(MAX_QUANTITY, 'must be between -1e12 and 1e12');
const meta = { version: z.number().int(), createdAt: z.string(), updatedAt: z.string() };

// ---------------------------------------------------------------- partners
export const partnerInput = z.strictObject({
  externalId: optionalText(100).optional(),
  name: text(300),
  partnerType,
  hqCountry: country.nullable().optional(),
  hqRegion: region.nullable().optional(),
});
export const partner = z.object({
  id, externalId: z.string().nullable(), name: z.string(), partnerType,
  hqCountry: country.nullable(), hqRegion: region.nullable(), ...meta,
});
export type PartnerInput = z.infer<typeof partnerInput>;
export type Partner = z.infer<typeof partner>;

// ------------------------------------------------------------ partnerships
export const partnershipPartner = z.strictObject({ partnerId: id, role: partnerRole, lead: z.boolean() });
const partnershipFields = {
  externalId: optionalText(100).optional(),
  title: text(500),
  modality,
  level,
  region,
  country: country.nullable().optional(),
  mandates: z.array(mandate).min(1, 'needs at least one mandate').max(20),
  outcomes: z.array(outcome).max(19),
  startDate: isoDate,
  endDate: isoDate,
  resourcesUsd: usd,
  status: partnershipStatus,
  partners: z.array(partnershipPartner).min(1, 'needs at least one partner').max(100),
};
function checkPartnership(v: { startDate: string; endDate: string; partners: { lead: boolean; partnerId: number }[] }, ctx: z.RefinementCtx): void {
  if (v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  if (v.partners.filter((p) => p.lead).length !== 1) ctx.addIssue({ code: 'custom', path: ['partners'], message: 'exactly one partner must be the lead partner' });
  if (new Set(v.partners.map((p) => p.partnerId)).size !== v.partners.length) ctx.addIssue({ code: 'custom', path: ['partners'], message: 'a partner may appear only once' });
}
export const partnershipInput = z.strictObject({ ...partnershipFields, outcomes: partnershipFields.outcomes.default([]) }).superRefine(checkPartnership);
/** Partial update; cross-field rules are checked on the merged record by the server. No defaults: absent means unchanged. */
export const partnershipPatch = z.strictObject(partnershipFields).partial();
export const partnership = z.object({
  id, externalId: z.string().nullable(), title: z.string(), modality, level, region, country: country.nullable(),
  mandates: z.array(mandate), outcomes: z.array(outcome), startDate: z.string(), endDate: z.string(),
  resourcesUsd: z.number(), status: partnershipStatus, leadPartnerType: partnerType.nullable(),
  partners: z.array(z.object({ partnerId: id, role: partnerRole, lead: z.boolean(), name: z.string(), partnerType })),
  /** Action plans that this partnership supports. */
  actionPlanIds: z.array(id),
  ...meta,
});
export type PartnershipInput = z.infer<typeof partnershipInput>;
export type Partnership = z.infer<typeof partnership>;

// ------------------------------------------------------------ action plans
const actionPlanFields = {
  externalId: optionalText(100).optional(),
  title: text(500),
  owningUnit: text(200),
  region,
  country: country.nullable().optional(),
  mandates: z.array(mandate).min(1, 'needs at least one mandate').max(20),
  outcomes: z.array(outcome).max(19),
  partnershipIds: z.array(id).max(500),
  startDate: isoDate,
  endDate: isoDate,
};
export const actionPlanInput = z.strictObject({
  ...actionPlanFields, outcomes: actionPlanFields.outcomes.default([]), partnershipIds: actionPlanFields.partnershipIds.default([]),
}).superRefine((v, ctx) => {
  if (v.endDate < v.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
});
/** Partial update; absent fields stay unchanged (no defaults), date order is checked on the merged record. */
export const actionPlanPatch = z.strictObject(actionPlanFields).partial();
export const actionPlan = z.object({
  id, externalId: z.string().nullable(), title: z.string(), owningUnit: z.string(), region, country: country.nullable(),
  mandates: z.array(mandate), outcomes: z.array(outcome), partnershipIds: z.array(id),
  startDate: z.string(), endDate: z.string(),
  /** Computed: the plan's progress status and blended progress (0–1) as of today (or `asOf` on lists). */
  status: indicatorStatus, progress: z.number().nullable(),
  ...meta,
});
export type ActionPlanInput = z.infer<typeof actionPlanInput>;
export type ActionPlan = z.infer<typeof actionPlan>;

// -------------------------------------------------------------- milestones
const milestoneFields = {
  externalId: optionalText(100).optional(),
  actionPlanId: id,
  title: text(500),
  dueDate: isoDate,
  status: milestoneStatus.default('not_started'),
  percentComplete: z.number().int().min(0).max(100).default(0),
  completedDate: isoDate.nullable().optional(),
  evidenceNote: optionalText(4000).optional(),
  evidenceUrl: url.nullable().optional(),
  /** The timeline event (GET /events) this milestone prepares, or null; an unknown id is a 400 naming eventId. */
  eventId: id.nullable().optional(),
};
export const milestoneInput = z.strictObject(milestoneFields);
/** What staff may change on a milestone (editors); admins may also change the planning fields. */
export const milestoneProgressPatch = z.strictObject({
  status: milestoneStatus.optional(),
  percentComplete: z.number().int().min(0).max(100).optional(),
  completedDate: isoDate.nullable().optional(),
  evidenceNote: optionalText(4000).optional(),
  evidenceUrl: url.nullable().optional(),
});
export const milestonePatch = z.strictObject({
  ...milestoneProgressPatch.shape,
  externalId: optionalText(100).optional(),
  actionPlanId: id.optional(),
  title: text(500).optional(),
  dueDate: isoDate.optional(),
  eventId: id.nullable().optional(),
});
export const milestone = z.object({
  id, externalId: z.string().nullable(), actionPlanId: id, title: z.string(), dueDate: z.string(), status: milestoneStatus,
  percentComplete: z.number(), completedDate: z.string().nullable(), evidenceNote: z.string().nullable(),
  evidenceUrl: z.string().nullable(), region,
  /** The timeline event this milestone prepares (issue 16), or null. */
  eventId: id.nullable(),
  /** Action plan title, for lists and detail headings. */
  actionPlanTitle: z.string(),
  /** Due before today (or `asOf`) and neither completed nor cancelled. */
  overdue: z.boolean(),
  ...meta,
});
export type MilestoneInput = z.infer<typeof milestoneInput>;
export type Milestone = z.infer<typeof milestone>;

// -------------------------------------------------------------- indicators
const indicatorFields = {
  externalId: optionalText(100).optional(),
  actionPlanId: id,
  name: text(500),
  unit: indicatorUnit,
  direction,
  baselineValue: quantity,
  baselineDate: isoDate,
  targetValue: quantity,
  targetDate: isoDate,
};
/** Cross-field rules of an indicator; the server also applies them to the merged record on PATCH. */
export function checkIndicator(v: { direction: string; baselineValue: number; baselineDate: string; targetValue: number; targetDate: string }, ctx: z.RefinementCtx): void {
  if (v.targetDate <= v.baselineDate) ctx.addIssue({ code: 'custom', path: ['targetDate'], message: 'must be after baselineDate' });
  if (v.direction === 'increase' && v.targetValue < v.baselineValue) ctx.addIssue({ code: 'custom', path: ['targetValue'], message: 'must not be below the baseline for an increase indicator' });
  if (v.direction === 'decrease' && v.targetValue > v.baselineValue) ctx.addIssue({ code: 'custom', path: ['targetValue'], message: 'must not be above the baseline for a decrease indicator' });
}
export const indicatorInput = z.strictObject({ ...indicatorFields, targetDate: indicatorFields.targetDate.default('2015-12-31') }).superRefine(checkIndicator);
export const indicatorPatch = z.strictObject(indicatorFields).partial();
export const indicator = z.object({
  id, externalId: z.string().nullable(), actionPlanId: id, name: z.string(), unit: indicatorUnit, direction,
  baselineValue: z.number(), baselineDate: z.string(), targetValue: z.number(), targetDate: z.string(), region,
  /** Action plan title, for lists and detail headings. */
  actionPlanTitle: z.string(),
  /** Computed progress as of today (or `asOf` on lists); attainment/expected are ratios, null without data. */
  status: indicatorStatus, attainment: z.number().nullable(), expected: z.number().nullable(),
  latestValue: z.number().nullable(), latestDate: z.string().nullable(),
  ...meta,
});
export type IndicatorInput = z.infer<typeof indicatorInput>;
export type Indicator = z.infer<typeof indicator>;

// ------------------------------------------------------------ measurements
export const measurementInput = z.strictObject({
  indicatorId: id,
  value: quantity,
  date: isoDate,
  source: optionalText(500).optional(),
  note: optionalText(4000).optional(),
});
export const measurementPatch = measurementInput.omit({ indicatorId: true }).partial();
export const measurement = z.object({
  id, indicatorId: id, value: z.number(), date: z.string(), source: z.string().nullable(), note: z.string().nullable(),
  region, indicatorName: z.string(), ...meta,
});
export type MeasurementInput = z.infer<typeof measurementInput>;
export type Measurement = z.infer<typeof measurement>;

// ------------------------------------------------------------------ lists
/** Repeatable query parameter: `region=AFR&region=ASP` or a single value. */
const many = <T extends z.ZodType>(item: T) => z.array(item).max(100).default([]);

/** Filters shared by every list and aggregate. Unknown values are 400s that name the value. */
export const filters = z.strictObject({
  region: many(region),
  country: many(country),
  partnerType: many(partnerType),
  modality: many(modality),
  mandate: many(mandate),
  objective: many(objective),
  outcome: many(outcome),
  status: many(z.string().regex(/^[a-z_]{1,30}$/, 'must be a status code')),
  from: isoDate.optional(),
  to: isoDate.optional(),
  asOf: isoDate.optional(),
});
export type Filters = z.infer<typeof filters>;
export const FILTER_KEYS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome', 'status', 'from', 'to', 'asOf'] as const;
export const MULTI_FILTER_KEYS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome', 'status'] as const;

export const listParams = z.strictObject({
  q: z.string().trim().max(200).optional(),
  sort: z.string().regex(/^-?[a-zA-Z]{1,40}$/, 'must be a field name, optionally prefixed with -').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListParams = z.infer<typeof listParams>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

// ------------------------------------------------------------------- auth
export const loginInput = z.strictObject({ email: z.string().trim().toLowerCase().max(320).email('must be an email address'), password: z.string().min(1).max(1000) });
export const user = z.object({
  id, email: z.string(), name: z.string(), role, regions: z.array(region), disabled: z.boolean(),
});
export type User = z.infer<typeof user>;
/** The languages of the web app; a person's choice is `locale` on their account (null = the browser's). */
export const LOCALES = ['en', 'fr', 'es'] as const;
export const locale = z.enum(LOCALES);
export type Locale = z.infer<typeof locale>;
export const me = z.object({ user, demo: z.boolean(), locale: locale.nullable() });
export const localeInput = z.strictObject({ locale: locale.nullable() });

// ---------------------------------------------------------------- problems
export const problem = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), reason: z.string(), value: z.unknown().optional() })).optional(),
});
export type Problem = z.infer<typeof problem>;

export const health = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) });
/** GET /ready when this process can serve (a 503 problem+json otherwise). */
export const readiness = z.object({ status: z.literal('ready'), database: z.enum(['sqlite', 'postgres']) });
