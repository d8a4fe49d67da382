import { compareChart, statusChart, trajectoryChart, type ChartConfig } from '@mm/shared/chart-config';
import type { CompareRow, ProgressByDimension } from '@mm/shared';
import type { TooltipItem } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { fitCategoryLabel, forScreen, valueFormatter } from './screen.ts';

describe(valueFormatter.name, () => {
  it.each([
    ['count', 1234, '1,234'],
    ['usd', 150_000_000, 'US$150.0m'],
    ['percent', 0.4244, '42.4%'],
  ] as const)('%s: %d → %s', (format, n, text) => {
    expect(valueFormatter(format)(n, 0)).toBe(text);
  });
});

const zero = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
const figures = { partnerships: 1, resourcesUsd: 0, milestones: { total: 0, completed: 0, overdue: 0, completionRate: null }, indicators: { ...zero, at_risk: 3 }, attainment: null, expected: null, forecastMet: null };
const byMandate: ProgressByDimension = { dimension: 'mandate', asOf: '2012-12-31', partition: false, rule: '', groups: [{ key: 'DAO-2007', label: 'Delivering as One', ...figures }], unassigned: figures };

/** The tooltip line Chart.js would show for one point (only the fields the callback reads). */
function tooltip(config: ChartConfig, datasetIndex: number, parsed: { x: number; y: number }, format?: (n: number, i: number) => string): string {
  const label = forScreen(config, format).options?.plugins?.tooltip?.callbacks?.label;
  const item = { dataset: { label: config.data.datasets[datasetIndex]?.label }, datasetIndex, parsed } as unknown as TooltipItem<'bar' | 'line'>;
  const line = label?.call(undefined as never, item);
  return typeof line === 'string' ? line : '';
}

describe(forScreen.name, () => {
  it('reads tooltips along the value axis, in the chart\'s number format', () => {
    // Horizontal bars: the value is x.
    expect(tooltip(statusChart(byMandate), 2, { x: 3, y: 0 })).toBe('▲ At risk: 3');
    const t = trajectoryChart({ asOf: '2012-12-31', interval: 'year', indicators: 1, target: null, points: [{ period: '2012', date: '2012-12-31', actual: 0.4, withData: 1, expected: 0.5, forecast: null }] });
    expect(tooltip(t, 0, { x: 0, y: 0.4 })).toBe('Actual: 40.0%');
  });
  it('takes another formatter where a chart reads differently (the compare chart: a signed change)', () => {
    const row = { key: 'AFR', label: 'Africa', milestonesCompleted: { from: 1, to: 4, delta: 3 }, indicators: { improved: 0, worsened: 2, unchanged: 0, added: 0, removed: 0, transitions: [] }, resourcesUsd: { from: 0, to: 0, delta: 0, added: 0, removed: 0 }, partnerships: { from: 1, to: 1, added: 0, removed: 0 } } satisfies CompareRow;
    const fmt = (n: number, series: number) => (series === 0 ? `+${n}` : String(Math.abs(n)));
    expect(tooltip(compareChart([row], 'region'), 0, { x: 0, y: 3 }, fmt)).toBe('Milestones completed (change): +3');
    expect(tooltip(compareChart([row], 'region'), 2, { x: 0, y: -2 }, fmt)).toBe('▼ Indicators worsened: 2');
  });
  it('hovers line charts by index, bars by the bar under the pointer', () => {
    expect(forScreen(statusChart(byMandate)).options?.interaction).toBeUndefined();
    expect(forScreen(trajectoryChart({ asOf: '2012-12-31', interval: 'year', indicators: 0, target: null, points: [] })).options?.interaction).toEqual({ mode: 'index', intersect: false });
  });
});

describe(fitCategoryLabel.name, () => {
  const name = 'Programme conjoint des Nations Unies / fonds multipartenaires';
  it('shortens a horizontal bar\'s group name to about 40 % of a phone-wide chart, keeping it whole on a wide one', () => {
    const phone = fitCategoryLabel(name, 340);
    expect(phone).toBe('Programme conjoint d…');
    expect(String(phone).length * 6.4).toBeLessThanOrEqual(340 * 0.4 + 6.4);
    expect(fitCategoryLabel(name, 1200)).toBe(name);
    expect(fitCategoryLabel(['Asie et', 'Pacifique'], 100)).toEqual(['Asie et', 'Pacifique']);
  });
  it('gives the left axis of horizontal bar charts this shortening, and leaves vertical bars alone', () => {
    const cb = forScreen(statusChart(byMandate)).options?.scales?.y?.ticks?.callback as unknown as (this: unknown, v: number) => unknown;
    const scale = { getLabelForValue: () => name, chart: { width: 340 } };
    expect(cb.call(scale, 0)).toBe('Programme conjoint d…');
    const t = trajectoryChart({ asOf: '2012-12-31', interval: 'year', indicators: 0, target: null, points: [] });
    expect(forScreen(t).options?.scales?.y?.ticks?.callback).toBeUndefined();
  });
});
