/**
 * Milestones: list/read with their action plan's region and title and an `overdue` flag; writes are versioned
 * (`WHERE id = ? AND version = ?`), keep milestone_history (what "as of" reads) and write the audit entry,
 * all in one transaction.
 */
import { sql } from 'kysely';
import { withRetry } from '../db/retry.ts';
import type { Milestone, MilestoneInput, MilestoneListQuery, milestonePatch } from '@mm/shared';
import type { z } from 'zod';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { badRequest } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { actionPlanIds } from './filters.ts';
import { asOfOf, todayOf } from './progress.ts';
import { contains, offsetOf, orderExpr, sortSpec, type Page, milestoneStatusOf } from './records.ts';
import { auditable } from './audit-log.ts';
import { assertUnlocked } from './reporting.ts';

type MilestonePatch = z.infer<typeof milestonePatch>;

const SORT = {
  title: { column: 'milestones.title', text: true }, dueDate: { column: 'milestones.due_date' }, status: { column: 'milestones.status' },
  percentComplete: { column: 'milestones.percent_complete' }, completedDate: { column: 'milestones.completed_date' },
  region: { column: 'action_plans.region' }, id: { column: 'milestones.id' }, updatedAt: { column: 'milestones.updated_at' },
};

function base(db: Db) {
  return db.selectFrom('milestones').innerJoin('action_plans', 'action_plans.id', 'milestones.action_plan_id');
}
const COLUMNS = [
  'milestones.id', 'milestones.external_id', 'milestones.action_plan_id', 'milestones.title', 'milestones.due_date', 'milestones.status',
  'milestones.percent_complete', 'milestones.completed_date', 'milestones.evidence_note', 'milestones.evidence_url', 'milestones.event_id', 'milestones.version',
  'milestones.created_at', 'milestones.updated_at', 'action_plans.region', 'action_plans.title as plan_title',
] as const;

interface Row {
  id: number; external_id: string | null; action_plan_id: number; title: string; due_date: string; status: string; percent_complete: number;
  completed_date: string | null; evidence_note: string | null; evidence_url: string | null; event_id: number | null; version: number; created_at: string; updated_at: string;
  region: string; plan_title: string;
}

/** Due before `asOf` and neither completed nor cancelled (a milestone due today is not late yet). */
export const isOverdue = (m: { dueDate: string; status: string }, asOf: string): boolean =>
  m.dueDate < asOf && m.status !== 'completed' && m.status !== 'cancelled';

function toMilestone(r: Row, asOf: string): Milestone {
  const m = {
    id: r.id, externalId: r.external_id, actionPlanId: r.action_plan_id, title: r.title, dueDate: r.due_date, status: milestoneStatusOf(r.status),
    percentComplete: num(r.percent_complete), completedDate: r.completed_date, evidenceNote: r.evidence_note, evidenceUrl: r.evidence_url,
    eventId: r.event_id === null ? null : num(r.event_id), region: r.region as Milestone['region'], actionPlanTitle: r.plan_title, overdue: false, version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
  } satisfies Milestone;
  return { ...m, overdue: isOverdue(m, asOf) };
}

