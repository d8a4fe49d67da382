/**
 * Reporting cycles and timeline events (issue 16): the API contract. A (period, region) moves through
 * open → submitted → approved, or submitted → returned → submitted, and an admin may reopen an approved one
 * (approved → reopened → submitted …). Only `approved` locks the period for that region and counts for
 * `figures=approved`.
 */
import { z } from 'zod';
import { id, isoDate, mandate, region } from './schemas.ts';

export const REPORTING_STATES = ['open', 'submitted', 'returned', 'approved', 'reopened'] as const;
export type ReportingState = (typeof REPORTING_STATES)[number];
export const reportingState = z.enum(REPORTING_STATES);

/** Every allowed transition: the action, the states it may start from, and the state it leads to. */
export const REPORTING_TRANSITIONS = {
  submit: { from: ['open', 'returned', 'reopened'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted'], to: 'returned' },
  reopen: { from: ['approved'], to: 'reopened' },
} as const satisfies Record<string, { from: readonly ReportingState[]; to: ReportingState }>;
export type ReportingAction = keyof typeof REPORTING_TRANSITIONS;

/** The state an action leads to from `from`, or null when the action is not allowed there. */
export function nextState(action: ReportingAction, from: ReportingState): ReportingState | null {
  const t = REPORTING_TRANSITIONS[action];
  return (t.from as readonly ReportingState[]).includes(from) ? t.to : null;
}

/** Overdue: the due date has passed and the region has not submitted (or was returned / reopened). */
export function isOverdueSubmission(state: ReportingState, dueDate: string, today: string): boolean {
  return dueDate < today && (state === 'open' || state === 'returned' || state === 'reopened');
}

/** `figures=approved|latest`: approved counts only what lies in approved (period, region)s; default latest. */
export const FIGURES = ['latest', 'approved'] as const;
export type Figures = (typeof FIGURES)[number];
export const figuresChoice = z.enum(FIGURES).default('latest');

const periodFields = {
  name: z.string().trim().min(1).max(80),
  startDate: isoDate,
  endDate: isoDate,
  dueDate: isoDate.describe('Submissions are due by this date.'),
};
const ordered = (p: { startDate?: string; endDate?: string }) => p.startDate === undefined || p.endDate === undefined || p.startDate <= p.endDate;
export const reportingPeriodInput = z.strictObject(periodFields).refine(ordered, { message: 'must be on or after startDate', path: ['endDate'] });
export type ReportingPeriodInput = z.infer<typeof reportingPeriodInput>;
export const reportingPeriodPatch = z.strictObject(periodFields).partial().refine(ordered, { message: 'must be on or after startDate', path: ['endDate'] });

export const regionState = z.object({
  region,
  state: reportingState,
  overdue: z.boolean(),
  comment: z.string().nullable().describe('The last return comment or reopen reason.'),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type RegionState = z.infer<typeof regionState>;

export const reportingPeriod = z.object({
  id, name: z.string(), startDate: z.string(), endDate: z.string(), dueDate: z.string(), version: z.number().int(),
  regions: z.array(regionState).describe('One entry per region (the status board row).'),
});
export type ReportingPeriod = z.infer<typeof reportingPeriod>;
export const reportingPeriodList = z.object({ items: z.array(reportingPeriod) });

export const regionParams = z.strictObject({
  id: z.string().regex(/^[1-9]\d{0,9}$/, 'must be a positive integer id').transform(Number),
  region,
});

export const transitionRecord = z.object({
  id, from: reportingState, to: reportingState, comment: z.string().nullable(), at: z.string(), by: z.string().nullable(),
});
export const changeRecord = z.object({
  at: z.string(), by: z.string().nullable(), action: z.string(), entity: z.enum(['measurement', 'milestone']), entityId: z.string().nullable(),
  before: z.unknown(), after: z.unknown(),
});
export const reportingRegionDetail = z.object({
  period: reportingPeriod.omit({ regions: true }),
  region,
  state: reportingState,
  overdue: z.boolean(),
  comment: z.string().nullable(),
  version: z.number().int(),
  toReport: z.object({
    milestones: z.array(z.object({ id, title: z.string(), dueDate: z.string(), status: z.string(), actionPlanId: id })).describe('Milestones of the region due in the period and not completed or cancelled.'),
    indicators: z.array(z.object({ id, name: z.string(), actionPlanId: id })).describe('Indicators of the region with no measurement dated in the period.'),
  }),
  changes: z.array(changeRecord).describe('The diff against the last approved state: every audited change to a measurement or milestone of the region since the last approval (all of them before the first), newest first.'),
  transitions: z.array(transitionRecord),
});
export type ReportingRegionDetail = z.infer<typeof reportingRegionDetail>;

export const transitionBody = z.strictObject({ comment: z.string().trim().max(2000).optional() });
export const returnBody = z.strictObject({ comment: z.string().trim().min(1, 'a returned submission needs a comment').max(2000) });
export const reopenBody = z.strictObject({ reason: z.string().trim().min(1, 'reopening needs a reason').max(2000) });

// ------------------------------------------------------------------ events
export const EVENT_KINDS = ['ecosoc', 'ceb', 'general_assembly', 'ilo', 'ifi', 'conference', 'initiative'] as const;
export const eventKind = z.enum(EVENT_KINDS);
const eventFields = {
  date: isoDate,
  title: z.string().trim().min(1).max(200),
  kind: eventKind,
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  mandates: z.array(mandate).max(20).default([]),
  verified: z.boolean().default(false).describe('False when the day (or month) is a best reading, not a confirmed fact.'),
};
export const eventInput = z.strictObject(eventFields);
export type EventInput = z.input<typeof eventInput>;
export const eventPatch = z.strictObject({
  date: isoDate, title: eventFields.title, kind: eventKind, url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  mandates: z.array(mandate).max(20), verified: z.boolean(),
}).partial();
export const timelineEvent = z.object({
  id, date: z.string(), title: z.string(), kind: eventKind, url: z.string().nullable(), mandates: z.array(mandate), verified: z.boolean(), version: z.number().int(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;
export const eventList = z.object({ items: z.array(timelineEvent) });
export const eventListQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), mandate: z.array(mandate).max(20).default([]) });
