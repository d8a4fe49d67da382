/**
 * The record rows behind a view, as they stood at `asOf`, read in id order in batches (keyset pagination)
 * so an export of any size runs in constant memory and a snapshot can collect them all.
 *
 * Milestone status at `asOf` comes from milestone_history (the most recently recorded change effective on or
 * before `asOf`; none means not started); indicator progress from the measurements dated on or before `asOf`,
 * through the shared progress math. As in the progress API: partnerships count once started on or before
 * `asOf`, and `status` (indicator statuses) narrows only the indicators.
 */
import {
  actionPlanProgress, indicatorProgress, summarizeMilestones,
  type Filters, type IndicatorProgress, type MilestoneStatus, type SnapshotActionPlan, type SnapshotIndicator,
  type SnapshotMilestone, type SnapshotPartnership, type SnapshotRecords,
} from '@mm/shared';
import type { Db } from '../db/types.ts';
import { chunks, groupBy, num } from '../db/util.ts';
import { actionPlanIds, partnershipIds } from '../queries/filters.ts';

export const BATCH = 2000;
/** Ids per `IN (…)` list: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const IN_CHUNK = 2000;
/** Action plans per batch: each brings its milestones and indicators along. */
const PLAN_BATCH = 500;


const statusFilter = (f: Filters) => (s: string) => f.status.length === 0 || f.status.includes(s);

export async function* partnershipRows(db: Db, f: Filters, asOf: string, batch = BATCH): AsyncGenerator<SnapshotPartnership[]> {
  const ids = partnershipIds(db, f);
  let after = 0;
  for (;;) {
    let q = db.selectFrom('partnerships').selectAll().where('id', '>', after).where('start_date', '<=', asOf).orderBy('id').limit(batch);
    if (ids) q = q.where('id', 'in', ids);
    const rows = await q.execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const batchIds = rows.map((r) => r.id);
    const [mandates, outcomes, partners] = await Promise.all([
      db.selectFrom('partnership_mandates').select(['partnership_id', 'mandate']).where('partnership_id', 'in', batchIds).orderBy('mandate').execute(),
      db.selectFrom('partnership_outcomes').select(['partnership_id', 'outcome']).where('partnership_id', 'in', batchIds).orderBy('outcome').execute(),
      db.selectFrom('partnership_partners').innerJoin('partners', 'partners.id', 'partnership_partners.partner_id')
        .select(['partnership_partners.partnership_id', 'partners.name', 'partnership_partners.lead'])
        .where('partnership_partners.partnership_id', 'in', batchIds).orderBy('partnership_partners.lead', 'desc').orderBy('partners.name').execute(),
    ]);
    const m = groupBy(mandates, (r) => r.partnership_id);
    const o = groupBy(outcomes, (r) => r.partnership_id);
    const p = groupBy(partners, (r) => r.partnership_id);
    yield rows.map((r) => {
      const ps = p.get(r.id) ?? [];
      return {
        id: r.id, externalId: r.external_id, title: r.title, modality: r.modality, level: r.level, region: r.region, country: r.country,
        leadPartnerType: r.lead_partner_type, leadPartner: ps.find((x) => num(x.lead) === 1)?.name ?? null, partners: ps.map((x) => x.name),
        mandates: (m.get(r.id) ?? []).map((x) => x.mandate), outcomes: (o.get(r.id) ?? []).map((x) => x.outcome),
        startDate: r.start_date, endDate: r.end_date, resourcesUsd: num(r.resources_usd), status: r.status,
      };
    });
    if (rows.length < batch) return;
  }
}

/** Milestones' state at `asOf` for the given milestone rows. */
async function milestonesAt(db: Db, rows: readonly { id: number; due_date: string }[], asOf: string): Promise<Map<number, { status: MilestoneStatus; percentComplete: number; completedDate: string | null }>> {
  const out = new Map<number, { status: MilestoneStatus; percentComplete: number; completedDate: string | null }>();
  if (rows.length === 0) return out;
  for (const ids of chunks(rows.map((r) => r.id), IN_CHUNK)) {
    const history = await db.selectFrom('milestone_history').select(['milestone_id', 'status', 'percent_complete', 'completed_date'])
      .where('milestone_id', 'in', ids).where('effective_date', '<=', asOf)
      .orderBy('milestone_id').orderBy('id').execute();
    // In recording order, so the last entry per milestone is its state at asOf (see queries/progress-data.ts).
    for (const h of history) out.set(h.milestone_id, { status: h.status as MilestoneStatus, percentComplete: num(h.percent_complete), completedDate: h.completed_date });
  }
  for (const r of rows) if (!out.has(r.id)) out.set(r.id, { status: 'not_started', percentComplete: 0, completedDate: null });
  return out;
}

