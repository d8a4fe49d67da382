import { describe, expect, it } from 'vitest';
import {
  attainmentChart, eventsSentence, axisLabel, burnupChart, chartById, chartDescription, groupsShown, chartSourcesNeeded, chartTitle, compareChart, milestoneCompletionChart, OKABE_ITO, OVERVIEW_CHARTS, paintPattern,
  partnershipsChart, resourcesChart, snapshotChartSources, STATUS_ORDER, STATUS_STYLE, statusChart, statusLabel, trajectoryChart,
  type ChartId, type Pattern, type PatternContext,
} from './chart-config.ts';
import type { ProgressByDimension, ProgressGroup, ProgressTimeline, ProgressTrajectory } from './progress-api.ts';
import { CHARTS, type CompareRow, type SnapshotProgress } from './snapshots.ts';

const zero = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
const ms = (total: number, completionRate: number | null) => ({ total, completed: 0, overdue: 0, completionRate });
function group(key: string, label: string, over: Partial<ProgressGroup> = {}): ProgressGroup {
  return { key, label, partnerships: 0, resourcesUsd: 0, milestones: ms(0, null), indicators: zero, attainment: null, expected: null, forecastMet: null, ...over };
}
const byRegion: ProgressByDimension = {
  dimension: 'region', asOf: '2012-12-31', partition: true, rule: '',
  groups: [
    group('AFR', 'Africa', { partnerships: 120, resourcesUsd: 150_000_000, milestones: ms(10, 0.5), indicators: { ...zero, on_track: 3, at_risk: 1 }, attainment: 0.41, expected: 0.55 }),
    group('AME', 'Americas'),
    group('ASP', 'Asia and the Pacific', { partnerships: 15, resourcesUsd: 3_000_000, milestones: ms(4, 0.2345), indicators: { ...zero, achieved: 2, no_data: 1 }, expected: 0.5 }),
  ],
  unassigned: { partnerships: 0, resourcesUsd: 0, milestones: ms(0, null), indicators: zero, attainment: null, expected: null, forecastMet: null },
};
const byModality: ProgressByDimension = { ...byRegion, dimension: 'modality', partition: false, groups: [group('ppp', 'Public-private partnership', { resourcesUsd: 2_500_000 })] };
const trajectory: ProgressTrajectory = {
  asOf: '2012-12-31', interval: 'year', indicators: 2, target: { date: '2015-12-31', attainment: 1 },
  points: [
    { period: '2011', date: '2011-12-31', actual: 0.25, withData: 2, expected: 0.3, forecast: null },
    { period: '2012', date: '2012-12-31', actual: 0.4, withData: 2, expected: 0.45, forecast: 0.4 },
    { period: '2013', date: '2013-12-31', actual: null, withData: 0, expected: 0.6, forecast: 0.55 },
  ],
};
const timeline: ProgressTimeline = { asOf: '2012-12-31', quarters: [
  { quarter: '2012-Q1', start: '2012-01-01', end: '2012-03-31', due: 2, completed: 1, cumulativeDue: 2, cumulativeCompleted: 1 },
  { quarter: '2012-Q2', start: '2012-04-01', end: '2012-06-30', due: 3, completed: 3, cumulativeDue: 5, cumulativeCompleted: 4 },
] };

describe(partnershipsChart.name, () => {
  it('draws one solid blue bar per region, every region in reference order, with two-line long names', () => {
    const c = partnershipsChart(byRegion);
    expect(c.data.labels).toEqual(['Africa', 'Americas', ['Asia and', 'the Pacific']]);
    expect(c.data.datasets).toEqual([{ label: 'Partnerships', data: [120, 0, 15], backgroundColor: OKABE_ITO.blue }]);
    expect(c.options.indexAxis).toBe('x');
    expect(c.options.plugins.title.text).toBe('Partnerships by region');
    expect(c.format).toBe('count');
  });
});

describe(resourcesChart.name, () => {
  it('draws US$ per modality as horizontal orange bars with US$ ticks', () => {
    const c = resourcesChart(byModality);
    expect(c.data.datasets[0]).toMatchObject({ data: [2_500_000], backgroundColor: OKABE_ITO.orange });
    expect(c.options.indexAxis).toBe('y');
    expect(c.options.scales.x.ticks?.format).toMatchObject({ style: 'currency', currency: 'USD' });
    expect(c.format).toBe('usd');
    expect(c.category).toBe('Modality');
  });
});

