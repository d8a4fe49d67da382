/**
 * Reporting cycles (issue 16): periods, the state of each (period, region), transitions as one conditional
 * UPDATE (… WHERE state = expected AND version = expected: of many concurrent calls exactly one changes a row,
 * the others answer 409), the locks an approved (period, region) puts on measurements and milestones, and
 * timeline events. Every write is audited and bumps the data version in its transaction.
 */
import {
  isOverdueSubmission, nextState, REGIONS, reportingState, type EventInput, type ReportingAction, type ReportingPeriod, type ReportingPeriodInput,
  type ReportingRegionDetail, type ReportingState, type TimelineEvent, type eventPatch, type reportingPeriodPatch, mandate,
} from '@mm/shared';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { withRetry } from '../db/retry.ts';
import { rebuildApproved } from './progress-data.ts';
import { bumpDataVersion } from '../db/seed.ts';
import type { Database, Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { ProblemError, type FieldError } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { todayOf } from './progress.ts';

type PeriodRow = { id: number; name: string; start_date: string; end_date: string; due_date: string; version: number };
type StateRow = { period_id: number; region: string; state: string; comment: string | null; version: number; updated_at: string };

const periodOut = (r: PeriodRow) => ({ id: num(r.id), name: r.name, startDate: r.start_date, endDate: r.end_date, dueDate: r.due_date, version: num(r.version) });
const stateOf = (v: string): ReportingState => reportingState.parse(v);

function regionsOf(p: PeriodRow, states: readonly StateRow[], today: string): ReportingPeriod['regions'] {
  return REGIONS.map(({ code }) => {
    const s = states.find((x) => x.region === code);
    const state = s ? stateOf(s.state) : 'open';
    return { region: code, state, overdue: isOverdueSubmission(state, p.due_date, today), comment: s?.comment ?? null, version: s ? num(s.version) : 0, updatedAt: s?.updated_at ?? null };
  });
}

const PERIOD_COLUMNS = ['id', 'name', 'start_date', 'end_date', 'due_date', 'version'] as const;

export async function listPeriods(deps: AppDeps): Promise<ReportingPeriod[]> {
  const [periods, states] = await Promise.all([
    deps.db.selectFrom('reporting_periods').select([...PERIOD_COLUMNS]).orderBy('start_date').orderBy('id').execute(),
    deps.db.selectFrom('period_region_states').select(['period_id', 'region', 'state', 'comment', 'version', 'updated_at']).execute(),
  ]);
  const today = todayOf(deps);
  return periods.map((p) => ({ ...periodOut(p), regions: regionsOf(p, states.filter((s) => num(s.period_id) === num(p.id)), today) }));
}

export async function getPeriod(deps: Pick<AppDeps, 'db' | 'clock'>, id: number, db: Db = deps.db): Promise<ReportingPeriod | undefined> {
  const p = await db.selectFrom('reporting_periods').select([...PERIOD_COLUMNS]).where('id', '=', id).executeTakeFirst();
  if (!p) return undefined;
  const states = await db.selectFrom('period_region_states').select(['period_id', 'region', 'state', 'comment', 'version', 'updated_at']).where('period_id', '=', id).execute();
  return { ...periodOut(p), regions: regionsOf(p, states, todayOf(deps)) };
}

/** 409 when periods would overlap: a date must belong to at most one period, so a lock names one period. */
async function assertNoOverlap(db: Db, start: string, end: string, except?: number): Promise<void> {
  let q = db.selectFrom('reporting_periods').select(['id', 'name']).where('start_date', '<=', end).where('end_date', '>=', start);
  if (except !== undefined) q = q.where('id', '!=', except);
  const clash = await q.executeTakeFirst();
  if (clash) throw new ProblemError(409, 'Conflict', `The dates overlap reporting period "${clash.name}"; a date belongs to at most one period.`, [{ field: 'startDate', reason: `overlaps period ${clash.name}`, value: start }]);
}

export async function createPeriod(deps: AppDeps, actor: AuditActor, input: ReportingPeriodInput): Promise<ReportingPeriod> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    await assertNoOverlap(trx, input.startDate, input.endDate);
    const { id } = await trx.insertInto('reporting_periods').values({
      name: input.name, start_date: input.startDate, end_date: input.endDate, due_date: input.dueDate, version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, now, { actor, action: 'create', entity: 'reporting_period', entityId: id, after: input });
    await bumpDataVersion(trx);
    const p = await getPeriod(deps, id, trx);
    if (!p) throw new Error('inserted period not found');
    return p;
  });
}

