import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AT_RISK_TOLERANCE,
  INDICATOR_STATUSES,
  ON_TRACK_TOLERANCE,
  PLAN_INDICATOR_WEIGHT,
  STATUS_EPSILON,
  actionPlanProgress,
  addStatusCounts,
  attainmentOfValue,
  countStatuses,
  daysBetween,
  emptyMilestoneSummary,
  emptyStatusCounts,
  expectedAttainment,
  forecast,
  indicatorAttainment,
  indicatorProgress,
  latestMeasurement,
  mergeMilestoneSummaries,
  statusOf,
  summarizeMilestones,
  worstStatus,
  type IndicatorInput,
  type IndicatorProgress,
  type IndicatorStatus,
  type Measurement,
  type MilestoneAt,
  type MilestoneStatus,
  type MilestoneSummary,
} from './progress.ts';

// --- fixtures & arbitraries -------------------------------------------------

/** ISO date `n` days after 2000-01-01 (UTC). */
function isoDay(n: number): string {
  return new Date(Date.UTC(2000, 0, 1 + n)).toISOString().slice(0, 10);
}

/** An increase indicator from 10 (2010-01-01) to 20 (2015-12-31). */
function ind(over: Partial<IndicatorInput> = {}): IndicatorInput {
  return {
    direction: 'increase',
    baselineValue: 10,
    baselineDate: '2010-01-01',
    targetValue: 20,
    targetDate: '2015-12-31',
    measurements: [],
    ...over,
  };
}

function progressOf(status: IndicatorStatus, attainment: number | undefined): IndicatorProgress {
  return { attainment, expected: 0.5, status, forecast: { kind: 'insufficient_data' }, latest: undefined };
}

function summary(over: Partial<MilestoneSummary> = {}): MilestoneSummary {
  return { ...emptyMilestoneSummary(), ...over };
}

// Day offsets spanning ~2000–2027: enough for any plan horizon we track.
const dayArb = fc.integer({ min: 0, max: 10_000 });
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const statusArb = fc.constantFrom(...INDICATOR_STATUSES);
const milestoneStatusArb = fc.constantFrom<MilestoneStatus>(
  'not_started',
  'in_progress',
  'completed',
  'delayed',
  'cancelled',
);
const milestoneArb: fc.Arbitrary<MilestoneAt> = fc.record({
  dueDate: dayArb.map(isoDay),
  status: milestoneStatusArb,
  completedDate: fc.option(dayArb.map(isoDay), { nil: null }),
});

/** Splits `xs` into two sub-lists according to a boolean mask (a partition). */
function partition<T>(xs: readonly T[], mask: readonly boolean[]): [T[], T[]] {
  const left: T[] = [];
  const right: T[] = [];
  xs.forEach((x, i) => (mask[i % Math.max(mask.length, 1)] === true ? left : right).push(x));
  return [left, right];
}

// --- constants --------------------------------------------------------------

describe('constants', () => {
  it('has the documented tolerances, weight and epsilon', () => {
    expect(ON_TRACK_TOLERANCE).toBe(0.1);
    expect(AT_RISK_TOLERANCE).toBe(0.25);
    expect(PLAN_INDICATOR_WEIGHT).toBe(0.5);
    expect(STATUS_EPSILON).toBe(1e-9);
  });

  it('orders statuses best to worst', () => {
    expect(INDICATOR_STATUSES).toEqual(['achieved', 'on_track', 'at_risk', 'off_track', 'no_data']);
  });
});

// --- daysBetween ------------------------------------------------------------

describe(daysBetween.name, () => {
  it.each([
    ['2015-01-01', '2015-01-01', 0],
    ['2015-01-01', '2015-01-02', 1],
    ['2015-01-02', '2015-01-01', -1],
    ['2015-01-01', '2016-01-01', 365],
    ['2016-01-01', '2017-01-01', 366], // leap year
    ['2016-02-28', '2016-03-01', 2], // leap day counted
    ['2015-02-28', '2015-03-01', 1],
    ['2015-03-28', '2015-03-30', 2], // EU DST change does not matter in UTC
    ['2000-01-01', '2015-12-31', 5843],
  ])('days from %s to %s is %d', (a, b, days) => {
    expect(daysBetween(a, b)).toBe(days);
  });

  it.each(['2015-02-30', '2015-13-01', '2015-1-1', '20150101', '', '2015-01-01T00:00:00Z'])(
    'rejects malformed or impossible date %j',
    (bad) => {
      expect(() => daysBetween(bad, '2015-01-01')).toThrow(RangeError);
      expect(() => daysBetween('2015-01-01', bad)).toThrow(RangeError);
    },
  );

  it('is antisymmetric and additive (property)', () => {
    fc.assert(
      fc.property(dayArb, dayArb, dayArb, (a, b, c) => {
        const [da, db, dc] = [isoDay(a), isoDay(b), isoDay(c)];
        expect(daysBetween(da, db)).toBe(b - a);
        expect(daysBetween(db, da) + daysBetween(da, db)).toBe(0);
        expect(daysBetween(da, dc)).toBe(daysBetween(da, db) + daysBetween(db, dc));
      }),
    );
  });
});