export async function listMilestones(deps: AppDeps, q: MilestoneListQuery, regions?: readonly string[]): Promise<Page<Milestone>> {
  const asOf = asOfOf(deps, q);
  const sort = sortSpec('milestones', q.sort, SORT, 'dueDate');
  let b = base(deps.db);
  const plans = actionPlanIds(deps.db, q);
  if (plans) b = b.where('milestones.action_plan_id', 'in', plans);
  if (regions) b = b.where('action_plans.region', 'in', regions.length > 0 ? [...regions] : ['-']);
  if (q.q) b = b.where(contains('milestones.title', q.q));
  // With an explicit as-of date, status and overdue mean the status the milestone had then (its latest history
  // row on or before that date, else not started), exactly as the progress summary counts it; otherwise today's.
  const status = q.asOf
    ? sql<string>`COALESCE((SELECT h.status FROM milestone_history h WHERE h.milestone_id = milestones.id AND h.effective_date <= ${q.asOf} ORDER BY h.id DESC LIMIT 1), 'not_started')`
    : sql<string>`milestones.status`;
  if (q.status.length > 0) b = b.where(status, 'in', q.status);
  if (q.actionPlanId !== undefined) b = b.where('milestones.action_plan_id', '=', q.actionPlanId);
  if (q.overdue !== undefined) {
    b = q.overdue
      ? b.where('milestones.due_date', '<', asOf).where(status, 'not in', ['completed', 'cancelled'])
      : b.where((eb) => eb.or([eb('milestones.due_date', '>=', asOf), eb(status, 'in', ['completed', 'cancelled'])]));
  }
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.select([...COLUMNS]).orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('milestones.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map((r) => toMilestone(r, asOf)), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getMilestone(deps: Pick<AppDeps, 'db' | 'clock'>, id: number, db: Db = deps.db): Promise<Milestone | undefined> {
  const r = await base(db).select([...COLUMNS]).where('milestones.id', '=', id).executeTakeFirst();
  return r ? toMilestone(r, todayOf(deps)) : undefined;
}

/** Milestones of these plans that are due within `days` or overdue, as of today (for "My work"). */
export async function milestonesNeedingWork(deps: AppDeps, regions: readonly string[] | null, days: number): Promise<Milestone[]> {
  const today = todayOf(deps);
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  let b = base(deps.db).where('milestones.status', 'not in', ['completed', 'cancelled']).where('milestones.due_date', '<=', horizon);
  if (regions) b = b.where('action_plans.region', 'in', regions.length > 0 ? [...regions] : ['-']);
  const rows = await b.select([...COLUMNS]).orderBy('milestones.due_date').orderBy('milestones.id').execute();
  return rows.map((r) => toMilestone(r, today));
}

const STORED_ONLY = ['overdue', 'actionPlanTitle'] as const;

/**
 * The dates that lock a milestone (issue 16): its due date, its completion date, and today — the effective date of
 * the history row a change writes, which is what figures=approved reads. Any of them in an approved (period,
 * region) makes the write a 409.
 */
export const milestoneDates = (m: { dueDate: string; completedDate: string | null }, today: string): Record<string, string | null> =>
  ({ dueDate: m.dueDate, completedDate: m.completedDate, effectiveDate: today });

/** 400 naming eventId when it names no timeline event; checked in the write's transaction (an event deleted meanwhile is caught). */
async function assertEvent(db: Db, eventId: number | null | undefined): Promise<void> {
  if (eventId === null || eventId === undefined) return;
  const e = await db.selectFrom('events').select('id').where('id', '=', eventId).executeTakeFirst();
  if (!e) throw badRequest('The event does not exist.', [{ field: 'eventId', reason: 'no event with this id', value: eventId }]);
}

function historyRow(m: Milestone, at: string, today: string, by: number | null) {
  return { milestone_id: m.id, status: m.status, percent_complete: m.percentComplete, completed_date: m.completedDate, effective_date: today, changed_at: at, changed_by: by, version: m.version };
}

export async function createMilestone(deps: AppDeps, actor: AuditActor, input: MilestoneInput): Promise<Milestone> {
  const now = deps.clock().toISOString();
  const today = todayOf(deps);
  const completedDate = input.completedDate ?? (input.status === 'completed' ? today : null);
  return withRetry(deps.db, async (trx) => {
    await assertEvent(trx, input.eventId);
    const { id } = await trx.insertInto('milestones').values({
      external_id: input.externalId ?? null, action_plan_id: input.actionPlanId, title: input.title, due_date: input.dueDate, status: input.status,
      percent_complete: input.status === 'completed' && input.percentComplete === 0 ? 100 : input.percentComplete, completed_date: completedDate,
      evidence_note: input.evidenceNote ?? null, evidence_url: input.evidenceUrl ?? null, event_id: input.eventId ?? null, version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const m = await getMilestone(deps, id, trx);
    if (!m) throw new Error('inserted milestone not found');
    await assertUnlocked(trx, m.region, milestoneDates(m, today), 'a milestone');
    await trx.insertInto('milestone_history').values(historyRow(m, now, today, actor.id)).execute();
    await writeAudit(trx, now, { actor, action: 'create', entity: 'milestone', entityId: id, region: m.region, after: auditable(m, STORED_ONLY) });
    await bumpDataVersion(trx);
    return m;
  });
}

/**
 * Applies a patch conditional on `expected` version in one UPDATE; derives completedDate/percentComplete when only the
 * status says "completed" (and clears completedDate when it leaves "completed"), so the record stays consistent.
 */
export async function updateMilestone(deps: AppDeps, actor: AuditActor, before: Milestone, expected: number, p: MilestonePatch): Promise<Milestone> {
  const now = deps.clock().toISOString();
  const today = todayOf(deps);
  const status = p.status ?? before.status;
  let completedDate = p.completedDate !== undefined ? p.completedDate : before.completedDate;
  let percent = p.percentComplete ?? before.percentComplete;
  if (status === 'completed' && before.status !== 'completed') {
    if (p.completedDate === undefined && completedDate === null) completedDate = today;
    if (p.percentComplete === undefined) percent = 100;
  }
  if (status !== 'completed' && before.status === 'completed' && p.completedDate === undefined) completedDate = null;
  return withRetry(deps.db, async (trx) => {
    if (p.eventId !== before.eventId) await assertEvent(trx, p.eventId);
    const r = await trx.updateTable('milestones').set((eb) => ({
      ...(p.externalId !== undefined ? { external_id: p.externalId } : {}),
      ...(p.actionPlanId !== undefined ? { action_plan_id: p.actionPlanId } : {}),
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.dueDate !== undefined ? { due_date: p.dueDate } : {}),
      ...(p.evidenceNote !== undefined ? { evidence_note: p.evidenceNote } : {}),
      ...(p.evidenceUrl !== undefined ? { evidence_url: p.evidenceUrl } : {}),
      ...(p.eventId !== undefined ? { event_id: p.eventId } : {}),
      status, percent_complete: percent, completed_date: completedDate,
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    const after = await getMilestone(deps, before.id, trx);
    if (!after) throw new StaleWrite();
    await assertUnlocked(trx, before.region, milestoneDates(before, today), 'a milestone');
    if (after.region !== before.region || after.dueDate !== before.dueDate || after.completedDate !== before.completedDate) await assertUnlocked(trx, after.region, milestoneDates(after, today), 'a milestone');
    if (after.status !== before.status || after.percentComplete !== before.percentComplete || after.completedDate !== before.completedDate) {
      await trx.insertInto('milestone_history').values(historyRow(after, now, today, actor.id)).execute();
    }
    await writeAudit(trx, now, { actor, action: 'update', entity: 'milestone', entityId: before.id, region: after.region, before: auditable(before, STORED_ONLY), after: auditable(after, STORED_ONLY) });
    await bumpDataVersion(trx);
    return after;
  });
}

export async function deleteMilestone(deps: AppDeps, actor: AuditActor, before: Milestone, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.deleteFrom('milestones').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await assertUnlocked(trx, before.region, milestoneDates(before, todayOf(deps)), 'a milestone');
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'milestone', entityId: before.id, region: before.region, before: auditable(before, STORED_ONLY) });
    await bumpDataVersion(trx);
  });
}