/** Changing the dates of a period that is approved for some region would move its lock: refused (reopen first). */
export async function updatePeriod(deps: AppDeps, actor: AuditActor, before: ReportingPeriod, p: z.infer<typeof reportingPeriodPatch>): Promise<ReportingPeriod> {
  const now = deps.clock().toISOString();
  const start = p.startDate ?? before.startDate;
  const end = p.endDate ?? before.endDate;
  if (start > end) throw new ProblemError(422, 'Invalid period', 'endDate must be on or after startDate.', [{ field: 'endDate', reason: 'must be on or after startDate', value: end }]);
  const moves = start !== before.startDate || end !== before.endDate;
  const approved = before.regions.filter((r) => r.state === 'approved').map((r) => r.region);
  if (moves && approved.length > 0) {
    throw new ProblemError(409, 'Period locked', `Reporting period "${before.name}" is approved (locked) for ${approved.join(', ')}; reopen it there before changing its dates.`,
      [{ field: p.startDate !== undefined ? 'startDate' : 'endDate', reason: `period ${before.name} is locked for ${approved.join(', ')}` }]);
  }
  return withRetry(deps.db, async (trx) => {
    if (moves) await assertNoOverlap(trx, start, end, before.id);
    await trx.updateTable('reporting_periods').set((eb) => ({
      ...(p.name !== undefined ? { name: p.name } : {}), start_date: start, end_date: end, ...(p.dueDate !== undefined ? { due_date: p.dueDate } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).execute();
    const after = await getPeriod(deps, before.id, trx);
    if (!after) throw new Error('updated period not found');
    const { regions: _r, ...b } = before;
    const { regions: _a, ...a } = after;
    await writeAudit(trx, now, { actor, action: 'update', entity: 'reporting_period', entityId: before.id, before: b, after: a });
    await bumpDataVersion(trx);
    return after;
  });
}

/**
 * One transition of (period, region). The state row is created as `open` on first use; the UPDATE is
 * conditional on the state and version read, so a concurrent transition makes this one change nothing
 * and answer 409 naming both states.
 */
export async function transition(deps: AppDeps, actor: AuditActor, period: ReportingPeriod, region: string, action: ReportingAction, comment: string | null): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    await trx.insertInto('period_region_states').values({ period_id: period.id, region, state: 'open', comment: null, version: 1, updated_at: now, updated_by: null })
      .onConflict((oc) => oc.columns(['period_id', 'region']).doNothing()).execute();
    const cur = await trx.selectFrom('period_region_states').select(['state', 'version']).where('period_id', '=', period.id).where('region', '=', region).executeTakeFirstOrThrow();
    const from = stateOf(cur.state);
    const to = nextState(action, from);
    const refuse = (state: ReportingState) => new ProblemError(409, 'Transition not allowed',
      `Cannot ${action} reporting period "${period.name}" for ${region}: it is ${state}${to ? ' now (another change came first)' : ''}; ${action} is allowed from ${allowedFrom(action)}.`,
      [{ field: 'state', reason: `${action} is not allowed from ${state}`, value: state }]);
    if (!to) throw refuse(from);
    const r = await trx.updateTable('period_region_states').set((eb) => ({
      state: to, comment: action === 'return' || action === 'reopen' ? comment : action === 'submit' ? null : eb.ref('comment'), updated_at: now, updated_by: actor.id, version: eb('version', '+', 1),
    })).where('period_id', '=', period.id).where('region', '=', region).where('state', '=', from).where('version', '=', num(cur.version)).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const now2 = await trx.selectFrom('period_region_states').select('state').where('period_id', '=', period.id).where('region', '=', region).executeTakeFirst();
      throw refuse(stateOf(now2?.state ?? from));
    }
    await trx.insertInto('reporting_transitions').values({ period_id: period.id, region, from_state: from, to_state: to, comment, at: now, by_user: actor.id, by_email: actor.email }).execute();
    await writeAudit(trx, now, { actor, action, entity: 'reporting_period', entityId: period.id, region, before: { state: from }, after: { state: to, ...(comment ? { comment } : {}) } });
    // Approving or reopening moves the approved windows: the approved derived tables follow in this transaction.
    if (from === 'approved' || to === 'approved') await rebuildApproved(trx, deps.dialect);
    await bumpDataVersion(trx);
  });
}

function allowedFrom(action: ReportingAction): string {
  return ({ submit: 'open, returned or reopened', approve: 'submitted', return: 'submitted', reopen: 'approved' } as const)[action];
}

