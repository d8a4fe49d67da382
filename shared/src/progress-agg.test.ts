import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateIndicators,
  emptyIndicatorAggregate,
  epochDay,
  forecastFromSums,
  indicatorMeans,
  mergeIndicatorAggregates,
  summarizeMilestoneClasses,
  summarizeMilestoneClassesBy,
  trendFromSums,
  trendValueAt,
  type LeastSquaresSums,
  type MilestoneClass,
} from './progress-agg.ts';
import { forecast, indicatorProgress, summarizeMilestones, type IndicatorInput, type IndicatorProgress, type MilestoneAt, type MilestoneStatus } from './progress.ts';

const isoDay = (n: number) => new Date(Date.UTC(2005, 0, 1 + n)).toISOString().slice(0, 10);

function sumsOf(ms: readonly { date: string; value: number }[]): LeastSquaresSums {
  const s = { n: 0, sumX: 0, sumY: 0, sumXY: 0, sumXX: 0 };
  for (const m of ms) {
    const x = epochDay(m.date);
    s.n++; s.sumX += x; s.sumY += m.value; s.sumXY += x * m.value; s.sumXX += x * x;
  }
  return s;
}

const base: IndicatorInput = { direction: 'increase', baselineValue: 10, baselineDate: '2010-01-01', targetValue: 20, targetDate: '2015-12-31', measurements: [] };

describe(epochDay.name, () => {
  it.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['2000-01-01', 10957],
    ['2015-12-31', 16800],
  ])('%s is day %i', (d, n) => expect(epochDay(d)).toBe(n));
});

describe(trendFromSums.name, () => {
  it.each([
    ['no points', []],
    ['one point', [{ date: '2011-01-01', value: 3 }]],
    ['two points on one date', [{ date: '2011-01-01', value: 3 }, { date: '2011-01-01', value: 5 }]],
  ])('is undefined with %s', (_label, ms) => expect(trendFromSums(sumsOf(ms))).toBeUndefined());

  it('fits an exact line through two points', () => {
    const line = trendFromSums(sumsOf([{ date: '2011-01-01', value: 10 }, { date: '2011-01-11', value: 20 }]));
    expect(line?.slopePerDay).toBeCloseTo(1, 12);
    expect(line && trendValueAt(line, '2011-01-21')).toBeCloseTo(30, 9);
  });
});

describe(forecastFromSums.name, () => {
  it.each([
    ['insufficient with one measurement', [{ date: '2011-01-01', value: 12 }], { kind: 'insufficient_data' }],
    ['meets the target on a rising line', [{ date: '2010-01-01', value: 10 }, { date: '2013-01-01', value: 16 }], { kind: 'trend', meetsTarget: true }],
    ['misses the target on a flat line', [{ date: '2011-01-01', value: 12 }, { date: '2013-01-01', value: 12 }], { kind: 'trend', meetsTarget: false }],
  ])('%s', (_label, ms, expected) => {
    expect(forecastFromSums(base, sumsOf(ms))).toMatchObject(expected);
  });

  it('agrees with forecast() on the same measurements', () => {
    const measurement = fc.record({ date: fc.integer({ min: 0, max: 4000 }).map(isoDay), value: fc.integer({ min: -1000, max: 100_000 }).map((v) => v / 10) });
    fc.assert(fc.property(fc.array(measurement, { maxLength: 30 }), fc.boolean(), (ms, down) => {
      const ind: IndicatorInput = down ? { ...base, direction: 'decrease', baselineValue: 50, targetValue: 20, measurements: ms } : { ...base, measurements: ms };
      const a = forecast(ind, '2020-01-01');
      const b = forecastFromSums(ind, sumsOf(ms));
      expect(b.kind).toBe(a.kind);
      if (a.kind === 'trend' && b.kind === 'trend') {
        // The two fits round differently (raw sums vs centred sums), so they agree to a tolerance
        // relative to the numbers involved: a steep line through two close dates projects to values
        // in the millions, where a fixed number of decimals would demand more than a double holds.
        const valueTol = 1e-6 * Math.max(1, Math.abs(a.projectedValue), ...ms.map((m) => Math.abs(m.value)));
        expect(Math.abs(b.projectedValue - a.projectedValue)).toBeLessThanOrEqual(valueTol);
        const attainmentTol = valueTol / Math.abs(ind.targetValue - ind.baselineValue);
        expect(Math.abs(b.projectedAttainment - a.projectedAttainment)).toBeLessThanOrEqual(attainmentTol);
        // Away from the target line by more than the rounding, both say the same about meeting it.
        if (Math.abs(a.projectedAttainment - 1) > attainmentTol) expect(b.meetsTarget).toBe(a.meetsTarget);
      }
    }), {
      numRuns: 2000,
      // Found by CI: a 1,892-per-day line projected ten years out.
      examples: [[[{ date: '2005-01-01', value: 0 }, { date: '2005-01-02', value: 1892.1 }], false]],
    });
  });
});

const p = (over: Partial<IndicatorProgress>): IndicatorProgress => ({ attainment: undefined, expected: 0.5, status: 'no_data', forecast: { kind: 'insufficient_data' }, latest: undefined, ...over });