// --- latestMeasurement ------------------------------------------------------

describe(latestMeasurement.name, () => {
  const ms: Measurement[] = [
    { date: '2012-06-01', value: 3 },
    { date: '2011-01-01', value: 1 },
    { date: '2013-01-01', value: 4 },
    { date: '2012-06-01', value: 33 }, // same day as the first: later input wins
  ];

  it.each<[string, readonly Measurement[], string, Measurement | undefined]>([
    ['returns undefined for no measurements', [], '2015-01-01', undefined],
    ['returns undefined when all are after asOf', ms, '2010-12-31', undefined],
    ['includes a measurement dated exactly asOf', ms, '2011-01-01', { date: '2011-01-01', value: 1 }],
    ['ignores measurements after asOf', ms, '2012-12-31', { date: '2012-06-01', value: 33 }],
    ['picks the latest date regardless of input order', ms, '2020-01-01', { date: '2013-01-01', value: 4 }],
    [
      'breaks date ties by last in input order',
      [
        { date: '2012-01-01', value: 1 },
        { date: '2012-01-01', value: 2 },
        { date: '2011-01-01', value: 9 },
      ],
      '2012-01-01',
      { date: '2012-01-01', value: 2 },
    ],
  ])('%s', (_name, input, asOf, expected) => {
    expect(latestMeasurement(input, asOf)).toEqual(expected);
  });

  it('returns an element dated on/before asOf with no later such element (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: dayArb.map(isoDay), value: fc.integer() })),
        dayArb.map(isoDay),
        (input, asOf) => {
          const got = latestMeasurement(input, asOf);
          const eligible = input.filter((m) => m.date <= asOf);
          if (eligible.length === 0) {
            expect(got).toBeUndefined();
            return;
          }
          expect(got).toBeDefined();
          if (got === undefined) return;
          const idx = input.lastIndexOf(got);
          expect(got.date <= asOf).toBe(true);
          // Nothing eligible is later, and nothing eligible on the same date comes after it.
          input.forEach((m, i) => {
            if (m.date > asOf) return;
            expect(m.date <= got.date).toBe(true);
            if (m.date === got.date) expect(i <= idx).toBe(true);
          });
        },
      ),
    );
  });
});

// --- attainmentOfValue ------------------------------------------------------

describe(attainmentOfValue.name, () => {
  const up = { direction: 'increase', baselineValue: 10, targetValue: 20 } as const;
  const down = { direction: 'decrease', baselineValue: 40, targetValue: 20 } as const;
  const flatUp = { direction: 'increase', baselineValue: 5, targetValue: 5 } as const;
  const flatDown = { direction: 'decrease', baselineValue: 5, targetValue: 5 } as const;
  const inconsistent = { direction: 'decrease', baselineValue: 10, targetValue: 20 } as const;

  it.each([
    ['increase: at baseline is 0', up, 10, 0],
    ['increase: halfway is 0.5', up, 15, 0.5],
    ['increase: at target is 1', up, 20, 1],
    ['increase: beyond target exceeds 1', up, 25, 1.5],
    ['increase: below baseline is negative', up, 5, -0.5],
    ['decrease: at baseline is 0', down, 40, 0],
    ['decrease: halfway down is 0.5', down, 30, 0.5],
    ['decrease: at target is 1', down, 20, 1],
    ['decrease: below target exceeds 1', down, 10, 1.5],
    ['decrease: rising above baseline is negative', down, 50, -0.5],
    ['target==baseline increase: at target is 1', flatUp, 5, 1],
    ['target==baseline increase: above target is 1', flatUp, 6, 1],
    ['target==baseline increase: below target is 0', flatUp, 4, 0],
    ['target==baseline decrease: at target is 1', flatDown, 5, 1],
    ['target==baseline decrease: below target is 1', flatDown, 4, 1],
    ['target==baseline decrease: above target is 0', flatDown, 6, 0],
    ['decrease with target above baseline: measured toward the stated target', inconsistent, 15, 0.5],
  ])('%s', (_name, indicator, value, expected) => {
    expect(attainmentOfValue(indicator, value)).toBeCloseTo(expected, 12);
  });

  // Monotonicity only makes sense when the target lies in the declared
  // direction (or equals the baseline); inconsistent data is measured toward
  // the stated target instead.
  const consistentIndicator = fc
    .record({
      direction: fc.constantFrom<'increase' | 'decrease'>('increase', 'decrease'),
      baselineValue: finite(-1e6, 1e6),
      distance: fc.oneof(fc.constant(0), finite(1e-6, 1e6)),
    })
    .map(({ direction, baselineValue, distance }) => ({
      direction,
      baselineValue,
      targetValue: direction === 'increase' ? baselineValue + distance : baselineValue - distance,
    }));

  it('is non-decreasing in value for increase and non-increasing for decrease (property)', () => {
    fc.assert(
      fc.property(consistentIndicator, finite(-1e7, 1e7), finite(-1e7, 1e7), (indicator, v1, v2) => {
        const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
        const aLo = attainmentOfValue(indicator, lo);
        const aHi = attainmentOfValue(indicator, hi);
        if (indicator.direction === 'increase') expect(aLo).toBeLessThanOrEqual(aHi);
        else expect(aLo).toBeGreaterThanOrEqual(aHi);
      }),
    );
  });

  it('is exactly 0 at the baseline and 1 at the target (property)', () => {
    fc.assert(
      fc.property(consistentIndicator, (indicator) => {
        expect(attainmentOfValue(indicator, indicator.targetValue)).toBe(1);
        if (indicator.targetValue !== indicator.baselineValue) {
          expect(attainmentOfValue(indicator, indicator.baselineValue)).toBe(0);
        }
      }),
    );
  });
});