function milestoneQuery(db: Db, f: Filters) {
  const ids = actionPlanIds(db, f);
  let q = db.selectFrom('milestones').innerJoin('action_plans', 'action_plans.id', 'milestones.action_plan_id')
    .select(['milestones.id', 'milestones.external_id', 'milestones.action_plan_id', 'milestones.title', 'milestones.due_date', 'action_plans.region']);
  if (ids) q = q.where('milestones.action_plan_id', 'in', ids);
  return q;
}

export async function* milestoneRows(db: Db, f: Filters, asOf: string, batch = BATCH): AsyncGenerator<SnapshotMilestone[]> {
  let after = 0;
  for (;;) {
    const rows = await milestoneQuery(db, f).where('milestones.id', '>', after).orderBy('milestones.id').limit(batch).execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const at = await milestonesAt(db, rows, asOf);
    const out: SnapshotMilestone[] = [];
    for (const r of rows) {
      const s = at.get(r.id) ?? { status: 'not_started' as const, percentComplete: 0, completedDate: null };
      out.push({ id: r.id, externalId: r.external_id, actionPlanId: r.action_plan_id, region: r.region, title: r.title, dueDate: r.due_date, ...s });
    }
    yield out;
    if (rows.length < batch) return;
  }
}

async function indicatorsAt(db: Db, rows: readonly { id: number; direction: string; baseline_value: number; baseline_date: string; target_value: number; target_date: string }[], asOf: string): Promise<Map<number, IndicatorProgress>> {
  const out = new Map<number, IndicatorProgress>();
  if (rows.length === 0) return out;
  const ms = [];
  for (const ids of chunks(rows.map((r) => r.id), IN_CHUNK)) {
    ms.push(...await db.selectFrom('measurements').select(['indicator_id', 'value', 'date'])
      .where('indicator_id', 'in', ids).where('date', '<=', asOf).orderBy('indicator_id').orderBy('date').orderBy('id').execute());
  }
  const byInd = groupBy(ms, (m) => m.indicator_id);
  for (const r of rows) {
    out.set(r.id, indicatorProgress({
      direction: r.direction === 'decrease' ? 'decrease' : 'increase', baselineValue: num(r.baseline_value), baselineDate: r.baseline_date,
      targetValue: num(r.target_value), targetDate: r.target_date,
      measurements: (byInd.get(r.id) ?? []).map((m) => ({ date: m.date, value: num(m.value) })),
    }, asOf));
  }
  return out;
}

const finiteOrNull = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : n);

export async function* indicatorRows(db: Db, f: Filters, asOf: string, batch = BATCH): AsyncGenerator<SnapshotIndicator[]> {
  const keep = statusFilter(f);
  const ids = actionPlanIds(db, f);
  let after = 0;
  for (;;) {
    let q = db.selectFrom('indicators').innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id')
      .selectAll('indicators').select('action_plans.region').where('indicators.id', '>', after).orderBy('indicators.id').limit(batch);
    if (ids) q = q.where('indicators.action_plan_id', 'in', ids);
    const rows = await q.execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const at = await indicatorsAt(db, rows, asOf);
    const out: SnapshotIndicator[] = [];
    for (const r of rows) {
      const p = at.get(r.id);
      if (!p || !keep(p.status)) continue;
      out.push({
        id: r.id, externalId: r.external_id, actionPlanId: r.action_plan_id, region: r.region, name: r.name, unit: r.unit, direction: r.direction,
        baselineValue: num(r.baseline_value), baselineDate: r.baseline_date, targetValue: num(r.target_value), targetDate: r.target_date,
        latestValue: p.latest?.value ?? null, latestDate: p.latest?.date ?? null, attainment: finiteOrNull(p.attainment), expected: p.expected, status: p.status,
      });
    }
    yield out;
    if (rows.length < batch) return;
  }
}

