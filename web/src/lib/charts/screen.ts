/**
 * The shared chart configurations (@mm/shared/chart-config) as the browser draws them. What a chart says —
 * labels, series, numbers, colours, patterns, axes — comes from the shared builders, which the server's
 * PDF and PNG renderer draws too; this adds only what a screen needs: pattern fills on the browser's
 * canvas, the title left to the card heading, tooltips in the chart's number format, and hover by index
 * on line charts. Responsiveness is Chart.js's default; clicks are wired in Chart.svelte.
 */
import type { ChartConfiguration, Scale, TooltipItem } from 'chart.js';
import { withPatternFills, type ChartConfig, type Pattern, type ValueFormat } from '@mm/shared/chart-config';
import { formatCount, formatPercent, formatUsd } from '../i18n/format.ts';
import { patternFill } from './palette.ts';

/** Renders one value of series `seriesIndex`, for tooltips and the "show as table" cells. */
export type ValueFormatter = (n: number, seriesIndex: number) => string;
export type Fill = (colour: string, pattern: Pattern) => CanvasPattern | string;

const FORMATTERS: Record<ValueFormat, ValueFormatter> = {
  count: (n) => formatCount(n),
  usd: (n) => formatUsd(n),
  percent: (n) => formatPercent(n),
};

/** The formatter a chart's `format` names. */
export function valueFormatter(format: ValueFormat): ValueFormatter {
  return FORMATTERS[format];
}

/** About the width of one character of a tick label (Chart.js's 12 px default font), in pixels. */
const CHAR_PX = 6.4;

/**
 * A horizontal bar chart's group names, shortened to what fits in about 40 % of the chart's width: on a phone
 * (and with French or Spanish names) the left axis would otherwise clip them at the canvas edge. The tooltip and
 * the table keep the whole name.
 */
export function fitCategoryLabel(label: string | string[], chartWidth: number): string | string[] {
  const max = Math.max(10, Math.floor((chartWidth * 0.4) / CHAR_PX));
  const cut = (t: string) => (t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t);
  return Array.isArray(label) ? label.map(cut) : cut(label);
}

function categoryTicks(this: Scale, value: string | number): string | string[] {
  const label = this.getLabelForValue(Number(value)) as unknown as string | string[];
  return fitCategoryLabel(label, this.chart.width);
}

/** The Chart.js configuration the browser draws for a shared chart configuration. */
export function forScreen(config: ChartConfig, format: ValueFormatter = valueFormatter(config.format), fill: Fill = patternFill): ChartConfiguration<'bar' | 'line'> {
  const { type, data, options } = config;
  const valueAxis = options.indexAxis === 'y' ? 'x' : 'y';
  const label = (c: TooltipItem<'bar' | 'line'>) => `${c.dataset.label ?? ''}: ${format(c.parsed[valueAxis] ?? 0, c.datasetIndex)}`;
  return {
    type,
    data: {
      labels: data.labels,
      datasets: withPatternFills(data.datasets, fill),
    },
    options: {
      ...options,
      ...(type === 'bar' && options.indexAxis === 'y' ? { scales: { ...options.scales, y: { ...options.scales.y, ticks: { ...options.scales.y.ticks, callback: categoryTicks } } } } : {}),
      ...(type === 'line' ? { interaction: { mode: 'index', intersect: false } } : {}),
      plugins: {
        ...options.plugins,
        // The card's heading is the title (a real heading, for screen readers and the page outline).
        title: { ...options.plugins.title, display: false },
        tooltip: { callbacks: { label } },
      },
    },
  };
}