// --- indicatorAttainment ----------------------------------------------------

describe(indicatorAttainment.name, () => {
  const measurements: Measurement[] = [
    { date: '2011-01-01', value: 12 },
    { date: '2013-01-01', value: 16 },
    { date: '2016-01-01', value: 30 },
  ];

  it.each<[string, IndicatorInput, string, number | undefined]>([
    ['is undefined without measurements', ind(), '2015-01-01', undefined],
    ['is undefined when every measurement is after asOf', ind({ measurements }), '2010-06-01', undefined],
    ['uses the latest measurement on/before asOf', ind({ measurements }), '2012-06-01', 0.2],
    ['counts a measurement dated exactly asOf', ind({ measurements }), '2013-01-01', 0.6],
    ['ignores measurements after asOf', ind({ measurements }), '2015-12-31', 0.6],
    ['may exceed 1 once the target is overshot', ind({ measurements }), '2016-01-01', 2],
    [
      'works for decrease indicators',
      ind({
        direction: 'decrease',
        baselineValue: 40,
        targetValue: 20,
        measurements: [{ date: '2012-01-01', value: 35 }],
      }),
      '2014-01-01',
      0.25,
    ],
  ])('%s', (_name, indicator, asOf, expected) => {
    const got = indicatorAttainment(indicator, asOf);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(expected, 12);
  });
});

// --- expectedAttainment -----------------------------------------------------

describe(expectedAttainment.name, () => {
  const plan = { baselineDate: '2010-01-01', targetDate: '2010-01-11' }; // 10 days

  it.each([
    ['is 0 long before the baseline', plan, '2005-01-01', 0],
    ['is 0 the day before the baseline', plan, '2009-12-31', 0],
    ['is 0 on the baseline date', plan, '2010-01-01', 0],
    ['grows linearly by day', plan, '2010-01-02', 0.1],
    ['is one half at the midpoint', plan, '2010-01-06', 0.5],
    ['is 1 on the target date', plan, '2010-01-11', 1],
    ['is 1 after the target date', plan, '2020-01-01', 1],
    ['is 0 before when target equals baseline', { baselineDate: '2010-01-01', targetDate: '2010-01-01' }, '2009-12-31', 0],
    ['is 1 on the date when target equals baseline', { baselineDate: '2010-01-01', targetDate: '2010-01-01' }, '2010-01-01', 1],
    ['is 1 from the target date when the target precedes the baseline', { baselineDate: '2010-01-11', targetDate: '2010-01-01' }, '2010-01-05', 1],
    ['is 0 before the target date when the target precedes the baseline', { baselineDate: '2010-01-11', targetDate: '2010-01-01' }, '2009-12-31', 0],
  ])('%s', (_name, indicator, asOf, expected) => {
    expect(expectedAttainment(indicator, asOf)).toBeCloseTo(expected, 12);
  });

  it('stays in [0, 1] and is non-decreasing in asOf (property)', () => {
    fc.assert(
      fc.property(dayArb, dayArb, dayArb, dayArb, (b, t, d1, d2) => {
        const indicator = { baselineDate: isoDay(b), targetDate: isoDay(t) };
        const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const e1 = expectedAttainment(indicator, isoDay(early));
        const e2 = expectedAttainment(indicator, isoDay(late));
        for (const e of [e1, e2]) {
          expect(e).toBeGreaterThanOrEqual(0);
          expect(e).toBeLessThanOrEqual(1);
        }
        expect(e1).toBeLessThanOrEqual(e2);
      }),
    );
  });
});

