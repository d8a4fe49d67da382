/**
 * Snapshot schedules and their deliveries: data access. Schedule writes are versioned (If-Match), audited and bump
 * the data version like every record; the scheduler's own bookkeeping (next_run_at, delivery state) is neither:
 * it is the system's state, not a user's change. Claims are conditional UPDATEs, so of several processes exactly
 * one wins each slot and each attempt.
 */
import {
  cadence as cadenceSchema, deliveryAttempt, describeCadence, progressQuery, type Delivery, type DeliveryAttempt, type DeliveryFormat,
  type SchedulePatch, type SnapshotSchedule, scheduleInput,
} from '@mm/shared';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { withRetry } from '../db/retry.ts';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db, SnapshotDeliveriesTable, SnapshotSchedulesTable } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { type AuditActor, writeAudit } from '../queries/audit.ts';
import { assertCadence, nextSlot } from './cadence.ts';

type ScheduleRow = Selectable<SnapshotSchedulesTable>;
type DeliveryRow = Selectable<SnapshotDeliveriesTable>;
export interface ScheduleActor extends AuditActor { name: string; role: string }

const viewFilters = progressQuery.omit({ asOf: true });
const strings = z.array(z.string());
const formatsOf = (s: string) => z.array(z.enum(['pdf', 'xlsx'])).parse(JSON.parse(s));

/** A schedule row as the API shows it (canEdit for `viewer`: admins and the author). */
function toSchedule(r: ScheduleRow, last: DeliveryRow | undefined, viewer: { id: number; role: string } | null): SnapshotSchedule {
  const cadence = cadenceSchema.parse(JSON.parse(r.cadence));
  return {
    id: num(r.id), titlePattern: r.title_pattern, note: r.note, filters: viewFilters.parse(JSON.parse(r.filters)), cadence, timeZone: r.time_zone,
    recipients: strings.parse(JSON.parse(r.recipients)), formats: formatsOf(r.formats), active: r.active === 1,
    description: describeCadence(cadence, r.time_zone), nextRunAt: r.active === 1 ? r.next_run_at : null,
    createdBy: { id: r.created_by === null ? null : num(r.created_by), name: r.created_by_name, email: r.created_by_email },
    createdAt: r.created_at, updatedAt: r.updated_at, version: num(r.version),
    lastDelivery: last ? { id: num(last.id), status: toDelivery(last).status, createdAt: last.created_at, sentAt: last.sent_at, error: last.error } : null,
    canEdit: viewer !== null && (viewer.role === 'admin' || (r.created_by !== null && num(r.created_by) === viewer.id)),
  };
}

export function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: num(r.id), scheduleId: num(r.schedule_id), trigger: r.trigger === 'manual' ? 'manual' : 'schedule', slotAt: r.slot_at,
    status: z.enum(['pending', 'retrying', 'sent', 'failed']).parse(r.status),
    attempts: z.array(deliveryAttempt).parse(JSON.parse(r.attempts)), nextAttemptAt: r.next_attempt_at,
    snapshotId: r.snapshot_id, title: r.title, recipients: strings.parse(JSON.parse(r.recipients)), formats: formatsOf(r.formats),
    error: r.error, createdAt: r.created_at, sentAt: r.sent_at,
  };
}

async function lastDeliveries(db: Db, scheduleIds?: readonly number[]): Promise<Map<number, DeliveryRow>> {
  let latest = db.selectFrom('snapshot_deliveries').select((eb) => eb.fn.max('id').as('id')).groupBy('schedule_id');
  if (scheduleIds) latest = latest.where('schedule_id', 'in', scheduleIds.length > 0 ? [...scheduleIds] : [-1]);
  const rows = await db.selectFrom('snapshot_deliveries').selectAll().where('id', 'in', latest).execute();
  return new Map(rows.map((r) => [num(r.schedule_id), r]));
}

export async function listSchedules(db: Db, viewer: { id: number; role: string }): Promise<SnapshotSchedule[]> {
  const [rows, last] = await Promise.all([db.selectFrom('snapshot_schedules').selectAll().orderBy('id').execute(), lastDeliveries(db)]);
  return rows.map((r) => toSchedule(r, last.get(num(r.id)), viewer));
}

