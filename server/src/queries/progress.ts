/**
 * The progress service: summary, by-dimension groups, trajectory, timeline and drill-downs, as of a date.
 * The numbers come only from the pure functions of shared/ (progress.ts, progress-agg.ts), fed with
 * what progress-data.ts aggregates in SQL; the JS here is linear loops and merges.
 *
 * Counting rules (repeated in the API docs and the by-dimension response):
 * - as of `f.asOf` (default: today, UTC): measurements after it are ignored; a milestone's status is that
 *   of the most recently recorded history row effective on or before it (none: not started);
 * - partnerships count when they match the filters and started on or before asOf;
 * - milestones and indicators belong to their action plan, which the filters select (filters.ts);
 * - `status` narrows only the indicator figures, by indicator status at asOf;
 * - attainment means are of min(attainment, 1) over indicators with data, as in action-plan progress.
 */
import {
  actionPlanProgress, addIndicatorAggregate, addIndicatorProgress, addMilestoneCounts, attainmentOfValue, COUNTRIES, country, indicatorUnit, region, DIMENSION_RULES, emptyIndicatorAggregate,
  emptyMilestoneSummary, epochDay, expectedAttainment, forecastFromSums, indicatorMeans, indicatorProgress, INDICATOR_STATUSES,
  MANDATES,  MODALITIES, OBJECTIVES, OUTCOMES, PARTNER_TYPES, REGIONS,
  refreshMilestoneRates, statusOf, summarizeMilestoneClasses, summarizeMilestoneClassesBy, trendFromSums, trendValueAt,
  type ActionPlanProgress, type ActionPlanProgressDetail, type Filters, type IndicatorAggregate, type IndicatorProgress,
  type IndicatorProgressDetail, type IndicatorStatus, type MilestoneSummary, type ProgressByDimension,
  type Figures as FiguresChoice, type ProgressDimension, type ProgressGroupFigures, type ProgressSummary, type ProgressTimeline, type ProgressTrajectory,
} from '@mm/shared';
import { isDemo } from '../db/seed.ts';
import { groupBy, num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { actionPlanIds, partnershipIds } from './filters.ts';
import {
  approvedDerivedUsable, inApprovedWindows, loadApprovedWindows, loadIndicatorCores, loadIndicatorStates, loadMilestoneClasses, loadMilestoneQuarters, loadPartnershipGroups, loadPartnershipTotals, loadPeriodValues,
  loadPlanKeys, loadPlans, type IndicatorCore, type PlanScope,
} from './progress-data.ts';

export type Summary = ProgressSummary;
/** The filters with the figures choice (`figures=approved|latest`, default latest; see FIGURES_RULES in shared). */
export type ProgressF = Filters & { figures?: FiguresChoice };
export type ByDimension = ProgressByDimension;
export type Trajectory = ProgressTrajectory;
export type Timeline = ProgressTimeline;

/** Today's UTC calendar date from the app clock. */
export const todayOf = (deps: Pick<AppDeps, 'clock'>): string => deps.clock().toISOString().slice(0, 10);

/** The date progress is computed at (and a list's `asOf`): `f.asOf`, or today (UTC) by the app clock. */
export const asOfOf = (deps: Pick<AppDeps, 'clock'>, f: Pick<Filters, 'asOf'>): string => f.asOf ?? todayOf(deps);

/** Ratios leave the API rounded to 6 decimals, so float summation order can't make two databases disagree. */
function r6(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1e6) / 1e6 + 0;
}

function isIndicatorStatus(s: string): s is IndicatorStatus {
  return (INDICATOR_STATUSES as readonly string[]).includes(s);
}

/** The indicator statuses `f.status` selects (null: all); a value that is not an indicator status is a 400. */
function statusSelection(f: Filters): Set<IndicatorStatus> | null {
  if (f.status.length === 0) return null;
  const out = new Set<IndicatorStatus>();
  f.status.forEach((s, i) => {
    if (!isIndicatorStatus(s)) throw badRequest(`Unknown indicator status "${s}".`, [{ field: `status.${i}`, reason: `unknown value ${JSON.stringify(s)}; expected one of ${INDICATOR_STATUSES.join(', ')}`, value: s }]);
    out.add(s);
  });
  return out;
}