// --- statusOf ---------------------------------------------------------------

describe(statusOf.name, () => {
  // Boundaries use expected = 0.7 so that `expected - tolerance` is not
  // exactly representable (0.7 - 0.25 !== 0.45 in binary): the 1e-9 epsilon
  // must make "exactly at the tolerance" count as the better status.
  it.each<[string, number | undefined, number, IndicatorStatus]>([
    ['no attainment is no_data', undefined, 0.5, 'no_data'],
    ['NaN attainment is no_data', Number.NaN, 0.5, 'no_data'],
    ['attainment of exactly 1 is achieved', 1, 1, 'achieved'],
    ['attainment above 1 is achieved even early', 1.3, 0, 'achieved'],
    ['attainment 1 minus float noise is achieved', 1 - 1e-12, 1, 'achieved'],
    ['attainment clearly below 1 is not achieved', 0.999, 0.9, 'on_track'],
    ['meeting expected is on_track', 0.7, 0.7, 'on_track'],
    ['ahead of schedule is on_track', 0.9, 0.5, 'on_track'],
    ['exactly expected - ON_TRACK_TOLERANCE is on_track', 0.6, 0.7, 'on_track'],
    ['just below expected - ON_TRACK_TOLERANCE is at_risk', 0.6 - 1e-6, 0.7, 'at_risk'],
    ['exactly expected - AT_RISK_TOLERANCE is at_risk', 0.45, 0.7, 'at_risk'],
    ['just below expected - AT_RISK_TOLERANCE is off_track', 0.45 - 1e-6, 0.7, 'off_track'],
    ['negative attainment late in the period is off_track', -0.2, 0.8, 'off_track'],
    ['0 at the start of the period is on_track', 0, 0, 'on_track'],
    ['0 when 10% expected is on_track', 0, 0.1, 'on_track'],
    ['0 when 25% expected is at_risk', 0, 0.25, 'at_risk'],
    ['0 when 30% expected is off_track', 0, 0.3, 'off_track'],
  ])('%s', (_name, attainment, expected, status) => {
    expect(statusOf(attainment, expected)).toBe(status);
  });

  it('never gets better as attainment falls (property)', () => {
    const rank = (s: IndicatorStatus) => INDICATOR_STATUSES.indexOf(s);
    fc.assert(
      fc.property(finite(-2, 2), finite(-2, 2), finite(0, 1), (a1, a2, expected) => {
        const [lo, hi] = a1 <= a2 ? [a1, a2] : [a2, a1];
        expect(rank(statusOf(lo, expected))).toBeGreaterThanOrEqual(rank(statusOf(hi, expected)));
      }),
    );
  });
});

// --- forecast ---------------------------------------------------------------

