/**
 * Export documents: which tables, headline numbers and charts a view has, built from a snapshot's frozen
 * data or from the live database (record tables then stream from the batched readers).
 */
import {
  chartById, chartDescription, eventsSentence, formatCount, formatPercent, formatUsd, OVERVIEW_CHARTS, snapshotChartSources,
  type ChartConfig, type ChartId, type ChartSelection, type ChartSources, type ExportView, type ProgressByDimension, type ProgressSummary, type ProgressTimeline, type ProgressTrajectory,
  type SnapshotActionPlan, type SnapshotDimension, type SnapshotIndicator, type SnapshotMilestone, type SnapshotPartnership,
  type ProgressScorecard, type SnapshotProgress, type SnapshotRecords, snapshotDimension,
} from '@mm/shared';
import type { Column, ExportChart, ExportTable, Headline, Row } from './model.ts';
import { scorecardFiguresTable, scorecardGridTable, scorecardHeadline, scorecardMovementTable, scorecardSummaryRow } from './scorecard.ts';

interface Field<T> extends Column { get: (r: T) => Row[number] }
interface RecordTable<T> { name: string; title: string; fields: Field<T>[] }

const list = (xs: readonly (string | number)[]) => xs.join('; ');

export const PARTNERSHIPS: RecordTable<SnapshotPartnership> = {
  name: 'partnerships', title: 'Partnerships',
  fields: [
    { header: 'ID', type: 'integer', get: (r) => r.id },
    { header: 'External ID', type: 'text', get: (r) => r.externalId },
    { header: 'Title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'Region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'Country', type: 'text', width: 8, get: (r) => r.country },
    { header: 'Modality', type: 'text', width: 14, get: (r) => r.modality },
    { header: 'Level', type: 'text', width: 13, get: (r) => r.level },
    { header: 'Lead partner', type: 'text', width: 36, get: (r) => r.leadPartner },
    { header: 'Lead partner type', type: 'text', width: 12, get: (r) => r.leadPartnerType },
    { header: 'Partners', type: 'text', width: 50, get: (r) => list(r.partners) },
    { header: 'Mandates', type: 'text', width: 30, get: (r) => list(r.mandates) },
    { header: 'Outcomes', type: 'text', width: 12, get: (r) => list(r.outcomes) },
    { header: 'Start', type: 'date', get: (r) => r.startDate },
    { header: 'End', type: 'date', get: (r) => r.endDate },
    { header: 'Resources (USD)', type: 'usd', get: (r) => r.resourcesUsd },
    { header: 'Status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

export const ACTION_PLANS: RecordTable<SnapshotActionPlan> = {
  name: 'action-plans', title: 'Action plans',
  fields: [
    { header: 'ID', type: 'integer', get: (r) => r.id },
    { header: 'External ID', type: 'text', get: (r) => r.externalId },
    { header: 'Title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'Owning unit', type: 'text', width: 28, get: (r) => r.owningUnit },
    { header: 'Region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'Country', type: 'text', width: 8, get: (r) => r.country },
    { header: 'Mandates', type: 'text', width: 30, get: (r) => list(r.mandates) },
    { header: 'Outcomes', type: 'text', width: 12, get: (r) => list(r.outcomes) },
    { header: 'Partner types', type: 'text', width: 16, get: (r) => list(r.partnerTypes) },
    { header: 'Partnership IDs', type: 'text', width: 16, get: (r) => list(r.partnershipIds) },
    { header: 'Start', type: 'date', get: (r) => r.startDate },
    { header: 'End', type: 'date', get: (r) => r.endDate },
    { header: 'Milestones', type: 'integer', get: (r) => r.milestonesTotal },
    { header: 'Milestones completed', type: 'integer', get: (r) => r.milestonesCompleted },
    { header: 'Milestone completion', type: 'percent', get: (r) => r.milestoneCompletionRate },
    { header: 'Indicators', type: 'integer', get: (r) => r.indicatorsTotal },
    { header: 'Progress', type: 'percent', get: (r) => r.progress },
    { header: 'Status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

export const MILESTONES: RecordTable<SnapshotMilestone> = {
  name: 'milestones', title: 'Milestones',
  fields: [
    { header: 'ID', type: 'integer', get: (r) => r.id },
    { header: 'External ID', type: 'text', get: (r) => r.externalId },
    { header: 'Action plan ID', type: 'integer', get: (r) => r.actionPlanId },
    { header: 'Region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'Title', type: 'text', width: 50, get: (r) => r.title },
    { header: 'Due', type: 'date', get: (r) => r.dueDate },
    { header: 'Status', type: 'text', width: 12, get: (r) => r.status },
    { header: 'Percent complete', type: 'integer', get: (r) => r.percentComplete },
    { header: 'Completed on', type: 'date', get: (r) => r.completedDate },
  ],
};

export const INDICATORS: RecordTable<SnapshotIndicator> = {
  name: 'indicators', title: 'Indicators',
  fields: [
    { header: 'ID', type: 'integer', get: (r) => r.id },
    { header: 'External ID', type: 'text', get: (r) => r.externalId },
    { header: 'Action plan ID', type: 'integer', get: (r) => r.actionPlanId },
    { header: 'Region', type: 'text', width: 8, get: (r) => r.region },
    { header: 'Indicator', type: 'text', width: 50, get: (r) => r.name },
    { header: 'Unit', type: 'text', width: 8, get: (r) => r.unit },
    { header: 'Direction', type: 'text', width: 9, get: (r) => r.direction },
    { header: 'Baseline', type: 'number', get: (r) => r.baselineValue },
    { header: 'Baseline date', type: 'date', get: (r) => r.baselineDate },
    { header: 'Target', type: 'number', get: (r) => r.targetValue },
    { header: 'Target date', type: 'date', get: (r) => r.targetDate },
    { header: 'Latest value', type: 'number', get: (r) => r.latestValue },
    { header: 'Latest date', type: 'date', get: (r) => r.latestDate },
    { header: 'Attainment', type: 'percent', get: (r) => r.attainment },
    { header: 'Expected', type: 'percent', get: (r) => r.expected },
    { header: 'Status', type: 'text', width: 10, get: (r) => r.status },
  ],
};

async function* once<T>(rows: readonly T[], size = 2000): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** A record table whose rows come from an array (a snapshot) or a batched reader (live). */
export function recordTable<T>(def: RecordTable<T>, source: readonly T[] | (() => AsyncIterable<T[]>)): ExportTable {
  const batches = typeof source === 'function' ? source : () => once(source);
  return {
    name: def.name, title: def.title,
    columns: def.fields.map(({ header, type, width }) => (width === undefined ? { header, type } : { header, type, width })),
    batches: async function* () {
      for await (const b of batches()) yield b.map((r) => def.fields.map((f) => f.get(r)));
    },
  };
}

function staticTable(name: string, title: string, columns: Column[], rows: Row[]): ExportTable {
  return { name, title, columns, batches: () => once(rows) };
}

/** The summary figures, with the scorecard's KPI when given. */
export function summaryTable(s: ProgressSummary, scorecard?: ProgressScorecard): ExportTable {
  const count = (v: number) => ({ value: v, type: 'integer' as const });
  const ratio = (v: number | null) => (v === null ? null : { value: v, type: 'percent' as const });
  const rows: Row[] = [
    ['Partnerships', count(s.partnerships.total)],
    ['Active partnerships', count(s.partnerships.active)],
    ['Resources (USD)', { value: s.resourcesUsd, type: 'usd' }],
    ['Milestones', count(s.milestones.total)],
    ['Milestones completed', count(s.milestones.completed)],
    ['Milestones overdue', count(s.milestones.overdue)],
    ['Milestone completion rate (due milestones completed)', ratio(s.milestones.completionRate)],
    ['Milestones completed on time', ratio(s.milestones.onTimeRate)],
    ['Indicators', count(s.indicators.total)],
    ['Indicators achieved', count(s.indicators.achieved)],
    ['Indicators on track', count(s.indicators.on_track)],
    ['Indicators at risk', count(s.indicators.at_risk)],
    ['Indicators off track', count(s.indicators.off_track)],
    ['Indicators without data', count(s.indicators.no_data)],
    ['Mean attainment (capped at 100 %)', ratio(s.attainment)],
    ['Mean expected attainment', ratio(s.expected)],
    ['Indicators forecast to meet target', ratio(s.forecastMet)],
    ...scorecardSummaryRow(scorecard),
  ];
  return staticTable('summary', 'Summary', [{ header: 'Measure', type: 'text', width: 50 }, { header: 'Value', type: 'number', width: 18 }], rows);
}

export const DIMENSION_TITLES: Record<SnapshotDimension, string> = {
  region: 'Region', country: 'Country', partnerType: 'Partner type', modality: 'Modality', mandate: 'Mandate', objective: 'Objective', outcome: 'Outcome',
};

export function byDimensionTable(d: ProgressByDimension): ExportTable {
  const title = `Progress by ${DIMENSION_TITLES[d.dimension].toLowerCase()}`;
  const columns: Column[] = [
    { header: 'Code', type: 'text', width: 14 }, { header: DIMENSION_TITLES[d.dimension], type: 'text', width: 40 },
    { header: 'Partnerships', type: 'integer' }, { header: 'Resources (USD)', type: 'usd' },
    { header: 'Milestones', type: 'integer' }, { header: 'Completed', type: 'integer' }, { header: 'Overdue', type: 'integer' },
    { header: 'Completion rate', type: 'percent' },
    { header: 'Achieved', type: 'integer' }, { header: 'On track', type: 'integer' }, { header: 'At risk', type: 'integer' },
    { header: 'Off track', type: 'integer' }, { header: 'No data', type: 'integer' },
    { header: 'Attainment', type: 'percent' }, { header: 'Expected', type: 'percent' }, { header: 'Forecast to meet target', type: 'percent' },
  ];
  const figures = (g: ProgressByDimension['unassigned']): Row => [
    g.partnerships, g.resourcesUsd, g.milestones.total, g.milestones.completed, g.milestones.overdue, g.milestones.completionRate,
    g.indicators.achieved, g.indicators.on_track, g.indicators.at_risk, g.indicators.off_track, g.indicators.no_data,
    g.attainment, g.expected, g.forecastMet,
  ];
  const rows: Row[] = d.groups.map((g) => [g.key, g.label, ...figures(g)]);
  rows.push(['', 'Unassigned', ...figures(d.unassigned)]);
  return staticTable(`progress-by-${d.dimension}`, title, columns, rows);
}

export function trajectoryTable(t: ProgressTrajectory): ExportTable {
  return staticTable(`trajectory-${t.interval}`, `Trajectory by ${t.interval}`, [
    { header: 'Period', type: 'text', width: 10 }, { header: 'Date', type: 'date' }, { header: 'Actual', type: 'percent' },
    { header: 'Indicators with data', type: 'integer' }, { header: 'Expected', type: 'percent' }, { header: 'Forecast', type: 'percent' },
  ], t.points.map((p) => [p.period, p.date, p.actual, p.withData, p.expected, p.forecast]));
}

export function timelineTable(t: ProgressTimeline): ExportTable {
  return staticTable('timeline', 'Milestone timeline', [
    { header: 'Quarter', type: 'text', width: 10 }, { header: 'Start', type: 'date' }, { header: 'End', type: 'date' },
    { header: 'Due', type: 'integer' }, { header: 'Completed', type: 'integer' },
    { header: 'Due (cumulative)', type: 'integer' }, { header: 'Completed (cumulative)', type: 'integer' },
  ], t.quarters.map((q) => [q.quarter, q.start, q.end, q.due, q.completed, q.cumulativeDue, q.cumulativeCompleted]));
}

export function headline(s: ProgressSummary, scorecard?: ProgressScorecard): Headline[] {
  return [
    { label: 'Partnerships', value: `${formatCount(s.partnerships.total)} (${formatCount(s.partnerships.active)} active)` },
    { label: 'Resources', value: formatUsd(s.resourcesUsd) },
    { label: 'Milestones completed', value: `${formatCount(s.milestones.completed)} of ${formatCount(s.milestones.total)}` },
    { label: 'Milestone completion rate', value: formatPercent(s.milestones.completionRate) },
    { label: 'Milestones overdue', value: formatCount(s.milestones.overdue) },
    { label: 'Indicators on track or achieved', value: `${formatCount(s.indicators.on_track + s.indicators.achieved)} of ${formatCount(s.indicators.total)}` },
    { label: 'Indicators at risk / off track', value: `${formatCount(s.indicators.at_risk)} / ${formatCount(s.indicators.off_track)}` },
    { label: 'Mean attainment', value: formatPercent(s.attainment) },
    { label: 'Expected by now', value: formatPercent(s.expected) },
    ...scorecardHeadline(scorecard),
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

export function charts(s: ChartSources, names: readonly string[]): ExportChart[] {
  return names.flatMap((name) => {
    const config = chartFor(name, s);
    const id = (CHART_ALIASES[name] ?? name) as ChartId;
    if (!config) return [];
    // The events a chart marks, also in words under it (the lines' labels are part of the picture).
    const events = id === 'trajectory' || id === 'burnup' ? eventsSentence(config, s.events) : '';
    return [{ name, config, description: events ? `${chartDescription(id)} ${events}` : chartDescription(id) }];
  });
}

/** The tables, headline and charts of a snapshot, for one view or (no view) the whole report. */
export function snapshotContent(data: { progress: SnapshotProgress; records: SnapshotRecords }, view: ExportView | undefined, selection?: ChartSelection): { headline: Headline[]; charts: ExportChart[]; tables: ExportTable[] } {
  const p = data.progress;
  const r = data.records;
  const head = headline(p.summary, p.scorecard);
  const drawn = charts(snapshotChartSources(p, selection), viewChartIds(view));
  if (view === undefined) {
    return {
      headline: head,
      charts: drawn,
      tables: [
        summaryTable(p.summary, p.scorecard),
        ...(['region', 'partnerType', 'mandate', 'modality', 'objective', 'outcome', 'country'] as const).map((d) => byDimensionTable(p.byDimension[d])),
        trajectoryTable(p.trajectory.year), trajectoryTable(p.trajectory.quarter), timelineTable(p.timeline),
        recordTable(PARTNERSHIPS, r.partnerships), recordTable(ACTION_PLANS, r.actionPlans), recordTable(MILESTONES, r.milestones), recordTable(INDICATORS, r.indicators),
        ...(p.scorecard ? scorecardViewTables(p.scorecard) : []),
      ],
    };
  }
  if (view === 'scorecard') return { headline: head, charts: drawn, tables: p.scorecard ? scorecardViewTables(p.scorecard) : [] };
  return { headline: head, charts: drawn, tables: [tableForView(view, p, r)] };
}

/** The scorecard view's tables: the grid first (a CSV holds the first table only), then the figures and the movement. */
export function scorecardViewTables(v: ProgressScorecard): ExportTable[] {
  return [scorecardGridTable(v), scorecardFiguresTable(v), scorecardMovementTable(v)];
}

function tableForView(view: ExportView, p: SnapshotProgress, r: SnapshotRecords): ExportTable {
  switch (view) {
    case 'summary': return summaryTable(p.summary, p.scorecard);
    case 'partnerships': return recordTable(PARTNERSHIPS, r.partnerships);
    case 'action-plans': return recordTable(ACTION_PLANS, r.actionPlans);
    case 'milestones': return recordTable(MILESTONES, r.milestones);
    case 'indicators': return recordTable(INDICATORS, r.indicators);
    default: {
      const d = snapshotDimension.parse(view.slice('progress-by-'.length));
      return byDimensionTable(p.byDimension[d]);
    }
  }
}