/**
 * IndicatorProgress of each state: the shared formulas, with the forecast from least-squares sums.
 * Expected attainment depends only on (baseline date, target date), so it is computed once per pair.
 */
function progressOfStates(states: readonly IndicatorCore[], asOf: string): IndicatorProgress[] {
  // baseline date → target date → expected attainment (nested: no key string built per indicator).
  const expectedByPair = new Map<string, Map<string, number>>();
  return states.map((s) => {
    let byTarget = expectedByPair.get(s.baselineDate);
    if (!byTarget) expectedByPair.set(s.baselineDate, (byTarget = new Map()));
    let expected = byTarget.get(s.targetDate);
    if (expected === undefined) byTarget.set(s.targetDate, (expected = expectedAttainment(s, asOf)));
    const attainment = s.latest === undefined ? undefined : attainmentOfValue(s, s.latest.value);
    return { attainment, expected, status: statusOf(attainment, expected), forecast: forecastFromSums(s, s.sums), latest: s.latest };
  });
}

interface Figures { partnerships: number; resourcesUsd: number; milestones: MilestoneSummary; indicators: IndicatorAggregate }
const emptyFigures = (): Figures => ({ partnerships: 0, resourcesUsd: 0, milestones: emptyMilestoneSummary(), indicators: emptyIndicatorAggregate() });

function figuresOut(g: Figures): ProgressGroupFigures {
  refreshMilestoneRates(g.milestones);
  const means = indicatorMeans(g.indicators);
  return {
    partnerships: g.partnerships,
    resourcesUsd: g.resourcesUsd,
    milestones: { total: g.milestones.total, completed: g.milestones.completed, overdue: g.milestones.overdue, completionRate: r6(g.milestones.completionRate) },
    indicators: g.indicators.statuses,
    attainment: r6(means.attainment),
    expected: r6(means.expected),
    forecastMet: r6(means.forecastMet),
  };
}

interface Scope { asOf: string; plans: PlanScope; statuses: Set<IndicatorStatus> | null; key: string }

/** The plan scope of the filters, with the approved windows when `figures=approved`. */
export async function planScopeOf(deps: AppDeps, figures: FiguresChoice | undefined, scope: Omit<PlanScope, 'approved' | 'approvedDerived'>, asOf?: string): Promise<PlanScope> {
  if (figures !== 'approved') return scope;
  const approved = await loadApprovedWindows(deps.db);
  return { ...scope, approved, approvedDerived: asOf !== undefined && await approvedDerivedUsable(deps.db, approved, asOf) };
}

async function scopeOf(deps: AppDeps, f: ProgressF): Promise<Scope> {
  const asOf = asOfOf(deps, f);
  // What selects the action plans (status and asOf do not), and the figures: the key of the results shared between endpoints.
  const key = JSON.stringify([asOf, f.figures ?? 'latest', f.region, f.country, f.partnerType, f.modality, f.mandate, f.objective, f.outcome, f.from ?? null, f.to ?? null]);
  return { asOf, plans: await planScopeOf(deps, f.figures, { plans: actionPlanIds(deps.db, f) }, asOf), statuses: statusSelection(f), key };
}

/**
 * A result several endpoints build on, computed once per data version and scope (the overview asks for the
 * summary, breakdowns and trajectory at once after a write), keyed by the version the request read (or read
 * here). Inside a transaction (a snapshot being taken) it is always computed afresh, from that transaction's
 * view of the data.
 */
async function sharedBase<T>(deps: AppDeps, key: string, compute: () => Promise<T>): Promise<T> {
  if (deps.db.isTransaction) return compute();
  return deps.cache.shared(deps.dataVersion ?? await deps.cache.dataVersion(deps.db), key, compute);
}

/** Every indicator in scope with its progress at asOf (before any status selection). */
function indicatorsInScope(deps: AppDeps, s: Scope): Promise<{ states: IndicatorCore[]; progress: IndicatorProgress[] }> {
  return sharedBase(deps, `indicators|${s.key}`, async () => {
    const states = await loadIndicatorCores(deps.db, deps.dialect, s.plans, s.asOf);
    return { states, progress: progressOfStates(states, s.asOf) };
  });
}