describe(forecast.name, () => {
  it.each<[string, IndicatorInput, string]>([
    ['is insufficient_data with no measurements', ind(), '2015-01-01'],
    ['is insufficient_data with one measurement', ind({ measurements: [{ date: '2011-01-01', value: 12 }] }), '2015-01-01'],
    [
      'is insufficient_data when all measurement dates are equal',
      ind({
        measurements: [
          { date: '2011-01-01', value: 12 },
          { date: '2011-01-01', value: 14 },
        ],
      }),
      '2015-01-01',
    ],
    [
      'is insufficient_data when only one measurement is on/before asOf',
      ind({
        measurements: [
          { date: '2011-01-01', value: 12 },
          { date: '2012-01-01', value: 14 },
        ],
      }),
      '2011-06-01',
    ],
  ])('%s', (_name, indicator, asOf) => {
    expect(forecast(indicator, asOf)).toEqual({ kind: 'insufficient_data' });
  });

  // Baseline 2010-01-01; the target date 2015-12-31 is day 2190.
  it.each<[string, IndicatorInput, string, { slopePerDay: number; projectedValue: number; meetsTarget: boolean }]>([
    [
      'projects an exact line to the target date',
      ind({
        measurements: [
          { date: '2010-01-01', value: 10 },
          { date: '2011-01-01', value: 11.825 }, // day 365, slope 0.005/day
        ],
      }),
      '2015-01-01',
      { slopePerDay: 0.005, projectedValue: 10 + 0.005 * 2190, meetsTarget: true },
    ],
    [
      'flags a trend that falls short',
      ind({
        measurements: [
          { date: '2010-01-01', value: 10 },
          { date: '2011-01-01', value: 10.365 }, // slope 0.001/day
        ],
      }),
      '2015-01-01',
      { slopePerDay: 0.001, projectedValue: 12.19, meetsTarget: false },
    ],
    [
      'ignores measurements after asOf',
      ind({
        measurements: [
          { date: '2010-01-01', value: 10 },
          { date: '2011-01-01', value: 10.365 },
          { date: '2012-01-01', value: 1000 },
        ],
      }),
      '2011-12-31',
      { slopePerDay: 0.001, projectedValue: 12.19, meetsTarget: false },
    ],
    [
      'fits least squares through noisy points',
      // x = 0, 1, 2 days; y = 0, 2, 1 -> slope 0.5, intercept 0.5
      ind({
        baselineValue: 0,
        targetValue: 3,
        targetDate: '2010-01-05',
        measurements: [
          { date: '2010-01-01', value: 0 },
          { date: '2010-01-02', value: 2 },
          { date: '2010-01-03', value: 1 },
        ],
      }),
      '2010-01-03',
      { slopePerDay: 0.5, projectedValue: 2.5, meetsTarget: false },
    ],
    [
      'handles decrease indicators',
      ind({
        direction: 'decrease',
        baselineValue: 40,
        targetValue: 20,
        measurements: [
          { date: '2010-01-01', value: 40 },
          { date: '2011-01-01', value: 36.35 }, // -0.01/day -> 18.1 at target
        ],
      }),
      '2012-01-01',
      { slopePerDay: -0.01, projectedValue: 18.1, meetsTarget: true },
    ],
    [
      'meets a target exactly hit by the trend',
      ind({
        measurements: [
          { date: '2010-01-01', value: 10 },
          { date: '2012-12-31', value: 15 }, // day 1095 = half of 2190
        ],
      }),
      '2013-01-01',
      { slopePerDay: 5 / 1095, projectedValue: 20, meetsTarget: true },
    ],
  ])('%s', (_name, indicator, asOf, want) => {
    const got = forecast(indicator, asOf);
    expect(got.kind).toBe('trend');
    if (got.kind !== 'trend') return;
    expect(got.slopePerDay).toBeCloseTo(want.slopePerDay, 9);
    expect(got.projectedValue).toBeCloseTo(want.projectedValue, 9);
    expect(got.projectedAttainment).toBeCloseTo(attainmentOfValue(indicator, want.projectedValue), 9);
    expect(got.meetsTarget).toBe(want.meetsTarget);
  });

  it('hits the line at the target date for exactly linear data (property)', () => {
    fc.assert(
      fc.property(
        finite(-1e6, 1e6), // intercept at baseline
        finite(-1e3, 1e3), // slope per day
        fc.uniqueArray(fc.integer({ min: -1000, max: 4000 }), { minLength: 2, maxLength: 20 }),
        fc.integer({ min: 1, max: 6000 }),
        (intercept, slope, xs, targetX) => {
          const baselineDate = isoDay(1000);
          const line = (x: number) => intercept + slope * x;
          const indicator = ind({
            baselineValue: intercept,
            baselineDate,
            targetValue: line(targetX) + 1,
            targetDate: isoDay(1000 + targetX),
            measurements: xs.map((x) => ({ date: isoDay(1000 + x), value: line(x) })),
          });
          const got = forecast(indicator, isoDay(20_000));
          expect(got.kind).toBe('trend');
          if (got.kind !== 'trend') return;
          const want = line(targetX);
          // Relative to the magnitude of the data, since inputs are rounded line values.
          const scale = Math.max(1, Math.abs(want), ...xs.map((x) => Math.abs(line(x))));
          expect(Math.abs(got.projectedValue - want)).toBeLessThanOrEqual(1e-6 * scale);
        },
      ),
    );
  });
});

// --- indicatorProgress ------------------------------------------------------

