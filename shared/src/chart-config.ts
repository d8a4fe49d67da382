/**
 * Every chart the web app and the exports draw, defined once: titles, axis labels, series, colours
 * (Okabe–Ito), status symbols, number formats and a pattern hint per series. The web app
 * (web/src/lib/charts/screen.ts) and the server (server/src/export/charts.ts) hand these objects to
 * Chart.js, each adding only what its medium needs — the browser: pattern fills on its canvas, tooltips,
 * clicks, responsiveness; the server: pattern fills on @napi-rs/canvas, a fixed size — so a PDF or PNG
 * shows what the screen shows.
 *
 * Pure: data in, plain objects out (no DOM, no Chart.js import). The objects are structurally Chart.js
 * configurations, plus `format` and `category` (for tooltips and the "show as table" alternative) and a
 * `pattern` hint per dataset. Ratios stay shares as the API sends them (0.42 = 42 %); percent axes say so
 * in their tick format.
 */
import { INDICATOR_STATUS_LIST, labelOf } from './reference.ts';
import type { ProgressByDimension, ProgressDimension, ProgressTimeline, ProgressTrajectory } from './progress-api.ts';
import type { CompareDimension, CompareRow, SnapshotProgress } from './snapshots.ts';
import { SCORECARD_CHECKPOINTS, SCORECARD_PILLARS } from './scorecard-reference.ts';
import type { ProgressScorecard } from './scorecard.ts';

/** Okabe–Ito: colour-blind-safe colours, the only ones the charts use. */
export const OKABE_ITO = {
  orange: '#E69F00', skyBlue: '#56B4E9', green: '#009E73', yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', purple: '#CC79A7', black: '#000000', grey: '#8C8C8C',
} as const;

/** What a renderer draws over a series' colour, so no series depends on colour alone. */
export type Pattern = 'solid' | 'dots' | 'diagonal' | 'cross' | 'horizontal';
export type IndicatorStatusCode = (typeof INDICATOR_STATUS_LIST)[number]['code'];

/** Indicator statuses in reading order (best first): the order of stacked series, legends and tables. */
export const STATUS_ORDER: readonly IndicatorStatusCode[] = INDICATOR_STATUS_LIST.map((s) => s.code);

/** Each status has a colour AND a pattern AND a text symbol: on screen, in badges, in PDFs and PNGs. */
export const STATUS_STYLE: Record<IndicatorStatusCode, { label: string; colour: string; symbol: string; pattern: Pattern }> = {
  achieved: { label: 'Achieved', colour: OKABE_ITO.blue, symbol: '✔', pattern: 'solid' },
  on_track: { label: 'On track', colour: OKABE_ITO.green, symbol: '●', pattern: 'dots' },
  at_risk: { label: 'At risk', colour: OKABE_ITO.orange, symbol: '▲', pattern: 'diagonal' },
  off_track: { label: 'Off track', colour: OKABE_ITO.vermillion, symbol: '✖', pattern: 'cross' },
  no_data: { label: 'No data', colour: '#BDBDBD', symbol: '–', pattern: 'horizontal' },
};

/** How a chart's numbers read in tooltips and tables: `formatCount`, `formatUsd` or `formatPercent`. */
export type ValueFormat = 'count' | 'usd' | 'percent';

export interface ChartDataset {
  label: string;
  data: (number | null)[];
  /** The series' colour; with a `pattern` other than solid the renderer draws the pattern over it. */
  backgroundColor: string;
  pattern?: Pattern;
  borderColor?: string;
  borderWidth?: number;
  borderDash?: number[];
  fill?: boolean;
  pointRadius?: number;
  pointStyle?: 'circle' | 'rect' | 'triangle';
  maxBarThickness?: number;
}

export interface ChartScale {
  stacked?: boolean;
  beginAtZero?: boolean;
  min?: number;
  max?: number;
  suggestedMax?: number;
  /** `format` is Chart.js's: Intl.NumberFormat options for the tick labels (no callbacks, so it stays data). */
  ticks?: { precision?: number; format?: Intl.NumberFormatOptions };
}

export interface TargetLine {
  type: 'line'; yMin: number; yMax: number; borderColor: string; borderWidth: number; borderDash: number[];
  label: { display: boolean; content: string; position: 'start'; backgroundColor: string; font: { size: number } };
}