/** Milestone classes in scope (per plan if asked), shared like the indicators. */
function milestoneClassesInScope(deps: AppDeps, s: Scope, perPlan: boolean) {
  return sharedBase(deps, `milestones|${perPlan}|${s.key}`, () => loadMilestoneClasses(deps.db, deps.dialect, s.plans, s.asOf, perPlan));
}

/** Adds each indicator in scope that the status selection keeps to the aggregate `into(plan id)` gives. */
function addSelected(s: Scope, indicators: { states: readonly IndicatorCore[]; progress: readonly IndicatorProgress[] }, into: (planId: number) => IndicatorAggregate): void {
  const { states, progress } = indicators;
  for (let i = 0; i < states.length; i++) {
    const st = states[i];
    const p = progress[i];
    if (st && p && (s.statuses === null || s.statuses.has(p.status))) addIndicatorProgress(into(st.actionPlanId), p);
  }
}

// ------------------------------------------------------------------------------------------ summary

/** Totals for the filtered records at asOf (see the module comment for the counting rules). */
export async function getSummary(deps: AppDeps, f: ProgressF): Promise<Summary> {
  const s = await scopeOf(deps, f);
  const [indicators, classes, partnerships, demo] = await Promise.all([
    indicatorsInScope(deps, s),
    milestoneClassesInScope(deps, s, false),
    loadPartnershipTotals(deps.db, partnershipIds(deps.db, f), s.asOf),
    isDemo(deps.db),
  ]);
  const ms = summarizeMilestoneClasses(classes, s.asOf);
  const agg = emptyIndicatorAggregate();
  addSelected(s, indicators, () => agg);
  const means = indicatorMeans(agg);
  return {
    asOf: s.asOf,
    partnerships: { total: partnerships.total, active: partnerships.active },
    resourcesUsd: partnerships.resourcesUsd,
    milestones: { total: ms.total, completed: ms.completed, overdue: ms.overdue, completionRate: r6(ms.completionRate), onTimeRate: r6(ms.onTimeRate) },
    indicators: { ...agg.statuses, total: agg.count },
    attainment: r6(means.attainment),
    expected: r6(means.expected),
    forecastMet: r6(means.forecastMet),
    demo,
  };
}

// ------------------------------------------------------------------------------------- by dimension

const REFERENCE: Record<ProgressDimension, readonly { code: string; label: string }[]> = {
  region: REGIONS, country: COUNTRIES, partnerType: PARTNER_TYPES, modality: MODALITIES, mandate: MANDATES, objective: OBJECTIVES, outcome: OUTCOMES,
};

interface PlanFigures { milestones: MilestoneSummary; indicators: IndicatorAggregate }

/**
 * Each action plan's milestone summary and indicator aggregate in scope (and status selection). The same
 * for every dimension, so the breakdowns the overview asks for together compute it once per data version.
 * Shared: callers add from it and never change it.
 */
function perPlanFigures(deps: AppDeps, s: Scope): Promise<ReadonlyMap<number, Readonly<PlanFigures>>> {
  const statuses = s.statuses === null ? '*' : [...s.statuses].sort().join(',');
  return sharedBase(deps, `perPlan|${statuses}|${s.key}`, async () => {
    const [indicators, classes] = await Promise.all([indicatorsInScope(deps, s), milestoneClassesInScope(deps, s, true)]);
    const perPlan = new Map<number, PlanFigures>();
    const plan = (id: number) => {
      let p = perPlan.get(id);
      if (!p) perPlan.set(id, (p = { milestones: emptyMilestoneSummary(), indicators: emptyIndicatorAggregate() }));
      return p;
    };
    for (const [id, summary] of summarizeMilestoneClassesBy(classes, (c) => c.actionPlanId, s.asOf)) plan(id).milestones = summary;
    // Each indicator straight into its plan's aggregate (thousands of them: no intermediate lists).
    addSelected(s, indicators, (id) => plan(id).indicators);
    return perPlan;
  });
}

/**
 * Figures per reference value of a dimension, every value present in reference order (zeros where
 * nothing matches), plus the records in no group. Counting rules per dimension: DIMENSION_RULES (shared).
 * When the request also filters by this dimension, only the selected values collect records.
 */