describe(indicatorProgress.name, () => {
  it('combines latest, attainment, expected, status and forecast', () => {
    const indicator = ind({
      measurements: [
        { date: '2010-01-01', value: 10 },
        { date: '2012-12-31', value: 14 }, // day 1095: half the period
        { date: '2014-01-01', value: 99 }, // after asOf
      ],
    });
    const got = indicatorProgress(indicator, '2012-12-31');
    expect(got.latest).toEqual({ date: '2012-12-31', value: 14 });
    expect(got.attainment).toBeCloseTo(0.4, 12);
    expect(got.expected).toBeCloseTo(0.5, 12);
    expect(got.status).toBe('on_track'); // exactly at the on-track tolerance
    expect(got.forecast).toEqual(forecast(indicator, '2012-12-31'));
  });

  it.each<[string, IndicatorInput, string, IndicatorStatus]>([
    ['is no_data without measurements', ind(), '2013-01-01', 'no_data'],
    ['is achieved once the target is reached', ind({ measurements: [{ date: '2011-01-01', value: 20 }] }), '2011-01-01', 'achieved'],
    ['is off_track when stuck at baseline past the target date', ind({ measurements: [{ date: '2011-01-01', value: 10 }] }), '2016-01-01', 'off_track'],
  ])('%s', (_name, indicator, asOf, status) => {
    const got = indicatorProgress(indicator, asOf);
    expect(got.status).toBe(status);
    expect(got.attainment).toBe(indicatorAttainment(indicator, asOf));
    expect(got.expected).toBe(expectedAttainment(indicator, asOf));
  });
});

// --- milestones -------------------------------------------------------------