/** A timeline event as a vertical line at the period it falls in (chartjs-plugin-annotation), labelled along it. */
export interface EventLine {
  type: 'line'; xMin: number; xMax: number; borderColor: string; borderWidth: number; borderDash: number[];
  label: { display: boolean; content: string; position: 'start' | 'end'; rotation: number; backgroundColor: string; color: string; font: { size: number }; padding: number };
}

/** An agenda event the trajectory and burn-up charts mark (the events API's records). */
export interface ChartEvent { date: string; title: string; verified: boolean; mandates?: readonly string[] }

/** A chart: a Chart.js configuration (bar or line) plus how its numbers read. */
export interface ChartConfig {
  type: 'bar' | 'line';
  data: { labels: (string | string[])[]; datasets: ChartDataset[] };
  options: {
    indexAxis: 'x' | 'y';
    locale: string;
    plugins: {
      title: { display: boolean; text: string };
      legend: { display: boolean; position: 'top' | 'bottom'; labels: { usePointStyle?: boolean; boxWidth?: number } };
      annotation?: { annotations: Record<string, TargetLine | EventLine> };
    };
    scales: { x: ChartScale; y: ChartScale };
  };
  /** How the values read (tooltips, "show as table"). */
  format: ValueFormat;
  /** What the bars or points are, as the heading of the table's first column ("Region", "Quarter"). */
  category: string;
}

// en-GB: numbers and percentages read as formatCount / formatPercent do, and US dollars as "US$…" (formatUsd).
const LOCALE = 'en-GB';
const PERCENT_TICKS: Intl.NumberFormatOptions = { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 0 };
const USD_TICKS: Intl.NumberFormatOptions = { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 };
const COUNT_AXIS: ChartScale = { beginAtZero: true, ticks: { precision: 0 } };
const SHARE_AXIS: ChartScale = { beginAtZero: true, suggestedMax: 1, ticks: { format: PERCENT_TICKS } };

/** Each dimension as a chart names it: in titles ("… by partner type (lead partner)") and as the table heading. */
export const DIMENSION_TEXT: Record<ProgressDimension, { name: string; heading: string }> = {
  region: { name: 'region', heading: 'Region' },
  country: { name: 'country', heading: 'Country' },
  partnerType: { name: 'partner type (lead partner)', heading: 'Partner type' },
  modality: { name: 'modality', heading: 'Modality' },
  mandate: { name: 'mandate', heading: 'Mandate' },
  objective: { name: 'objective', heading: 'Objective' },
  outcome: { name: 'outcome', heading: 'Outcome' },
};
const isDimension = (s: string): s is ProgressDimension => Object.hasOwn(DIMENSION_TEXT, s);

/** The charts drawn per group of a dimension. */
export type GroupChart = 'partnerships' | 'resources' | 'attainment' | 'status' | 'milestones';
/** A chart's name: its `data-chart` id on screen, its name in exports. */
export type ChartId = `${GroupChart}-by-${ProgressDimension}` | 'trajectory' | 'burnup' | 'scorecard';

const GROUP_TITLES: Record<GroupChart, string> = {
  partnerships: 'Partnerships', resources: 'Resources', attainment: 'Attainment vs expected', status: 'Indicator status', milestones: 'Milestones completed (share of due)',
};

/** The dimensions the overview breaks progress down by, in page order. */
export const OVERVIEW_DIMENSIONS = ['region', 'partnerType', 'mandate'] as const satisfies readonly ProgressDimension[];
/** The overview's charts in page order: the screen draws these, and so does the PDF of the overview (live or frozen). */
export const OVERVIEW_CHARTS = [
  'partnerships-by-region', 'resources-by-modality', 'trajectory', 'burnup',
  ...OVERVIEW_DIMENSIONS.flatMap((d) => [`attainment-by-${d}`, `status-by-${d}`] as const),
] as const satisfies readonly ChartId[];

const isGroupChart = (s: string): s is GroupChart => Object.hasOwn(GROUP_TITLES, s);

function parseChartId(id: string): { chart: GroupChart; dimension: ProgressDimension } | 'trajectory' | 'burnup' | 'scorecard' | undefined {
  if (id === 'trajectory' || id === 'burnup' || id === 'scorecard') return id;
  const m = /^(partnerships|resources|attainment|status|milestones)-by-(\w+)$/.exec(id);
  const chart = m?.[1];
  const dimension = m?.[2];
  if (!chart || !dimension || !isGroupChart(chart) || !isDimension(dimension)) return undefined;
  return { chart, dimension };
}

