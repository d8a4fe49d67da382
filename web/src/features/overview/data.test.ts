import { progressByDimension, progressTimeline, progressTrajectory } from '@mm/shared';
import { chartById, OVERVIEW_CHARTS, STATUS_ORDER, type ChartConfig, type ChartSources, type Pattern } from '@mm/shared/chart-config';
import { formatCount, formatPercent, formatUsd } from '@mm/shared/format';
import type { ChartConfiguration } from 'chart.js';
import { describe, expect, it } from 'vitest';
// Real API responses (the demo data as of 2012-12-31); server/src/export/charts.test.ts reads the same file.
import demo from '../../../../test/fixtures/charts/overview-demo-2012-12-31.json' with { type: 'json' };
import type { ProgressSummary } from '../../lib/api/progress.ts';
import { forScreen } from '../../lib/charts/screen.ts';
import { tableFromChart } from '../../lib/charts/table.ts';
import { parseFilters } from '../../lib/filters.ts';
import { drillHref, tiles } from './data.ts';

const sources: ChartSources = {
  byDimension: {
    region: progressByDimension.parse(demo.byDimension.region), modality: progressByDimension.parse(demo.byDimension.modality),
    partnerType: progressByDimension.parse(demo.byDimension.partnerType), mandate: progressByDimension.parse(demo.byDimension.mandate),
  },
  trajectory: progressTrajectory.parse(demo.trajectory),
  timeline: progressTimeline.parse(demo.timeline),
};

/** Stands in for the browser's CanvasPattern, so the test sees which fill each series got. */
const fill = (colour: string, pattern: Pattern) => `${pattern} over ${colour}`;

/** The screen's Chart.js configuration with what forScreen adds for the browser taken off again. */
function withoutBrowserFields(screen: ChartConfiguration<'bar' | 'line'>) {
  const { interaction: _hover, plugins, scales, ...options } = screen.options ?? {};
  const { tooltip: _tooltip, title, ...otherPlugins } = plugins ?? {};
  // Horizontal bars shorten their group names to the canvas's width (a tick callback): the names themselves are the labels'.
  const { callback: _fit, ...yTicks } = (scales?.y?.ticks ?? {}) as { callback?: unknown };
  const y = scales?.y && { ...scales.y, ticks: Object.keys(yTicks).length > 0 ? yTicks : undefined };
  return {
    type: screen.type,
    data: {
      labels: screen.data.labels,
      datasets: screen.data.datasets.map((d) => ({ ...d, backgroundColor: typeof d.backgroundColor === 'string' ? d.backgroundColor.replace(/^\w+ over /, '') : d.backgroundColor })),
    },
    options: { ...options, scales: { ...scales, y }, plugins: { ...otherPlugins, title: { ...title, display: true } } },
  };
}

describe('the overview charts', () => {
  it.each(OVERVIEW_CHARTS.map((id) => [id]))('%s: the screen draws the shared definition (the one the PDF draws), adding only browser concerns', (id) => {
    const shared = chartById(id, sources);
    if (!shared) throw new Error(`no ${id} from the fixture`);
    const screen = forScreen(shared, undefined, fill);
    const { format: _format, category: _category, ...chartJs }: ChartConfig = shared;
    expect(withoutBrowserFields(screen)).toEqual(chartJs);
    expect(screen.options?.plugins?.title?.display).toBe(false);
    expect(screen.data.datasets.map((d) => d.backgroundColor)).toEqual(shared.data.datasets.map((d) => (d.pattern && d.pattern !== 'solid' ? `${d.pattern} over ${d.backgroundColor}` : d.backgroundColor)));
  });

  it('show the API numbers: the status table of /progress/by/region is its counts, per region and status', () => {
    const by = sources.byDimension.region;
    const status = chartById('status-by-region', sources);
    if (!by || !status) throw new Error('no status-by-region from the fixture');
    const table = tableFromChart(status.data.labels, status.data.datasets, formatCount);
    expect(table.columns).toEqual(['✔ Achieved', '● On track', '▲ At risk', '✖ Off track', '– No data']);
    expect(table.rows.map((r) => r.label)).toEqual(by.groups.map((g) => g.label));
    expect(table.rows.map((r) => r.cells)).toEqual(by.groups.map((g) => STATUS_ORDER.map((s) => formatCount(g.indicators[s]))));
    // Africa, as the demo API answered it.
    expect(table.rows[0]?.cells).toEqual(['0', '55', '47', '28', '5']);
  });

  it.each([
    ['partnerships-by-region', 0, 'Africa', '116'],
    ['resources-by-modality', 0, 'Domestic trust fund', 'US$22.0m'],
    ['attainment-by-region', 0, 'Africa', '42.4%'],
    ['trajectory', 1, '2009', '13.3%'],
  ] as const)('%s: series %i of "show as table" reads %s → %s', (id, series, label, cell) => {
    const c = chartById(id, sources);
    if (!c) throw new Error(`no ${id}`);
    const fmt = { count: formatCount, usd: formatUsd, percent: formatPercent }[c.format];
    const row = tableFromChart(c.data.labels, c.data.datasets, (n) => fmt(n)).rows.find((r) => r.label === label);
    expect(row?.cells[series]).toBe(cell);
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
