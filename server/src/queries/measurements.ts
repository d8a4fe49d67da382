/** Indicator measurements, scoped by their indicator's action plan region; versioned, audited writes. */
import { withRetry } from '../db/retry.ts';
import type { Measurement, MeasurementInput, MeasurementListQuery, measurementPatch } from '@mm/shared';
import type { z } from 'zod';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { auditable } from './audit-log.ts';
import { assertUnlocked } from './reporting.ts';
import { actionPlanIds } from './filters.ts';
import { contains, offsetOf, orderExpr, sortSpec, type Page } from './records.ts';

type MeasurementPatch = z.infer<typeof measurementPatch>;

const SORT = {
  date: { column: 'measurements.date' }, value: { column: 'measurements.value' }, id: { column: 'measurements.id' }, updatedAt: { column: 'measurements.updated_at' },
};
const base = (db: Db) => db.selectFrom('measurements')
  .innerJoin('indicators', 'indicators.id', 'measurements.indicator_id')
  .innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id');
const COLUMNS = [
  'measurements.id', 'measurements.indicator_id', 'measurements.value', 'measurements.date', 'measurements.source', 'measurements.note',
  'measurements.version', 'measurements.created_at', 'measurements.updated_at', 'action_plans.region', 'indicators.name as indicator_name',
] as const;
interface Row {
  id: number; indicator_id: number; value: number; date: string; source: string | null; note: string | null; version: number;
  created_at: string; updated_at: string; region: string; indicator_name: string;
}
const toMeasurement = (r: Row): Measurement => ({
  id: r.id, indicatorId: r.indicator_id, value: num(r.value), date: r.date, source: r.source, note: r.note, region: r.region as Measurement['region'],
  indicatorName: r.indicator_name, version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
});

export async function listMeasurements(deps: AppDeps, q: MeasurementListQuery): Promise<Page<Measurement>> {
  const sort = sortSpec('measurements', q.sort, SORT, '-date');
  let b = base(deps.db);
  const plans = actionPlanIds(deps.db, { ...q, status: [] });
  if (plans) b = b.where('indicators.action_plan_id', 'in', plans);
  // q searches the source and note of a measurement, and the indicator's name.
  if (q.q) {
    const text = q.q;
    b = b.where((eb) => eb.or([contains('measurements.source', text), contains('measurements.note', text), contains('indicators.name', text)]));
  }
  if (q.indicatorId !== undefined) b = b.where('measurements.indicator_id', '=', q.indicatorId);
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.select([...COLUMNS]).orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('measurements.id', sort.desc ? 'desc' : 'asc').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map(toMeasurement), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getMeasurement(deps: Pick<AppDeps, 'db'>, id: number, db: Db = deps.db): Promise<Measurement | undefined> {
  const r = await base(db).select([...COLUMNS]).where('measurements.id', '=', id).executeTakeFirst();
  return r ? toMeasurement(r) : undefined;
}

/** Region of an indicator (through its action plan), or undefined when there is no such indicator. */
export async function indicatorRegion(deps: Pick<AppDeps, 'db'>, indicatorId: number): Promise<string | undefined> {
  const r = await deps.db.selectFrom('indicators').innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id')
    .select('action_plans.region').where('indicators.id', '=', indicatorId).executeTakeFirst();
  return r?.region;
}

const COMPUTED = ['indicatorName'] as const;

export async function createMeasurement(deps: AppDeps, actor: AuditActor, input: MeasurementInput): Promise<Measurement> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('measurements').values({
      indicator_id: input.indicatorId, value: input.value, date: input.date, source: input.source ?? null, note: input.note ?? null,
      version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const m = await getMeasurement(deps, id, trx);
    if (!m) throw new Error('inserted measurement not found');
    await assertUnlocked(trx, m.region, { date: m.date }, 'a measurement');
    await writeAudit(trx, now, { actor, action: 'create', entity: 'measurement', entityId: id, region: m.region, after: auditable(m, COMPUTED) });
    await bumpDataVersion(trx);
    return m;
  });
}

export async function updateMeasurement(deps: AppDeps, actor: AuditActor, before: Measurement, expected: number, p: MeasurementPatch): Promise<Measurement> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('measurements').set((eb) => ({
      ...(p.value !== undefined ? { value: p.value } : {}),
      ...(p.date !== undefined ? { date: p.date } : {}),
      ...(p.source !== undefined ? { source: p.source } : {}),
      ...(p.note !== undefined ? { note: p.note } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    const after = await getMeasurement(deps, before.id, trx);
    if (!after) throw new StaleWrite();
    // Locked by its date, before and after the change (the transaction rolls back: a refused write changes nothing).
    await assertUnlocked(trx, before.region, { date: before.date, ...(after.date !== before.date ? { newDate: after.date } : {}) }, 'a measurement');
    await writeAudit(trx, now, { actor, action: 'update', entity: 'measurement', entityId: before.id, region: after.region, before: auditable(before, COMPUTED), after: auditable(after, COMPUTED) });
    await bumpDataVersion(trx);
    return after;
  });
}

export async function deleteMeasurement(deps: AppDeps, actor: AuditActor, before: Measurement, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.deleteFrom('measurements').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await assertUnlocked(trx, before.region, { date: before.date }, 'a measurement');
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'measurement', entityId: before.id, region: before.region, before: auditable(before, COMPUTED) });
    await bumpDataVersion(trx);
  });
}
