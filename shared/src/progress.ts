/**
 * Pure progress math for Mainstream Monitor: indicator attainment against
 * 2015-style targets, time-based expectations, status classification,
 * linear trend forecasts, milestone summaries and action-plan roll-ups.
 *
 * Everything here is deterministic and free of I/O so the server, the web
 * client and the tests all agree on the same numbers. Calendar dates are ISO
 * `YYYY-MM-DD` strings interpreted in UTC, which makes plain string comparison
 * equivalent to chronological comparison.
 */

/** An indicator is on track if attainment >= expected - ON_TRACK_TOLERANCE. */
export const ON_TRACK_TOLERANCE = 0.1;

/** An indicator is at risk if attainment >= expected - AT_RISK_TOLERANCE. */
export const AT_RISK_TOLERANCE = 0.25;

/**
 * Weight of the indicator score in action-plan progress; the milestone
 * completion rate gets the remaining `1 - PLAN_INDICATOR_WEIGHT`.
 */
export const PLAN_INDICATOR_WEIGHT = 0.5;

/**
 * Slack used for every "at least" comparison against a threshold (status
 * boundaries, achieved, forecast meetsTarget). Attainments and expectations
 * are ratios computed in binary floating point, so values that are equal on
 * paper (e.g. 0.7 - 0.25 vs 0.45) can differ in the last bits; without the
 * slack a value sitting exactly on a boundary would be classified by rounding
 * noise. 1e-9 is far below any meaningful difference in a progress ratio.
 */
export const STATUS_EPSILON = 1e-9;

export type IndicatorStatus = 'achieved' | 'on_track' | 'at_risk' | 'off_track' | 'no_data';

/** All indicator statuses ordered best..worst; the index is the severity rank. */
export const INDICATOR_STATUSES: readonly IndicatorStatus[] = Object.freeze([
  'achieved',
  'on_track',
  'at_risk',
  'off_track',
  'no_data',
] as const);

export type Direction = 'increase' | 'decrease';

export interface Measurement {
  date: string;
  value: number;
}

export interface IndicatorInput {
  direction: Direction;
  baselineValue: number;
  baselineDate: string;
  targetValue: number;
  targetDate: string;
  measurements: readonly Measurement[];
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day numbers of dates already parsed (a pure function of the string; bounded, cleared when full). */
const DAY_NUMBERS = new Map<string, number>();

/** Parses an ISO date to a UTC day number, rejecting malformed or impossible dates. */
function dayNumber(iso: string): number {
  const hit = DAY_NUMBERS.get(iso);
  if (hit !== undefined) return hit;
  const n = parseDayNumber(iso);
  if (DAY_NUMBERS.size >= 20_000) DAY_NUMBERS.clear();
  DAY_NUMBERS.set(iso, n);
  return n;
}

function parseDayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (m === null) throw new RangeError(`Invalid ISO date (expected YYYY-MM-DD): ${JSON.stringify(iso)}`);
  const [, ys, ms, ds] = m;
  const y = Number(ys);
  const mo = Number(ms);
  const d = Number(ds);
  const t = Date.UTC(y, mo - 1, d);
  // Date.UTC silently rolls 2015-02-30 over into March; a round trip catches that.
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`Invalid calendar date: ${iso}`);
  }
  return t / MS_PER_DAY;
}

/**
 * Whole days from `a` to `b` (i.e. `b - a`), both ISO `YYYY-MM-DD` dates in UTC.
 * Negative when `b` is before `a`.
 *
 * @throws RangeError if either string is not a valid calendar date.
 */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/**
 * The latest measurement dated on or before `asOf`. When several share that
 * latest date the last one in input order wins, so a correction appended
 * after an earlier reading for the same day supersedes it.
 *
 * @returns the measurement, or `undefined` if none is dated on/before `asOf`.
 */
export function latestMeasurement(ms: readonly Measurement[], asOf: string): Measurement | undefined {
  let best: Measurement | undefined;
  for (const m of ms) {
    // `>=` (not `>`) is what makes later duplicates of the same date win.
    if (m.date <= asOf && (best === undefined || m.date >= best.date)) best = m;
  }
  return best;
}

