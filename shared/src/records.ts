/**
 * Contract for record lists, staff editing, user administration, the audit trail and "My work".
 * List queries are the shared filters plus q/sort/page, strict: an unknown parameter is a 400 naming it.
 * `status` is validated per resource (partnership status, milestone status, computed indicator status).
 */
import { z } from 'zod';
import { codesOf, INDICATOR_STATUS_LIST, MILESTONE_STATUS_LIST, PARTNERSHIP_STATUSES } from './reference.ts';
import {
  actionPlan, filters, id, idParam, indicator, isoDate, listParams, measurement, milestone, partner, partnerInput, partnership, region, role, user,
} from './schemas.ts';

const manyOf = <T extends z.ZodType>(item: T) => z.array(item).max(100).default([]);
const base = filters.extend(listParams.shape);

/** Partial update of a partner (admins). */
export const partnerPatch = partnerInput.partial();

// ------------------------------------------------------------ list queries
/** Partners: `partnerType` is the partner's own type; the other filters select partners taking part in matching partnerships. */
export const partnerListQuery = base.omit({ status: true });
export const partnershipListQuery = base.extend({
  /** Recorded status, except `active`: running at `asOf` (default today) and neither pipeline nor suspended, as the summary counts it. */
  status: manyOf(z.enum(codesOf(PARTNERSHIP_STATUSES))),
  /** Only partnerships this partner takes part in. */
  partnerId: idParam.optional(),
  /** Only partnerships linked to this action plan. */
  actionPlanId: idParam.optional(),
});
/** Action plans: `status` is the computed plan status (as of `asOf`, default today). */
export const actionPlanListQuery = base.extend({
  status: manyOf(z.enum(codesOf(INDICATOR_STATUS_LIST))),
  partnershipId: idParam.optional(),
});
export const milestoneListQuery = base.extend({
  status: manyOf(z.enum(codesOf(MILESTONE_STATUS_LIST))),
  actionPlanId: idParam.optional(),
  /** `true`: only overdue milestones (due before `asOf`/today, not completed or cancelled). */
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
/** Indicators: `status` is the computed indicator status (as of `asOf`, default today). */
export const indicatorListQuery = base.extend({
  status: manyOf(z.enum(codesOf(INDICATOR_STATUS_LIST))),
  actionPlanId: idParam.optional(),
});
export const measurementListQuery = base.omit({ status: true }).extend({
  indicatorId: idParam.optional(),
});
export type PartnerListQuery = z.infer<typeof partnerListQuery>;
export type PartnershipListQuery = z.infer<typeof partnershipListQuery>;
export type ActionPlanListQuery = z.infer<typeof actionPlanListQuery>;
export type MilestoneListQuery = z.infer<typeof milestoneListQuery>;
export type IndicatorListQuery = z.infer<typeof indicatorListQuery>;
export type MeasurementListQuery = z.infer<typeof measurementListQuery>;

/** Fields each list may be sorted by (`sort=field` or `sort=-field`); anything else is a 400 naming it. */
export const SORT_FIELDS = {
  partners: ['name', 'partnerType', 'hqRegion', 'id', 'updatedAt'],
  partnerships: ['title', 'region', 'country', 'modality', 'level', 'status', 'startDate', 'endDate', 'resourcesUsd', 'leadPartnerType', 'id', 'updatedAt'],
  actionPlans: ['title', 'region', 'country', 'owningUnit', 'startDate', 'endDate', 'id', 'updatedAt', 'status', 'progress'],
  milestones: ['title', 'dueDate', 'status', 'percentComplete', 'completedDate', 'region', 'id', 'updatedAt'],
  indicators: ['name', 'unit', 'direction', 'baselineDate', 'targetDate', 'region', 'id', 'updatedAt', 'status', 'attainment'],
  measurements: ['date', 'value', 'id', 'updatedAt'],
} as const;

// ------------------------------------------------------------------ pages
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const partnerPage = pageOf(partner);
export const partnershipPage = pageOf(partnership);
export const actionPlanPage = pageOf(actionPlan);
export const milestonePage = pageOf(milestone);
export const indicatorPage = pageOf(indicator);
export const measurementPage = pageOf(measurement);

// ------------------------------------------------------------------ users
const password = z.string().min(12, 'must be at least 12 characters').max(200);
export const userCreateInput = z.strictObject({
  email: z.string().trim().toLowerCase().max(320).email('must be an email address'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role,
  regions: z.array(region).max(10).default([]),
  password,
});
/** Admin changes to an account; `password` resets it; `disabled: true` ends the user's sessions at once. */
export const userPatch = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  role: role.optional(),
  regions: z.array(region).max(10).optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
export const userRecord = user.extend({ version: z.number().int(), createdAt: z.string(), updatedAt: z.string() });
export const userList = z.object({ items: z.array(userRecord), total: z.number().int() });
export type UserCreateInput = z.infer<typeof userCreateInput>;
export type UserPatch = z.infer<typeof userPatch>;
export type UserRecord = z.infer<typeof userRecord>;

// ------------------------------------------------------------------ audit
export const AUDIT_ENTITIES = ['partner', 'partnership', 'action_plan', 'milestone', 'indicator', 'measurement', 'user', 'route', 'import', 'snapshot', 'assessment', 'scorecard_criterion'] as const;
export const auditQuery = z.strictObject({
  entity: z.string().regex(/^[a-z_]{1,40}$/, 'must be an entity name such as milestone').optional(),
  entityId: z.string().regex(/^[A-Za-z0-9_:./ -]{1,200}$/, 'must be a record id').optional(),
  /** User email (exact, case-insensitive) or numeric user id. */
  user: z.string().trim().max(320).optional(),
  action: z.string().regex(/^[a-z_]{1,40}$/, 'must be an action such as update').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;
/** One changed field, in the users' words: `status: in_progress → completed`. */
export const auditChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export const auditEntry = z.object({
  id, at: z.string(), userId: z.number().nullable(), userEmail: z.string().nullable(), action: z.string(), entity: z.string(),
  entityId: z.string().nullable(), region: z.string().nullable(), before: z.unknown(), after: z.unknown(),
  changes: z.array(auditChange),
  /** e.g. "status: in progress → completed, by staff.africa@demo.local, 2026-11-28 10:04 UTC". */
  summary: z.string(),
});
export const auditPage = pageOf(auditEntry);
export type AuditEntry = z.infer<typeof auditEntry>;
export const recordHistory = z.object({ entity: z.string(), entityId: z.string(), items: z.array(auditEntry) });

// ---------------------------------------------------------------- my work
export const myWorkQuery = z.strictObject({
  /** Days ahead to look for due milestones (default 90). */
  days: z.coerce.number().int().min(1).max(366).default(90),
  region: manyOf(region),
});
export const myWork = z.object({
  asOf: z.string(),
  /** The regions covered; empty means all regions (admins). */
  regions: z.array(region),
  milestones: z.array(milestone),
  indicators: z.array(indicator.extend({ lastMeasurementDate: z.string().nullable() })),
});

