/**
 * Action plans with their mandates, outcomes and linked partnerships, and their computed progress status.
 * Writes are versioned and audited in one transaction; link tables are replaced when a patch names them.
 */
import { withRetry } from '../db/retry.ts';
import { OUTCOMES, type ActionPlan, type ActionPlanInput, type ActionPlanListQuery, type actionPlanPatch, type Filters } from '@mm/shared';
import type { z } from 'zod';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { groupBy, num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { badRequest, ProblemError } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { auditable } from './audit-log.ts';
import { actionPlanIds } from './filters.ts';
import { actionPlanProgressMap, computedSort, contains, idsWithStatus, inIdOrder, noFilters, offsetOf, orderExpr, pageByComputed, sortSpec, type ActionPlanProgressRow, type Page } from './records.ts';

type ActionPlanPatch = z.infer<typeof actionPlanPatch>;
const objectiveOf = new Map<string, string>(OUTCOMES.map((o) => [o.code, o.objective]));

const SORT = {
  title: { column: 'title', text: true }, region: { column: 'region' }, country: { column: 'country' }, owningUnit: { column: 'owning_unit', text: true },
  startDate: { column: 'start_date' }, endDate: { column: 'end_date' }, id: { column: 'id' }, updatedAt: { column: 'updated_at' },
};

interface Row {
  id: number; external_id: string | null; title: string; owning_unit: string; region: string; country: string | null;
  start_date: string; end_date: string; version: number; created_at: string; updated_at: string;
}

async function hydrate(db: Db, rows: readonly Row[], progress: Map<number, ActionPlanProgressRow>): Promise<ActionPlan[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [mandates, outcomes, links] = await Promise.all([
    db.selectFrom('action_plan_mandates').select(['action_plan_id', 'mandate']).where('action_plan_id', 'in', ids).orderBy('mandate').execute(),
    db.selectFrom('action_plan_outcomes').select(['action_plan_id', 'outcome']).where('action_plan_id', 'in', ids).execute(),
    db.selectFrom('action_plan_partnerships').select(['action_plan_id', 'partnership_id']).where('action_plan_id', 'in', ids).orderBy('partnership_id').execute(),
  ]);
  const m = groupBy(mandates, (x) => x.action_plan_id);
  const o = groupBy(outcomes, (x) => x.action_plan_id);
  const l = groupBy(links, (x) => x.action_plan_id);
  // Outcome codes sort numerically (O2 before O10).
  const byOutcome = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));
  return rows.map((r) => {
    const p = progress.get(r.id);
    return {
      id: r.id, externalId: r.external_id, title: r.title, owningUnit: r.owning_unit, region: r.region as ActionPlan['region'],
      country: r.country as ActionPlan['country'],
      mandates: (m.get(r.id) ?? []).map((x) => x.mandate as ActionPlan['mandates'][number]),
      outcomes: (o.get(r.id) ?? []).map((x) => x.outcome).sort(byOutcome) as ActionPlan['outcomes'],
      partnershipIds: (l.get(r.id) ?? []).map((x) => x.partnership_id),
      startDate: r.start_date, endDate: r.end_date, status: p?.status ?? 'no_data', progress: p?.progress ?? null,
      version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
    } satisfies ActionPlan;
  });
}