/**
 * Share of the baseline→target distance covered by `value`:
 * `(value - baseline) / (target - baseline)`.
 *
 * The ratio is direction-agnostic on purpose: for a 'decrease' indicator the
 * target lies below the baseline, so both numerator and denominator are
 * negative while the value falls and the ratio still grows toward 1. Data
 * whose target contradicts the declared direction is measured the same way
 * (progress toward the stated target) rather than rejected.
 *
 * The only place `direction` matters is the degenerate case
 * `target === baseline`, where the ratio is undefined: attainment is then 1
 * if `value` is at or beyond the target in the indicator's direction, else 0.
 *
 * @returns attainment; 1 = target reached, may exceed 1 or be negative.
 */
export function attainmentOfValue(
  ind: Pick<IndicatorInput, 'direction' | 'baselineValue' | 'targetValue'>,
  value: number,
): number {
  const span = ind.targetValue - ind.baselineValue;
  if (span === 0) {
    const reached = ind.direction === 'increase' ? value >= ind.targetValue : value <= ind.targetValue;
    return reached ? 1 : 0;
  }
  // `+ 0` turns -0 (value at baseline of a 'decrease' indicator: 0 / negative)
  // into 0, so formatting never shows "-0%".
  return (value - ind.baselineValue) / span + 0;
}

/**
 * Attainment at `asOf`, taken from the latest measurement on/before `asOf`
 * (see {@link latestMeasurement}); later measurements are ignored so that
 * historical views are reproducible.
 *
 * @returns attainment, or `undefined` when there is no such measurement.
 */
export function indicatorAttainment(ind: IndicatorInput, asOf: string): number | undefined {
  const latest = latestMeasurement(ind.measurements, asOf);
  return latest === undefined ? undefined : attainmentOfValue(ind, latest.value);
}

/**
 * Share of the baseline→target period elapsed at `asOf` (day precision):
 * 0 on or before the baseline date, 1 on or after the target date, linear in
 * between. This is the attainment a steady, linear trajectory would show.
 *
 * If the target date is not after the baseline date there is no period to
 * interpolate over; the "on/after target → 1" rule takes precedence, so the
 * result is still 0 or 1 and still non-decreasing in `asOf`.
 *
 * @returns a value in [0, 1].
 */
export function expectedAttainment(ind: Pick<IndicatorInput, 'baselineDate' | 'targetDate'>, asOf: string): number {
  const total = daysBetween(ind.baselineDate, ind.targetDate);
  const elapsed = daysBetween(ind.baselineDate, asOf);
  if (elapsed >= total) return 1;
  if (elapsed <= 0) return 0;
  return elapsed / total;
}

/** `a >= b` with {@link STATUS_EPSILON} slack, for threshold comparisons of float ratios. */
function atLeast(a: number, b: number): boolean {
  return a >= b - STATUS_EPSILON;
}

/**
 * Classifies an indicator from its attainment and expected attainment:
 * - `undefined` attainment → 'no_data'
 * - attainment >= 1 → 'achieved'
 * - attainment >= expected - {@link ON_TRACK_TOLERANCE} → 'on_track'
 * - attainment >= expected - {@link AT_RISK_TOLERANCE} → 'at_risk'
 * - otherwise → 'off_track'
 *
 * Every ">=" allows {@link STATUS_EPSILON} (1e-9) of slack, so a value
 * exactly on a boundary (up to float rounding) gets the better status.
 * A NaN attainment is treated as missing data.
 */
export function statusOf(attainment: number | undefined, expected: number): IndicatorStatus {
  if (attainment === undefined || Number.isNaN(attainment)) return 'no_data';
  if (atLeast(attainment, 1)) return 'achieved';
  if (atLeast(attainment, expected - ON_TRACK_TOLERANCE)) return 'on_track';
  if (atLeast(attainment, expected - AT_RISK_TOLERANCE)) return 'at_risk';
  return 'off_track';
}

export type Forecast =
  | { kind: 'insufficient_data' }
  | {
      kind: 'trend';
      /** Fitted change in value per day. */
      slopePerDay: number;
      /** Fitted value at the target date. */
      projectedValue: number;
      /** {@link attainmentOfValue} of `projectedValue`. */
      projectedAttainment: number;
      /** projectedAttainment >= 1 (with {@link STATUS_EPSILON} slack). */
      meetsTarget: boolean;
    };

