/**
 * The progress engine's reads: each function is one set-based query (no per-record queries) that hands
 * the pure functions of shared/ pre-aggregated inputs.
 * - indicators: per indicator, least-squares sums of its measurements on or before asOf and the latest one;
 * - milestones: counts per (action plan, status at asOf, due before/on/after asOf, punctual), where the
 *   status at asOf is that of the most recently recorded history row (highest id) with effective_date <= asOf,
 *   so a correction recorded later with an earlier effective date supersedes what it corrects, and "as of
 *   today" always equals the record's current state;
 * - group keys of action plans and partnerships for the by-dimension report.
 */
import type { Direction, LeastSquaresSums, MilestoneClass, MilestoneStatus, ProgressDimension } from '@mm/shared';
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../db/types.ts';
import { compactRows, inOrder, num } from '../db/util.ts';
import type { IdQuery } from './filters.ts';

/**
 * Which action plans (and through them milestones and indicators) are in scope; null = all. `approved` (for
 * `figures=approved`): the approved (period, region) windows; only measurements and milestone history dated in
 * one of them for the record's region count, and the derived tables (a shortcut for the latest figures) are not used.
 */
export interface PlanScope {
  plans: IdQuery | null; actionPlanId?: number; indicatorId?: number; approved?: readonly ApprovedWindow[];
  /** With `approved`: the approved derived tables hold exactly these windows and asOf is past every one of them (see approvedDerivedUsable). */
  approvedDerived?: boolean;
}

/** An approved (period, region): dates from start to end (inclusive) count for `figures=approved` in that region. */
export interface ApprovedWindow { region: string; start: string; end: string }

/** Where meta keeps the windows the approved derived tables were last built for ('stale' after a record moved region). */
export const APPROVED_DERIVED_KEY = 'approved_derived';

/** The windows as one comparable text. */
export function windowsKey(windows: readonly ApprovedWindow[]): string {
  return JSON.stringify(windows.map((w) => [w.region, w.start, w.end]));
}

/**
 * Whether approved figures as of `asOf` can be read from the approved derived tables: they were built for exactly
 * these windows (nothing approved or reopened since, no record moved region since: a trigger marks them stale), and
 * asOf lies on or after every window's end, so "dated in an approved window" implies "on or before asOf". Data
 * dated in approved windows cannot change meanwhile: locks refuse such writes, from the routes and from imports.
 */
export async function approvedDerivedUsable(db: Db, windows: readonly ApprovedWindow[], asOf: string): Promise<boolean> {
  if (!windows.every((w) => w.end <= asOf)) return false;
  const row = await db.selectFrom('meta').select('value').where('key', '=', APPROVED_DERIVED_KEY).executeTakeFirst();
  return row?.value === windowsKey(windows);
}

/**
 * Rebuilds the approved derived tables for the current windows, in the caller's transaction: every indicator's
 * sums and latest measurement over its measurements dated in approved windows of its region, and every milestone's
 * last history row dated in an approved window of its region (milestones without one are not in the table).
 * Run by the approve and reopen transitions, the demo seed, a restore and the migration that made the tables.
 */
export async function rebuildApproved(db: Db, dialect: Dialect): Promise<void> {
  const windows = await loadApprovedWindows(db);
  await db.deleteFrom('approved_indicator_stats').execute();
  await db.deleteFrom('approved_milestone_state').execute();
  if (windows.length > 0) {
    const agg = measurementSums(db, dialect)
      .where((eb) => inApprovedWindows(windows, 'indicators', eb.ref('m.indicator_id'), eb.ref('m.date')))
      .groupBy('m.indicator_id');
    await db.insertInto('approved_indicator_stats')
      .columns(['indicator_id', 'n', 'sx', 'sy', 'sxy', 'sxx', 'latest_id', 'max_date', 'latest_value'])
      .expression(db.selectFrom(agg.as('a')).innerJoin('measurements as lv', 'lv.id', 'a.latest_id')
        .select(['a.indicator_id', 'a.n', 'a.sx', 'a.sy', 'a.sxy', 'a.sxx', 'a.latest_id', 'lv.date', 'lv.value']))
      .execute();
    const current = db.selectFrom('milestone_history as lh')
      .select((eb) => ['lh.milestone_id', eb.fn.max('lh.id').as('hid')])
      .where((eb) => inApprovedWindows(windows, 'milestones', eb.ref('lh.milestone_id'), eb.ref('lh.effective_date')))
      .groupBy('lh.milestone_id');
    await db.insertInto('approved_milestone_state')
      .columns(['milestone_id', 'status', 'completed_date'])
      .expression(db.selectFrom(current.as('c')).innerJoin('milestone_history as s', 's.id', 'c.hid').select(['c.milestone_id', 's.status', 's.completed_date']))
      .execute();
  }
  const key = windowsKey(windows);
  const updated = await db.updateTable('meta').set({ value: key }).where('key', '=', APPROVED_DERIVED_KEY).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('meta').values({ key: APPROVED_DERIVED_KEY, value: key }).execute();
}

/** The day after a `YYYY-MM-DD` date. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Every approved (period, region) as a window, in a stable order, with a region's windows that touch or overlap
 * merged into one (approved half-years 2007–2012 are one range): the same dates count, in far fewer range tests.
 */
