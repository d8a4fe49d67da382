/**
 * Chart.js configurations built from progress API data: the one definition of each chart, used by the web
 * app's Chart.svelte and by the server when it renders charts into PDFs and PNGs, so screen and file agree.
 *
 * Pure: data in, a plain configuration object out (no Chart.js import here, so shared/ stays free of it;
 * the objects are structurally Chart.js `ChartConfiguration`s). Animation and responsiveness are left to
 * the caller: the server turns them off, the browser keeps its defaults.
 */
import { labelOf, INDICATOR_STATUS_LIST } from './reference.ts';
import type { ProgressByDimension, ProgressTimeline, ProgressTrajectory } from './progress-api.ts';
import type { CompareRow } from './snapshots.ts';

/** Colours per indicator status: Okabe–Ito, colour-blind-safe, the same as the web app's palette. */
export const STATUS_COLORS = {
  achieved: '#0072B2',
  on_track: '#009E73',
  at_risk: '#E69F00',
  off_track: '#D55E00',
  no_data: '#BDBDBD',
} as const;
/** Status symbols, so a status never depends on colour alone (as on screen). */
export const STATUS_SYMBOLS = { achieved: '✔', on_track: '●', at_risk: '▲', off_track: '✖', no_data: '–' } as const;
export const SERIES_COLORS = {
  actual: '#0072B2', expected: '#000000', forecast: '#D55E00', due: '#000000', completed: '#009E73', worse: '#D55E00', better: '#0072B2', attainment: '#0072B2', expectedBar: '#56B4E9',
} as const;

export interface ChartDataset {
  label: string;
  data: (number | null)[];
  backgroundColor?: string;
  borderColor?: string;
  borderDash?: number[];
  fill?: boolean;
  stack?: string;
  spanGaps?: boolean;
  pointRadius?: number;
  tension?: number;
}

/** A Chart.js configuration (a structural subset of `ChartConfiguration<'bar' | 'line'>`). */
export interface ChartConfig {
  type: 'bar' | 'line';
  data: { labels: string[]; datasets: ChartDataset[] };
  options: {
    indexAxis?: 'x' | 'y';
    plugins: {
      title: { display: boolean; text: string };
      legend: { position: 'top' | 'bottom' | 'right' };
      annotation?: { annotations: Record<string, { type: 'line'; yMin: number; yMax: number; borderColor: string; borderDash: number[]; label: { display: boolean; content: string } }> };
    };
    scales: Record<string, { stacked?: boolean; min?: number; max?: number; beginAtZero?: boolean; title?: { display: boolean; text: string }; ticks?: { format?: { style: 'percent' } } }>;
  };
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/**
 * Indicators by status per group (stacked bars): how many indicators in each group are achieved, on
 * track, at risk, off track or without data.
 */
export function statusByGroupChart(d: ProgressByDimension, title = `Indicators by status, by ${d.dimension}`): ChartConfig {
  const groups = d.groups.filter((g) => INDICATOR_STATUS_LIST.some((s) => g.indicators[s.code] > 0));
  return {
    type: 'bar',
    data: {
      labels: groups.map((g) => g.label),
      datasets: INDICATOR_STATUS_LIST.map((s) => ({
        label: `${STATUS_SYMBOLS[s.code]} ${s.label}`, data: groups.map((g) => g.indicators[s.code]), backgroundColor: STATUS_COLORS[s.code], stack: 'status',
      })),
    },
    options: {
      indexAxis: 'y',
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: 'Indicators' } }, y: { stacked: true } },
    },
  };
}

/** Milestone completion rate (due milestones completed, in %) per group. */
export function milestoneCompletionChart(d: ProgressByDimension, title = `Milestones completed (% of due), by ${d.dimension}`): ChartConfig {
  const groups = d.groups.filter((g) => g.milestones.total > 0);
  return {
    type: 'bar',
    data: {
      labels: groups.map((g) => g.label),
      datasets: [{ label: 'Completed (% of due)', data: groups.map((g) => pct(g.milestones.completionRate)), backgroundColor: SERIES_COLORS.completed }],
    },
    options: {
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } },
    },
  };
}