describe(aggregateIndicators.name, () => {
  it('caps attainment at 1, skips missing data in the attainment mean, and counts forecasts', () => {
    const a = aggregateIndicators([
      p({ attainment: 1.5, expected: 1, status: 'achieved', forecast: { kind: 'trend', slopePerDay: 1, projectedValue: 30, projectedAttainment: 2, meetsTarget: true } }),
      p({ attainment: 0.2, expected: 0.6, status: 'off_track', forecast: { kind: 'trend', slopePerDay: 0, projectedValue: 12, projectedAttainment: 0.2, meetsTarget: false } }),
      p({ expected: 0.4 }),
    ]);
    expect(a.statuses).toEqual({ achieved: 1, on_track: 0, at_risk: 0, off_track: 1, no_data: 1 });
    expect(a).toMatchObject({ count: 3, withData: 2, forecastCount: 2, forecastMet: 1 });
    const m = indicatorMeans(a);
    expect(m.attainment).toBeCloseTo(0.6, 12);
    expect(m.expected).toBeCloseTo(2 / 3, 12);
    expect(m.forecastMet).toBe(0.5);
  });

  it('has null means when empty', () => {
    expect(indicatorMeans(emptyIndicatorAggregate())).toEqual({ attainment: null, expected: null, forecastMet: null });
  });
});

describe(mergeIndicatorAggregates.name, () => {
  it('merging the aggregates of a partition gives the aggregate of the whole', () => {
    const measurement = fc.record({ date: fc.integer({ min: 0, max: 4000 }).map(isoDay), value: fc.integer({ min: 0, max: 400 }).map((v) => v / 10) });
    fc.assert(fc.property(fc.array(fc.array(measurement, { maxLength: 5 }), { maxLength: 12 }), fc.nat(12), (lists, cut) => {
      const ps = lists.map((ms) => indicatorProgress({ ...base, measurements: ms }, '2013-06-30'));
      const whole = aggregateIndicators(ps);
      const merged = mergeIndicatorAggregates(aggregateIndicators(ps.slice(0, cut)), aggregateIndicators(ps.slice(cut)));
      expect(merged.statuses).toEqual(whole.statuses);
      expect(merged.withData).toBe(whole.withData);
      expect(merged.attainmentSum).toBeCloseTo(whole.attainmentSum, 9);
    }));
  });
});

describe(summarizeMilestoneClasses.name, () => {
  const asOf = '2012-06-30';
  it.each<[string, MilestoneClass[], Partial<ReturnType<typeof summarizeMilestones>>]>([
    ['nothing', [], { total: 0, completionRate: null }],
    ['completed on time in the past', [{ status: 'completed', due: 'past', onTime: true, count: 3 }], { total: 3, due: 3, completed: 3, completedDue: 3, completedOnTime: 3, completionRate: 1, onTimeRate: 1 }],
    ['late and overdue', [{ status: 'completed', due: 'past', onTime: false, count: 1 }, { status: 'in_progress', due: 'past', onTime: false, count: 3 }], { total: 4, due: 4, completed: 1, overdue: 3, completionRate: 0.25, onTimeRate: 0 }],
    ['due today is not overdue', [{ status: 'not_started', due: 'today', onTime: false, count: 2 }], { due: 2, overdue: 0 }],
    ['cancelled and future', [{ status: 'cancelled', due: 'past', onTime: false, count: 1 }, { status: 'completed', due: 'future', onTime: true, count: 1 }], { total: 2, due: 0, cancelled: 1, completed: 1, completedDue: 0 }],
  ])('%s', (_label, classes, expected) => {
    expect(summarizeMilestoneClasses(classes, asOf)).toMatchObject(expected);
  });

  it('equals summarizeMilestones over the milestones the classes count', () => {
    const statuses: MilestoneStatus[] = ['not_started', 'in_progress', 'completed', 'delayed', 'cancelled'];
    const ms = fc.record({ due: fc.integer({ min: 2500, max: 3000 }).map(isoDay), status: fc.constantFrom(...statuses), done: fc.option(fc.integer({ min: 2400, max: 3100 }).map(isoDay)) });
    fc.assert(fc.property(fc.array(ms, { maxLength: 40 }), fc.integer({ min: 2400, max: 3100 }).map(isoDay), (raw, at) => {
      const list: MilestoneAt[] = raw.map((m) => ({ dueDate: m.due, status: m.status, completedDate: m.status === 'completed' ? m.done : null }));
      const counts = new Map<string, MilestoneClass>();
      for (const m of list) {
        const c: MilestoneClass = { status: m.status, due: m.dueDate < at ? 'past' : m.dueDate === at ? 'today' : 'future', onTime: m.completedDate !== null && m.completedDate <= m.dueDate, count: 0 };
        const k = `${c.status}|${c.due}|${c.onTime}`;
        const cur = counts.get(k) ?? c;
        cur.count++;
        counts.set(k, cur);
      }
      expect(summarizeMilestoneClasses([...counts.values()], at)).toEqual(summarizeMilestones(list, at));
    }));
  });
});

describe(summarizeMilestoneClassesBy.name, () => {
  it('summarises each key on its own, equal to summarizeMilestoneClasses of that key', () => {
    const asOf = '2012-06-30';
    const classes: (MilestoneClass & { plan: number })[] = [
      { plan: 1, status: 'completed', due: 'past', onTime: true, count: 2 },
      { plan: 2, status: 'delayed', due: 'past', onTime: false, count: 1 },
      { plan: 1, status: 'not_started', due: 'future', onTime: false, count: 4 },
      { plan: 2, status: 'completed', due: 'past', onTime: true, count: 1 },
    ];
    const by = summarizeMilestoneClassesBy(classes, (c) => c.plan, asOf);
    expect([...by.keys()].sort()).toEqual([1, 2]);
    for (const plan of [1, 2]) expect(by.get(plan)).toEqual(summarizeMilestoneClasses(classes.filter((c) => c.plan === plan), asOf));
    expect(by.get(1)).toMatchObject({ total: 6, due: 2, completed: 2, completionRate: 1 });
    expect(by.get(2)).toMatchObject({ total: 2, due: 2, overdue: 1, completionRate: 0.5 });
  });
});