describe(attainmentChart.name, () => {
  it('puts attainment beside the expected share (patterned), keeping gaps where there is no data', () => {
    const c = attainmentChart(byRegion);
    expect(c.data.datasets.map((d) => [d.label, d.data, d.pattern])).toEqual([
      ['Attainment', [0.41, null, null], undefined],
      ['Expected by now', [0.55, null, 0.5], 'diagonal'],
    ]);
    expect(c.options.scales.y).toMatchObject({ suggestedMax: 1, ticks: { format: { style: 'percent' } } });
    expect(c.format).toBe('percent');
  });
});

describe(statusChart.name, () => {
  it.each([
    ['✔ Achieved', [0, 0, 2], OKABE_ITO.blue, 'solid'],
    ['● On track', [3, 0, 0], OKABE_ITO.green, 'dots'],
    ['▲ At risk', [1, 0, 0], OKABE_ITO.orange, 'diagonal'],
    ['✖ Off track', [0, 0, 0], OKABE_ITO.vermillion, 'cross'],
    ['– No data', [0, 0, 1], '#BDBDBD', 'horizontal'],
  ])('stacks %s counts per region in its colour and pattern', (label, data, colour, pattern) => {
    const c = statusChart(byRegion);
    expect(c.data.datasets.find((d) => d.label === label)).toMatchObject({ data, backgroundColor: colour, pattern });
  });
  it('stacks in status order, horizontally for dimensions other than region', () => {
    expect(statusChart(byRegion).options.scales).toMatchObject({ x: { stacked: true }, y: { stacked: true } });
    expect(statusChart(byRegion).data.datasets.map((d) => d.label)).toEqual(STATUS_ORDER.map((s) => `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`));
    expect(statusChart({ ...byRegion, dimension: 'mandate' }).options.indexAxis).toBe('y');
  });
});

describe(milestoneCompletionChart.name, () => {
  it('shows the share of due milestones completed, on a 0–100 % axis', () => {
    const c = milestoneCompletionChart(byRegion);
    expect(c.data.datasets[0]?.data).toEqual([0.5, null, 0.2345]);
    expect(c.options.scales.y).toMatchObject({ min: 0, max: 1 });
  });
});

describe(trajectoryChart.name, () => {
  it.each([
    ['Actual', [0.25, 0.4, null], undefined],
    ['Expected', [0.3, 0.45, 0.6], undefined],
    ['Forecast', [null, 0.4, 0.55], [6, 4]],
  ])('plots %s as shares of the target', (label, data, dash) => {
    const d = trajectoryChart(trajectory).data.datasets.find((x) => x.label === label);
    expect([d?.data, d?.borderDash]).toEqual([data, dash]);
  });
  it('marks the target line with its date, and none without a target', () => {
    expect(trajectoryChart(trajectory).options.plugins.annotation?.annotations.target).toMatchObject({ yMin: 1, yMax: 1, label: { content: '◆ Target: 100% by 2015-12-31' } });
    expect(trajectoryChart({ ...trajectory, target: null }).options.plugins.annotation?.annotations).toEqual({});
    // Events: a vertical line at the period each falls in, labelled with date and title; outside the range, none.
    const labels = trajectory.points.map((p) => p.period);
    const inside = { date: `${labels[1]}-06-20`.slice(0, 10), title: 'Rio+20: United Nations Conference on Sustainable Development', verified: true };
    const guessed = { date: `${labels[0]}-02-01`.slice(0, 10), title: 'ECOSOC', verified: false };
    const outside = { date: '1990-01-01', title: 'Too early', verified: true };
    const annotations = trajectoryChart(trajectory, [inside, outside, guessed]).options.plugins.annotation?.annotations ?? {};
    expect(Object.keys(annotations).sort()).toEqual(['event0', 'event1', 'target']);
    expect(annotations.event0).toMatchObject({ xMin: 0, xMax: 0, borderDash: [4, 3], label: { content: 'ECOSOC' } });
    expect(annotations.event1).toMatchObject({ xMin: 1, xMax: 1, borderDash: [], label: { content: 'Rio+20: United Nations Confer…' } });
    // Two events in one period: one line, the first title and how many more.
    const same = { ...inside, date: `${labels[1]}-11-02`, title: 'Second' };
    const two = trajectoryChart(trajectory, [same, inside]).options.plugins.annotation?.annotations ?? {};
    expect(Object.keys(two).sort()).toEqual(['event0', 'target']);
    expect(two.event0).toMatchObject({ xMin: 1, label: { content: 'Rio+20: United Nation… +1' } });
    expect(eventsSentence(trajectoryChart(trajectory, [inside]), [inside])).toBe(`Events marked: ${inside.date} ${inside.title.slice(0, 39)}….`);
    expect(eventsSentence(trajectoryChart(trajectory, [guessed]), [guessed])).toBe(`Events marked (* date not verified): ${guessed.date} ECOSOC *.`);
    expect(eventsSentence(trajectoryChart(trajectory, []), [])).toBe('');
  });
});