export async function listActionPlans(deps: AppDeps, q: ActionPlanListQuery): Promise<Page<ActionPlan>> {
  // Status and progress are computed at asOf, not stored: those sorts order every match in JS, then page.
  const sort = computedSort(q.sort, ['status', 'progress']) ?? sortSpec('actionPlans', q.sort, SORT, 'title');
  const filters: Filters = { ...q, status: [] };
  const progress = await actionPlanProgressMap(deps, filters);
  let b = deps.db.selectFrom('action_plans');
  const plans = actionPlanIds(deps.db, filters);
  if (plans) b = b.where('id', 'in', plans);
  if (q.q) b = b.where(contains('title', q.q));
  if (q.partnershipId !== undefined) {
    b = b.where('id', 'in', deps.db.selectFrom('action_plan_partnerships').select('action_plan_id').where('partnership_id', '=', q.partnershipId));
  }
  if (q.status.length > 0) b = b.where('id', 'in', idsWithStatus(progress, q.status));
  if ('field' in sort) {
    const ids = (await b.select('id').execute()).map((r) => r.id);
    const value = (id: number) => {
      const p = progress.get(id);
      return sort.field === 'status' ? (p?.status ?? 'no_data') : (p?.progress ?? null);
    };
    const pageIds = pageByComputed(ids, value, sort, q);
    const rows = inIdOrder(pageIds, pageIds.length > 0 ? await deps.db.selectFrom('action_plans').selectAll().where('id', 'in', pageIds).execute() : []);
    return { items: await hydrate(deps.db, rows, progress), total: ids.length, page: q.page, pageSize: q.pageSize };
  }
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.selectAll().orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: await hydrate(deps.db, rows, progress), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getActionPlan(deps: AppDeps, id: number, db: Db = deps.db): Promise<ActionPlan | undefined> {
  const r = await db.selectFrom('action_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const progress = db === deps.db ? await actionPlanProgressMap(deps, noFilters({ region: [r.region as ActionPlan['region']] })) : new Map<number, ActionPlanProgressRow>();
  const [p] = await hydrate(db, [r], progress);
  return p;
}

/** The region of an action plan (what its milestones, indicators and measurements are scoped by). */
export async function actionPlanRegion(deps: Pick<AppDeps, 'db'>, id: number): Promise<string | undefined> {
  const r = await deps.db.selectFrom('action_plans').select('region').where('id', '=', id).executeTakeFirst();
  return r?.region;
}

async function assertPartnershipsExist(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await db.selectFrom('partnerships').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length > 0) throw badRequest('Some linked partnerships do not exist.', [{ field: 'partnershipIds', reason: `no partnership with id ${missing.join(', ')}` }]);
}

async function writeLinks(trx: Db, id: number, v: { mandates?: readonly string[]; outcomes?: readonly string[]; partnershipIds?: readonly number[] }): Promise<void> {
  if (v.mandates) {
    await trx.deleteFrom('action_plan_mandates').where('action_plan_id', '=', id).execute();
    const rows = [...new Set(v.mandates)].map((mandate) => ({ action_plan_id: id, mandate }));
    if (rows.length > 0) await trx.insertInto('action_plan_mandates').values(rows).execute();
  }
  if (v.outcomes) {
    await trx.deleteFrom('action_plan_outcomes').where('action_plan_id', '=', id).execute();
    const rows = [...new Set(v.outcomes)].map((outcome) => ({ action_plan_id: id, outcome, objective: objectiveOf.get(outcome) ?? '' }));
    if (rows.length > 0) await trx.insertInto('action_plan_outcomes').values(rows).execute();
  }
  if (v.partnershipIds) {
    await trx.deleteFrom('action_plan_partnerships').where('action_plan_id', '=', id).execute();
    const rows = [...new Set(v.partnershipIds)].map((partnership_id) => ({ action_plan_id: id, partnership_id }));
    if (rows.length > 0) await trx.insertInto('action_plan_partnerships').values(rows).execute();
  }
}

const COMPUTED = ['status', 'progress'] as const;

export async function createActionPlan(deps: AppDeps, actor: AuditActor, input: ActionPlanInput): Promise<ActionPlan> {
  await assertPartnershipsExist(deps.db, input.partnershipIds);
  const now = deps.clock().toISOString();
  const id = await withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('action_plans').values({
      external_id: input.externalId ?? null, title: input.title, owning_unit: input.owningUnit, region: input.region, country: input.country ?? null,
      start_date: input.startDate, end_date: input.endDate, version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await writeLinks(trx, id, input);
    const after = await getActionPlan(deps, id, trx);
    await writeAudit(trx, now, { actor, action: 'create', entity: 'action_plan', entityId: id, region: input.region, after: after && auditable(after, COMPUTED) });
    await bumpDataVersion(trx);
    return id;
  });
  const created = await getActionPlan(deps, id);
  if (!created) throw new Error('created action plan not found');
  return created;
}

export async function updateActionPlan(deps: AppDeps, actor: AuditActor, before: ActionPlan, expected: number, p: ActionPlanPatch): Promise<ActionPlan> {
  const startDate = p.startDate ?? before.startDate;
  const endDate = p.endDate ?? before.endDate;
  if (endDate < startDate) throw badRequest('The end date is before the start date.', [{ field: p.endDate ? 'endDate' : 'startDate', reason: 'endDate must not be before startDate' }]);
  if (p.partnershipIds) await assertPartnershipsExist(deps.db, p.partnershipIds);
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('action_plans').set((eb) => ({
      ...(p.externalId !== undefined ? { external_id: p.externalId } : {}),
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.owningUnit !== undefined ? { owning_unit: p.owningUnit } : {}),
      ...(p.region !== undefined ? { region: p.region } : {}),
      ...(p.country !== undefined ? { country: p.country } : {}),
      start_date: startDate, end_date: endDate, updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    await writeLinks(trx, before.id, p);
    const after = await getActionPlan(deps, before.id, trx);
    await writeAudit(trx, now, { actor, action: 'update', entity: 'action_plan', entityId: before.id, region: after?.region ?? before.region, before: auditable(before, COMPUTED), after: after && auditable(after, COMPUTED) });
    await bumpDataVersion(trx);
  });
  const updated = await getActionPlan(deps, before.id);
  if (!updated) throw new StaleWrite();
  return updated;
}

/** Refuses (409) while milestones or indicators hang off the plan: deleting them silently would lose their audit trail. */
export async function deleteActionPlan(deps: AppDeps, actor: AuditActor, before: ActionPlan, expected: number): Promise<void> {
  const [ms, inds] = await Promise.all([
    deps.db.selectFrom('milestones').select((eb) => eb.fn.countAll().as('n')).where('action_plan_id', '=', before.id).executeTakeFirstOrThrow(),
    deps.db.selectFrom('indicators').select((eb) => eb.fn.countAll().as('n')).where('action_plan_id', '=', before.id).executeTakeFirstOrThrow(),
  ]);
  if (num(ms.n) > 0 || num(inds.n) > 0) {
    throw new ProblemError(409, 'Action plan in use', `The action plan still has ${num(ms.n)} milestone(s) and ${num(inds.n)} indicator(s); delete or move them first.`);
  }
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.deleteFrom('action_plans').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'action_plan', entityId: before.id, region: before.region, before: auditable(before, COMPUTED) });
    await bumpDataVersion(trx);
  });
}