export async function getByDimension(deps: AppDeps, dimension: ProgressDimension, f: ProgressF): Promise<ByDimension> {
  const s = await scopeOf(deps, f);
  const selected: readonly string[] = f[dimension];
  const [perPlan, keys, partnerships] = await Promise.all([
    perPlanFigures(deps, s),
    loadPlanKeys(deps.db, s.plans, dimension, selected),
    loadPartnershipGroups(deps.db, partnershipIds(deps.db, f), s.asOf, dimension, selected),
  ]);

  // Each plan's figures (computed once for every dimension) into every group of the plan.
  const groups = new Map<string, Figures>(REFERENCE[dimension].map((r) => [r.code, emptyFigures()]));
  const unassigned = emptyFigures();
  const keysOf = groupBy(keys, (k) => k.planId);
  for (const [id, p] of perPlan) {
    const targets = (keysOf.get(id) ?? []).map((k) => groups.get(k.key)).filter((g): g is Figures => g !== undefined);
    for (const g of targets.length > 0 ? targets : [unassigned]) {
      addMilestoneCounts(g.milestones, p.milestones);
      addIndicatorAggregate(g.indicators, p.indicators);
    }
  }
  for (const [key, v] of partnerships.groups) {
    const g = groups.get(key) ?? unassigned;
    g.partnerships += v.n;
    g.resourcesUsd += v.usd;
  }
  unassigned.partnerships += partnerships.unassigned.n;
  unassigned.resourcesUsd += partnerships.unassigned.usd;

  return {
    dimension,
    asOf: s.asOf,
    ...DIMENSION_RULES[dimension],
    groups: REFERENCE[dimension].map((r) => ({ key: r.code, label: r.label, ...figuresOut(groups.get(r.code) ?? emptyFigures()) })),
    unassigned: figuresOut(unassigned),
  };
}

// --------------------------------------------------------------------------------------- trajectory

interface Period { period: string; start: string; end: string }

function periodsBetween(first: string, last: string, interval: 'year' | 'quarter'): Period[] {
  const out: Period[] = [];
  const y0 = Number(first.slice(0, 4));
  const y1 = Number(last.slice(0, 4));
  for (let y = y0; y <= y1; y++) {
    const yy = String(y).padStart(4, '0');
    if (interval === 'year') {
      out.push({ period: yy, start: `${yy}-01-01`, end: `${yy}-12-31` });
      continue;
    }
    for (let q = 1; q <= 4; q++) {
      const start = `${yy}-${String(q * 3 - 2).padStart(2, '0')}-01`;
      if (start.slice(0, 7) > last.slice(0, 7) && y === y1) break;
      const end = [`${yy}-03-31`, `${yy}-06-30`, `${yy}-09-30`, `${yy}-12-31`][q - 1] ?? `${yy}-12-31`;
      if (end < first) continue;
      out.push({ period: `${yy}-Q${q}`, start, end });
    }
  }
  return out;
}

/**
 * Mean attainment per period (year or quarter) from the earliest baseline to the latest target date:
 * `actual` = mean of min(attainment, 1) over indicators with data at the period end (or at asOf in the
 * current period; null after asOf); `expected` = mean expected attainment of all indicators there;
 * `forecast` = mean of min(projected attainment, 1) on each indicator's least-squares trend (fitted to
 * measurements up to asOf), from the asOf period to the target date; target = 1 at the latest target date.
 */
