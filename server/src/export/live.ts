/**
 * Export documents of the live view (current data, the request's filters) and of a stored snapshot.
 * Live record tables stream from the batched readers; progress tables come from the progress service,
 * so an export shows the same numbers as the screen.
 */
import { chartSourcesNeeded, eventsForView, snapshotDimension, type ChartSources, type ExportFormat, type ExportView, type ProgressFilters, type Snapshot } from '@mm/shared';
import { isDemo } from '../db/seed.ts';
import type { AppDeps } from '../deps.ts';
import { getByDimension, getSummary, getTimeline, getTrajectory } from '../queries/progress.ts';
import { listEvents } from '../queries/reporting.ts';
import { scorecardOfView } from '../queries/scorecard-view.ts';
import { actionPlanRows, indicatorRows, milestoneRows, partnershipRows } from '../snapshots/records.ts';
import { withAsOf } from '../snapshots/store.ts';
import {
  ACTION_PLANS, byDimensionTable, charts as chartsFor, DIMENSION_TITLES, headline, INDICATORS, MILESTONES, PARTNERSHIPS, recordTable, scorecardViewTables,
  snapshotContent, summaryTable, viewChartIds,
} from './documents.ts';
import type { ExportDoc, ExportTable } from './model.ts';

const VIEW_TITLES: Record<string, string> = {
  summary: 'Summary', scorecard: 'Mainstreaming scorecard', partnerships: 'Partnerships', 'action-plans': 'Action plans', milestones: 'Milestones', indicators: 'Indicators',
};
export function viewTitle(view: ExportView): string {
  const m = /^progress-by-(.+)$/.exec(view);
  const d = snapshotDimension.safeParse(m?.[1]);
  if (d.success) return `Progress by ${DIMENSION_TITLES[d.data].toLowerCase()}`;
  return VIEW_TITLES[view] ?? view;
}

/** What the view's charts are drawn from, fetched with the request's filters (`known`: already fetched for its table). */
async function liveChartSources(deps: AppDeps, f: ProgressFilters & { asOf: string }, ids: readonly string[], known: ChartSources['byDimension'], interval: 'year' | 'quarter', scorecard: ChartSources['scorecard']): Promise<ChartSources> {
  const need = chartSourcesNeeded(ids);
  const byDimension: ChartSources['byDimension'] = { ...known };
  for (const d of need.dimensions) byDimension[d] ??= await getByDimension(deps, d, f);
  return {
    byDimension,
    selection: f,
    trajectory: need.trajectory ? await getTrajectory(deps, f, interval) : undefined,
    timeline: need.timeline ? await getTimeline(deps, f) : undefined,
    scorecard: need.scorecard ? (scorecard ?? await scorecardOfView(deps, f)) : undefined,
    events: need.trajectory || need.timeline ? eventsForView(await listEvents(deps.db, {}), f.mandate) : undefined,
  };
}

export async function liveDoc(deps: AppDeps, filters: ProgressFilters, view: ExportView, format: ExportFormat, interval: 'year' | 'quarter' = 'year'): Promise<ExportDoc> {
  const f = withAsOf(deps, filters);
  const summary = await getSummary(deps, f);
  const dimMatch = /^progress-by-(.+)$/.exec(view);
  const known: ChartSources['byDimension'] = {};
  // The scorecard's KPI goes into the summary and every headline; its own view carries the grid.
  const scorecard = view === 'summary' || view === 'scorecard' || format === 'pdf' ? await scorecardOfView(deps, f) : undefined;
  let table: ExportTable | undefined;
  if (view === 'summary') table = summaryTable(summary, scorecard);
  else if (view === 'scorecard') table = undefined;
  else if (dimMatch?.[1]) {
    const by = await getByDimension(deps, snapshotDimension.parse(dimMatch[1]), f);
    known[by.dimension] = by;
    table = byDimensionTable(by);
  } else if (view === 'partnerships') table = recordTable(PARTNERSHIPS, () => partnershipRows(deps.db, f, f.asOf));
  else if (view === 'action-plans') table = recordTable(ACTION_PLANS, () => actionPlanRows(deps.db, f, f.asOf));
  else if (view === 'milestones') table = recordTable(MILESTONES, () => milestoneRows(deps.db, f, f.asOf));
  else table = recordTable(INDICATORS, () => indicatorRows(deps.db, f, f.asOf));
  const tables: ExportTable[] = table ? [table] : scorecard ? scorecardViewTables(scorecard) : [];
  // Only a PDF draws charts: the ones the screen shows for this view, from the same shared definitions.
  const ids = format === 'pdf' ? viewChartIds(view) : [];
  const charts = ids.length > 0 ? chartsFor(await liveChartSources(deps, f, ids, known, interval, scorecard), ids) : [];
  return {
    meta: { title: viewTitle(view), source: 'live', filters: f, asOf: f.asOf, generatedAt: deps.clock().toISOString(), demo: await isDemo(deps.db) },
    headline: headline(summary, scorecard),
    charts,
    tables,
  };
}

export function snapshotDoc(deps: AppDeps, s: Snapshot, view: ExportView | undefined, format: ExportFormat): ExportDoc {
  // One CSV holds one table: without a view, a snapshot's CSV is its summary.
  const v = view ?? (format === 'csv' ? 'summary' : undefined);
  const content = snapshotContent(s.data, v, s.filters);
  return {
    meta: {
      title: v ? `${s.title}: ${viewTitle(v)}` : s.title, source: s.id, filters: s.filters, asOf: s.asOf, generatedAt: deps.clock().toISOString(), demo: s.demo,
      snapshot: { id: s.id, title: s.title, note: s.note, takenAt: s.createdAt, takenBy: s.createdBy.name ?? s.createdBy.email },
    },
    ...content,
  };
}
