/**
 * Indicators with their action plan's region and title and their computed progress (status, attainment,
 * expected, latest measurement). Writes are versioned and audited in one transaction.
 */
import { withRetry } from '../db/retry.ts';
import { type Filters, type Indicator, type IndicatorInput, type IndicatorListQuery, indicatorInput, type indicatorPatch } from '@mm/shared';
import type { z } from 'zod';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { badRequest, fieldErrors } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { auditable } from './audit-log.ts';
import { actionPlanIds } from './filters.ts';
import { todayOf } from './progress.ts';
import { computedSort, contains, idsWithStatus, inIdOrder, indicatorProgressMap, noFilters, offsetOf, orderExpr, pageByComputed, sortSpec, type IndicatorProgressRow, type Page } from './records.ts';

type IndicatorPatch = z.infer<typeof indicatorPatch>;

const SORT = {
  name: { column: 'indicators.name', text: true }, unit: { column: 'indicators.unit' }, direction: { column: 'indicators.direction' },
  baselineDate: { column: 'indicators.baseline_date' }, targetDate: { column: 'indicators.target_date' }, region: { column: 'action_plans.region' },
  id: { column: 'indicators.id' }, updatedAt: { column: 'indicators.updated_at' },
};

const base = (db: Db) => db.selectFrom('indicators').innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id');
const COLUMNS = [
  'indicators.id', 'indicators.external_id', 'indicators.action_plan_id', 'indicators.name', 'indicators.unit', 'indicators.direction',
  'indicators.baseline_value', 'indicators.baseline_date', 'indicators.target_value', 'indicators.target_date', 'indicators.version',
  'indicators.created_at', 'indicators.updated_at', 'action_plans.region', 'action_plans.title as plan_title',
] as const;
interface Row {
  id: number; external_id: string | null; action_plan_id: number; name: string; unit: string; direction: string; baseline_value: number;
  baseline_date: string; target_value: number; target_date: string; version: number; created_at: string; updated_at: string; region: string; plan_title: string;
}

function toIndicator(r: Row, p: IndicatorProgressRow | undefined): Indicator {
  return {
    id: r.id, externalId: r.external_id, actionPlanId: r.action_plan_id, name: r.name, unit: r.unit as Indicator['unit'],
    direction: r.direction as Indicator['direction'], baselineValue: num(r.baseline_value), baselineDate: r.baseline_date,
    targetValue: num(r.target_value), targetDate: r.target_date, region: r.region as Indicator['region'], actionPlanTitle: r.plan_title,
    status: p?.status ?? 'no_data', attainment: p?.attainment ?? null, expected: p?.expected ?? null,
    latestValue: p?.latest?.value ?? null, latestDate: p?.latest?.date ?? null,
    version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
  } satisfies Indicator;
}