/**
 * Ordinary least-squares trend through the measurements dated on/before
 * `asOf` (x = days since baselineDate, y = value), extrapolated to the
 * target date. Measurements before the baseline date are kept (x < 0): they
 * are still evidence about the trend.
 *
 * The baseline itself is not treated as a data point; only actual
 * measurements are fitted, so a plan with a stale or estimated baseline does
 * not bias the trend.
 *
 * @returns 'insufficient_data' with fewer than two usable measurements or
 * when they all share one date (the slope is undefined); otherwise the trend.
 */
export function forecast(ind: IndicatorInput, asOf: string): Forecast {
  const points = ind.measurements
    .filter((m) => m.date <= asOf)
    .map((m) => ({ x: daysBetween(ind.baselineDate, m.date), y: m.value }));
  if (points.length < 2) return { kind: 'insufficient_data' };

  const n = points.length;
  let sumX = 0;
  let sumY = 0;
  for (const p of points) {
    sumX += p.x;
    sumY += p.y;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  // Centred sums avoid the catastrophic cancellation of the textbook
  // n·Σxy − Σx·Σy form when x (days) and y are large.
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.x - meanX;
    sxx += dx * dx;
    sxy += dx * (p.y - meanY);
  }
  if (sxx === 0) return { kind: 'insufficient_data' };

  const slopePerDay = sxy / sxx;
  const targetX = daysBetween(ind.baselineDate, ind.targetDate);
  const projectedValue = meanY + slopePerDay * (targetX - meanX);
  const projectedAttainment = attainmentOfValue(ind, projectedValue);
  return {
    kind: 'trend',
    slopePerDay,
    projectedValue,
    projectedAttainment,
    meetsTarget: atLeast(projectedAttainment, 1),
  };
}

export interface IndicatorProgress {
  attainment: number | undefined;
  expected: number;
  status: IndicatorStatus;
  forecast: Forecast;
  latest: Measurement | undefined;
}

/**
 * Everything the dashboard shows for one indicator at `asOf`: latest
 * measurement, attainment, expected attainment, status and forecast.
 */
export function indicatorProgress(ind: IndicatorInput, asOf: string): IndicatorProgress {
  const latest = latestMeasurement(ind.measurements, asOf);
  const attainment = latest === undefined ? undefined : attainmentOfValue(ind, latest.value);
  const expected = expectedAttainment(ind, asOf);
  return {
    attainment,
    expected,
    status: statusOf(attainment, expected),
    forecast: forecast(ind, asOf),
    latest,
  };
}

export type MilestoneStatus = 'not_started' | 'in_progress' | 'completed' | 'delayed' | 'cancelled';

/** A milestone as it stood at the `asOf` date being summarised. */
export interface MilestoneAt {
  dueDate: string;
  status: MilestoneStatus;
  completedDate: string | null;
}

/**
 * Counts and rates over a set of milestones at some `asOf` date. Counts are
 * kept (not just rates) so summaries of disjoint sets can be merged exactly
 * with {@link mergeMilestoneSummaries}.
 */
export interface MilestoneSummary {
  /** All milestones, cancelled ones included. */
  total: number;
  /** Not cancelled and dueDate <= asOf. */
  due: number;
  /** Status 'completed', whatever the due date. */
  completed: number;
  /** Completed and dueDate <= asOf (the numerator of completionRate). */
  completedDue: number;
  /** Completed with a completedDate on or before its dueDate. */
  completedOnTime: number;
  /** dueDate < asOf and neither completed nor cancelled. */
  overdue: number;
  /** Status 'cancelled'. */
  cancelled: number;
  /** completedDue / due; null when due is 0. */
  completionRate: number | null;
  /** completedOnTime / completed; null when completed is 0. */
  onTimeRate: number | null;
}

