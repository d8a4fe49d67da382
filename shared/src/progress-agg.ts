/**
 * Aggregation helpers on top of progress.ts, for callers that receive pre-aggregated inputs from a
 * database (least-squares sums, counts of milestones per class) instead of whole record lists. Every
 * formula is still the one in progress.ts: these helpers only feed it, merge its results, or (for the
 * forecast) evaluate the same least-squares fit from its sufficient statistics.
 */
import {
  addMilestoneCounts,
  addStatusCounts,
  attainmentOfValue,
  daysBetween,
  emptyMilestoneSummary,
  emptyStatusCounts,
  refreshMilestoneRates,
  STATUS_EPSILON,
  summarizeMilestones,
  type Forecast,
  type IndicatorInput,
  type IndicatorProgress,
  type MilestoneAt,
  type MilestoneStatus,
  type MilestoneSummary,
  type StatusCounts,
} from './progress.ts';

/** The day numbers used for least-squares sums: whole days since 1970-01-01 (UTC). */
export const EPOCH_DATE = '1970-01-01';

/** Whole days from {@link EPOCH_DATE} to an ISO date. */
export function epochDay(iso: string): number {
  return daysBetween(EPOCH_DATE, iso);
}

/**
 * Sufficient statistics of measurements for a least-squares line, with x = {@link epochDay} of the
 * measurement date and y = its value. A database computes these in one grouped pass.
 */
export interface LeastSquaresSums {
  n: number;
  sumX: number;
  sumY: number;
  sumXY: number;
  sumXX: number;
}

/** A fitted line: value = meanY + slopePerDay · (epochDay − meanX). */
export interface TrendLine {
  slopePerDay: number;
  meanX: number;
  meanY: number;
}

/**
 * The least-squares line from its sums, or undefined when {@link forecast} would say
 * 'insufficient_data' (fewer than two points, or all on one date).
 *
 * x values are whole days, so n·Σx² − (Σx)² is computed exactly in floating point (far below 2^53)
 * and is zero exactly when every point shares one date — the same condition forecast() tests.
 */
export function trendFromSums(s: LeastSquaresSums): TrendLine | undefined {
  if (s.n < 2) return undefined;
  const sxxN = s.n * s.sumXX - s.sumX * s.sumX;
  if (sxxN <= 0) return undefined;
  const sxyN = s.n * s.sumXY - s.sumX * s.sumY;
  return { slopePerDay: sxyN / sxxN, meanX: s.sumX / s.n, meanY: s.sumY / s.n };
}

/** Value of a trend line at an ISO date. */
export function trendValueAt(line: TrendLine, iso: string): number {
  return line.meanY + line.slopePerDay * (epochDay(iso) - line.meanX);
}

/**
 * The forecast of progress.ts ({@link forecast}) computed from least-squares sums of the
 * measurements on or before asOf: the same line (x shifts don't change a least-squares fit),
 * projected to the target date, with the same attainment and meets-target rule.
 */
export function forecastFromSums(
  ind: Pick<IndicatorInput, 'direction' | 'baselineValue' | 'targetValue' | 'targetDate'>,
  s: LeastSquaresSums,
): Forecast {
  const line = trendFromSums(s);
  if (line === undefined) return { kind: 'insufficient_data' };
  const projectedValue = trendValueAt(line, ind.targetDate);
  const projectedAttainment = attainmentOfValue(ind, projectedValue);
  return {
    kind: 'trend',
    slopePerDay: line.slopePerDay,
    projectedValue,
    projectedAttainment,
    // Same threshold as forecast(): at least 1, with STATUS_EPSILON slack.
    meetsTarget: projectedAttainment >= 1 - STATUS_EPSILON,
  };
}

// ------------------------------------------------------------------ indicators

/**
 * Additive tallies over a set of indicators, so groups combine exactly (like milestone summaries)
 * and means are taken only at the end.
 */
export interface IndicatorAggregate {
  statuses: StatusCounts;
  /** Indicators in the set. */
  count: number;
  /** Σ min(attainment, 1) over indicators with data (capped like action-plan progress). */
  attainmentSum: number;
  /** Indicators with data (an attainment). */
  withData: number;
  /** Σ expected attainment over all indicators. */
  expectedSum: number;
  /** Indicators with a trend forecast. */
  forecastCount: number;
  /** Of those, the ones whose forecast meets the target. */
  forecastMet: number;
}

/** The aggregate of no indicators; the identity for {@link mergeIndicatorAggregates}. */
export function emptyIndicatorAggregate(): IndicatorAggregate {
  return { statuses: emptyStatusCounts(), count: 0, attainmentSum: 0, withData: 0, expectedSum: 0, forecastCount: 0, forecastMet: 0 };
}

/**
 * Tallies indicator progress: status counts, Σ capped attainment over indicators with data,
 * Σ expected attainment, and how many trend forecasts meet their target.
 */
export function aggregateIndicators(ps: readonly IndicatorProgress[]): IndicatorAggregate {
  const a = emptyIndicatorAggregate();
  for (const p of ps) addIndicatorProgress(a, p);
  return a;
}