export async function getSchedule(db: Db, id: number, viewer: { id: number; role: string } | null = null): Promise<SnapshotSchedule | undefined> {
  const r = await db.selectFrom('snapshot_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return toSchedule(r, (await lastDeliveries(db, [id])).get(id), viewer);
}

/** What the audit trail keeps of a schedule: what a user chose, not the scheduler's bookkeeping. */
const audited = (s: SnapshotSchedule) => ({
  titlePattern: s.titlePattern, note: s.note, filters: s.filters, cadence: s.cadence, timeZone: s.timeZone, recipients: s.recipients, formats: s.formats, active: s.active,
});

/** The next slot after now, or null for a paused schedule. */
function nextRunOf(deps: AppDeps, s: { cadence: SnapshotSchedule['cadence']; timeZone: string; active: boolean }): string | null {
  return s.active ? nextSlot(s.cadence, s.timeZone, deps.clock()) : null;
}

export async function createSchedule(deps: AppDeps, actor: ScheduleActor, input: z.output<typeof scheduleInput>): Promise<SnapshotSchedule> {
  assertCadence(input.cadence, input.timeZone, deps.clock());
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('snapshot_schedules').values({
      title_pattern: input.titlePattern, note: input.note ?? null, filters: JSON.stringify(input.filters), cadence: JSON.stringify(input.cadence),
      time_zone: input.timeZone, recipients: JSON.stringify(input.recipients), formats: JSON.stringify(input.formats), active: input.active ? 1 : 0,
      next_run_at: nextRunOf(deps, input), created_by: actor.id, created_by_name: actor.name, created_by_email: actor.email, version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const s = await getSchedule(trx, num(id), actor);
    if (!s) throw new Error('inserted schedule not found');
    await writeAudit(trx, now, { actor, action: 'create', entity: 'snapshot_schedule', entityId: s.id, after: audited(s) });
    await bumpDataVersion(trx);
    return s;
  });
}

/** A change of cadence, time zone or active state moves the next slot to the first one after now. */
export async function updateSchedule(deps: AppDeps, actor: ScheduleActor, before: SnapshotSchedule, expected: number, p: SchedulePatch): Promise<SnapshotSchedule> {
  const merged = { cadence: p.cadence ?? before.cadence, timeZone: p.timeZone ?? before.timeZone, active: p.active ?? before.active };
  if (p.cadence || p.timeZone) assertCadence(merged.cadence, merged.timeZone, deps.clock());
  const reschedule = p.cadence !== undefined || p.timeZone !== undefined || (p.active !== undefined && p.active !== before.active);
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('snapshot_schedules').set((eb) => ({
      ...(p.titlePattern !== undefined ? { title_pattern: p.titlePattern } : {}),
      ...(p.note !== undefined ? { note: p.note } : {}),
      ...(p.filters !== undefined ? { filters: JSON.stringify(p.filters) } : {}),
      ...(p.cadence !== undefined ? { cadence: JSON.stringify(p.cadence) } : {}),
      ...(p.timeZone !== undefined ? { time_zone: p.timeZone } : {}),
      ...(p.recipients !== undefined ? { recipients: JSON.stringify(p.recipients) } : {}),
      ...(p.formats !== undefined ? { formats: JSON.stringify(p.formats) } : {}),
      ...(p.active !== undefined ? { active: p.active ? 1 : 0 } : {}),
      ...(reschedule ? { next_run_at: nextRunOf(deps, merged) } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    const after = await getSchedule(trx, before.id, actor);
    if (!after) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'update', entity: 'snapshot_schedule', entityId: before.id, before: audited(before), after: audited(after) });
    await bumpDataVersion(trx);
    return after;
  });
}

/** Deletes the schedule and its delivery records (the snapshots it took stay). */
export async function deleteSchedule(deps: AppDeps, actor: ScheduleActor, before: SnapshotSchedule, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    await trx.deleteFrom('snapshot_deliveries').where('schedule_id', '=', before.id).execute();
    const r = await trx.deleteFrom('snapshot_schedules').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'snapshot_schedule', entityId: before.id, before: audited(before) });
    await bumpDataVersion(trx);
  });
}

export async function listDeliveries(db: Db, scheduleId: number, limit = 100): Promise<Delivery[]> {
  const rows = await db.selectFrom('snapshot_deliveries').selectAll().where('schedule_id', '=', scheduleId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toDelivery);
}