/** Mean attainment against the attainment expected by the as-of date, per group (in %). */
export function attainmentChart(d: ProgressByDimension, title = `Attainment against expected, by ${d.dimension}`): ChartConfig {
  const groups = d.groups.filter((g) => g.attainment !== null || g.expected !== null);
  return {
    type: 'bar',
    data: {
      labels: groups.map((g) => g.label),
      datasets: [
        { label: 'Attainment', data: groups.map((g) => pct(g.attainment)), backgroundColor: SERIES_COLORS.attainment },
        { label: 'Expected by now', data: groups.map((g) => pct(g.expected)), backgroundColor: SERIES_COLORS.expectedBar },
      ],
    },
    options: {
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: '% of target' } } },
    },
  };
}

/** Attainment over time: actual, expected and forecast (in % of target), with the target as a line at 100 %. */
export function trajectoryChart(t: ProgressTrajectory, title = 'Progress toward the 2015 targets'): ChartConfig {
  return {
    type: 'line',
    data: {
      labels: t.points.map((p) => p.period),
      datasets: [
        { label: 'Actual', data: t.points.map((p) => pct(p.actual)), borderColor: SERIES_COLORS.actual, backgroundColor: SERIES_COLORS.actual, pointRadius: 2, spanGaps: false },
        { label: 'Expected', data: t.points.map((p) => pct(p.expected)), borderColor: SERIES_COLORS.expected, backgroundColor: SERIES_COLORS.expected, borderDash: [6, 4], pointRadius: 0 },
        { label: 'Forecast', data: t.points.map((p) => pct(p.forecast)), borderColor: SERIES_COLORS.forecast, backgroundColor: SERIES_COLORS.forecast, borderDash: [2, 3], pointRadius: 0, spanGaps: false },
      ],
    },
    options: {
      plugins: {
        title: { display: true, text: title },
        legend: { position: 'bottom' },
        annotation: { annotations: { target: { type: 'line', yMin: 100, yMax: 100, borderColor: '#333333', borderDash: [2, 2], label: { display: true, content: 'Target' } } } },
      },
      scales: { y: { beginAtZero: true, title: { display: true, text: '% of target attained' } } },
    },
  };
}

/** Milestones due and completed, cumulative by quarter. */
export function timelineChart(t: ProgressTimeline, title = 'Milestones due and completed (cumulative)'): ChartConfig {
  return {
    type: 'line',
    data: {
      labels: t.quarters.map((q) => q.quarter),
      datasets: [
        { label: 'Due (cumulative)', data: t.quarters.map((q) => q.cumulativeDue), borderColor: SERIES_COLORS.due, backgroundColor: SERIES_COLORS.due, borderDash: [4, 3], pointRadius: 0 },
        { label: 'Completed (cumulative)', data: t.quarters.map((q) => q.cumulativeCompleted), borderColor: SERIES_COLORS.completed, backgroundColor: 'rgba(0,158,115,0.15)', fill: true, pointRadius: 0 },
      ],
    },
    options: {
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Milestones' } } },
    },
  };
}

/**
 * What moved between two snapshots per group: milestones newly completed, and indicators whose status
 * improved (up) or worsened (shown below zero).
 */
export function compareChart(rows: readonly CompareRow[], title = 'What moved'): ChartConfig {
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: 'Milestones completed (change)', data: rows.map((r) => r.milestonesCompleted.delta), backgroundColor: SERIES_COLORS.completed },
        { label: 'Indicators improved', data: rows.map((r) => r.indicators.improved), backgroundColor: SERIES_COLORS.actual, stack: 'indicators' },
        { label: 'Indicators worsened', data: rows.map((r) => -r.indicators.worsened), backgroundColor: SERIES_COLORS.worse, stack: 'indicators' },
      ],
    },
    options: {
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: { y: { title: { display: true, text: 'Count' } } },
    },
  };
}

/** A status code's label, for chart legends and tooltips. */
export function statusLabel(code: string): string {
  return labelOf(INDICATOR_STATUS_LIST, code);
}