/** Adds one indicator's progress to an aggregate in place (what {@link aggregateIndicators} does for each). */
export function addIndicatorProgress(a: IndicatorAggregate, p: IndicatorProgress): void {
  a.statuses[p.status]++;
  a.count++;
  a.expectedSum += p.expected;
  if (p.attainment !== undefined && !Number.isNaN(p.attainment)) {
    a.attainmentSum += Math.min(p.attainment, 1);
    a.withData++;
  }
  if (p.forecast.kind === 'trend') {
    a.forecastCount++;
    if (p.forecast.meetsTarget) a.forecastMet++;
  }
}

/** Combines aggregates of two disjoint indicator sets into the aggregate of their union. */
export function mergeIndicatorAggregates(a: IndicatorAggregate, b: IndicatorAggregate): IndicatorAggregate {
  return {
    statuses: addStatusCounts(a.statuses, b.statuses),
    count: a.count + b.count,
    attainmentSum: a.attainmentSum + b.attainmentSum,
    withData: a.withData + b.withData,
    expectedSum: a.expectedSum + b.expectedSum,
    forecastCount: a.forecastCount + b.forecastCount,
    forecastMet: a.forecastMet + b.forecastMet,
  };
}

/** {@link mergeIndicatorAggregates} in place: adds `b` into `into` (for summing many aggregates without allocating). */
export function addIndicatorAggregate(into: IndicatorAggregate, b: IndicatorAggregate): void {
  for (const k of Object.keys(b.statuses) as (keyof StatusCounts)[]) into.statuses[k] += b.statuses[k];
  into.count += b.count;
  into.attainmentSum += b.attainmentSum;
  into.withData += b.withData;
  into.expectedSum += b.expectedSum;
  into.forecastCount += b.forecastCount;
  into.forecastMet += b.forecastMet;
}

/**
 * Means of an aggregate: attainment (capped at 1) over indicators with data, expected over all
 * indicators, forecastMet = share of trend forecasts meeting the target. Each is null when its
 * denominator is 0.
 */
export function indicatorMeans(a: IndicatorAggregate): { attainment: number | null; expected: number | null; forecastMet: number | null } {
  return {
    attainment: a.withData === 0 ? null : a.attainmentSum / a.withData,
    expected: a.count === 0 ? null : a.expectedSum / a.count,
    forecastMet: a.forecastCount === 0 ? null : a.forecastMet / a.forecastCount,
  };
}

// ------------------------------------------------------------------ milestones

/**
 * Milestones that {@link summarizeMilestones} cannot tell apart at one asOf date: same status,
 * same position of the due date relative to asOf, and same punctuality. A database counts these
 * with one GROUP BY instead of returning every milestone.
 */
export interface MilestoneClass {
  status: MilestoneStatus;
  /** dueDate before, on, or after asOf. */
  due: 'past' | 'today' | 'future';
  /** completedDate is set and on or before dueDate. */
  onTime: boolean;
  count: number;
}

function shiftDay(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * {@link summarizeMilestones} over milestones given as class counts, per group key: each distinct class
 * is summarised once through one representative milestone, its counts are scaled by the class count
 * and summed per key, and the rates are recomputed from the sums (the formulas of {@link mergeMilestoneSummaries}),
 * exactly as for a list. Work is linear in the number of classes.
 */
export function summarizeMilestoneClassesBy<T extends MilestoneClass, K>(classes: readonly T[], keyOf: (c: T) => K, asOf: string): Map<K, MilestoneSummary> {
  // 5 statuses × 3 due positions × punctuality: at most 30 distinct units, each summarised once.
  // Per status, six slots: (past, today, future) × (late, on time); no key built per class.
  const units = new Map<MilestoneStatus, (MilestoneSummary | undefined)[]>();
  const unitOf = (c: MilestoneClass): MilestoneSummary => {
    let slots = units.get(c.status);
    if (!slots) units.set(c.status, (slots = []));
    const slot = (c.due === 'past' ? 0 : c.due === 'today' ? 2 : 4) + (c.onTime ? 1 : 0);
    let u = slots[slot];
    if (!u) {
      const dueDate = c.due === 'past' ? shiftDay(asOf, -1) : c.due === 'today' ? asOf : shiftDay(asOf, 1);
      const rep: MilestoneAt = { dueDate, status: c.status, completedDate: c.onTime ? dueDate : c.status === 'completed' ? shiftDay(dueDate, 1) : null };
      slots[slot] = u = summarizeMilestones([rep], asOf);
    }
    return u;
  };
  // Counts are summed in place; the rates are derived once per key at the end.
  const sums = new Map<K, MilestoneSummary>();
  for (const c of classes) {
    if (c.count <= 0) continue;
    const u = unitOf(c);
    const key = keyOf(c);
    let a = sums.get(key);
    if (!a) sums.set(key, (a = emptyMilestoneSummary()));
    addMilestoneCounts(a, u, c.count);
  }
  for (const a of sums.values()) refreshMilestoneRates(a);
  return sums;
}

/** {@link summarizeMilestoneClassesBy} for a single group: the summary of all the classes. */
export function summarizeMilestoneClasses(classes: readonly MilestoneClass[], asOf: string): MilestoneSummary {
  return summarizeMilestoneClassesBy(classes, () => 0, asOf).get(0) ?? emptyMilestoneSummary();
}