/** Rates derived from counts; shared by summarise, merge and the in-place sums so they can never disagree. */
function ratesOf(c: Omit<MilestoneSummary, 'completionRate' | 'onTimeRate'>): Pick<MilestoneSummary, 'completionRate' | 'onTimeRate'> {
  return {
    completionRate: c.due === 0 ? null : c.completedDue / c.due,
    onTimeRate: c.completed === 0 ? null : c.completedOnTime / c.completed,
  };
}
function withRates(c: Omit<MilestoneSummary, 'completionRate' | 'onTimeRate'>): MilestoneSummary {
  // One literal shape for every summary (no spreads), so the in-place sums stay monomorphic and fast.
  const r = ratesOf(c);
  return {
    total: c.total, due: c.due, completed: c.completed, completedDue: c.completedDue, completedOnTime: c.completedOnTime,
    overdue: c.overdue, cancelled: c.cancelled, completionRate: r.completionRate, onTimeRate: r.onTimeRate,
  };
}

/**
 * Adds `b`'s counts into `into` in place, `times` over (for summing many summaries without allocating);
 * the rates of `into` are stale until {@link refreshMilestoneRates}.
 */
export function addMilestoneCounts(into: MilestoneSummary, b: Omit<MilestoneSummary, 'completionRate' | 'onTimeRate'>, times = 1): void {
  into.total += b.total * times;
  into.due += b.due * times;
  into.completed += b.completed * times;
  into.completedDue += b.completedDue * times;
  into.completedOnTime += b.completedOnTime * times;
  into.overdue += b.overdue * times;
  into.cancelled += b.cancelled * times;
}

/** Recomputes the rates of a summary whose counts were summed in place. */
export function refreshMilestoneRates(a: MilestoneSummary): MilestoneSummary {
  const r = ratesOf(a);
  a.completionRate = r.completionRate;
  a.onTimeRate = r.onTimeRate;
  return a;
}

/** The summary of no milestones; the identity for {@link mergeMilestoneSummaries}. */
export function emptyMilestoneSummary(): MilestoneSummary {
  return withRates({ total: 0, due: 0, completed: 0, completedDue: 0, completedOnTime: 0, overdue: 0, cancelled: 0 });
}

/**
 * Summarises milestones at `asOf` (statuses are as they were at `asOf`).
 *
 * - total: every milestone, cancelled included.
 * - cancelled: status 'cancelled'.
 * - due: not cancelled and dueDate <= asOf.
 * - completed: status 'completed', any due date (early completions count).
 * - completedDue: completed and dueDate <= asOf.
 * - completedOnTime: completed and completedDate <= dueDate. A completed
 *   milestone with no completedDate is not counted as on time, since
 *   punctuality cannot be shown.
 * - overdue: dueDate < asOf (strictly: a milestone due today is not late
 *   yet) and status neither 'completed' nor 'cancelled'.
 * - completionRate = completedDue / due, null when due is 0. Only due
 *   milestones enter numerator and denominator, so finishing future work
 *   early cannot push the rate above 1.
 * - onTimeRate = completedOnTime / completed, null when completed is 0.
 */
export function summarizeMilestones(ms: readonly MilestoneAt[], asOf: string): MilestoneSummary {
  let due = 0;
  let completed = 0;
  let completedDue = 0;
  let completedOnTime = 0;
  let overdue = 0;
  let cancelled = 0;
  for (const m of ms) {
    const isCancelled = m.status === 'cancelled';
    const isCompleted = m.status === 'completed';
    const isDue = m.dueDate <= asOf;
    if (isCancelled) cancelled++;
    if (isDue && !isCancelled) due++;
    if (isCompleted) {
      completed++;
      if (isDue) completedDue++;
      if (m.completedDate !== null && m.completedDate <= m.dueDate) completedOnTime++;
    }
    if (m.dueDate < asOf && !isCompleted && !isCancelled) overdue++;
  }
  return withRates({ total: ms.length, due, completed, completedDue, completedOnTime, overdue, cancelled });
}

/**
 * Combines summaries of two disjoint milestone sets (same `asOf`): counts are
 * summed and rates recomputed from the sums, so merging the summaries of a
 * partition yields exactly the summary of the whole.
 */
export function mergeMilestoneSummaries(a: MilestoneSummary, b: MilestoneSummary): MilestoneSummary {
  return withRates({
    total: a.total + b.total,
    due: a.due + b.due,
    completed: a.completed + b.completed,
    completedDue: a.completedDue + b.completedDue,
    completedOnTime: a.completedOnTime + b.completedOnTime,
    overdue: a.overdue + b.overdue,
    cancelled: a.cancelled + b.cancelled,
  });
}