export async function regionDetail(deps: AppDeps, period: ReportingPeriod, region: string): Promise<ReportingRegionDetail> {
  const db = deps.db;
  const st = period.regions.find((r) => r.region === region);
  const [milestones, indicators, transitions] = await Promise.all([
    db.selectFrom('milestones as m').innerJoin('action_plans as ap', 'ap.id', 'm.action_plan_id')
      .select(['m.id', 'm.title', 'm.due_date', 'm.status', 'm.action_plan_id'])
      .where('ap.region', '=', region).where('m.due_date', '>=', period.startDate).where('m.due_date', '<=', period.endDate)
      .where('m.status', 'not in', ['completed', 'cancelled']).orderBy('m.due_date').orderBy('m.id').limit(500).execute(),
    db.selectFrom('indicators as i').innerJoin('action_plans as ap', 'ap.id', 'i.action_plan_id')
      .select(['i.id', 'i.name', 'i.action_plan_id'])
      .where('ap.region', '=', region).where('i.baseline_date', '<=', period.endDate).where('i.target_date', '>=', period.startDate)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('measurements as ms').select('ms.id').whereRef('ms.indicator_id', '=', 'i.id')
        .where('ms.date', '>=', period.startDate).where('ms.date', '<=', period.endDate))))
      .orderBy('i.id').limit(500).execute(),
    db.selectFrom('reporting_transitions').select(['id', 'from_state', 'to_state', 'comment', 'at', 'by_email'])
      .where('period_id', '=', period.id).where('region', '=', region).orderBy('id', 'desc').execute(),
  ]);
  const lastApproval = transitions.find((t) => t.to_state === 'approved')?.at;
  let changes = db.selectFrom('audit').select(['at', 'user_email', 'action', 'entity', 'entity_id', 'before', 'after'])
    .where('region', '=', region).where('entity', 'in', ['measurement', 'milestone']);
  if (lastApproval) changes = changes.where('at', '>', lastApproval);
  const rows = await changes.orderBy('id', 'desc').limit(500).execute();
  const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
  return {
    period: { id: period.id, name: period.name, startDate: period.startDate, endDate: period.endDate, dueDate: period.dueDate, version: period.version },
    region: region as ReportingRegionDetail['region'],
    state: st?.state ?? 'open', overdue: st?.overdue ?? false, comment: st?.comment ?? null, version: st?.version ?? 0,
    toReport: {
      milestones: milestones.map((m) => ({ id: num(m.id), title: m.title, dueDate: m.due_date, status: m.status, actionPlanId: num(m.action_plan_id) })),
      indicators: indicators.map((i) => ({ id: num(i.id), name: i.name, actionPlanId: num(i.action_plan_id) })),
    },
    changes: rows.map((r) => ({ at: r.at, by: r.user_email, action: r.action, entity: r.entity === 'milestone' ? 'milestone' : 'measurement', entityId: r.entity_id, before: parse(r.before), after: parse(r.after) })),
    transitions: transitions.map((t) => ({ id: num(t.id), from: stateOf(t.from_state), to: stateOf(t.to_state), comment: t.comment, at: t.at, by: t.by_email })),
  };
}

// ------------------------------------------------------------------ locks

export interface Lock { periodId: number; name: string; region: string; start: string; end: string }

/** Every approved (period, region): what is locked. Few rows (periods × regions). */
export async function approvedLocks(db: Kysely<Database>): Promise<Lock[]> {
  const rows = await db.selectFrom('period_region_states as s').innerJoin('reporting_periods as p', 'p.id', 's.period_id')
    .select(['p.id', 'p.name', 's.region', 'p.start_date', 'p.end_date']).where('s.state', '=', 'approved').execute();
  return rows.map((r) => ({ periodId: num(r.id), name: r.name, region: r.region, start: r.start_date, end: r.end_date }));
}

/** The lock that covers `date` in `region`, if any. */
export const lockOf = (locks: readonly Lock[], region: string, date: string | null | undefined): Lock | undefined =>
  date ? locks.find((l) => l.region === region && l.start <= date && date <= l.end) : undefined;

/**
 * 409 problem+json naming the period when any of `dates` (field → date) lies in a period approved for `region`.
 * Called inside the write's transaction, before it changes anything, so a refused write changes nothing.
 */