export async function getDeliveryRow(db: Db, id: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('snapshot_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

function deliveryValues(s: { id: number; recipients: readonly string[]; formats: readonly DeliveryFormat[] }, trigger: 'schedule' | 'manual', slotAt: string, now: string) {
  return {
    schedule_id: s.id, trigger, slot_at: slotAt, status: 'pending', attempts: '[]', next_attempt_at: now, lease_until: null, lease_owner: null,
    snapshot_id: null, title: null, recipients: JSON.stringify(s.recipients), formats: JSON.stringify(s.formats), error: null, created_at: now, sent_at: null,
  } as const;
}

/** Run now: a delivery due at once (audited: someone asked for it). */
export async function createManualDelivery(deps: AppDeps, actor: ScheduleActor, s: SnapshotSchedule): Promise<number> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('snapshot_deliveries').values(deliveryValues(s, 'manual', now, now)).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, now, { actor, action: 'run', entity: 'snapshot_schedule', entityId: s.id, after: { deliveryId: num(id) } });
    return num(id);
  });
}

/**
 * Claims every due slot: per active schedule with next_run_at <= now, one transaction moves next_run_at to the
 * first slot after now — conditional on the value read, so when several processes race, one UPDATE changes the
 * row and the others change nothing — and inserts the slot's delivery. However many slots were missed (the
 * server was down), that is one delivery. Returns the new deliveries' ids.
 */
export async function claimDueSlots(deps: AppDeps): Promise<number[]> {
  const now = deps.clock();
  const at = now.toISOString();
  const due = await deps.db.selectFrom('snapshot_schedules').selectAll().where('active', '=', 1).where('next_run_at', '<=', at).orderBy('next_run_at').execute();
  const claimed: number[] = [];
  for (const r of due) {
    const seen = r.next_run_at;
    if (seen === null) continue;
    const c = cadenceSchema.parse(JSON.parse(r.cadence));
    const id = await withRetry(deps.db, async (trx) => {
      const u = await trx.updateTable('snapshot_schedules').set({ next_run_at: nextSlot(c, r.time_zone, now) })
        .where('id', '=', r.id).where('next_run_at', '=', seen).where('active', '=', 1).executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return undefined;
      const s = { id: num(r.id), recipients: strings.parse(JSON.parse(r.recipients)), formats: formatsOf(r.formats) };
      const ins = await trx.insertInto('snapshot_deliveries').values(deliveryValues(s, 'schedule', seen, at)).returning('id').executeTakeFirstOrThrow();
      return num(ins.id);
    });
    if (id !== undefined) claimed.push(id);
  }
  return claimed;
}

/** Deliveries with an attempt due now whose claim (if any) has lapsed, oldest first. */
export async function dueDeliveries(deps: AppDeps): Promise<number[]> {
  const at = deps.clock().toISOString();
  const rows = await deps.db.selectFrom('snapshot_deliveries').select('id').where('status', 'in', ['pending', 'retrying']).where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)])).orderBy('id').execute();
  return rows.map((r) => num(r.id));
}

/** Claims the delivery's due attempt for `owner` until now + leaseMs; false when another process holds it or it is not due. */
export async function claimAttempt(deps: AppDeps, id: number, owner: string): Promise<boolean> {
  const now = deps.clock();
  const at = now.toISOString();
  const r = await deps.db.updateTable('snapshot_deliveries').set({ lease_owner: owner, lease_until: new Date(now.getTime() + deps.config.delivery.leaseMs).toISOString() })
    .where('id', '=', id).where('status', 'in', ['pending', 'retrying']).where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)])).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface AttemptOutcome { status: 'sent' | 'retrying' | 'failed'; attempt: DeliveryAttempt; nextAttemptAt: string | null }

/** Writes an attempt's outcome and releases the claim; only the holder of the claim may (false otherwise). */
export async function recordAttempt(db: Db, id: number, owner: string, previous: readonly DeliveryAttempt[], o: AttemptOutcome): Promise<boolean> {
  const r = await db.updateTable('snapshot_deliveries').set({
    status: o.status, attempts: JSON.stringify([...previous, o.attempt]), next_attempt_at: o.nextAttemptAt, lease_owner: null, lease_until: null,
    error: o.attempt.error, ...(o.status === 'sent' ? { sent_at: o.attempt.at } : {}),
  }).where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The schedule row a delivery belongs to, for the run (undefined once the schedule is deleted). */
export async function scheduleRow(db: Db, id: number): Promise<ScheduleRow | undefined> {
  return db.selectFrom('snapshot_schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