export async function getTrajectory(deps: AppDeps, f: ProgressF, interval: 'year' | 'quarter'): Promise<Trajectory> {
  const s = await scopeOf(deps, f);
  // The period values do not depend on the indicators' progress: both reads go out together (on PostgreSQL
  // they run at once, on two connections).
  const [all, byIndicator] = await Promise.all([indicatorsInScope(deps, s), loadPeriodValues(deps.db, deps.dialect, s.plans, s.asOf, interval)]);
  const states = all.states.filter((_st, i) => s.statuses === null || s.statuses.has(all.progress[i]?.status ?? 'no_data'));
  if (states.length === 0) return { asOf: s.asOf, interval, indicators: 0, points: [], target: null };

  let first = states[0]?.baselineDate ?? s.asOf;
  let last = first;
  for (const st of states) {
    if (st.baselineDate < first) first = st.baselineDate;
    if (st.targetDate > last) last = st.targetDate;
  }
  const periods = periodsBetween(first, last, interval);

  // Actual: carry each indicator's latest value forward through the periods.
  const attSum = periods.map(() => 0);
  const attN = periods.map(() => 0);
  const evalDate = periods.map((p) => (p.end <= s.asOf ? p.end : p.start <= s.asOf ? s.asOf : null));
  for (const st of states) {
    const rows = byIndicator.get(st.id) ?? [];
    let j = 0;
    let cur: number | undefined;
    periods.forEach((p, i) => {
      while (j < rows.length && (rows[j]?.period ?? '') <= p.period) cur = rows[j++]?.value;
      if (cur === undefined || evalDate[i] === null) return;
      attSum[i] = (attSum[i] ?? 0) + Math.min(attainmentOfValue(st, cur), 1);
      attN[i] = (attN[i] ?? 0) + 1;
    });
  }

  // Expected: depends only on (baseline date, target date), so evaluate each distinct pair once.
  const pairs = new Map<string, { baselineDate: string; targetDate: string; n: number }>();
  for (const st of states) {
    const k = `${st.baselineDate}|${st.targetDate}`;
    const p = pairs.get(k);
    if (p) p.n++;
    else pairs.set(k, { baselineDate: st.baselineDate, targetDate: st.targetDate, n: 1 });
  }

  // Forecast: each indicator's trend, from the period holding asOf to the target date.
  const lines = states.flatMap((st) => {
    const line = trendFromSums(st.sums);
    return line ? [{ st, line }] : [];
  });

  const points = periods.map((p, i) => {
    const date = evalDate[i] ?? p.end;
    let expSum = 0;
    for (const pair of pairs.values()) expSum += pair.n * expectedAttainment(pair, date);
    let forecast: number | null = null;
    if (s.asOf < last && p.end >= s.asOf && lines.length > 0) {
      let sum = 0;
      for (const { st, line } of lines) sum += Math.min(attainmentOfValue(st, trendValueAt(line, date < st.targetDate ? date : st.targetDate)), 1);
      forecast = sum / lines.length;
    }
    const n = attN[i] ?? 0;
    return {
      period: p.period,
      date,
      actual: evalDate[i] === null || n === 0 ? null : r6((attSum[i] ?? 0) / n),
      withData: evalDate[i] === null ? 0 : n,
      expected: r6(expSum / states.length),
      forecast: r6(forecast),
    };
  });
  return { asOf: s.asOf, interval, indicators: states.length, points, target: { date: last, attainment: 1 } };
}

// ----------------------------------------------------------------------------------------- timeline

function quarterBounds(q: string): { start: string; end: string } {
  const y = q.slice(0, 4);
  const n = Number(q.slice(6));
  return { start: `${y}-${String(n * 3 - 2).padStart(2, '0')}-01`, end: [`${y}-03-31`, `${y}-06-30`, `${y}-09-30`, `${y}-12-31`][n - 1] ?? `${y}-12-31` };
}

function nextQuarter(q: string): string {
  const y = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  return n === 4 ? `${String(y + 1).padStart(4, '0')}-Q1` : `${q.slice(0, 4)}-Q${n + 1}`;
}

/**
 * Milestones per quarter for a burn-up chart, as of asOf: `due` = milestones due in the quarter and not
 * cancelled at asOf; `completed` = milestones completed at asOf, in the quarter of their completion date
 * (the effective date of the change when none was recorded); plus running totals of both.
 */
export async function getTimeline(deps: AppDeps, f: ProgressF): Promise<Timeline> {
  const s = await scopeOf(deps, f);
  const rows = await loadMilestoneQuarters(deps.db, s.plans, s.asOf);
  const due = new Map<string, number>();
  const done = new Map<string, number>();
  let first: string | undefined;
  let last: string | undefined;
  const see = (q: string) => {
    if (first === undefined || q < first) first = q;
    if (last === undefined || q > last) last = q;
  };
  for (const r of rows) {
    if (r.status !== 'cancelled') {
      due.set(r.dueQuarter, (due.get(r.dueQuarter) ?? 0) + r.count);
      see(r.dueQuarter);
    }
    if (r.status === 'completed' && r.doneQuarter !== null) {
      done.set(r.doneQuarter, (done.get(r.doneQuarter) ?? 0) + r.count);
      see(r.doneQuarter);
    }
  }
  const quarters: Timeline['quarters'] = [];
  if (first !== undefined && last !== undefined) {
    let cumDue = 0;
    let cumDone = 0;
    for (let q = first; q <= last; q = nextQuarter(q)) {
      const d = due.get(q) ?? 0;
      const c = done.get(q) ?? 0;
      cumDue += d;
      cumDone += c;
      quarters.push({ quarter: q, ...quarterBounds(q), due: d, completed: c, cumulativeDue: cumDue, cumulativeCompleted: cumDone });
    }
  }
  return { asOf: s.asOf, quarters };
}

