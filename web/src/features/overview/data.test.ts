import { describe, expect, it } from 'vitest';
import type { ProgressBy, ProgressSummary, Timeline, Trajectory } from '../../lib/api/progress.ts';
import { parseFilters } from '../../lib/filters.ts';
import { attainmentChart, axisLabel, burnupChart, drillHref, partnershipsChart, statusChart, tiles, trajectoryChart } from './data.ts';

const zero = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
const ms = { total: 0, completed: 0, overdue: 0, completionRate: null };
const byRegion: ProgressBy = {
  dimension: 'region', asOf: '2012-12-31', partition: true, rule: '',
  groups: [
    { key: 'AFR', label: 'Africa', partnerships: 120, resourcesUsd: 150_000_000, milestones: ms, indicators: { ...zero, on_track: 20, off_track: 5 }, attainment: 0.41, expected: 0.55, forecastMet: 0.3 },
    { key: 'ARB', label: 'Arab States', partnerships: 15, resourcesUsd: 3_000_000, milestones: ms, indicators: { ...zero, off_track: 9 }, attainment: null, expected: 0.5, forecastMet: null },
  ],
  unassigned: { partnerships: 0, resourcesUsd: 0, milestones: ms, indicators: zero, attainment: null, expected: null, forecastMet: null },
};

describe(partnershipsChart.name, () => {
  it('has one bar per region with its partnership count', () => {
    const c = partnershipsChart(byRegion);
    expect(c.labels).toEqual(['Africa', 'Arab States']);
    expect(c.datasets[0]?.data).toEqual([120, 15]);
  });
});

describe(attainmentChart.name, () => {
  it('puts attainment beside the expected share, keeping gaps where there is no data', () => {
    const c = attainmentChart(byRegion);
    expect(c.datasets.map((d) => d.label)).toEqual(['Attainment', 'Expected by now']);
    expect(c.datasets[0]?.data).toEqual([0.41, null]);
    expect(c.datasets[1]?.data).toEqual([0.55, 0.5]);
  });
});

describe(statusChart.name, () => {
  it('stacks one series per status, each labelled with a symbol and words', () => {
    const c = statusChart(byRegion);
    expect(c.datasets.map((d) => d.label)).toEqual(['✔ Achieved', '● On track', '▲ At risk', '✖ Off track', '– No data']);
    expect(c.datasets[3]?.data).toEqual([5, 9]);
  });
});

describe(axisLabel.name, () => {
  it('reads mandates by their code and shortens long labels', () => {
    expect(axisLabel('mandate', 'DAO-2007', 'Delivering as One')).toBe('DAO-2007');
    expect(axisLabel('modality', 'joint_un', 'Joint UN programme / MPTF (Delivering as One)')).toBe('Joint UN programme / MPTF …');
    expect(axisLabel('region', 'AFR', 'Africa')).toBe('Africa');
    expect(axisLabel('region', 'ASP', 'Asia and the Pacific')).toEqual(['Asia and', 'the Pacific']);
    expect(axisLabel('region', 'GLO', 'Interregional / Global')).toEqual(['Interregional', '/ Global']);
  });
});

describe(drillHref.name, () => {
  it('narrows the current scope to the bar, dropping list-specific status', () => {
    const scope = parseFilters('?partnerType=un&status=at_risk&asOf=2012-12-31');
    expect(drillHref('indicators', scope, { region: ['ARB'], status: ['off_track'] })).toBe('/indicators?region=ARB&partnerType=un&status=off_track&asOf=2012-12-31');
    expect(drillHref('partnerships', parseFilters(''))).toBe('/partnerships');
    expect(drillHref('milestones', parseFilters(''), {}, 'overdue=true')).toBe('/milestones?overdue=true');
    expect(drillHref('milestones', parseFilters('region=AFR'), {}, 'overdue=true')).toBe('/milestones?region=AFR&overdue=true');
  });
});

describe(trajectoryChart.name, () => {
  it('draws actual, expected and forecast per period', () => {
    const t: Trajectory = {
      asOf: '2012-12-31', interval: 'year', indicators: 3, target: { date: '2015-12-31', attainment: 1 },
      points: [
        { period: '2011', date: '2011-12-31', actual: 0.3, withData: 3, expected: 0.4, forecast: null },
        { period: '2012', date: '2012-12-31', actual: 0.4, withData: 3, expected: 0.55, forecast: 0.4 },
        { period: '2013', date: '2013-12-31', actual: null, withData: 0, expected: 0.7, forecast: 0.52 },
      ],
    };
    const c = trajectoryChart(t);
    expect(c.labels).toEqual(['2011', '2012', '2013']);
    expect(c.datasets.map((d) => d.data)).toEqual([[0.3, 0.4, null], [0.4, 0.55, 0.7], [null, 0.4, 0.52]]);
    expect(c.datasets[2]?.borderDash).toEqual([6, 4]);
  });
});

describe(burnupChart.name, () => {
  it('uses the cumulative counts per quarter', () => {
    const tl: Timeline = { asOf: '2008-06-30', quarters: [
      { quarter: '2008-Q1', start: '2008-01-01', end: '2008-03-31', due: 6, completed: 5, cumulativeDue: 6, cumulativeCompleted: 5 },
      { quarter: '2008-Q2', start: '2008-04-01', end: '2008-06-30', due: 9, completed: 6, cumulativeDue: 15, cumulativeCompleted: 11 },
    ] };
    const c = burnupChart(tl);
    expect(c.labels).toEqual(['2008-Q1', '2008-Q2']);
    expect(c.datasets.map((d) => d.data)).toEqual([[6, 15], [5, 11]]);
  });
});

describe(tiles.name, () => {
  it('gives each headline figure formatted for people, with the list behind it', () => {
    const s: ProgressSummary = {
      asOf: '2012-12-31', partnerships: { total: 273, active: 126 }, resourcesUsd: 292_700_000,
      milestones: { total: 1500, completed: 532, overdue: 194, completionRate: 0.729, onTimeRate: 0.7 },
      indicators: { achieved: 0, on_track: 145, at_risk: 157, off_track: 74, no_data: 24, total: 400 },
      attainment: 0.4, expected: 0.5, forecastMet: 0.314, demo: true,
    };
    const t = tiles(s, parseFilters('region=ARB'));
    const byId = Object.fromEntries(t.map((x) => [x.id, x]));
    expect(byId['active-partnerships']?.value).toBe('126');
    expect(byId['resources']?.value).toBe('US$292.7m');
    expect(byId['milestones-completed']?.detail).toBe('72.9% of those due');
    expect(byId['milestones-overdue']?.href).toBe('/milestones?region=ARB&overdue=true');
    expect(byId['indicators-off-track']?.href).toBe('/indicators?region=ARB&status=off_track');
    expect(byId['forecast-met']?.value).toBe('31.4%');
  });
});
