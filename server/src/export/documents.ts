/**
 * Export documents: which tables, headline numbers and charts a view has, built from a snapshot's frozen
 * data or from the live database (record tables then stream from the batched readers).
 */
import {
  chartById, OVERVIEW_CHARTS, snapshotChartSources,
  type ChartConfig, type ChartId, type ChartSelection, type ChartSources, type ExportView, type ProgressByDimension, type ProgressSummary, type ProgressTimeline, type ProgressTrajectory,
  type SnapshotActionPlan, type SnapshotDimension, type SnapshotIndicator, type SnapshotMilestone, type SnapshotPartnership,
  type ProgressScorecard, type SnapshotProgress, type SnapshotRecords, snapshotDimension,
} from '@mm/shared';
import { EN, type L10n, type MessageKey } from '../i18n/index.ts';
import { chartDescriptionText, eventsText, localizeChart, localizeSources } from '../i18n/charts.ts';
import type { Column, ExportChart, ExportTable, Headline, Row } from './model.ts';
import { scorecardFiguresTable, scorecardGridTable, scorecardHeadline, scorecardMovementTable, scorecardSummaryRow } from './scorecard.ts';

interface Field<T> extends Omit<Column, 'header'> { header: MessageKey; get: (r: T) => Row[number] }
interface RecordTable<T> { name: string; title: MessageKey; fields: Field<T>[] }

const list = (xs: readonly (string | number)[]) => xs.join('; ');

