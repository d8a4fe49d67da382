/**
 * Pure shaping for the overview: API responses → chart data, tiles and drill-down links.
 * No fetching and no Chart.js objects here, so every number shown can be tested.
 */
import type { ChartData } from 'chart.js';
import { formatCount, formatPercent, formatUsd } from '@mm/shared/format';
import { toSearch, type Filters, type MultiKey } from '../../lib/filters.ts';
import type { Dimension, ProgressBy, ProgressSummary, Timeline, Trajectory } from '../../lib/api/progress.ts';
import { OKABE_ITO, patternFill, STATUS_ORDER, STATUS_STYLE } from '../../lib/charts/palette.ts';

type BarData = ChartData<'bar', (number | null)[], string | string[]>;
type LineData = ChartData<'line', (number | null)[], string>;

/**
 * Axis labels: mandates and outcomes are read by their codes, long labels are shortened, and region
 * names go on two lines (so six fit side by side without tilting).
 */
export function axisLabel(dimension: Dimension, key: string, label: string): string | string[] {
  if (dimension === 'mandate' || dimension === 'outcome') return key;
  if (dimension === 'region' && label.length > 12 && label.includes(' ')) {
    const words = label.split(' ');
    let best: string[] = [label];
    let bestWidth = Infinity;
    for (let i = 1; i < words.length; i++) {
      const a = words.slice(0, i).join(' ');
      const b = words.slice(i).join(' ');
      const w = Math.max(a.length, b.length);
      if (w < bestWidth) { bestWidth = w; best = [a, b]; }
    }
    return best;
  }
  return label.length > 28 ? `${label.slice(0, 26)}…` : label;
}

/** The list behind a bar: the current scope, narrowed to the bar's group (and status, if given). */
export function drillHref(list: 'partnerships' | 'indicators' | 'milestones' | 'action-plans', scope: Filters, narrow: Partial<Record<MultiKey, string[]>> = {}, extra = ''): string {
  const search = toSearch({ ...scope, status: [], ...narrow });
  const tail = extra ? (search ? `&${extra}` : `?${extra}`) : '';
  return `/${list}${search}${tail}`;
}

export function partnershipsChart(by: ProgressBy): BarData {
  return {
    labels: by.groups.map((g) => axisLabel(by.dimension, g.key, g.label)),
    datasets: [{ label: 'Partnerships', data: by.groups.map((g) => g.partnerships), backgroundColor: OKABE_ITO.blue }],
  };
}

export function resourcesChart(by: ProgressBy): BarData {
  return {
    labels: by.groups.map((g) => axisLabel(by.dimension, g.key, g.label)),
    datasets: [{ label: 'Resources committed (US$)', data: by.groups.map((g) => g.resourcesUsd), backgroundColor: OKABE_ITO.orange }],
  };
}

/** Mean attainment against the attainment expected by the as-of date, per group (shares, 1 = 100%). */
export function attainmentChart(by: ProgressBy): BarData {
  return {
    labels: by.groups.map((g) => axisLabel(by.dimension, g.key, g.label)),
    datasets: [
      { label: 'Attainment', data: by.groups.map((g) => g.attainment), backgroundColor: OKABE_ITO.blue },
      { label: 'Expected by now', data: by.groups.map((g) => g.expected), backgroundColor: patternFill(OKABE_ITO.skyBlue, 'diagonal') },
    ],
  };
}

/** Indicators by status per group, one stacked series per status (with its own pattern). */
export function statusChart(by: ProgressBy): BarData {
  return {
    labels: by.groups.map((g) => axisLabel(by.dimension, g.key, g.label)),
    datasets: STATUS_ORDER.map((s) => ({
      label: `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`,
      data: by.groups.map((g) => g.indicators[s]),
      backgroundColor: patternFill(STATUS_STYLE[s].colour, STATUS_STYLE[s].pattern),
      borderColor: '#fff',
      borderWidth: 1,
    })),
  };
}