export async function loadApprovedWindows(db: Db): Promise<ApprovedWindow[]> {
  const rows = await db.selectFrom('period_region_states as st').innerJoin('reporting_periods as rp', 'rp.id', 'st.period_id')
    .select(['st.region', 'rp.start_date', 'rp.end_date']).where('st.state', '=', 'approved').execute();
  return mergeWindows(rows.map((r) => ({ region: r.region, start: r.start_date, end: r.end_date })));
}

/** Sorts windows by region and start, merging a region's overlapping or adjacent ones (exported for its unit test). */
export function mergeWindows(windows: readonly ApprovedWindow[]): ApprovedWindow[] {
  const sorted = [...windows].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: ApprovedWindow[] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && last.region === w.region && w.start <= dayAfter(last.end)) {
      if (w.end > last.end) last.end = w.end;
    } else out.push({ ...w });
  }
  return out;
}

/**
 * True for rows whose `date` lies in an approved window of the region of the record `id` (an indicator or a
 * milestone, whose region is its action plan's): per region with windows, `id IN (the region's records) AND
 * (date in one of its windows)`. No windows: nothing counts. The windows are few (periods × regions).
 */
export function inApprovedWindows(windows: readonly ApprovedWindow[], kind: 'indicators' | 'milestones', id: Expression<number>, date: Expression<string>): RawBuilder<boolean> {
  const byRegion = new Map<string, ApprovedWindow[]>();
  for (const w of windows) byRegion.set(w.region, [...(byRegion.get(w.region) ?? []), w]);
  if (byRegion.size === 0) return sql<boolean>`(1 = 0)`;
  const table = sql.table(kind);
  return sql<boolean>`(${sql.join([...byRegion].map(([region, ws]) => sql`(${id} IN (SELECT r.id FROM ${table} r INNER JOIN action_plans rp ON rp.id = r.action_plan_id WHERE rp.region = ${region}) AND (${sql.join(ws.map((w) => sql`(${date} >= ${w.start} AND ${date} <= ${w.end})`), sql` OR `)}))`), sql` OR `)})`;
}

/**
 * Whole days since 1970-01-01 of a `YYYY-MM-DD` text column: the x of the least-squares sums
 * (shared `epochDay`). The one spot where the two databases need different SQL: SQLite has no date
 * type, PostgreSQL no julianday(); both give the same integer.
 */
function epochDays(dialect: Dialect, date: Expression<string>): RawBuilder<number> {
  // Floating point on purpose: the sums stay in float8 on PostgreSQL (exact for these integers, and far
  // cheaper than the numeric type SUM(bigint) would give).
  return dialect === 'sqlite' ? sql<number>`(julianday(${date}) - 2440587.5)` : sql<number>`CAST(CAST(${date} AS date) - DATE '1970-01-01' AS double precision)`;
}

/**
 * "Latest row" in one grouped pass: rank = (a whole number that grows with the date) · 2^32 + id, so
 * MAX(rank) picks the latest date and, on ties, the highest id; `idOfRank` recovers that id. Ids stay
 * below 2^31, and the ranks fit in 64-bit integers on both databases (they never reach JS).
 */
const RANK = sql.raw('4294967296');
function rankOf(orderKey: Expression<number>, id: Expression<number>): RawBuilder<number> {
  return sql<number>`(${orderKey} * ${RANK} + ${id})`;
}
function idOfRank(rank: Expression<number>): RawBuilder<number> {
  return sql<number>`(${rank} % ${RANK})`;
}
/** A date as the integer YYYYMMDD: plain string functions, the same on both databases, and ordered like the date. */
function dateNumber(date: Expression<string>): RawBuilder<number> {
  return sql<number>`CAST(replace(${date}, '-', '') AS INTEGER)`;
}

