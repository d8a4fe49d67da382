import { describe, expect, it } from 'vitest';
import type { IndicatorProgressDetail } from '../../lib/api/progress.ts';
import { indicatorChart, yearRange } from './data.ts';

const detail: IndicatorProgressDetail = {
  asOf: '2012-12-31',
  indicator: { id: 1, actionPlanId: 1, name: 'Member States with decent work central to policy', unit: 'number', direction: 'increase', region: 'AFR' },
  baseline: { date: '2008-01-01', value: 2 },
  target: { date: '2015-12-31', value: 16 },
  measurements: [{ id: 1, date: '2010-01-01', value: 5, attainment: 3 / 14 }, { id: 2, date: '2012-01-01', value: 9, attainment: 0.5 }],
  latest: { date: '2012-01-01', value: 9 },
  attainment: 0.5,
  expected: 0.625,
  status: 'at_risk',
  forecast: { kind: 'trend', slopePerDay: 0.0055, projectedValue: 17, projectedAttainment: 15 / 14, meetsTarget: true },
  expectedPath: [{ date: '2008-01-01', value: 2, expected: 0 }, { date: '2015-12-31', value: 16, expected: 1 }],
  forecastLine: [{ date: '2010-01-01', value: 5 }, { date: '2015-12-31', value: 17 }],
};

describe(indicatorChart.name, () => {
  it('draws the measurements, the expected path, the forecast and the baseline and target points', () => {
    const c = indicatorChart(detail);
    expect(c.datasets.map((d) => d.label)).toEqual(['Measured', 'Expected path', 'Forecast', 'Baseline and target']);
    expect(c.datasets[0]?.data).toEqual([{ x: 2010, y: 5 }, { x: 2012, y: 9 }]);
    expect(c.datasets[3]?.data.map((p) => p.y)).toEqual([2, 16]);
    expect(c.datasets[2]?.data.at(-1)?.y).toBe(17);
  });
});

describe(yearRange.name, () => {
  it('spans whole years from the baseline to the target', () => {
    expect(yearRange(detail)).toEqual({ min: 2008, max: 2016 });
  });
});