describe(summarizeMilestones.name, () => {
  const asOf = '2013-06-30';
  const m = (dueDate: string, status: MilestoneStatus, completedDate: string | null = null): MilestoneAt => ({
    dueDate,
    status,
    completedDate,
  });

  it.each<[string, MilestoneAt[], Partial<MilestoneSummary>]>([
    ['has null rates for no milestones', [], { total: 0, due: 0, completionRate: null, onTimeRate: null }],
    [
      'counts a past-due open milestone as due and overdue',
      [m('2013-01-01', 'in_progress')],
      { total: 1, due: 1, overdue: 1, completionRate: 0, onTimeRate: null },
    ],
    [
      'does not count a milestone due exactly on asOf as overdue',
      [m(asOf, 'not_started')],
      { due: 1, overdue: 0, completionRate: 0 },
    ],
    [
      'does not count future milestones as due',
      [m('2014-01-01', 'not_started')],
      { total: 1, due: 0, overdue: 0, completionRate: null },
    ],
    [
      'counts an early completion of a future milestone as completed but not in the rate',
      [m('2014-01-01', 'completed', '2013-01-01')],
      { completed: 1, completedDue: 0, completedOnTime: 1, due: 0, completionRate: null, onTimeRate: 1 },
    ],
    [
      'excludes cancelled milestones from due and overdue',
      [m('2013-01-01', 'cancelled'), m('2013-01-01', 'completed', '2012-12-01')],
      { total: 2, cancelled: 1, due: 1, overdue: 0, completed: 1, completionRate: 1 },
    ],
    [
      'counts delayed milestones as overdue',
      [m('2013-01-01', 'delayed'), m('2013-02-01', 'completed', '2013-03-01')],
      { due: 2, overdue: 1, completed: 1, completedDue: 1, completedOnTime: 0, completionRate: 0.5, onTimeRate: 0 },
    ],
    [
      'counts completion on the due date as on time',
      [m('2013-01-01', 'completed', '2013-01-01')],
      { completedOnTime: 1, onTimeRate: 1 },
    ],
    [
      'does not count a completion without a date as on time',
      [m('2013-01-01', 'completed', null)],
      { completed: 1, completedOnTime: 0, onTimeRate: 0, completionRate: 1 },
    ],
    [
      'computes rates over a mix',
      [
        m('2012-01-01', 'completed', '2011-12-01'),
        m('2012-06-01', 'completed', '2012-07-01'),
        m('2013-01-01', 'in_progress'),
        m('2013-06-30', 'not_started'),
        m('2014-01-01', 'completed', '2013-05-01'),
        m('2014-01-01', 'cancelled'),
      ],
      {
        total: 6,
        due: 4,
        completed: 3,
        completedDue: 2,
        completedOnTime: 2,
        overdue: 1,
        cancelled: 1,
        completionRate: 0.5,
        onTimeRate: 2 / 3,
      },
    ],
  ])('%s', (_name, input, want) => {
    expect(summarizeMilestones(input, asOf)).toMatchObject(want);
  });

  it('keeps counts consistent and rates in [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.array(milestoneArb), dayArb.map(isoDay), (ms, at) => {
        const s = summarizeMilestones(ms, at);
        expect(s.completedDue).toBeLessThanOrEqual(Math.min(s.completed, s.due));
        expect(s.completedOnTime).toBeLessThanOrEqual(s.completed);
        expect(s.overdue).toBeLessThanOrEqual(s.due);
        expect(s.due + s.cancelled).toBeLessThanOrEqual(s.total);
        for (const r of [s.completionRate, s.onTimeRate]) {
          if (r !== null) {
            expect(r).toBeGreaterThanOrEqual(0);
            expect(r).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });
});

describe(mergeMilestoneSummaries.name, () => {
  it('sums counts and recomputes rates from the sums', () => {
    const a = summarizeMilestones([{ dueDate: '2012-01-01', status: 'completed', completedDate: '2012-01-01' }], '2013-01-01');
    const b = summarizeMilestones(
      [
        { dueDate: '2012-01-01', status: 'delayed', completedDate: null },
        { dueDate: '2012-01-01', status: 'in_progress', completedDate: null },
      ],
      '2013-01-01',
    );
    // Averaging the rates (1 and 0) would give 0.5; the pooled rate is 1/3.
    expect(mergeMilestoneSummaries(a, b)).toMatchObject({ total: 3, due: 3, completed: 1, overdue: 2, completionRate: 1 / 3, onTimeRate: 1 });
  });

  it('has emptyMilestoneSummary as identity', () => {
    const s = summarizeMilestones([{ dueDate: '2012-01-01', status: 'completed', completedDate: null }], '2013-01-01');
    expect(mergeMilestoneSummaries(emptyMilestoneSummary(), s)).toEqual(s);
    expect(mergeMilestoneSummaries(s, emptyMilestoneSummary())).toEqual(s);
    expect(emptyMilestoneSummary()).toEqual(summarizeMilestones([], '2013-01-01'));
  });

  it('merging the summaries of a partition equals the summary of the whole (property)', () => {
    fc.assert(
      fc.property(fc.array(milestoneArb), fc.array(fc.boolean()), dayArb.map(isoDay), (ms, mask, at) => {
        const [left, right] = partition(ms, mask);
        expect(mergeMilestoneSummaries(summarizeMilestones(left, at), summarizeMilestones(right, at))).toEqual(
          summarizeMilestones(ms, at),
        );
      }),
    );
  });
});

// --- action plans -----------------------------------------------------------

describe(worstStatus.name, () => {
  it.each<[string, IndicatorStatus[], IndicatorStatus]>([
    ['is no_data for no statuses', [], 'no_data'],
    ['is no_data when all are no_data', ['no_data', 'no_data'], 'no_data'],
    ['ignores no_data when others exist', ['on_track', 'no_data'], 'on_track'],
    ['picks the worst by order', ['achieved', 'off_track', 'at_risk'], 'off_track'],
  ])('%s', (_name, statuses, want) => {
    expect(worstStatus(statuses)).toBe(want);
  });
});

describe(actionPlanProgress.name, () => {
  const allDone = summary({ total: 2, due: 2, completed: 2, completedDue: 2, completionRate: 1 });
  const halfDone = summary({ total: 2, due: 2, completed: 1, completedDue: 1, completionRate: 0.5 });
  const noneDue = summary({ total: 1, due: 0, completionRate: null });

  it.each<[string, IndicatorProgress[], MilestoneSummary, Partial<ReturnType<typeof actionPlanProgress>>]>([
    [
      'is null/no_data with nothing to go on',
      [],
      noneDue,
      { progress: null, indicatorScore: null, milestoneScore: null, status: 'no_data' },
    ],
    [
      'is no_data without indicators even if milestones are done',
      [],
      allDone,
      { progress: 1, indicatorScore: null, milestoneScore: 1, status: 'no_data' },
    ],
    [
      'blends indicator and milestone scores by PLAN_INDICATOR_WEIGHT',
      [progressOf('on_track', 0.4), progressOf('at_risk', 0.2)],
      halfDone,
      { indicatorScore: 0.3, milestoneScore: 0.5, progress: 0.4, status: 'at_risk' },
    ],
    [
      'caps each attainment at 1 in the indicator score',
      [progressOf('achieved', 3), progressOf('off_track', 0)],
      halfDone,
      { indicatorScore: 0.5, progress: 0.5, status: 'off_track' },
    ],
    [
      'uses the indicator score alone when no milestone is due',
      [progressOf('on_track', 0.6)],
      noneDue,
      { indicatorScore: 0.6, milestoneScore: null, progress: 0.6 },
    ],
    [
      'uses the milestone score alone when no indicator has data',
      [progressOf('no_data', undefined)],
      halfDone,
      { indicatorScore: null, milestoneScore: 0.5, progress: 0.5, status: 'no_data' },
    ],
    [
      'leaves no_data indicators out of the score and the status',
      [progressOf('no_data', undefined), progressOf('at_risk', 0.3)],
      noneDue,
      { indicatorScore: 0.3, status: 'at_risk' },
    ],
    [
      'is achieved when every indicator is achieved and every milestone is done',
      [progressOf('achieved', 1), progressOf('achieved', 1.2)],
      allDone,
      { indicatorScore: 1, progress: 1, status: 'achieved' },
    ],
    [
      'is achieved ignoring cancelled milestones',
      [progressOf('achieved', 1)],
      summary({ total: 3, cancelled: 1, due: 2, completed: 2, completedDue: 2, completionRate: 1 }),
      { status: 'achieved' },
    ],
    [
      'is achieved with no milestones at all',
      [progressOf('achieved', 1)],
      emptyMilestoneSummary(),
      { progress: 1, milestoneScore: null, status: 'achieved' },
    ],
    [
      'is on_track, not achieved, while milestones remain open',
      [progressOf('achieved', 1)],
      halfDone,
      { status: 'on_track' },
    ],
    [
      'is on_track, not achieved, while milestones not yet due remain open',
      [progressOf('achieved', 1)],
      summary({ total: 2, due: 1, completed: 1, completedDue: 1, completionRate: 1 }),
      { progress: 1, status: 'on_track' },
    ],
    [
      'is on_track, not achieved, when some indicators lack data',
      [progressOf('achieved', 1), progressOf('no_data', undefined)],
      allDone,
      { status: 'on_track' },
    ],
  ])('%s', (_name, indicators, milestones, want) => {
    const got = actionPlanProgress(indicators, milestones);
    for (const [key, value] of Object.entries(want)) {
      const actual = got[key as keyof typeof got];
      if (typeof value === 'number' && typeof actual === 'number') expect(actual, key).toBeCloseTo(value, 12);
      else expect(actual, key).toBe(value);
    }
  });

  it('keeps progress between its two scores (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: statusArb, attainment: fc.option(finite(-2, 3), { nil: undefined }) })),
        fc.option(finite(0, 1), { nil: null }),
        (raw, rate) => {
          const got = actionPlanProgress(
            raw.map((r) => progressOf(r.status, r.attainment)),
            summary({ total: 1, due: 1, completionRate: rate }),
          );
          const parts = [got.indicatorScore, got.milestoneScore].filter((x): x is number => x !== null);
          if (parts.length === 0) expect(got.progress).toBeNull();
          else {
            expect(got.progress).not.toBeNull();
            const p = got.progress ?? Number.NaN;
            expect(p).toBeGreaterThanOrEqual(Math.min(...parts) - 1e-12);
            expect(p).toBeLessThanOrEqual(Math.max(...parts) + 1e-12);
          }
          if (got.indicatorScore !== null) expect(got.indicatorScore).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

// --- status counts ----------------------------------------------------------

describe(countStatuses.name, () => {
  it.each<[string, IndicatorStatus[], Partial<ReturnType<typeof countStatuses>>]>([
    ['is all zero for no statuses', [], emptyStatusCounts()],
    ['counts each kind', ['achieved', 'at_risk', 'at_risk', 'no_data'], { achieved: 1, on_track: 0, at_risk: 2, off_track: 0, no_data: 1 }],
  ])('%s', (_name, statuses, want) => {
    expect(countStatuses(statuses)).toEqual({ ...emptyStatusCounts(), ...want });
  });

  it('totals the input length (property)', () => {
    fc.assert(
      fc.property(fc.array(statusArb), (statuses) => {
        const c = countStatuses(statuses);
        expect(Object.values(c).reduce((x, y) => x + y, 0)).toBe(statuses.length);
      }),
    );
  });
});

describe(addStatusCounts.name, () => {
  it('adds per kind', () => {
    expect(
      addStatusCounts(
        { achieved: 1, on_track: 2, at_risk: 3, off_track: 4, no_data: 5 },
        { achieved: 10, on_track: 20, at_risk: 30, off_track: 40, no_data: 50 },
      ),
    ).toEqual({ achieved: 11, on_track: 22, at_risk: 33, off_track: 44, no_data: 55 });
  });

  it('counts of a partition added equal the counts of the whole (property)', () => {
    fc.assert(
      fc.property(fc.array(statusArb), fc.array(fc.boolean()), (statuses, mask) => {
        const [left, right] = partition(statuses, mask);
        expect(addStatusCounts(countStatuses(left), countStatuses(right))).toEqual(countStatuses(statuses));
      }),
    );
  });
});

describe(emptyStatusCounts.name, () => {
  it('is the identity for addStatusCounts and returns a fresh object', () => {
    const c = countStatuses(['on_track', 'off_track']);
    expect(addStatusCounts(emptyStatusCounts(), c)).toEqual(c);
    const e = emptyStatusCounts();
    e.achieved = 5;
    expect(emptyStatusCounts().achieved).toBe(0);
  });
});