/** `2012` or `2012-Q3` of a `YYYY-MM-DD` text expression; plain string functions, the same SQL on both databases. */
export function periodOf(date: Expression<string>, interval: 'year' | 'quarter'): RawBuilder<string> {
  return interval === 'year'
    ? sql<string>`substr(${date}, 1, 4)`
    : sql<string>`substr(${date}, 1, 4) || '-Q' || CAST((CAST(substr(${date}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
}

function indicatorIdsInScope(db: Db, s: PlanScope) {
  let q = db.selectFrom('indicators').select('indicators.id');
  if (s.plans) q = q.where('indicators.action_plan_id', 'in', s.plans);
  if (s.actionPlanId !== undefined) q = q.where('indicators.action_plan_id', '=', s.actionPlanId);
  if (s.indicatorId !== undefined) q = q.where('indicators.id', '=', s.indicatorId);
  return q;
}

const narrowed = (s: PlanScope) => s.plans !== null || s.actionPlanId !== undefined || s.indicatorId !== undefined;

/** What the progress formulas need of an indicator at asOf. */
export interface IndicatorCore {
  id: number;
  actionPlanId: number;
  direction: Direction;
  baselineValue: number;
  baselineDate: string;
  targetValue: number;
  targetDate: string;
  /** Least-squares sums of the measurements dated on or before asOf (x = epoch day). */
  sums: LeastSquaresSums;
  /** The latest measurement on or before asOf (same date: highest id). */
  latest: { date: string; value: number } | undefined;
}

/** An indicator's core figures with its labels and its action plan's region. */
export interface IndicatorState extends IndicatorCore {
  region: string;
  name: string;
  unit: string;
}

/**
 * Each indicator's least-squares sums and latest measurement id over the measurements the caller's WHERE keeps
 * (grouped by indicator): the indicator replay and the approved derived tables' rebuild read the same figures.
 */
function measurementSums(db: Db, dialect: Dialect) {
  return db.selectFrom('measurements as m')
    .select((eb) => {
      const x = epochDays(dialect, eb.ref('m.date'));
      return [
        'm.indicator_id',
        eb.fn.countAll<number>().as('n'),
        sql<number>`SUM(${x})`.as('sx'),
        eb.fn.sum<number>('m.value').as('sy'),
        sql<number>`SUM(${x} * ${eb.ref('m.value')})`.as('sxy'),
        sql<number>`SUM(${x} * ${x})`.as('sxx'),
        idOfRank(eb.fn.max(rankOf(dateNumber(eb.ref('m.date')), eb.ref('m.id')))).as('latest_id'),
      ];
    });
}

/**
 * Every indicator in scope with its measurement statistics at asOf, in id order. As of a date on or after
 * every measurement (the usual "as of today"), the trigger-kept indicator_stats rows are the answer, latest
 * value included; otherwise one grouped pass over the measurements (measured faster on both databases than
 * grouping per date first), then one primary-key lookup per indicator for the latest value.
 */
function indicatorRows(db: Db, dialect: Dialect, s: PlanScope, asOf: string, settled: boolean) {
  let agg = measurementSums(db, dialect)
    .where('m.date', '<=', asOf)
    .groupBy('m.indicator_id');
  if (narrowed(s)) agg = agg.where('m.indicator_id', 'in', indicatorIdsInScope(db, s));
  if (s.approved) agg = agg.where((eb) => inApprovedWindows(s.approved ?? [], 'indicators', eb.ref('m.indicator_id'), eb.ref('m.date')));

  const base = db.selectFrom('indicators as i')
    .select(['i.id', 'i.action_plan_id', 'i.direction', 'i.baseline_value', 'i.baseline_date', 'i.target_value', 'i.target_date'])
    .orderBy('i.id');
  const withStats = s.approved && s.approvedDerived
    ? base.leftJoin('approved_indicator_stats as agg', 'agg.indicator_id', 'i.id')
      .select(['agg.n', 'agg.sx', 'agg.sy', 'agg.sxy', 'agg.sxx', 'agg.max_date as latest_date', 'agg.latest_value'])
    : settled
    ? base.leftJoin('indicator_stats as agg', 'agg.indicator_id', 'i.id')
      .select(['agg.n', 'agg.sx', 'agg.sy', 'agg.sxy', 'agg.sxx', 'agg.max_date as latest_date', 'agg.latest_value'])
    : base.leftJoin(agg.as('agg'), 'agg.indicator_id', 'i.id').leftJoin('measurements as lv', 'lv.id', 'agg.latest_id')
      .select(['agg.n', 'agg.sx', 'agg.sy', 'agg.sxy', 'agg.sxx', 'lv.date as latest_date', 'lv.value as latest_value']);
  let q = withStats;
  if (s.plans) q = q.where('i.action_plan_id', 'in', s.plans);
  if (s.actionPlanId !== undefined) q = q.where('i.action_plan_id', '=', s.actionPlanId);
  if (s.indicatorId !== undefined) q = q.where('i.id', '=', s.indicatorId);
  return q;
}

type CoreRow = {
  id: number; action_plan_id: number; direction: string; baseline_value: number; baseline_date: string; target_value: number; target_date: string;
  n: unknown; sx: unknown; sy: unknown; sxy: unknown; sxx: unknown; latest_date: string | null; latest_value: unknown;
};
function coreOf(r: CoreRow): IndicatorCore {
  return {
    id: r.id,
    actionPlanId: r.action_plan_id,
    direction: r.direction === 'decrease' ? 'decrease' : 'increase',
    baselineValue: num(r.baseline_value),
    baselineDate: r.baseline_date,
    targetValue: num(r.target_value),
    targetDate: r.target_date,
    sums: { n: num(r.n), sumX: num(r.sx), sumY: num(r.sy), sumXY: num(r.sxy), sumXX: num(r.sxx) },
    latest: r.latest_date !== null && r.latest_value !== null && r.latest_value !== undefined ? { date: r.latest_date, value: num(r.latest_value) } : undefined,
  };
}

const CORE_COLUMNS = ['id', 'action_plan_id', 'direction', 'baseline_value', 'baseline_date', 'target_value', 'target_date', 'n', 'sx', 'sy', 'sxy', 'sxx', 'latest_date', 'latest_value'] as const;
const CORE_TEXT = ['direction', 'baseline_date', 'target_date', 'latest_date'] as const;

/** The indicators in scope at asOf with only what the progress formulas need (the aggregate endpoints), in id order. */
export async function loadIndicatorCores(db: Db, dialect: Dialect, s: PlanScope, asOf: string): Promise<IndicatorCore[]> {
  const rows = inOrder(await compactRows(db, dialect, indicatorRows(db, dialect, s, asOf, await measurementsSettled(db, s, asOf)), CORE_COLUMNS, CORE_TEXT), (a, b) => num(a[0]) - num(b[0]));
  return rows.map((r) => coreOf({
    id: num(r[0]), action_plan_id: num(r[1]), direction: String(r[2]), baseline_value: num(r[3]), baseline_date: String(r[4]),
    target_value: num(r[5]), target_date: String(r[6]), n: r[7], sx: r[8], sy: r[9], sxy: r[10], sxx: r[11],
    latest_date: typeof r[12] === 'string' ? r[12] : null, latest_value: r[13],
  }));
}

/** {@link loadIndicatorCores} with each indicator's name, unit and action plan region. */
export async function loadIndicatorStates(db: Db, dialect: Dialect, s: PlanScope, asOf: string): Promise<IndicatorState[]> {
  const rows = await indicatorRows(db, dialect, s, asOf, await measurementsSettled(db, s, asOf))
    .innerJoin('action_plans as p', 'p.id', 'i.action_plan_id')
    .select(['i.name', 'i.unit', 'p.region'])
    .execute();
  return rows.map((r) => ({ ...coreOf(r), region: r.region, name: r.name, unit: r.unit }));
}

/** An indicator's latest measurement value in one period. */
export interface PeriodValue { period: string; value: number }

/** Periods as the trajectory walks them (string order, whatever the database's collation). */
const byPeriod = (a: PeriodValue, b: PeriodValue): number => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0);

/** Rows of (indicator id, period, value) → each indicator's periods, in period order (each list sorted only if it needs it). */
function periodsByIndicator(rows: Iterable<readonly [unknown, unknown, unknown]>): Map<number, PeriodValue[]> {
  const out = new Map<number, PeriodValue[]>();
  for (const [id, period, value] of rows) {
    const k = num(id);
    const v = { period: String(period), value: num(value) };
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  for (const list of out.values()) inOrder(list, byPeriod);
  return out;
}

/** Per indicator, the latest measurement value in each period (dated on or before asOf), in period order. */
export async function loadPeriodValues(db: Db, dialect: Dialect, s: PlanScope, asOf: string, interval: 'year' | 'quarter'): Promise<Map<number, PeriodValue[]>> {
  // As of a date on or after every measurement, the trigger-kept latest value per period (migration 5) is the answer.
  if (await measurementsSettled(db, s, asOf)) {
    let q = db.selectFrom('indicator_periods as ip')
      .select(['ip.indicator_id', 'ip.period', 'ip.value'])
      .where('ip.kind', '=', interval);
    if (narrowed(s)) q = q.where('ip.indicator_id', 'in', indicatorIdsInScope(db, s));
    // Tens of thousands of rows at scale: one JSON array (see compactRows).
    return periodsByIndicator((await compactRows(db, dialect, q, ['indicator_id', 'period', 'value'], ['period'])) as [unknown, unknown, unknown][]);
  }
  let x = db.selectFrom('measurements as m')
    .select((eb) => ['m.indicator_id', periodOf(eb.ref('m.date'), interval).as('period'), rankOf(dateNumber(eb.ref('m.date')), eb.ref('m.id')).as('rank')])
    .where('m.date', '<=', asOf);
  if (narrowed(s)) x = x.where('m.indicator_id', 'in', indicatorIdsInScope(db, s));
  if (s.approved) x = x.where((eb) => inApprovedWindows(s.approved ?? [], 'indicators', eb.ref('m.indicator_id'), eb.ref('m.date')));
  const latest = db.selectFrom(x.as('x'))
    .select((eb) => ['x.indicator_id', 'x.period', idOfRank(eb.fn.max('x.rank')).as('mid')])
    .groupBy(['x.indicator_id', 'x.period']);
  const rows = await db.selectFrom(latest.as('l')).innerJoin('measurements as lv', 'lv.id', 'l.mid')
    .select(['l.indicator_id', 'l.period', 'lv.value'])
    .execute();
  return periodsByIndicator(rows.map((r) => [r.indicator_id, r.period, r.value] as const));
}

/**
 * True when no recorded change is dated after `asOf` (the usual case: "as of today"). Then the current
 * record state IS the state at asOf, and the progress code reads it directly instead of replaying
 * history; both checks are one index lookup (MAX over an indexed date column).
 */
async function historySettledBy(db: Db, asOf: string): Promise<boolean> {
  const r = await db.selectFrom('milestone_history').select((eb) => eb.fn.max('effective_date').as('d')).executeTakeFirst();
  return r?.d === null || r?.d === undefined || r.d <= asOf;
}
/** The derived tables answer only for the latest figures; approved figures always replay. */
async function measurementsSettled(db: Db, s: PlanScope, asOf: string): Promise<boolean> {
  return !s.approved && await measurementsSettledBy(db, asOf);
}
async function historySettled(db: Db, s: PlanScope, asOf: string): Promise<boolean> {
  return !s.approved && await historySettledBy(db, asOf);
}
async function measurementsSettledBy(db: Db, asOf: string): Promise<boolean> {
  const r = await db.selectFrom('measurements').select((eb) => eb.fn.max('date').as('d')).executeTakeFirst();
  return r?.d === null || r?.d === undefined || r.d <= asOf;
}

/** The columns of a milestone's state at asOf, wherever they come from. */
interface MilestoneStateCols { status: RawBuilder<string | null>; completedDate: RawBuilder<string | null>; effectiveDate: RawBuilder<string | null> }

/**
 * Milestones in scope with their state at asOf: when history is settled by asOf, the milestone row itself
 * (its status is, by construction, its latest change); otherwise joined (alias `s`) to the history row in
 * force at asOf (null when none yet), found in one grouped pass over the history.
 */
async function milestonesAt(db: Db, s: PlanScope, asOf: string) {
  if (await historySettled(db, s, asOf)) {
    let q = db.selectFrom('milestones as m');
    if (s.plans) q = q.where('m.action_plan_id', 'in', s.plans);
    if (s.actionPlanId !== undefined) q = q.where('m.action_plan_id', '=', s.actionPlanId);
    const cols: MilestoneStateCols = { status: sql`m.status`, completedDate: sql`m.completed_date`, effectiveDate: sql`substr(m.updated_at, 1, 10)` };
    return { q: q as unknown as ReturnType<typeof historyJoin>, cols };
  }
  const cols: MilestoneStateCols = { status: sql`s.status`, completedDate: sql`s.completed_date`, effectiveDate: sql`s.effective_date` };
  return { q: historyJoin(db, s, asOf), cols };
}

function historyJoin(db: Db, s: PlanScope, asOf: string) {
  let current = db.selectFrom('milestone_history as lh')
    .select((eb) => ['lh.milestone_id', eb.fn.max('lh.id').as('hid')])
    .where('lh.effective_date', '<=', asOf)
    .groupBy('lh.milestone_id');
  if (s.approved) current = current.where((eb) => inApprovedWindows(s.approved ?? [], 'milestones', eb.ref('lh.milestone_id'), eb.ref('lh.effective_date')));
  if (narrowed(s)) {
    let inScope = db.selectFrom('milestones as sm').select('sm.id');
    if (s.plans) inScope = inScope.where('sm.action_plan_id', 'in', s.plans);
    if (s.actionPlanId !== undefined) inScope = inScope.where('sm.action_plan_id', '=', s.actionPlanId);
    current = current.where('lh.milestone_id', 'in', inScope);
  }
  let q = db.selectFrom('milestones as m')
    .leftJoin(current.as('c'), 'c.milestone_id', 'm.id')
    .leftJoin('milestone_history as s', 's.id', 'c.hid');
  if (s.plans) q = q.where('m.action_plan_id', 'in', s.plans);
  if (s.actionPlanId !== undefined) q = q.where('m.action_plan_id', '=', s.actionPlanId);
  return q;
}

const MILESTONE_STATUSES: readonly MilestoneStatus[] = ['not_started', 'in_progress', 'completed', 'delayed', 'cancelled'];
function milestoneStatus(v: string): MilestoneStatus {
  return MILESTONE_STATUSES.find((x) => x === v) ?? 'not_started';
}

/**
 * Milestone classes at asOf (see shared summarizeMilestoneClasses), per action plan, or over all the
 * milestones in scope when `perPlan` is false (then actionPlanId is 0 and far fewer groups are formed).
 */
export async function loadMilestoneClasses(db: Db, dialect: Dialect, s: PlanScope, asOf: string, perPlan = true): Promise<(MilestoneClass & { actionPlanId: number })[]> {
  if (s.approved && s.approvedDerived) return approvedMilestoneClasses(db, s, asOf, perPlan);
  if (await historySettled(db, s, asOf)) return milestoneClassesFromCounts(db, dialect, s, asOf, perPlan);
  const { q, cols } = await milestonesAt(db, s, asOf);
  const inner = q.select((eb) => [
    perPlan ? eb.ref('m.action_plan_id').as('plan') : sql<number>`0`.as('plan'),
    sql<string>`COALESCE(${cols.status}, 'not_started')`.as('st'),
    sql<string>`CASE WHEN ${eb.ref('m.due_date')} < ${asOf} THEN 'past' WHEN ${eb.ref('m.due_date')} = ${asOf} THEN 'today' ELSE 'future' END`.as('dc'),
    sql<number>`CASE WHEN ${cols.completedDate} IS NOT NULL AND ${cols.completedDate} <= ${eb.ref('m.due_date')} THEN 1 ELSE 0 END`.as('ot'),
  ]);
  const rows = await db.selectFrom(inner.as('x'))
    .select((eb) => ['x.plan', 'x.st', 'x.dc', 'x.ot', eb.fn.countAll<number>().as('n')])
    .groupBy(['x.plan', 'x.st', 'x.dc', 'x.ot'])
    .execute();
  return rows.map((r) => ({
    actionPlanId: num(r.plan),
    status: milestoneStatus(r.st),
    due: r.dc === 'past' ? 'past' : r.dc === 'today' ? 'today' : 'future',
    onTime: num(r.ot) === 1,
    count: num(r.n),
  }));
}

/**
 * Approved classes from the approved derived table: every milestone in scope counts as not started in its due class
 * (one indexed pass), then the few with an approved state move to their status and punctuality (a join of those
 * only). The same classes as the replay, with the 50,000-row history join left out.
 */
async function approvedMilestoneClasses(db: Db, s: PlanScope, asOf: string, perPlan: boolean): Promise<(MilestoneClass & { actionPlanId: number })[]> {
  const dueClass = (due: Expression<string>) => sql<string>`CASE WHEN ${due} < ${asOf} THEN 'past' WHEN ${due} = ${asOf} THEN 'today' ELSE 'future' END`;
  let all = db.selectFrom('milestones as m');
  let moved = db.selectFrom('approved_milestone_state as a').innerJoin('milestones as m', 'm.id', 'a.milestone_id');
  if (s.plans) { all = all.where('m.action_plan_id', 'in', s.plans); moved = moved.where('m.action_plan_id', 'in', s.plans); }
  if (s.actionPlanId !== undefined) { all = all.where('m.action_plan_id', '=', s.actionPlanId); moved = moved.where('m.action_plan_id', '=', s.actionPlanId); }
  const plan = perPlan ? sql<number>`m.action_plan_id` : sql<number>`0`;
  const [everyone, approved] = await Promise.all([
    db.selectFrom(all.select((eb) => [plan.as('plan'), dueClass(eb.ref('m.due_date')).as('dc')]).as('x'))
      .select((eb) => ['x.plan', 'x.dc', eb.fn.countAll<number>().as('n')]).groupBy(['x.plan', 'x.dc']).execute(),
    db.selectFrom(moved.select((eb) => [
      plan.as('plan'), 'a.status as st', dueClass(eb.ref('m.due_date')).as('dc'),
      sql<number>`CASE WHEN a.completed_date IS NOT NULL AND a.completed_date <= m.due_date THEN 1 ELSE 0 END`.as('ot'),
    ]).as('x')).select((eb) => ['x.plan', 'x.st', 'x.dc', 'x.ot', eb.fn.countAll<number>().as('n')]).groupBy(['x.plan', 'x.st', 'x.dc', 'x.ot']).execute(),
  ]);
  const due = (dc: string): MilestoneClass['due'] => (dc === 'past' ? 'past' : dc === 'today' ? 'today' : 'future');
  const byKey = new Map<string, MilestoneClass & { actionPlanId: number }>();
  const add = (planId: number, status: MilestoneStatus, d: MilestoneClass['due'], onTime: boolean, n: number) => {
    const key = `${planId}|${status}|${d}|${onTime ? 1 : 0}`;
    const c = byKey.get(key);
    if (c) c.count += n;
    else byKey.set(key, { actionPlanId: planId, status, due: d, onTime, count: n });
  };
  for (const r of everyone) add(num(r.plan), 'not_started', due(r.dc), false, num(r.n));
  for (const r of approved) {
    add(num(r.plan), 'not_started', due(r.dc), false, -num(r.n));
    add(num(r.plan), milestoneStatus(r.st), due(r.dc), num(r.ot) === 1, num(r.n));
  }
  return [...byKey.values()].filter((c) => c.count !== 0);
}

/**
 * The classes when the current milestone rows are the state at asOf: the trigger-kept counts per (plan,
 * status, punctuality) are all "due before asOf", except the milestones due on or after asOf, which one
 * indexed range read finds (none, as of today, for plans that ended) and moves to "today" / "future".
 */
async function milestoneClassesFromCounts(db: Db, dialect: Dialect, s: PlanScope, asOf: string, perPlan: boolean): Promise<(MilestoneClass & { actionPlanId: number })[]> {
  let counts = db.selectFrom('milestone_counts as c').where('c.n', '>', 0);
  if (s.plans) counts = counts.where('c.action_plan_id', 'in', s.plans);
  if (s.actionPlanId !== undefined) counts = counts.where('c.action_plan_id', '=', s.actionPlanId);
  let upcoming = db.selectFrom('milestones as m').where('m.due_date', '>=', asOf);
  if (s.plans) upcoming = upcoming.where('m.action_plan_id', 'in', s.plans);
  if (s.actionPlanId !== undefined) upcoming = upcoming.where('m.action_plan_id', '=', s.actionPlanId);
  const later = db.selectFrom(upcoming.select((eb) => [
    // `+` makes the plan column useless for ordering the groups, so SQLite reads the few milestones due from
    // asOf on through the due-date index instead of walking every milestone in plan order through the
    // (action_plan_id, …) index to save a sort (m: 3.5 → 0.03 ms). PostgreSQL plans it the same either way.
    perPlan ? sql<number>`+${eb.ref('m.action_plan_id')}`.as('plan') : sql<number>`0`.as('plan'),
    'm.status as st',
    sql<number>`CASE WHEN m.completed_date IS NOT NULL AND m.completed_date <= m.due_date THEN 1 ELSE 0 END`.as('ot'),
    sql<number>`CASE WHEN m.due_date = ${asOf} THEN 1 ELSE 0 END`.as('today'),
  ]).as('x')).select((eb) => ['x.plan', 'x.st', 'x.ot', 'x.today', eb.fn.countAll<number>().as('n')]).groupBy(['x.plan', 'x.st', 'x.ot', 'x.today']);
  const [totals, moved] = await Promise.all([
    perPlan
      // One row per plan and class (thousands): fetched as one JSON array (see compactRows).
      ? compactRows(db, dialect, counts.select(['c.action_plan_id as plan', 'c.status as st', 'c.on_time as ot', 'c.n']), ['plan', 'st', 'ot', 'n'], ['st'])
        .then((rows) => rows.map((r) => ({ plan: r[0], st: String(r[1]), ot: r[2], n: r[3] })))
      : counts.select((eb) => [sql<number>`0`.as('plan'), 'c.status as st', 'c.on_time as ot', eb.fn.sum<number>('c.n').as('n')]).groupBy(['c.status', 'c.on_time']).execute(),
    later.execute(),
  ]);
  // The totals are one row per (plan, status, punctuality) already; only the classes that milestones due
  // from asOf on move out of (none, as of today, once every plan has ended) need finding by key.
  const out = totals.map((r): MilestoneClass & { actionPlanId: number } => ({ actionPlanId: num(r.plan), status: milestoneStatus(r.st), due: 'past', onTime: num(r.ot) === 1, count: num(r.n) }));
  if (moved.length > 0) {
    const byKey = new Map(out.map((c) => [`${c.actionPlanId}|${c.status}|${c.onTime ? 1 : 0}|${c.due}`, c]));
    const add = (plan: number, st: string, ot: number, due: MilestoneClass['due'], n: number) => {
      const status = milestoneStatus(st);
      const key = `${plan}|${status}|${ot}|${due}`;
      const c = byKey.get(key);
      if (c) c.count += n;
      else {
        const made = { actionPlanId: plan, status, due, onTime: ot === 1, count: n };
        byKey.set(key, made);
        out.push(made);
      }
    };
    for (const r of moved) {
      const n = num(r.n);
      add(num(r.plan), r.st, num(r.ot), 'past', -n);
      add(num(r.plan), r.st, num(r.ot), num(r.today) === 1 ? 'today' : 'future', n);
    }
  }
  return out.filter((c) => c.count !== 0);
}

/** Milestone counts by due quarter, status at asOf, and (when completed) completion quarter. */
export async function loadMilestoneQuarters(db: Db, s: PlanScope, asOf: string): Promise<{ dueQuarter: string; status: MilestoneStatus; doneQuarter: string | null; count: number }[]> {
  // Every milestone, as of a date after every recorded change: the trigger-kept counts (migration 6) are the answer.
  if (!narrowed(s) && await historySettled(db, s, asOf)) {
    const rows = await db.selectFrom('milestone_quarters').select(['due_quarter', 'status', 'done_quarter', 'n']).where('n', '>', 0).execute();
    return rows.map((r) => ({ dueQuarter: r.due_quarter, status: milestoneStatus(r.status), doneQuarter: r.done_quarter === '' ? null : r.done_quarter, count: num(r.n) }));
  }
  const { q, cols } = await milestonesAt(db, s, asOf);
  const inner = q.select((eb) => [
    periodOf(eb.ref('m.due_date'), 'quarter').as('dq'),
    sql<string>`COALESCE(${cols.status}, 'not_started')`.as('st'),
    sql<string | null>`CASE WHEN ${cols.status} = 'completed' THEN ${periodOf(sql<string>`COALESCE(${cols.completedDate}, ${cols.effectiveDate})`, 'quarter')} ELSE NULL END`.as('cq'),
  ]);
  const rows = await db.selectFrom(inner.as('x'))
    .select((eb) => ['x.dq', 'x.st', 'x.cq', eb.fn.countAll<number>().as('n')])
    .groupBy(['x.dq', 'x.st', 'x.cq'])
    .execute();
  return rows.map((r) => ({ dueQuarter: r.dq, status: milestoneStatus(r.st), doneQuarter: r.cq, count: num(r.n) }));
}

export interface PlanRow { id: number; title: string; region: string; country: string | null }

/** The action plans in scope, in id order. */
export async function loadPlans(db: Db, s: PlanScope): Promise<PlanRow[]> {
  let q = db.selectFrom('action_plans as p').select(['p.id', 'p.title', 'p.region', 'p.country']).orderBy('p.id');
  if (s.plans) q = q.where('p.id', 'in', s.plans);
  if (s.actionPlanId !== undefined) q = q.where('p.id', '=', s.actionPlanId);
  return q.execute();
}

/**
 * Group keys of each action plan in scope for a dimension: its region or country; the lead-partner types
 * or modalities of its linked partnerships; its mandates, outcomes, or the objectives of its outcomes.
 * `selected` (the request's own filter on this dimension) limits the keys to those values.
 */
export async function loadPlanKeys(db: Db, s: PlanScope, dimension: ProgressDimension, selected: readonly string[]): Promise<{ planId: number; key: string }[]> {
  const pick = <T extends { planId: number; key: string | null }>(rows: T[]) =>
    rows.flatMap((r) => (r.key !== null && (selected.length === 0 || selected.includes(r.key)) ? [{ planId: r.planId, key: r.key }] : []));
  if (dimension === 'region' || dimension === 'country') {
    let q = db.selectFrom('action_plans as p').select(['p.id as planId', dimension === 'region' ? 'p.region as key' : 'p.country as key']);
    if (s.plans) q = q.where('p.id', 'in', s.plans);
    if (s.actionPlanId !== undefined) q = q.where('p.id', '=', s.actionPlanId);
    return pick(await q.execute());
  }
  if (dimension === 'partnerType' || dimension === 'modality') {
    const col = dimension === 'partnerType' ? 'ps.lead_partner_type' : 'ps.modality';
    let q = db.selectFrom('action_plan_partnerships as app').innerJoin('partnerships as ps', 'ps.id', 'app.partnership_id')
      .select(['app.action_plan_id as planId', `${col} as key`]).distinct();
    if (s.plans) q = q.where('app.action_plan_id', 'in', s.plans);
    return pick(await q.execute());
  }
  if (dimension === 'mandate') {
    let q = db.selectFrom('action_plan_mandates as am').select(['am.action_plan_id as planId', 'am.mandate as key']);
    if (s.plans) q = q.where('am.action_plan_id', 'in', s.plans);
    return pick(await q.execute());
  }
  let q = db.selectFrom('action_plan_outcomes as ao').select(['ao.action_plan_id as planId', dimension === 'outcome' ? 'ao.outcome as key' : 'ao.objective as key']).distinct();
  if (s.plans) q = q.where('ao.action_plan_id', 'in', s.plans);
  return pick(await q.execute());
}

/** Partnerships in scope: matching the filters and started on or before asOf. */
function partnershipBase(db: Db, ids: IdQuery | null, asOf: string) {
  let q = db.selectFrom('partnerships as ps').where('ps.start_date', '<=', asOf);
  if (ids) q = q.where('ps.id', 'in', ids);
  return q;
}

/** Totals of the partnerships in scope; active = started, not ended, and neither pipeline nor suspended at asOf. */
export async function loadPartnershipTotals(db: Db, ids: IdQuery | null, asOf: string): Promise<{ total: number; active: number; resourcesUsd: number }> {
  const r = await partnershipBase(db, ids, asOf)
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('ps.resources_usd').as('usd'),
      sql<number>`SUM(CASE WHEN ${eb.ref('ps.end_date')} >= ${asOf} AND ${eb.ref('ps.status')} NOT IN ('pipeline', 'suspended') THEN 1 ELSE 0 END)`.as('active'),
    ])
    .executeTakeFirstOrThrow();
  return { total: num(r.n), active: num(r.active), resourcesUsd: num(r.usd) };
}

/**
 * Partnership count and resources per group key of a dimension, plus those in no group. Single-valued
 * keys (region, country, lead type, modality) partition; mandates, outcomes and objectives count a
 * partnership once in each of its values (only `selected` ones when the request filters this dimension).
 */
export async function loadPartnershipGroups(db: Db, ids: IdQuery | null, asOf: string, dimension: ProgressDimension, selected: readonly string[]): Promise<{ groups: Map<string, { n: number; usd: number }>; unassigned: { n: number; usd: number } }> {
  const base = () => partnershipBase(db, ids, asOf);
  const out = new Map<string, { n: number; usd: number }>();
  let unassigned = { n: 0, usd: 0 };
  const take = (rows: { key: string | null; n: unknown; usd: unknown }[]) => {
    for (const r of rows) {
      const v = { n: num(r.n), usd: num(r.usd) };
      if (r.key === null) unassigned = v;
      else out.set(r.key, v);
    }
  };
  if (dimension === 'region' || dimension === 'country' || dimension === 'partnerType' || dimension === 'modality') {
    const col = dimension === 'region' ? 'ps.region' : dimension === 'country' ? 'ps.country' : dimension === 'partnerType' ? 'ps.lead_partner_type' : 'ps.modality';
    take(await base().select((eb) => [`${col} as key`, eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('ps.resources_usd').as('usd')]).groupBy(col).execute());
    return { groups: out, unassigned };
  }
  if (dimension === 'objective') {
    // Several outcomes of a partnership may share an objective: the partnership counts once in it. Grouped by
    // (partnership, objective) first, in the order of the partnership_outcomes_objective index (migration 7),
    // then per objective; the partnerships with no (selected) objective form the null group.
    const pairs = base()
      .leftJoin('partnership_outcomes as l', (j) => (selected.length > 0 ? j.onRef('l.partnership_id', '=', 'ps.id').on('l.objective', 'in', selected) : j.onRef('l.partnership_id', '=', 'ps.id')))
      .select(['ps.id', 'ps.resources_usd as usd', 'l.objective as key'])
      .groupBy(['ps.id', 'l.objective']);
    take(await db.selectFrom(pairs.as('x')).select((eb) => ['x.key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('x.usd').as('usd')]).groupBy('x.key').execute());
    return { groups: out, unassigned };
  }
  const links = dimension === 'mandate'
    ? db.selectFrom('partnership_mandates as l').select(['l.partnership_id', 'l.mandate as key']).$if(selected.length > 0, (q) => q.where('l.mandate', 'in', selected))
    // (partnership, outcome) is the primary key: each pair once already.
    : db.selectFrom('partnership_outcomes as l').select(['l.partnership_id', 'l.outcome as key']).$if(selected.length > 0, (q) => q.where('l.outcome', 'in', selected));
  // One pass: a partnership counts once in each of its groups, and the ones with none form the null group
  // (the unassigned).
  take(await base().leftJoin(links.as('k'), 'k.partnership_id', 'ps.id')
    .select((eb) => ['k.key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('ps.resources_usd').as('usd')]).groupBy('k.key').execute());
  return { groups: out, unassigned };
}