export async function assertUnlocked(db: Kysely<Database>, region: string, dates: Record<string, string | null | undefined>, what: string): Promise<void> {
  const locks = await approvedLocks(db);
  const errors: FieldError[] = [];
  let first: Lock | undefined;
  for (const [field, date] of Object.entries(dates)) {
    const l = lockOf(locks, region, date);
    if (l) { first ??= l; errors.push({ field, reason: `lies in reporting period ${l.name}, approved (locked) for ${region}`, value: date }); }
  }
  if (first) {
    throw new ProblemError(409, 'Period locked', `This would change ${what} dated in reporting period "${first.name}" (${first.start} to ${first.end}), which is approved and locked for ${region}. An admin can reopen it.`,
      errors.map((e) => ({ ...e, period: first.name })) as FieldError[]);
  }
}

// ------------------------------------------------------------------ events

type EventRow = { id: number; date: string; title: string; kind: string; url: string | null; mandates: string; verified: number; version: number };
const EVENT_COLUMNS = ['id', 'date', 'title', 'kind', 'url', 'mandates', 'verified', 'version'] as const;
const eventOut = (r: EventRow): TimelineEvent => ({
  id: num(r.id), date: r.date, title: r.title, kind: r.kind as TimelineEvent['kind'], url: r.url,
  mandates: (JSON.parse(r.mandates) as unknown[]).map((m) => mandate.parse(m)), verified: num(r.verified) === 1, version: num(r.version),
});

export async function listEvents(db: Db, q: { from?: string; to?: string; mandate?: readonly string[] }): Promise<TimelineEvent[]> {
  let b = db.selectFrom('events').select([...EVENT_COLUMNS]);
  if (q.from) b = b.where('date', '>=', q.from);
  if (q.to) b = b.where('date', '<=', q.to);
  const rows = (await b.orderBy('date').orderBy('id').execute()).map(eventOut);
  return q.mandate && q.mandate.length > 0 ? rows.filter((e) => e.mandates.some((m) => q.mandate?.includes(m))) : rows;
}

export async function getEvent(db: Db, id: number): Promise<TimelineEvent | undefined> {
  const r = await db.selectFrom('events').select([...EVENT_COLUMNS]).where('id', '=', id).executeTakeFirst();
  return r ? eventOut(r) : undefined;
}

export async function createEvent(deps: AppDeps, actor: AuditActor | null, input: EventInput): Promise<TimelineEvent> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('events').values({
      date: input.date, title: input.title, kind: input.kind, url: input.url ?? null, mandates: JSON.stringify(input.mandates ?? []), verified: input.verified ? 1 : 0,
      version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const e = await getEvent(trx, id);
    if (!e) throw new Error('inserted event not found');
    await writeAudit(trx, now, { actor, action: 'create', entity: 'event', entityId: id, after: e });
    await bumpDataVersion(trx);
    return e;
  });
}

export async function updateEvent(deps: AppDeps, actor: AuditActor, before: TimelineEvent, p: z.infer<typeof eventPatch>): Promise<TimelineEvent> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    await trx.updateTable('events').set((eb) => ({
      ...(p.date !== undefined ? { date: p.date } : {}), ...(p.title !== undefined ? { title: p.title } : {}), ...(p.kind !== undefined ? { kind: p.kind } : {}),
      ...(p.url !== undefined ? { url: p.url } : {}), ...(p.mandates !== undefined ? { mandates: JSON.stringify(p.mandates) } : {}),
      ...(p.verified !== undefined ? { verified: p.verified ? 1 : 0 } : {}), updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).execute();
    const after = await getEvent(trx, before.id);
    if (!after) throw new Error('updated event not found');
    await writeAudit(trx, now, { actor, action: 'update', entity: 'event', entityId: before.id, before, after });
    await bumpDataVersion(trx);
    return after;
  });
}

export async function deleteEvent(deps: AppDeps, actor: AuditActor, before: TimelineEvent): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    // Milestones that prepared this event lose the link: a versioned, audited change of each (never silent).
    const linked = await trx.selectFrom('milestones as m').innerJoin('action_plans as ap', 'ap.id', 'm.action_plan_id')
      .select(['m.id', 'ap.region']).where('m.event_id', '=', before.id).execute();
    if (linked.length > 0) {
      await trx.updateTable('milestones').set((eb) => ({ event_id: null, updated_at: now, version: eb('version', '+', 1) })).where('event_id', '=', before.id).execute();
      for (const m of linked) {
        await writeAudit(trx, now, { actor, action: 'update', entity: 'milestone', entityId: num(m.id), region: m.region, before: { eventId: before.id }, after: { eventId: null } });
      }
    }
    await trx.deleteFrom('events').where('id', '=', before.id).execute();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'event', entityId: before.id, before });
    await bumpDataVersion(trx);
  });
}