export const PARTNERSHIPS: RecordTable<SnapshotPartnership> = {
  name: 'partnerships', title: 'view_partnerships',
  fields: [
    { header: 'col_id', type: 'integer', get: (r) => r.id },
    { header: 'col_externalId', type: 'text', get: (r) => r.externalId },
    { header: 'col_title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'col_region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'col_country', type: 'text', width: 8, get: (r) => r.country },
    { header: 'col_modality', type: 'text', width: 14, get: (r) => r.modality },
    { header: 'col_level', type: 'text', width: 13, get: (r) => r.level },
    { header: 'col_leadPartner', type: 'text', width: 36, get: (r) => r.leadPartner },
    { header: 'col_leadPartnerType', type: 'text', width: 12, get: (r) => r.leadPartnerType },
    { header: 'col_partners', type: 'text', width: 50, get: (r) => list(r.partners) },
    { header: 'col_mandates', type: 'text', width: 30, get: (r) => list(r.mandates) },
    { header: 'col_outcomes', type: 'text', width: 12, get: (r) => list(r.outcomes) },
    { header: 'col_start', type: 'date', get: (r) => r.startDate },
    { header: 'col_end', type: 'date', get: (r) => r.endDate },
    { header: 'col_resourcesUsd', type: 'usd', get: (r) => r.resourcesUsd },
    { header: 'col_status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

export const ACTION_PLANS: RecordTable<SnapshotActionPlan> = {
  name: 'action-plans', title: 'view_actionPlans',
  fields: [
    { header: 'col_id', type: 'integer', get: (r) => r.id },
    { header: 'col_externalId', type: 'text', get: (r) => r.externalId },
    { header: 'col_title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'col_owningUnit', type: 'text', width: 28, get: (r) => r.owningUnit },
    { header: 'col_region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'col_country', type: 'text', width: 8, get: (r) => r.country },
    { header: 'col_mandates', type: 'text', width: 30, get: (r) => list(r.mandates) },
    { header: 'col_outcomes', type: 'text', width: 12, get: (r) => list(r.outcomes) },
    { header: 'col_partnerTypes', type: 'text', width: 16, get: (r) => list(r.partnerTypes) },
    { header: 'col_partnershipIds', type: 'text', width: 16, get: (r) => list(r.partnershipIds) },
    { header: 'col_start', type: 'date', get: (r) => r.startDate },
    { header: 'col_end', type: 'date', get: (r) => r.endDate },
    { header: 'col_milestones', type: 'integer', get: (r) => r.milestonesTotal },
    { header: 'col_milestonesCompleted', type: 'integer', get: (r) => r.milestonesCompleted },
    { header: 'col_milestoneCompletion', type: 'percent', get: (r) => r.milestoneCompletionRate },
    { header: 'col_indicators', type: 'integer', get: (r) => r.indicatorsTotal },
    { header: 'col_progress', type: 'percent', get: (r) => r.progress },
    { header: 'col_status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

export const MILESTONES: RecordTable<SnapshotMilestone> = {
  name: 'milestones', title: 'view_milestones',
  fields: [
    { header: 'col_id', type: 'integer', get: (r) => r.id },
    { header: 'col_externalId', type: 'text', get: (r) => r.externalId },
    { header: 'col_actionPlanId', type: 'integer', get: (r) => r.actionPlanId },
    { header: 'col_region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'col_title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'col_due', type: 'date', get: (r) => r.dueDate },
    { header: 'col_status', type: 'text', width: 12, get: (r) => r.status },
    { header: 'col_percentComplete', type: 'integer', get: (r) => r.percentComplete },
    { header: 'col_completedOn', type: 'date', get: (r) => r.completedDate },
  ],
};

export const INDICATORS: RecordTable<SnapshotIndicator> = {
  name: 'indicators', title: 'view_indicators',
  fields: [
    { header: 'col_id', type: 'integer', get: (r) => r.id },
    { header: 'col_externalId', type: 'text', get: (r) => r.externalId },
    { header: 'col_actionPlanId', type: 'integer', get: (r) => r.actionPlanId },
    { header: 'col_region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'col_indicator', type: 'text', width: 50, get: (r) => r.name },
    { header: 'col_unit', type: 'text', width: 8, get: (r) => r.unit },
    { header: 'col_direction', type: 'text', width: 9, get: (r) => r.direction },
    { header: 'col_baseline', type: 'number', get: (r) => r.baselineValue },
    { header: 'col_baselineDate', type: 'date', get: (r) => r.baselineDate },
    { header: 'col_target', type: 'number', get: (r) => r.targetValue },
    { header: 'col_targetDate', type: 'date', get: (r) => r.targetDate },
    { header: 'col_latestValue', type: 'number', get: (r) => r.latestValue },
    { header: 'col_latestDate', type: 'date', get: (r) => r.latestDate },
    { header: 'col_attainment', type: 'percent', get: (r) => r.attainment },
    { header: 'col_expected', type: 'percent', get: (r) => r.expected },
    { header: 'col_status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

async function* once<T>(rows: readonly T[], size = 2000): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** A record table whose rows come from an array (a snapshot) or a batched reader (live). */
export function recordTable<T>(def: RecordTable<T>, source: readonly T[] | (() => AsyncIterable<T[]>), t: L10n = EN): ExportTable {
  const batches = typeof source === 'function' ? source : () => once(source);
  return {
    name: def.name, title: t.m(def.title),
    columns: def.fields.map(({ header, type, width }) => (width === undefined ? { header: t.m(header), type } : { header: t.m(header), type, width })),
    batches: async function* () {
      for await (const b of batches()) yield b.map((r) => def.fields.map((f) => f.get(r)));
    },
  };
}

function staticTable(name: string, title: string, columns: Column[], rows: Row[]): ExportTable {
  return { name, title, columns, batches: () => once(rows) };
}

/** The summary figures, with the scorecard's KPI when given. */
export function summaryTable(s: ProgressSummary, scorecard?: ProgressScorecard, t: L10n = EN): ExportTable {
  const count = (v: number) => ({ value: v, type: 'integer' as const });
  const ratio = (v: number | null) => (v === null ? null : { value: v, type: 'percent' as const });
  const rows: Row[] = [
    [t.m('sum_partnerships'), count(s.partnerships.total)],
    [t.m('sum_activePartnerships'), count(s.partnerships.active)],
    [t.m('sum_resourcesUsd'), { value: s.resourcesUsd, type: 'usd' }],
    [t.m('sum_milestones'), count(s.milestones.total)],
    [t.m('sum_milestonesCompleted'), count(s.milestones.completed)],
    [t.m('sum_milestonesOverdue'), count(s.milestones.overdue)],
    [t.m('sum_completionRate'), ratio(s.milestones.completionRate)],
    [t.m('sum_onTimeRate'), ratio(s.milestones.onTimeRate)],
    [t.m('sum_indicators'), count(s.indicators.total)],
    [t.m('sum_achieved'), count(s.indicators.achieved)],
    [t.m('sum_onTrack'), count(s.indicators.on_track)],
    [t.m('sum_atRisk'), count(s.indicators.at_risk)],
    [t.m('sum_offTrack'), count(s.indicators.off_track)],
    [t.m('sum_noData'), count(s.indicators.no_data)],
    [t.m('sum_attainment'), ratio(s.attainment)],
    [t.m('sum_expected'), ratio(s.expected)],
    [t.m('sum_forecastMet'), ratio(s.forecastMet)],
    ...scorecardSummaryRow(scorecard, t),
  ];
  return staticTable('summary', t.m('view_summary'), [{ header: t.m('col_measure'), type: 'text', width: 50 }, { header: t.m('col_value'), type: 'number', width: 18 }], rows);
}

/** A dimension as a table heading names it ("Partner type"), in the language. */
export function dimensionHeading(d: SnapshotDimension, t: L10n = EN): string {
  return t.m(`dim_heading_${d}`);
}
/** "Progress by partner type", in the language. */
export function progressByTitle(d: SnapshotDimension, t: L10n = EN): string {
  return t.m('view_progressBy', { dimension: dimensionHeading(d, t).toLowerCase() });
}

/** A group of a breakdown by its code, in the language (the label as the data has it in English). */
function groupLabel(d: SnapshotDimension, key: string, label: string, t: L10n): string {
  return d === 'country' ? t.country(key, label) : t.ref(d, key, label);
}

export function byDimensionTable(d: ProgressByDimension, t: L10n = EN): ExportTable {
  const col = (key: MessageKey, type: Column['type']): Column => ({ header: t.m(key), type });
  const columns: Column[] = [
    { header: t.m('col_code'), type: 'text', width: 14 }, { header: dimensionHeading(d.dimension, t), type: 'text', width: 40 },
    col('col_partnerships', 'integer'), col('col_resourcesUsd', 'usd'),
    col('col_milestones', 'integer'), col('col_completed', 'integer'), col('col_overdue', 'integer'), col('col_completionRate', 'percent'),
    col('col_achieved', 'integer'), col('col_onTrack', 'integer'), col('col_atRisk', 'integer'), col('col_offTrack', 'integer'), col('col_noData', 'integer'),
    col('col_attainment', 'percent'), col('col_expected', 'percent'), col('col_forecastMet', 'percent'),
  ];
  const figures = (g: ProgressByDimension['unassigned']): Row => [
    g.partnerships, g.resourcesUsd, g.milestones.total, g.milestones.completed, g.milestones.overdue, g.milestones.completionRate,
    g.indicators.achieved, g.indicators.on_track, g.indicators.at_risk, g.indicators.off_track, g.indicators.no_data,
    g.attainment, g.expected, g.forecastMet,
  ];
  const rows: Row[] = d.groups.map((g) => [g.key, groupLabel(d.dimension, g.key, g.label, t), ...figures(g)]);
  rows.push(['', t.m('col_unassigned'), ...figures(d.unassigned)]);
  return staticTable(`progress-by-${d.dimension}`, progressByTitle(d.dimension, t), columns, rows);
}

export function trajectoryTable(p: ProgressTrajectory, t: L10n = EN): ExportTable {
  return staticTable(`trajectory-${p.interval}`, t.m(`table_trajectory_${p.interval}`), [
    { header: t.m('col_period'), type: 'text', width: 10 }, { header: t.m('col_date'), type: 'date' }, { header: t.m('col_actual'), type: 'percent' },
    { header: t.m('col_withData'), type: 'integer' }, { header: t.m('col_expected'), type: 'percent' }, { header: t.m('col_forecast'), type: 'percent' },
  ], p.points.map((x) => [x.period, x.date, x.actual, x.withData, x.expected, x.forecast]));
}

export function timelineTable(l: ProgressTimeline, t: L10n = EN): ExportTable {
  return staticTable('timeline', t.m('table_timeline'), [
    { header: t.m('col_quarter'), type: 'text', width: 10 }, { header: t.m('col_start'), type: 'date' }, { header: t.m('col_end'), type: 'date' },
    { header: t.m('col_due'), type: 'integer' }, { header: t.m('col_completed'), type: 'integer' },
    { header: t.m('col_dueCumulative'), type: 'integer' }, { header: t.m('col_completedCumulative'), type: 'integer' },
  ], l.quarters.map((q) => [q.quarter, q.start, q.end, q.due, q.completed, q.cumulativeDue, q.cumulativeCompleted]));
}

export function headline(s: ProgressSummary, scorecard?: ProgressScorecard, t: L10n = EN): Headline[] {
  const { count, usd, percent } = t.f;
  const of = (n: number, total: number) => t.m('hl_ofTotal', { count: count(n), total: count(total) });
  return [
    { label: t.m('hl_partnerships'), value: t.m('hl_partnershipsValue', { total: count(s.partnerships.total), active: count(s.partnerships.active) }) },
    { label: t.m('hl_resources'), value: usd(s.resourcesUsd) },
    { label: t.m('hl_milestonesCompleted'), value: of(s.milestones.completed, s.milestones.total) },
    { label: t.m('hl_completionRate'), value: percent(s.milestones.completionRate) },
    { label: t.m('hl_overdue'), value: count(s.milestones.overdue) },
    { label: t.m('hl_onTrack'), value: of(s.indicators.on_track + s.indicators.achieved, s.indicators.total) },
    { label: t.m('hl_atRisk'), value: `${count(s.indicators.at_risk)} / ${count(s.indicators.off_track)}` },
    { label: t.m('hl_attainment'), value: percent(s.attainment) },
    { label: t.m('hl_expected'), value: percent(s.expected) },
    ...scorecardHeadline(scorecard, t),
  ];
}

/** Names the PNG endpoint had before it took the overview's chart ids; they still work. */
const CHART_ALIASES: Partial<Record<string, ChartId>> = {
  'by-region': 'status-by-region', 'by-partner-type': 'status-by-partnerType', 'by-mandate': 'status-by-mandate',
  'by-modality': 'status-by-modality', 'by-objective': 'status-by-objective', timeline: 'burnup',
};

/** A chart by its name (as `GET /snapshots/:id/chart.png?chart=` takes it): the shared definition, as on screen. */
export function chartFor(name: string, s: ChartSources): ChartConfig | undefined {
  return chartById(CHART_ALIASES[name] ?? name, s);
}

/**
 * The charts of an exported view: what the screen shows for it. The summary (and a whole snapshot) is the
 * overview; a progress-by-dimension view is that dimension's section of the overview; record lists have none.
 */
export function viewChartIds(view: ExportView | undefined): ChartId[] {
  if (view === undefined || view === 'summary') return [...OVERVIEW_CHARTS, 'scorecard'];
  if (view === 'scorecard') return ['scorecard'];
  const d = snapshotDimension.safeParse(/^progress-by-(.+)$/.exec(view)?.[1]);
  return d.success ? [`attainment-by-${d.data}`, `status-by-${d.data}`] : [];
}

export function charts(s: ChartSources, names: readonly string[], t: L10n = EN): ExportChart[] {
  const sources = localizeSources(s, t);
  return names.flatMap((name) => {
    const id = (CHART_ALIASES[name] ?? name) as ChartId;
    const shared = chartFor(name, sources);
    if (!shared) return [];
    const config = localizeChart(shared, id, t);
    // The events a chart marks, also in words under it (the lines' labels are part of the picture).
    const events = id === 'trajectory' || id === 'burnup' ? eventsText(shared, s.events, t) : '';
    const description = chartDescriptionText(id, t);
    return [{ name, config, description: events ? `${description} ${events}` : description }];
  });
}

/** The tables, headline and charts of a snapshot, for one view or (no view) the whole report. */
export function snapshotContent(data: { progress: SnapshotProgress; records: SnapshotRecords }, view: ExportView | undefined, selection?: ChartSelection, t: L10n = EN): { headline: Headline[]; charts: ExportChart[]; tables: ExportTable[] } {
  const p = data.progress;
  const r = data.records;
  const head = headline(p.summary, p.scorecard, t);
  const drawn = charts(snapshotChartSources(p, selection), viewChartIds(view), t);
  if (view === undefined) {
    return {
      headline: head,
      charts: drawn,
      tables: [
        summaryTable(p.summary, p.scorecard, t),
        ...(['region', 'partnerType', 'mandate', 'modality', 'objective', 'outcome', 'country'] as const).map((d) => byDimensionTable(p.byDimension[d], t)),
        trajectoryTable(p.trajectory.year, t), trajectoryTable(p.trajectory.quarter, t), timelineTable(p.timeline, t),
        recordTable(PARTNERSHIPS, r.partnerships, t), recordTable(ACTION_PLANS, r.actionPlans, t), recordTable(MILESTONES, r.milestones, t), recordTable(INDICATORS, r.indicators, t),
        ...(p.scorecard ? scorecardViewTables(p.scorecard, t) : []),
      ],
    };
  }
  if (view === 'scorecard') return { headline: head, charts: drawn, tables: p.scorecard ? scorecardViewTables(p.scorecard, t) : [] };
  return { headline: head, charts: drawn, tables: [tableForView(view, p, r, t)] };
}

/** The scorecard view's tables: the grid first (a CSV holds the first table only), then the figures and the movement. */
export function scorecardViewTables(v: ProgressScorecard, t: L10n = EN): ExportTable[] {
  return [scorecardGridTable(v, t), scorecardFiguresTable(v, t), scorecardMovementTable(v, t)];
}

function tableForView(view: ExportView, p: SnapshotProgress, r: SnapshotRecords, t: L10n): ExportTable {
  switch (view) {
    case 'summary': return summaryTable(p.summary, p.scorecard, t);
    case 'partnerships': return recordTable(PARTNERSHIPS, r.partnerships, t);
    case 'action-plans': return recordTable(ACTION_PLANS, r.actionPlans, t);
    case 'milestones': return recordTable(MILESTONES, r.milestones, t);
    case 'indicators': return recordTable(INDICATORS, r.indicators, t);
    default: {
      const d = snapshotDimension.parse(view.slice('progress-by-'.length));
      return byDimensionTable(p.byDimension[d], t);
    }
  }
}