// -------------------------------------------------------------------------------------- drill-downs

/** One indicator's progress at asOf with its measurements, expected path and trend line; 404 when unknown. */
export async function getIndicatorProgress(deps: AppDeps, id: number, asOf: string, figures: FiguresChoice = 'latest'): Promise<IndicatorProgressDetail> {
  const row = await deps.db.selectFrom('indicators as i').innerJoin('action_plans as p', 'p.id', 'i.action_plan_id')
    .select(['i.id', 'i.action_plan_id', 'i.name', 'i.unit', 'i.direction', 'i.baseline_value', 'i.baseline_date', 'i.target_value', 'i.target_date', 'p.region'])
    .where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Indicator ${id}`);
  const windows = figures === 'approved' ? await loadApprovedWindows(deps.db) : null;
  const ms = await deps.db.selectFrom('measurements').select(['id', 'date', 'value']).where('indicator_id', '=', id).where('date', '<=', asOf)
    .$if(windows !== null, (q) => q.where((eb) => inApprovedWindows(windows ?? [], 'indicators', eb.ref('indicator_id'), eb.ref('date'))))
    .orderBy('date').orderBy('id').execute();
  const ind = {
    direction: row.direction === 'decrease' ? ('decrease' as const) : ('increase' as const),
    baselineValue: num(row.baseline_value), baselineDate: row.baseline_date, targetValue: num(row.target_value), targetDate: row.target_date,
    measurements: ms.map((m) => ({ date: m.date, value: num(m.value) })),
  };
  const p = indicatorProgress(ind, asOf);

  const pathDates = [ind.baselineDate];
  for (let y = Number(ind.baselineDate.slice(0, 4)); y <= Number(ind.targetDate.slice(0, 4)); y++) {
    const d = `${String(y).padStart(4, '0')}-12-31`;
    if (d > ind.baselineDate && d < ind.targetDate) pathDates.push(d);
  }
  if (ind.targetDate > ind.baselineDate) pathDates.push(ind.targetDate);
  const span = ind.targetValue - ind.baselineValue;
  const fc = p.forecast;
  const firstDate = ms[0]?.date;
  return {
    asOf,
    indicator: { id: row.id, actionPlanId: row.action_plan_id, name: row.name, unit: indicatorUnit.parse(row.unit), direction: ind.direction, region: region.parse(row.region) },
    baseline: { date: ind.baselineDate, value: ind.baselineValue },
    target: { date: ind.targetDate, value: ind.targetValue },
    measurements: ms.map((m) => ({ id: m.id, date: m.date, value: num(m.value), attainment: r6(attainmentOfValue(ind, num(m.value))) ?? 0 })),
    latest: p.latest ? { date: p.latest.date, value: p.latest.value } : null,
    attainment: r6(p.attainment ?? null),
    expected: r6(p.expected) ?? 0,
    status: p.status,
    forecast: fc.kind === 'trend'
      ? { kind: 'trend', slopePerDay: fc.slopePerDay, projectedValue: fc.projectedValue, projectedAttainment: r6(fc.projectedAttainment) ?? 0, meetsTarget: fc.meetsTarget }
      : { kind: 'insufficient_data' },
    expectedPath: pathDates.map((date) => {
      const e = expectedAttainment(ind, date);
      return { date, value: ind.baselineValue + e * span, expected: r6(e) ?? 0 };
    }),
    forecastLine: fc.kind === 'trend' && firstDate !== undefined
      ? [firstDate, ind.targetDate].map((date) => ({ date, value: fc.projectedValue - fc.slopePerDay * (epochDay(ind.targetDate) - epochDay(date)) }))
      : [],
  };
}

/** One action plan's progress at asOf: plan progress and status, milestone summary, and its indicators; 404 when unknown. */
export async function getActionPlanProgress(deps: AppDeps, id: number, asOf: string, figures: FiguresChoice = 'latest'): Promise<ActionPlanProgressDetail> {
  const scope = await planScopeOf(deps, figures, { plans: null, actionPlanId: id }, asOf);
  const [plans, states, classes] = await Promise.all([
    loadPlans(deps.db, scope),
    loadIndicatorStates(deps.db, deps.dialect, scope, asOf),
    loadMilestoneClasses(deps.db, deps.dialect, scope, asOf),
  ]);
  const plan = plans[0];
  if (!plan) throw notFound(`Action plan ${id}`);
  const progress = progressOfStates(states, asOf);
  const ms = summarizeMilestoneClasses(classes, asOf);
  const ap = actionPlanProgress(progress, ms);
  return {
    asOf,
    actionPlan: { id: plan.id, title: plan.title, region: region.parse(plan.region), country: country.nullable().parse(plan.country) },
    progress: { progress: r6(ap.progress), indicatorScore: r6(ap.indicatorScore), milestoneScore: r6(ap.milestoneScore), status: ap.status },
    milestones: { ...ms, completionRate: r6(ms.completionRate), onTimeRate: r6(ms.onTimeRate) },
    indicators: states.map((st, i) => {
      const p = progress[i];
      if (!p) throw new Error('indicator progress missing');
      return {
        id: st.id, name: st.name, unit: indicatorUnit.parse(st.unit), direction: st.direction, status: p.status,
        attainment: r6(p.attainment ?? null), expected: r6(p.expected) ?? 0, latest: p.latest ?? null,
        projectedAttainment: p.forecast.kind === 'trend' ? r6(p.forecast.projectedAttainment) : null,
        forecastMet: p.forecast.kind === 'trend' ? p.forecast.meetsTarget : null,
      };
    }),
  };
}

// --------------------------------------------------------------------------- for record lists (CRUD)

/**
 * Progress at asOf of every indicator whose action plan matches the filters, by indicator id.
 * `f.status` is NOT applied here (callers filter on the returned status).
 */
export async function listIndicatorProgress(deps: AppDeps, f: Filters): Promise<Map<number, IndicatorProgress & { actionPlanId: number; region: string }>> {
  const asOf = asOfOf(deps, f);
  const states = await loadIndicatorStates(deps.db, deps.dialect, { plans: actionPlanIds(deps.db, f) }, asOf);
  const progress = progressOfStates(states, asOf);
  return new Map(states.flatMap((st, i) => {
    const p = progress[i];
    return p ? [[st.id, { ...p, actionPlanId: st.actionPlanId, region: st.region }] as const] : [];
  }));
}

/**
 * Progress at asOf of every action plan matching the filters (plans without indicators or milestones
 * included), by plan id. `f.status` is NOT applied here (callers filter on the returned status).
 */
export async function listActionPlanProgress(deps: AppDeps, f: Filters): Promise<Map<number, ActionPlanProgress>> {
  const asOf = asOfOf(deps, f);
  const scope: PlanScope = { plans: actionPlanIds(deps.db, f) };
  const [plans, states, classes] = await Promise.all([
    loadPlans(deps.db, scope),
    loadIndicatorCores(deps.db, deps.dialect, scope, asOf),
    loadMilestoneClasses(deps.db, deps.dialect, scope, asOf),
  ]);
  const progress = progressOfStates(states, asOf);
  const progressByPlan = new Map<number, IndicatorProgress[]>();
  states.forEach((st, i) => {
    const p = progress[i];
    if (!p) return;
    const list = progressByPlan.get(st.actionPlanId);
    if (list) list.push(p);
    else progressByPlan.set(st.actionPlanId, [p]);
  });
  const summaries = summarizeMilestoneClassesBy(classes, (c) => c.actionPlanId, asOf);
  return new Map(plans.map((p) => [p.id, actionPlanProgress(progressByPlan.get(p.id) ?? [], summaries.get(p.id) ?? emptyMilestoneSummary())]));
}