export interface ActionPlanProgress {
  /** Weighted blend of indicatorScore and milestoneScore; null if both are null. */
  progress: number | null;
  /** Mean of min(attainment, 1) over indicators with data; null if none have data. */
  indicatorScore: number | null;
  /** The milestone completionRate; null when no milestone is due. */
  milestoneScore: number | null;
  status: IndicatorStatus;
}

/**
 * The worst of `statuses` by {@link INDICATOR_STATUSES} order, ignoring
 * 'no_data' unless every status is 'no_data' (missing data says nothing
 * about how the measured indicators are doing).
 *
 * @returns 'no_data' for an empty list.
 */
export function worstStatus(statuses: readonly IndicatorStatus[]): IndicatorStatus {
  let worst: IndicatorStatus | undefined;
  for (const s of statuses) {
    if (s === 'no_data') continue;
    if (worst === undefined || INDICATOR_STATUSES.indexOf(s) > INDICATOR_STATUSES.indexOf(worst)) worst = s;
  }
  return worst ?? 'no_data';
}

/**
 * Rolls indicator progress and a milestone summary up to an action plan.
 *
 * progress = PLAN_INDICATOR_WEIGHT · indicatorScore + (1 − PLAN_INDICATOR_WEIGHT) · milestoneScore,
 * where indicatorScore is the mean of min(attainment, 1) over indicators with
 * data (overshooting one target must not mask shortfalls elsewhere; negative
 * attainment is kept, since regression below baseline is real information)
 * and milestoneScore is the milestone completionRate. If one part is null the
 * other is used alone; if both are null progress is null.
 *
 * status:
 * - no indicators → 'no_data';
 * - every indicator 'achieved' and every non-cancelled milestone completed → 'achieved';
 * - otherwise the worst indicator status, ignoring 'no_data' unless all are
 *   'no_data' (see {@link worstStatus}). 'achieved' is reserved for the
 *   fully-met case above, so when that worst is 'achieved' (all measured
 *   indicators met, but some lack data or milestones remain open) the plan
 *   is reported 'on_track'.
 */
export function actionPlanProgress(
  indicators: readonly IndicatorProgress[],
  milestones: MilestoneSummary,
): ActionPlanProgress {
  let sum = 0;
  let withData = 0;
  for (const ind of indicators) {
    if (ind.attainment === undefined || Number.isNaN(ind.attainment)) continue;
    sum += Math.min(ind.attainment, 1);
    withData++;
  }
  const indicatorScore = withData === 0 ? null : sum / withData;
  const milestoneScore = milestones.completionRate;

  let progress: number | null;
  if (indicatorScore !== null && milestoneScore !== null) {
    progress = PLAN_INDICATOR_WEIGHT * indicatorScore + (1 - PLAN_INDICATOR_WEIGHT) * milestoneScore;
  } else {
    progress = indicatorScore ?? milestoneScore;
  }

  let status: IndicatorStatus;
  if (indicators.length === 0) {
    status = 'no_data';
  } else {
    const allAchieved = indicators.every((i) => i.status === 'achieved');
    const allMilestonesDone = milestones.completed >= milestones.total - milestones.cancelled;
    if (allAchieved && allMilestonesDone) {
      status = 'achieved';
    } else {
      const worst = worstStatus(indicators.map((i) => i.status));
      status = worst === 'achieved' ? 'on_track' : worst;
    }
  }

  return { progress, indicatorScore, milestoneScore, status };
}

/** Number of indicators in each status. */
export interface StatusCounts {
  achieved: number;
  on_track: number;
  at_risk: number;
  off_track: number;
  no_data: number;
}

/** All-zero counts; the identity for {@link addStatusCounts}. */
export function emptyStatusCounts(): StatusCounts {
  return { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
}

/** Tallies statuses per kind. */
export function countStatuses(statuses: readonly IndicatorStatus[]): StatusCounts {
  const c = emptyStatusCounts();
  for (const s of statuses) c[s]++;
  return c;
}

/** Sums two tallies, so counts of disjoint groups combine into the count of their union. */
export function addStatusCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  return {
    achieved: a.achieved + b.achieved,
    on_track: a.on_track + b.on_track,
    at_risk: a.at_risk + b.at_risk,
    off_track: a.off_track + b.off_track,
    no_data: a.no_data + b.no_data,
  };
}
