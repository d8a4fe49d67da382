import { describe, expect, it } from 'vitest';
import { attainmentChart, compareChart, milestoneCompletionChart, statusByGroupChart, statusLabel, STATUS_COLORS, timelineChart, trajectoryChart } from './chart-config.ts';
import type { ProgressByDimension, ProgressGroup, ProgressTimeline, ProgressTrajectory } from './progress-api.ts';
import type { CompareRow } from './snapshots.ts';

const zero = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
function group(key: string, label: string, indicators: Partial<typeof zero>, milestones: { total: number; completionRate: number | null }): ProgressGroup {
  return {
    key, label, partnerships: 1, resourcesUsd: 0,
    milestones: { total: milestones.total, completed: 0, overdue: 0, completionRate: milestones.completionRate },
    indicators: { ...zero, ...indicators }, attainment: null, expected: null, forecastMet: null,
  };
}
const byRegion: ProgressByDimension = {
  dimension: 'region', asOf: '2012-12-31', partition: true, rule: '',
  groups: [
    group('AFR', 'Africa', { on_track: 3, at_risk: 1 }, { total: 10, completionRate: 0.5 }),
    group('AME', 'Americas', {}, { total: 0, completionRate: null }),
    group('ASP', 'Asia and the Pacific', { achieved: 2, no_data: 1 }, { total: 4, completionRate: 0.2345 }),
  ],
  unassigned: { partnerships: 0, resourcesUsd: 0, milestones: { total: 0, completed: 0, overdue: 0, completionRate: null }, indicators: zero, attainment: null, expected: null, forecastMet: null },
};

describe(statusByGroupChart.name, () => {
  it.each([
    ['✔ Achieved', [0, 2]],
    ['● On track', [3, 0]],
    ['▲ At risk', [1, 0]],
    ['✖ Off track', [0, 0]],
    ['– No data', [0, 1]],
  ])('stacks %s counts for the groups that have indicators', (label, data) => {
    const c = statusByGroupChart(byRegion);
    expect(c.data.labels).toEqual(['Africa', 'Asia and the Pacific']);
    expect(c.data.datasets.find((d) => d.label === label)?.data).toEqual(data);
  });
  it('draws horizontal stacked bars in the status colours', () => {
    const c = statusByGroupChart(byRegion, 'T');
    expect(c.options.indexAxis).toBe('y');
    expect(c.options.plugins.title.text).toBe('T');
    expect(c.data.datasets.map((d) => d.backgroundColor)).toEqual(Object.values(STATUS_COLORS));
  });
});

describe(milestoneCompletionChart.name, () => {
  it.each([
    ['Africa', 50],
    ['Asia and the Pacific', 23.5],
  ])('shows %s completion as %s %%, skipping groups without milestones', (label, value) => {
    const c = milestoneCompletionChart(byRegion);
    expect(c.data.labels).not.toContain('Americas');
    expect(c.data.datasets[0]?.data[c.data.labels.indexOf(label)]).toBe(value);
  });
});

describe(attainmentChart.name, () => {
  it('puts attainment beside expected, in %, for groups with indicators', () => {
    const by: ProgressByDimension = { ...byRegion, groups: [{ ...byRegion.groups[0], attainment: 0.4234, expected: 0.5 } as ProgressGroup, byRegion.groups[1] as ProgressGroup] };
    const c = attainmentChart(by);
    expect(c.data.labels).toEqual(['Africa']);
    expect(c.data.datasets.map((d) => d.data)).toEqual([[42.3], [50]]);
  });
});

describe(trajectoryChart.name, () => {
  const t: ProgressTrajectory = {
    asOf: '2012-12-31', interval: 'year', indicators: 2, target: { date: '2015-12-31', attainment: 1 },
    points: [
      { period: '2011', date: '2011-12-31', actual: 0.25, withData: 2, expected: 0.3, forecast: null },
      { period: '2012', date: '2012-12-31', actual: 0.4, withData: 2, expected: 0.45, forecast: 0.4 },
      { period: '2013', date: '2013-12-31', actual: null, withData: 0, expected: 0.6, forecast: 0.55 },
    ],
  };
  it.each([
    ['Actual', [25, 40, null]],
    ['Expected', [30, 45, 60]],
    ['Forecast', [null, 40, 55]],
  ])('plots %s in %% of target', (label, data) => {
    expect(trajectoryChart(t).data.datasets.find((d) => d.label === label)?.data).toEqual(data);
  });
  it('marks the target at 100 %', () => {
    expect(trajectoryChart(t).options.plugins.annotation?.annotations.target).toMatchObject({ yMin: 100, yMax: 100 });
  });
});

describe(timelineChart.name, () => {
  it('plots cumulative due and completed per quarter', () => {
    const t: ProgressTimeline = { asOf: '2012-12-31', quarters: [
      { quarter: '2012-Q1', start: '2012-01-01', end: '2012-03-31', due: 2, completed: 1, cumulativeDue: 2, cumulativeCompleted: 1 },
      { quarter: '2012-Q2', start: '2012-04-01', end: '2012-06-30', due: 3, completed: 3, cumulativeDue: 5, cumulativeCompleted: 4 },
    ] };
    const c = timelineChart(t);
    expect(c.data.labels).toEqual(['2012-Q1', '2012-Q2']);
    expect(c.data.datasets.map((d) => [d.label, d.data])).toEqual([['Due (cumulative)', [2, 5]], ['Completed (cumulative)', [1, 4]]]);
  });
});

describe(compareChart.name, () => {
  it('shows completed-milestone change, improvements up and worsenings below zero', () => {
    const row: CompareRow = {
      key: 'AFR', label: 'Africa', milestonesCompleted: { from: 10, to: 14, delta: 4 },
      indicators: { improved: 12, worsened: 3, unchanged: 5, added: 0, removed: 0, transitions: [{ from: 'at_risk', to: 'on_track', count: 12 }] },
      resourcesUsd: { from: 0, to: 0, delta: 0, added: 0, removed: 0 }, partnerships: { from: 1, to: 1, added: 0, removed: 0 },
    };
    const c = compareChart([row]);
    expect(c.data.datasets.map((d) => d.data[0])).toEqual([4, 12, -3]);
  });
});

describe(statusLabel.name, () => {
  it.each([['at_risk', 'At risk'], ['no_data', 'No data']])('%s → %s', (code, label) => expect(statusLabel(code)).toBe(label));
});