/** A chart's title: the card heading on screen, the heading above the chart in a PDF, the title of a PNG. */
export function chartTitle(id: ChartId): string {
  const p = parseChartId(id);
  if (p === 'trajectory') return 'Trajectory toward 2015';
  if (p === 'burnup') return 'Milestone burn-up';
  if (p === 'scorecard') return 'Mainstreaming scorecard: criteria met or exceeded';
  return p ? `${GROUP_TITLES[p.chart]} by ${DIMENSION_TEXT[p.dimension].name}` : id;
}

/** What a chart shows, in a sentence: under its title on screen and in a PDF. */
export function chartDescription(id: ChartId): string {
  const p = parseChartId(id);
  if (p === 'trajectory') return 'Mean indicator attainment: actual, expected path, and forecast to the target date (dashed).';
  if (p === 'burnup') return 'Milestones due and completed, cumulative per quarter.';
  if (p === 'scorecard') return 'Share of criteria rated meets or exceeds (not applicable left out), all criteria and per pillar, at each checkpoint.';
  if (!p) return '';
  const by = p.dimension === 'region' ? 'the region they serve' : DIMENSION_TEXT[p.dimension].name;
  switch (p.chart) {
    case 'partnerships': return `Partnerships matching the filters, by ${by}.`;
    case 'resources': return `Resources committed (US$) by partnership ${DIMENSION_TEXT[p.dimension].name}.`;
    case 'attainment': return 'Mean attainment of indicators against the share expected by the as-of date.';
    case 'status': return 'Indicators by their status at the as-of date.';
    case 'milestones': return 'Milestones completed, as a share of those due by the as-of date.';
  }
}

/** Horizontal bars where the labels are long (everything but the six regions). */
const horizontal = (d: ProgressDimension | CompareDimension) => d !== 'region';

/**
 * Axis labels: mandates and outcomes are read by their codes, long labels are shortened, and region
 * names go on two lines (so six fit side by side without tilting).
 */