export async function* actionPlanRows(db: Db, f: Filters, asOf: string, batch = PLAN_BATCH): AsyncGenerator<SnapshotActionPlan[]> {
  const ids = actionPlanIds(db, f);
  let after = 0;
  for (;;) {
    let q = db.selectFrom('action_plans').selectAll().where('id', '>', after).orderBy('id').limit(batch);
    if (ids) q = q.where('id', 'in', ids);
    const rows = await q.execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const planIds = rows.map((r) => r.id);
    const [mandates, outcomes, links, milestones, indicators] = await Promise.all([
      db.selectFrom('action_plan_mandates').select(['action_plan_id', 'mandate']).where('action_plan_id', 'in', planIds).orderBy('mandate').execute(),
      db.selectFrom('action_plan_outcomes').select(['action_plan_id', 'outcome']).where('action_plan_id', 'in', planIds).orderBy('outcome').execute(),
      db.selectFrom('action_plan_partnerships').innerJoin('partnerships', 'partnerships.id', 'action_plan_partnerships.partnership_id')
        .select(['action_plan_partnerships.action_plan_id', 'partnerships.id', 'partnerships.lead_partner_type'])
        .where('action_plan_partnerships.action_plan_id', 'in', planIds).orderBy('partnerships.id').execute(),
      db.selectFrom('milestones').select(['id', 'action_plan_id', 'due_date']).where('action_plan_id', 'in', planIds).execute(),
      db.selectFrom('indicators').selectAll().where('action_plan_id', 'in', planIds).execute(),
    ]);
    const [msAt, indAt] = await Promise.all([milestonesAt(db, milestones, asOf), indicatorsAt(db, indicators, asOf)]);
    const m = groupBy(mandates, (r) => r.action_plan_id);
    const o = groupBy(outcomes, (r) => r.action_plan_id);
    const l = groupBy(links, (r) => r.action_plan_id);
    const ms = groupBy(milestones, (r) => r.action_plan_id);
    const inds = groupBy(indicators, (r) => r.action_plan_id);
    const out: SnapshotActionPlan[] = [];
    for (const r of rows) {
      const summary = summarizeMilestones((ms.get(r.id) ?? []).map((x) => {
        const s = msAt.get(x.id);
        return { dueDate: x.due_date, status: s?.status ?? 'not_started', completedDate: s?.completedDate ?? null };
      }), asOf);
      const ip = (inds.get(r.id) ?? []).flatMap((x) => indAt.get(x.id) ?? []);
      const p = actionPlanProgress(ip, summary);
      const linked = l.get(r.id) ?? [];
      out.push({
        id: r.id, externalId: r.external_id, title: r.title, owningUnit: r.owning_unit, region: r.region, country: r.country,
        mandates: (m.get(r.id) ?? []).map((x) => x.mandate), outcomes: (o.get(r.id) ?? []).map((x) => x.outcome),
        partnershipIds: linked.map((x) => x.id),
        partnerTypes: [...new Set(linked.flatMap((x) => (x.lead_partner_type ? [x.lead_partner_type] : [])))].sort(),
        startDate: r.start_date, endDate: r.end_date,
        milestonesTotal: summary.total, milestonesCompleted: summary.completed, milestoneCompletionRate: summary.completionRate,
        indicatorsTotal: ip.length, progress: finiteOrNull(p.progress ?? undefined), status: p.status,
      });
    }
    yield out;
    if (rows.length < batch) return;
  }
}

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of gen) out.push(...b);
  return out;
}

/** Every record row behind a view, in memory (for snapshots and compare-with-live). */
export async function collectRecords(db: Db, f: Filters, asOf: string): Promise<SnapshotRecords> {
  const partnerships = await collect(partnershipRows(db, f, asOf));
  const actionPlans = await collect(actionPlanRows(db, f, asOf));
  const milestones = await collect(milestoneRows(db, f, asOf));
  const indicators = await collect(indicatorRows(db, f, asOf));
  return { partnerships, actionPlans, milestones, indicators };
}