describe(burnupChart.name, () => {
  it('plots cumulative due and completed per quarter', () => {
    const c = burnupChart(timeline);
    expect(c.data.labels).toEqual(['2012-Q1', '2012-Q2']);
    expect(c.data.datasets.map((d) => [d.label, d.data])).toEqual([['Due (cumulative)', [2, 5]], ['Completed (cumulative)', [1, 4]]]);
  });
});

describe(compareChart.name, () => {
  const row: CompareRow = {
    key: 'AFR', label: 'Africa', milestonesCompleted: { from: 10, to: 14, delta: 4 },
    indicators: { improved: 12, worsened: 3, unchanged: 5, added: 0, removed: 0, transitions: [{ from: 'at_risk', to: 'on_track', count: 12 }] },
    resourcesUsd: { from: 0, to: 0, delta: 0, added: 0, removed: 0 }, partnerships: { from: 1, to: 1, added: 0, removed: 0 },
  };
  it('shows completed-milestone change, improvements up and worsenings below zero (never −0)', () => {
    const still = { ...row, milestonesCompleted: { from: 1, to: 1, delta: 0 }, indicators: { ...row.indicators, improved: 0, worsened: 0 } };
    const c = compareChart([row, still], 'region');
    expect(c.data.datasets.map((d) => d.data)).toEqual([[4, 0], [12, 0], [-3, 0]]);
    expect(Object.is(c.data.datasets[2]?.data[1], -0)).toBe(false);
    expect(c.data.datasets.map((d) => d.pattern)).toEqual([undefined, 'diagonal', 'cross']);
  });
  it('is horizontal and titled by the dimension outside regions', () => {
    const c = compareChart([row], 'partnerType');
    expect(c.options.indexAxis).toBe('y');
    expect(c.options.plugins.title.text).toBe('What moved, by partner type (lead partner)');
  });
});

describe(axisLabel.name, () => {
  it.each([
    ['mandate', 'DAO-2007', 'Delivering as One', 'DAO-2007'],
    ['modality', 'joint_un', 'Joint UN programme / MPTF (Delivering as One)', 'Joint UN programme / MPTF …'],
    ['region', 'AFR', 'Africa', 'Africa'],
    ['region', 'ASP', 'Asia and the Pacific', ['Asia and', 'the Pacific']],
    ['region', 'GLO', 'Interregional / Global', ['Interregional', '/ Global']],
  ] as const)('%s %s → %o', (dimension, key, label, expected) => {
    expect(axisLabel(dimension, key, label)).toEqual(expected);
  });
});

describe(chartTitle.name, () => {
  it.each([
    ['partnerships-by-region', 'Partnerships by region'],
    ['resources-by-modality', 'Resources by modality'],
    ['attainment-by-partnerType', 'Attainment vs expected by partner type (lead partner)'],
    ['status-by-mandate', 'Indicator status by mandate'],
    ['trajectory', 'Trajectory toward 2015'],
    ['burnup', 'Milestone burn-up'],
  ] as const)('%s → %s', (id, title) => {
    expect(chartTitle(id)).toBe(title);
  });
});

describe(chartById.name, () => {
  const sources = { byDimension: { region: byRegion, modality: byModality }, trajectory, timeline };
  it.each([
    ['partnerships-by-region', partnershipsChart(byRegion)],
    ['resources-by-modality', resourcesChart(byModality)],
    ['attainment-by-region', attainmentChart(byRegion)],
    ['status-by-region', statusChart(byRegion)],
    ['milestones-by-region', milestoneCompletionChart(byRegion)],
    ['trajectory', trajectoryChart(trajectory)],
    ['burnup', burnupChart(timeline)],
  ])('%s is the builder of that chart', (id, config) => {
    expect(chartById(id, sources)).toEqual(config);
  });
  it.each([['status-by-mandate'], ['status-by-planet'], ['pie-by-region'], ['by-region']])('%s: undefined (no source, or not a chart)', (id) => {
    expect(chartById(id, sources)).toBeUndefined();
  });
  it('titles every overview chart as chartTitle does, and every one can be fetched as a PNG', () => {
    const all: ChartId[] = ['partnerships-by-partnerType', 'status-by-partnerType', 'attainment-by-mandate'];
    const s = { byDimension: { ...sources.byDimension, partnerType: { ...byRegion, dimension: 'partnerType' as const }, mandate: { ...byRegion, dimension: 'mandate' as const } }, trajectory, timeline };
    for (const id of [...OVERVIEW_CHARTS, ...all]) expect(chartById(id, s)?.options.plugins.title.text, id).toBe(chartTitle(id));
    expect(CHARTS).toEqual(expect.arrayContaining([...OVERVIEW_CHARTS]));
  });
});