export function axisLabel(dimension: ProgressDimension, key: string, label: string): string | string[] {
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

interface BarsSpec {
  chart: GroupChart;
  format: ValueFormat;
  datasets: ChartDataset[];
  value: ChartScale;
  legend?: ChartConfig['options']['plugins']['legend'];
  stacked?: boolean;
}

/** One bar (or stack) per group of the dimension, every group in reference order (so bar i is `groups[i]`). */
function groupBars(by: ProgressByDimension, spec: BarsSpec): ChartConfig {
  const h = horizontal(by.dimension);
  const category: ChartScale = spec.stacked ? { stacked: true } : {};
  const value: ChartScale = spec.stacked ? { stacked: true, ...spec.value } : spec.value;
  return {
    type: 'bar',
    data: { labels: by.groups.map((g) => axisLabel(by.dimension, g.key, g.label)), datasets: spec.datasets },
    options: {
      indexAxis: h ? 'y' : 'x',
      locale: LOCALE,
      plugins: {
        title: { display: true, text: chartTitle(`${spec.chart}-by-${by.dimension}`) },
        legend: spec.legend ?? { display: false, position: 'top', labels: {} },
      },
      scales: h ? { x: value, y: category } : { x: category, y: value },
    },
    format: spec.format,
    category: DIMENSION_TEXT[by.dimension].heading,
  };
}

/** Partnerships per group. */
export function partnershipsChart(by: ProgressByDimension): ChartConfig {
  return groupBars(by, {
    chart: 'partnerships', format: 'count', value: COUNT_AXIS,
    datasets: [{ label: 'Partnerships', data: by.groups.map((g) => g.partnerships), backgroundColor: OKABE_ITO.blue }],
  });
}

/** Resources committed (US$) per group. */
export function resourcesChart(by: ProgressByDimension): ChartConfig {
  return groupBars(by, {
    chart: 'resources', format: 'usd', value: { beginAtZero: true, ticks: { format: USD_TICKS } },
    datasets: [{ label: 'Resources committed (US$)', data: by.groups.map((g) => g.resourcesUsd), backgroundColor: OKABE_ITO.orange }],
  });
}

/** Mean attainment beside the attainment expected by the as-of date, per group (shares; gaps where there is no data). */
export function attainmentChart(by: ProgressByDimension): ChartConfig {
  return groupBars(by, {
    chart: 'attainment', format: 'percent', value: SHARE_AXIS, legend: { display: true, position: 'top', labels: {} },
    datasets: [
      { label: 'Attainment', data: by.groups.map((g) => g.attainment), backgroundColor: OKABE_ITO.blue },
      { label: 'Expected by now', data: by.groups.map((g) => g.expected), backgroundColor: OKABE_ITO.skyBlue, pattern: 'diagonal' },
    ],
  });
}

/** Indicators by status per group: one stacked series per status (in STATUS_ORDER), each with its colour, pattern and symbol. */
export function statusChart(by: ProgressByDimension): ChartConfig {
  return groupBars(by, {
    chart: 'status', format: 'count', value: COUNT_AXIS, stacked: true, legend: { display: true, position: 'bottom', labels: { boxWidth: 14 } },
    datasets: STATUS_ORDER.map((s) => ({
      label: `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`,
      data: by.groups.map((g) => g.indicators[s]),
      backgroundColor: STATUS_STYLE[s].colour,
      pattern: STATUS_STYLE[s].pattern,
      borderColor: '#ffffff',
      borderWidth: 1,
    })),
  });
}

/** Due milestones completed, as a share, per group. */
export function milestoneCompletionChart(by: ProgressByDimension): ChartConfig {
  return groupBars(by, {
    chart: 'milestones', format: 'percent', value: { min: 0, max: 1, ticks: { format: PERCENT_TICKS } },
    datasets: [{ label: 'Completed (share of due)', data: by.groups.map((g) => g.milestones.completionRate), backgroundColor: OKABE_ITO.green }],
  });
}

/** The index of the period label (`2012`, `2012-Q3`) a date falls in, or -1 when the chart does not reach it. */
export function periodIndexOf(labels: readonly string[], date: string): number {
  const year = date.slice(0, 4);
  const quarter = `${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  return labels.findIndex((l) => l === quarter || l === year);
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** An event in words: its date and title (shortened), `*` when the date is a best reading, not verified. */
export function eventLabel(e: ChartEvent): string {
  return `${e.date} ${shorten(e.title, 40)}${e.verified ? '' : ' *'}`;
}

/** The events a chart of these period labels marks: those inside its range, in date order. */
export function eventsOnChart(labels: readonly string[], events: readonly ChartEvent[] | undefined): ChartEvent[] {
  return [...(events ?? [])].filter((e) => periodIndexOf(labels, e.date) >= 0).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The events a chart marks, in words (under the chart on screen and in a PDF): '' when it marks none. */
export function eventsSentence(config: ChartConfig | undefined, events: readonly ChartEvent[] | undefined): string {
  const marked = config ? eventsOnChart(config.data.labels.map(String), events) : [];
  if (marked.length === 0) return '';
  const note = marked.some((e) => !e.verified) ? ' (* date not verified)' : '';
  return `Events marked${note}: ${marked.map(eventLabel).join('; ')}.`;
}

/**
 * One vertical line per period holding events, labelled along it with the event's short title (or the first and
 * how many more: the full list is in the chart's sentence); dashed when a date in it is not verified.
 */
function eventLines(labels: readonly string[], events: readonly ChartEvent[] | undefined): Record<string, EventLine> {
  const byPeriod = new Map<number, ChartEvent[]>();
  for (const e of eventsOnChart(labels, events)) {
    const x = periodIndexOf(labels, e.date);
    byPeriod.set(x, [...(byPeriod.get(x) ?? []), e]);
  }
  const out: Record<string, EventLine> = {};
  [...byPeriod].forEach(([x, es], i) => {
    const first = es[0];
    if (!first) return;
    const content = es.length === 1 ? shorten(first.title, 30) : `${shorten(first.title, 22)} +${es.length - 1}`;
    out[`event${i}`] = {
      type: 'line', xMin: x, xMax: x, borderColor: OKABE_ITO.purple, borderWidth: 1.5, borderDash: es.every((e) => e.verified) ? [] : [4, 3],
      // Labels alternate between the top and the bottom of the plot, so neighbouring periods do not overlap.
      label: { display: true, content, position: i % 2 === 0 ? 'end' : 'start', rotation: -90, backgroundColor: 'rgba(255,255,255,0.85)', color: '#3d2a5c', font: { size: 9 }, padding: 2 },
    };
  });
  return out;
}

/**
 * Actual and expected mean attainment per period, the forecast (dashed) to the target date, the target as a line
 * at 100 %, and the agenda's events as vertical lines at their periods.
 */
export function trajectoryChart(t: ProgressTrajectory, events?: readonly ChartEvent[]): ChartConfig {
  const labels = t.points.map((p) => p.period);
  const annotations: Record<string, TargetLine | EventLine> = t.target
    ? {
      target: {
        type: 'line', yMin: t.target.attainment, yMax: t.target.attainment, borderColor: OKABE_ITO.black, borderWidth: 1.5, borderDash: [2, 2],
        label: { display: true, content: `◆ Target: 100% by ${t.target.date}`, position: 'start', backgroundColor: 'rgba(0,0,0,0.8)', font: { size: 11 } },
      },
    }
    : {};
  Object.assign(annotations, eventLines(labels, events));
  return {
    type: 'line',
    data: {
      labels: t.points.map((p) => p.period),
      datasets: [
        { label: 'Actual', data: t.points.map((p) => p.actual), borderColor: OKABE_ITO.blue, backgroundColor: OKABE_ITO.blue, pointStyle: 'circle', pointRadius: 3 },
        { label: 'Expected', data: t.points.map((p) => p.expected), borderColor: OKABE_ITO.black, backgroundColor: OKABE_ITO.black, borderWidth: 1.5, pointStyle: 'rect', pointRadius: 2 },
        { label: 'Forecast', data: t.points.map((p) => p.forecast), borderColor: OKABE_ITO.vermillion, backgroundColor: OKABE_ITO.vermillion, borderDash: [6, 4], pointStyle: 'triangle', pointRadius: 3 },
      ],
    },
    options: {
      indexAxis: 'x',
      locale: LOCALE,
      plugins: {
        title: { display: true, text: chartTitle('trajectory') },
        legend: { display: true, position: 'top', labels: { usePointStyle: true } },
        annotation: { annotations },
      },
      scales: { x: {}, y: SHARE_AXIS },
    },
    format: 'percent',
    category: 'Period',
  };
}

/** Cumulative milestones due and completed per quarter (a burn-up), with the agenda's events as vertical lines. */
export function burnupChart(tl: ProgressTimeline, events?: readonly ChartEvent[]): ChartConfig {
  const labels = tl.quarters.map((q) => q.quarter);
  return {
    type: 'line',
    data: {
      labels: tl.quarters.map((q) => q.quarter),
      datasets: [
        { label: 'Due (cumulative)', data: tl.quarters.map((q) => q.cumulativeDue), borderColor: OKABE_ITO.black, backgroundColor: OKABE_ITO.black, borderDash: [4, 3], pointRadius: 0, pointStyle: 'rect' },
        { label: 'Completed (cumulative)', data: tl.quarters.map((q) => q.cumulativeCompleted), borderColor: OKABE_ITO.green, backgroundColor: 'rgba(0,158,115,0.15)', fill: true, pointRadius: 0, pointStyle: 'circle' },
      ],
    },
    options: {
      indexAxis: 'x',
      locale: LOCALE,
      plugins: {
        title: { display: true, text: chartTitle('burnup') }, legend: { display: true, position: 'top', labels: { usePointStyle: true } },
        annotation: { annotations: eventLines(labels, events) },
      },
      scales: { x: {}, y: COUNT_AXIS },
    },
    format: 'count',
    category: 'Quarter',
  };
}

/**
 * What moved between two snapshots per group: milestones newly completed, indicators whose status
 * improved (up) and worsened (drawn below zero; its table shows the count), each with its own pattern.
 */
export function compareChart(rows: readonly CompareRow[], dimension: CompareDimension): ChartConfig {
  const h = horizontal(dimension);
  const value: ChartScale = { ticks: { precision: 0 } };
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => axisLabel(dimension, r.key, r.label)),
      datasets: [
        { label: 'Milestones completed (change)', data: rows.map((r) => r.milestonesCompleted.delta), backgroundColor: OKABE_ITO.green, maxBarThickness: 64 },
        { label: '▲ Indicators improved', data: rows.map((r) => r.indicators.improved), backgroundColor: OKABE_ITO.blue, pattern: 'diagonal', maxBarThickness: 64 },
        { label: '▼ Indicators worsened', data: rows.map((r) => (r.indicators.worsened === 0 ? 0 : -r.indicators.worsened)), backgroundColor: OKABE_ITO.vermillion, pattern: 'cross', maxBarThickness: 64 },
      ],
    },
    options: {
      indexAxis: h ? 'y' : 'x',
      locale: LOCALE,
      plugins: { title: { display: true, text: `What moved, by ${DIMENSION_TEXT[dimension].name}` }, legend: { display: true, position: 'bottom', labels: { boxWidth: 14 } } },
      scales: h ? { x: value, y: {} } : { x: {}, y: value },
    },
    format: 'count',
    category: DIMENSION_TEXT[dimension].heading,
  };
}

/**
 * The datasets with each pattern hint turned into a fill by the renderer's `fill` (a canvas pattern in the
 * browser, on @napi-rs/canvas on the server); solid series keep their colour.
 */
export function withPatternFills<F>(datasets: readonly ChartDataset[], fill: (colour: string, pattern: Pattern) => F): (Omit<ChartDataset, 'backgroundColor'> & { backgroundColor: string | F })[] {
  return datasets.map((d) => ({ ...d, backgroundColor: d.pattern && d.pattern !== 'solid' ? fill(d.backgroundColor, d.pattern) : d.backgroundColor }));
}

const CHECKPOINT_STYLE: readonly { colour: string; pattern: Pattern }[] = [
  { colour: OKABE_ITO.skyBlue, pattern: 'diagonal' }, { colour: OKABE_ITO.blue, pattern: 'solid' }, { colour: OKABE_ITO.green, pattern: 'dots' },
];

/** % of criteria met or exceeded, all criteria and per pillar (bars), one series per named checkpoint (baseline, 2010, 2015). */
export function scorecardChart(v: ProgressScorecard): ChartConfig {
  const labels = ['All criteria', ...SCORECARD_PILLARS.map((p) => p.label)];
  return {
    type: 'bar',
    data: {
      labels,
      datasets: SCORECARD_CHECKPOINTS.map((cp, i) => ({
        label: cp.label,
        data: [v.overall[cp.code]?.pctMetOrExceeded ?? null, ...SCORECARD_PILLARS.map((p) => v.byPillar.find((g) => g.key === p.code)?.byCheckpoint[cp.code]?.pctMetOrExceeded ?? null)],
        backgroundColor: CHECKPOINT_STYLE[i]?.colour ?? OKABE_ITO.grey,
        pattern: CHECKPOINT_STYLE[i]?.pattern ?? 'solid',
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: 'y', locale: LOCALE,
      plugins: { title: { display: true, text: chartTitle('scorecard') }, legend: { display: true, position: 'top', labels: {} } },
      scales: { x: { ...SHARE_AXIS, max: 1 }, y: {} },
    },
    format: 'percent',
    category: 'Pillar',
  };
}

/** The values a view selects per dimension (its filters); a dimension with none selected shows every group. */
export type ChartSelection = Partial<Record<ProgressDimension, readonly string[]>>;

/** What charts are drawn from; any part may be missing (still loading, or not fetched for this export). */
export interface ChartSources {
  byDimension: Partial<Record<ProgressDimension, ProgressByDimension | undefined>>;
  trajectory?: ProgressTrajectory | undefined;
  timeline?: ProgressTimeline | undefined;
  /** The mainstreaming scorecard (for the `scorecard` chart). */
  scorecard?: ProgressScorecard | undefined;
  /** The view's filters: a breakdown by a dimension the view filters shows only the selected groups. */
  selection?: ChartSelection | undefined;
  /** The agenda's events, marked on the trajectory and burn-up charts. */
  events?: readonly ChartEvent[] | undefined;
}

/** The events a view marks: with mandates selected, those related to one of them (or to none in particular). */
export function eventsForView<E extends ChartEvent>(events: readonly E[], mandates: readonly string[] | undefined): E[] {
  if (!mandates || mandates.length === 0) return [...events];
  return events.filter((e) => !e.mandates || e.mandates.length === 0 || e.mandates.some((m) => mandates.includes(m)));
}

/**
 * The groups a breakdown chart shows: when the view filters the same dimension, only the selected values
 * (the API returns every reference value, the unselected ones with zeros); otherwise every group. Bar i of
 * a group chart is `groupsShown(by, selection).groups[i]`.
 */
export function groupsShown(by: ProgressByDimension, selection: ChartSelection | undefined): ProgressByDimension {
  const selected = selection?.[by.dimension] ?? [];
  if (selected.length === 0) return by;
  return { ...by, groups: by.groups.filter((g) => selected.includes(g.key)) };
}

/** A snapshot's frozen figures as chart sources (the trajectory by year, as the overview opens), with its filters. */
export function snapshotChartSources(p: SnapshotProgress, selection?: ChartSelection): ChartSources {
  return { byDimension: p.byDimension, trajectory: p.trajectory.year, timeline: p.timeline, scorecard: p.scorecard, selection, events: p.events };
}

/** Which sources a set of charts is drawn from, so an export fetches those and no more. */
export function chartSourcesNeeded(ids: readonly string[]): { dimensions: ProgressDimension[]; trajectory: boolean; timeline: boolean; scorecard: boolean } {
  const parsed = ids.map(parseChartId);
  const dimensions = parsed.flatMap((p) => (typeof p === 'object' ? [p.dimension] : []));
  return { dimensions: [...new Set(dimensions)], trajectory: parsed.includes('trajectory'), timeline: parsed.includes('burnup'), scorecard: parsed.includes('scorecard') };
}

const GROUP_BUILDERS: Record<GroupChart, (by: ProgressByDimension) => ChartConfig> = {
  partnerships: partnershipsChart, resources: resourcesChart, attainment: attainmentChart, status: statusChart, milestones: milestoneCompletionChart,
};

/**
 * A chart by its name, from whichever sources it needs: undefined for an unknown name or a missing
 * source. The overview, the frozen dashboard and the PDF and PNG exports all draw through this.
 */
export function chartById(id: string, s: ChartSources): ChartConfig | undefined {
  const p = parseChartId(id);
  if (p === 'trajectory') return s.trajectory ? trajectoryChart(s.trajectory, s.events) : undefined;
  if (p === 'burnup') return s.timeline ? burnupChart(s.timeline, s.events) : undefined;
  if (p === 'scorecard') return s.scorecard ? scorecardChart(s.scorecard) : undefined;
  if (!p) return undefined;
  const by = s.byDimension[p.dimension];
  return by ? GROUP_BUILDERS[p.chart](groupsShown(by, s.selection)) : undefined;
}

/** The drawing calls a pattern tile needs: the part of a canvas 2D context that browsers and @napi-rs/canvas share. */
export interface PatternContext {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  arc(x: number, y: number, r: number, start: number, end: number): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  fill(): void;
  stroke(): void;
}
/** Side of a pattern tile in canvas pixels. */
export const PATTERN_TILE = 8;

/**
 * Paints one repeatable PATTERN_TILE × PATTERN_TILE tile: the colour with a light pattern over it. The
 * browser and the server paint their tiles with this, so a pattern looks the same on screen and in a PDF.
 */
export function paintPattern(ctx: PatternContext, colour: string, pattern: Pattern): void {
  const size = PATTERN_TILE;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, size, size);
  if (pattern === 'solid') return;
  ctx.strokeStyle = 'rgba(255,255,255,0.75)';
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  if (pattern === 'dots') {
    ctx.arc(size / 2, size / 2, 1.6, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  if (pattern === 'diagonal' || pattern === 'cross') {
    // The main diagonal plus its two corner pieces, so the lines run on across tiles.
    ctx.moveTo(0, size); ctx.lineTo(size, 0);
    ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
    ctx.moveTo(size - 2, size + 2); ctx.lineTo(size + 2, size - 2);
  }
  if (pattern === 'cross') { ctx.moveTo(0, 0); ctx.lineTo(size, size); }
  if (pattern === 'horizontal') { ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2); }
  ctx.stroke();
}

/** A status code's label, for chart legends and tooltips. */
export function statusLabel(code: string): string {
  return labelOf(INDICATOR_STATUS_LIST, code);
}