export async function listIndicators(deps: AppDeps, q: IndicatorListQuery): Promise<Page<Indicator>> {
  // Status and attainment are computed at asOf, not stored: those sorts order every match in JS, then page.
  const sort = computedSort(q.sort, ['status', 'attainment']) ?? sortSpec('indicators', q.sort, SORT, 'name');
  const filters: Filters = { ...q, status: [] };
  const progress = await indicatorProgressMap(deps, filters);
  let b = base(deps.db);
  const plans = actionPlanIds(deps.db, filters);
  if (plans) b = b.where('indicators.action_plan_id', 'in', plans);
  if (q.q) b = b.where(contains('indicators.name', q.q));
  if (q.actionPlanId !== undefined) b = b.where('indicators.action_plan_id', '=', q.actionPlanId);
  if (q.status.length > 0) b = b.where('indicators.id', 'in', idsWithStatus(progress, q.status));
  if ('field' in sort) {
    const ids = (await b.select('indicators.id').execute()).map((r) => r.id);
    const value = (id: number) => {
      const p = progress.get(id);
      return sort.field === 'status' ? (p?.status ?? 'no_data') : (p?.attainment ?? null);
    };
    const pageIds = pageByComputed(ids, value, sort, q);
    const rows = inIdOrder(pageIds, pageIds.length > 0 ? await base(deps.db).select([...COLUMNS]).where('indicators.id', 'in', pageIds).execute() : []);
    const items = rows.map((r) => toIndicator(r, progress.get(r.id)));
    return { items, total: ids.length, page: q.page, pageSize: q.pageSize };
  }
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.select([...COLUMNS]).orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('indicators.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map((r) => toIndicator(r, progress.get(r.id))), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getIndicator(deps: AppDeps, id: number, db: Db = deps.db): Promise<Indicator | undefined> {
  const r = await base(db).select([...COLUMNS]).where('indicators.id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  // Inside a transaction the progress is not needed (audit stores only stored fields) and the pool may be the one connection.
  const progress = db === deps.db ? await indicatorProgressMap(deps, noFilters({ region: [r.region as Indicator['region']] })) : undefined;
  return toIndicator(r, progress?.get(id));
}

/** Indicators in these regions (null = all) with no measurement dated in the last `months` months (for "My work"). */
export async function indicatorsNeedingMeasurement(deps: AppDeps, regions: readonly string[] | null, months = 12): Promise<(Indicator & { lastMeasurementDate: string | null })[]> {
  const today = todayOf(deps);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  const since = d.toISOString().slice(0, 10);
  let b = base(deps.db)
    .leftJoin((eb) => eb.selectFrom('measurements').select((e) => ['indicator_id', e.fn.max('date').as('last_date')]).groupBy('indicator_id').as('lm'), (j) => j.onRef('lm.indicator_id', '=', 'indicators.id'))
    .where((eb) => eb.or([eb('lm.last_date', 'is', null), eb('lm.last_date', '<', since)]));
  if (regions) b = b.where('action_plans.region', 'in', regions.length > 0 ? [...regions] : ['-']);
  const rows = await b.select([...COLUMNS, 'lm.last_date']).orderBy('lm.last_date').orderBy('indicators.id').execute();
  const progress = await indicatorProgressMap(deps, noFilters({ region: regions ? (regions as Filters['region']) : [] }));
  return rows.map((r) => ({ ...toIndicator(r, progress.get(r.id)), lastMeasurementDate: r.last_date ?? null }));
}

const COMPUTED = ['status', 'attainment', 'expected', 'latestValue', 'latestDate', 'actionPlanTitle'] as const;

export async function createIndicator(deps: AppDeps, actor: AuditActor, input: IndicatorInput): Promise<Indicator> {
  const now = deps.clock().toISOString();
  const id = await withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('indicators').values({
      external_id: input.externalId ?? null, action_plan_id: input.actionPlanId, name: input.name, unit: input.unit, direction: input.direction,
      baseline_value: input.baselineValue, baseline_date: input.baselineDate, target_value: input.targetValue, target_date: input.targetDate,
      version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const after = await getIndicator(deps, id, trx);
    await writeAudit(trx, now, { actor, action: 'create', entity: 'indicator', entityId: id, region: after?.region ?? null, after: after && auditable(after, COMPUTED) });
    await bumpDataVersion(trx);
    return id;
  });
  const created = await getIndicator(deps, id);
  if (!created) throw new Error('created indicator not found');
  return created;
}

export async function updateIndicator(deps: AppDeps, actor: AuditActor, before: Indicator, expected: number, p: IndicatorPatch): Promise<Indicator> {
  // The cross-field rules (dates in order, target on the right side of the baseline) hold for the merged record.
  const merged = {
    actionPlanId: p.actionPlanId ?? before.actionPlanId, name: p.name ?? before.name, unit: p.unit ?? before.unit, direction: p.direction ?? before.direction,
    baselineValue: p.baselineValue ?? before.baselineValue, baselineDate: p.baselineDate ?? before.baselineDate,
    targetValue: p.targetValue ?? before.targetValue, targetDate: p.targetDate ?? before.targetDate,
  };
  const checked = indicatorInput.safeParse(merged);
  if (!checked.success) throw badRequest('The indicator would not be valid after this change.', fieldErrors(checked.error, merged));
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('indicators').set((eb) => ({
      ...(p.externalId !== undefined ? { external_id: p.externalId } : {}),
      action_plan_id: merged.actionPlanId, name: merged.name, unit: merged.unit, direction: merged.direction,
      baseline_value: merged.baselineValue, baseline_date: merged.baselineDate, target_value: merged.targetValue, target_date: merged.targetDate,
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    const after = await getIndicator(deps, before.id, trx);
    await writeAudit(trx, now, { actor, action: 'update', entity: 'indicator', entityId: before.id, region: after?.region ?? before.region, before: auditable(before, COMPUTED), after: after && auditable(after, COMPUTED) });
    await bumpDataVersion(trx);
  });
  const updated = await getIndicator(deps, before.id);
  if (!updated) throw new StaleWrite();
  return updated;
}

/** Deletes the indicator and its measurements; each measurement gets its own audit entry, so nothing vanishes unrecorded. */
export async function deleteIndicator(deps: AppDeps, actor: AuditActor, before: Indicator, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const ms = await trx.selectFrom('measurements').selectAll().where('indicator_id', '=', before.id).execute();
    const r = await trx.deleteFrom('indicators').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    for (const m of ms) {
      await writeAudit(trx, now, {
        actor, action: 'delete', entity: 'measurement', entityId: m.id, region: before.region,
        before: { id: m.id, indicatorId: m.indicator_id, value: num(m.value), date: m.date, source: m.source, note: m.note, region: before.region },
      });
    }
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'indicator', entityId: before.id, region: before.region, before: auditable(before, COMPUTED) });
    await bumpDataVersion(trx);
  });
}