describe(chartSourcesNeeded.name, () => {
  it.each([
    [[...OVERVIEW_CHARTS], { dimensions: ['region', 'modality', 'partnerType', 'mandate'], trajectory: true, timeline: true, scorecard: false }],
    [['attainment-by-country', 'status-by-country'], { dimensions: ['country'], trajectory: false, timeline: false, scorecard: false }],
    [['burnup', 'nonsense'], { dimensions: [], trajectory: false, timeline: true, scorecard: false }],
    [['scorecard'], { dimensions: [], trajectory: false, timeline: false, scorecard: true }],
  ])('%o → %o', (ids, needed) => {
    expect(chartSourcesNeeded(ids)).toEqual(needed);
  });
});

describe(snapshotChartSources.name, () => {
  it('draws a snapshot from its frozen dimensions, yearly trajectory and timeline', () => {
    const quarter = { ...trajectory, interval: 'quarter' as const };
    const p = { byDimension: { region: byRegion }, trajectory: { year: trajectory, quarter }, timeline } as unknown as SnapshotProgress;
    expect(snapshotChartSources(p)).toEqual({ byDimension: { region: byRegion }, trajectory, timeline });
  });
});

describe(paintPattern.name, () => {
  function recorder(): PatternContext & { calls: string[] } {
    const calls: string[] = [];
    const note = (name: string) => (...args: number[]) => { calls.push(`${name}(${args.join(',')})`); };
    return {
      calls, fillStyle: '', strokeStyle: '', lineWidth: 1,
      fillRect: note('fillRect'), beginPath: note('beginPath'), arc: note('arc'), moveTo: note('moveTo'), lineTo: note('lineTo'), fill: note('fill'), stroke: note('stroke'),
    };
  }
  it.each([
    ['solid', 0, 0, false, false],
    ['dots', 0, 1, true, false],
    ['diagonal', 3, 0, false, true],
    ['cross', 4, 0, false, true],
    ['horizontal', 1, 0, false, true],
  ] as [Pattern, number, number, boolean, boolean][])('%s: the colour, then %d lines and %d dots over it', (pattern, lines, dots, filled, stroked) => {
    const ctx = recorder();
    paintPattern(ctx, OKABE_ITO.green, pattern);
    expect(ctx.calls[0]).toBe('fillRect(0,0,8,8)');
    expect(ctx.calls.filter((c) => c.startsWith('lineTo')).length).toBe(lines);
    expect(ctx.calls.filter((c) => c.startsWith('arc')).length).toBe(dots);
    expect(ctx.calls.includes('fill()')).toBe(filled);
    expect(ctx.calls.includes('stroke()')).toBe(stroked);
  });
});

describe(statusLabel.name, () => {
  it.each([['at_risk', 'At risk'], ['no_data', 'No data']])('%s → %s', (code, label) => expect(statusLabel(code)).toBe(label));
});

describe(groupsShown.name, () => {
  it('keeps every group when the view does not filter the dimension', () => {
    expect(groupsShown(byRegion, undefined)).toBe(byRegion);
    expect(groupsShown(byRegion, { region: [], modality: ['ppp'] })).toBe(byRegion);
  });

  it('keeps only the selected groups, in reference order, when the view filters the dimension', () => {
    expect(groupsShown(byRegion, { region: ['ASP', 'AFR'] }).groups.map((g) => g.key)).toEqual(['AFR', 'ASP']);
  });

  it('draws a filtered view with bars for the selected values only (screen, PDF and PNG alike)', () => {
    const c = chartById('partnerships-by-region', { byDimension: { region: byRegion }, selection: { region: ['AFR', 'ASP'] } });
    expect(c?.data.labels).toEqual(['Africa', ['Asia and', 'the Pacific']]);
    expect(c?.data.datasets[0]?.data).toEqual([120, 15]);
    const frozen = chartById('partnerships-by-region', snapshotChartSources({ byDimension: { region: byRegion }, trajectory: { year: trajectory }, timeline } as unknown as SnapshotProgress, { region: ['AME'] }));
    expect(frozen?.data.datasets[0]?.data).toEqual([0]);
  });
});

describe(chartDescription.name, () => {
  it('gives every overview chart one sentence, without screen-only instructions', () => {
    for (const id of OVERVIEW_CHARTS) {
      expect(chartDescription(id), id).toMatch(/^[A-Z].+\.$/);
      expect(chartDescription(id), id).not.toMatch(/click/i);
    }
    expect(chartDescription('partnerships-by-region')).toBe('Partnerships matching the filters, by the region they serve.');
    expect(chartDescription('resources-by-modality')).toBe('Resources committed (US$) by partnership modality.');
  });
});