/** Actual and expected mean attainment per period, and the forecast (dashed) from the as-of period to the target date. */
export function trajectoryChart(t: Trajectory): LineData {
  return {
    labels: t.points.map((p) => p.period),
    datasets: [
      { label: 'Actual', data: t.points.map((p) => p.actual), borderColor: OKABE_ITO.blue, backgroundColor: OKABE_ITO.blue, pointStyle: 'circle', pointRadius: 3 },
      { label: 'Expected', data: t.points.map((p) => p.expected), borderColor: OKABE_ITO.black, backgroundColor: OKABE_ITO.black, borderWidth: 1.5, pointStyle: 'rect', pointRadius: 2 },
      { label: 'Forecast', data: t.points.map((p) => p.forecast), borderColor: OKABE_ITO.vermillion, backgroundColor: OKABE_ITO.vermillion, borderDash: [6, 4], pointStyle: 'triangle', pointRadius: 3 },
    ],
  };
}

/** Cumulative milestones due and completed per quarter (a burn-up). */
export function burnupChart(tl: Timeline): LineData {
  return {
    labels: tl.quarters.map((q) => q.quarter),
    datasets: [
      { label: 'Due (cumulative)', data: tl.quarters.map((q) => q.cumulativeDue), borderColor: OKABE_ITO.black, backgroundColor: OKABE_ITO.black, borderDash: [4, 3], pointRadius: 0, pointStyle: 'rect' },
      { label: 'Completed (cumulative)', data: tl.quarters.map((q) => q.cumulativeCompleted), borderColor: OKABE_ITO.green, backgroundColor: 'rgba(0,158,115,0.15)', fill: true, pointRadius: 0, pointStyle: 'circle' },
    ],
  };
}

export interface Tile { id: string; label: string; value: string; detail?: string; href: string }

/** The headline tiles, each linking to the list behind it. */
export function tiles(s: ProgressSummary, scope: Filters): Tile[] {
  const ind = s.indicators;
  const measured = ind.achieved + ind.on_track + ind.at_risk + ind.off_track + ind.no_data;
  return [
    { id: 'active-partnerships', label: 'Active partnerships', value: formatCount(s.partnerships.active), detail: `of ${formatCount(s.partnerships.total)} in total`, href: drillHref('partnerships', scope, { status: ['active'] }) },
    { id: 'resources', label: 'Resources committed', value: formatUsd(s.resourcesUsd), detail: `across ${formatCount(s.partnerships.total)} partnerships`, href: drillHref('partnerships', scope) },
    { id: 'milestones-completed', label: 'Milestones completed', value: formatCount(s.milestones.completed), detail: `${formatPercent(s.milestones.completionRate)} of those due`, href: drillHref('milestones', scope, { status: ['completed'] }) },
    { id: 'milestones-overdue', label: 'Milestones overdue', value: formatCount(s.milestones.overdue), detail: `of ${formatCount(s.milestones.total)} milestones`, href: drillHref('milestones', scope, {}, 'overdue=true') },
    { id: 'indicators-on-track', label: 'Indicators on track', value: formatCount(ind.on_track + ind.achieved), detail: `${formatCount(ind.achieved)} already achieved`, href: drillHref('indicators', scope, { status: ['achieved', 'on_track'] }) },
    { id: 'indicators-at-risk', label: 'Indicators at risk', value: formatCount(ind.at_risk), detail: `of ${formatCount(measured)} indicators`, href: drillHref('indicators', scope, { status: ['at_risk'] }) },
    { id: 'indicators-off-track', label: 'Indicators off track', value: formatCount(ind.off_track), detail: `${formatCount(ind.no_data)} with no data`, href: drillHref('indicators', scope, { status: ['off_track'] }) },
    { id: 'forecast-met', label: 'Targets forecast to be met', value: formatPercent(s.forecastMet), detail: 'by their target date', href: drillHref('indicators', scope) },
  ];
}
