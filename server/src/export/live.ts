/**
 * Export documents of the live view (current data, the request's filters) and of a stored snapshot.
 * Live record tables stream from the batched readers; progress tables come from the progress service,
 * so an export shows the same numbers as the screen.
 */
import { chartSourcesNeeded, eventsForView, snapshotDimension, type ChartSources, type ExportFormat, type ExportView, type Locale, type ProgressFilters, type Snapshot } from '@mm/shared';
import { isDemo } from '../db/seed.ts';
import { EN, l10n, type L10n, type MessageKey } from '../i18n/index.ts';
import type { AppDeps } from '../deps.ts';
import { getByDimension, getSummary, getTimeline, getTrajectory } from '../queries/progress.ts';
import { listEvents } from '../queries/reporting.ts';
import { scorecardOfView } from '../queries/scorecard-view.ts';
import { actionPlanRows, indicatorRows, milestoneRows, partnershipRows } from '../snapshots/records.ts';
import { withAsOf } from '../snapshots/store.ts';
import {
  ACTION_PLANS, byDimensionTable, charts as chartsFor, headline, INDICATORS, MILESTONES, PARTNERSHIPS, recordTable, scorecardViewTables,
  progressByTitle, snapshotContent, summaryTable, viewChartIds,
} from './documents.ts';
import type { ExportDoc, ExportTable } from './model.ts';

const VIEW_TITLES: Readonly<Record<string, MessageKey>> = {
  summary: 'view_summary', scorecard: 'view_scorecard', partnerships: 'view_partnerships', 'action-plans': 'view_actionPlans', milestones: 'view_milestones', indicators: 'view_indicators',
};
export function viewTitle(view: ExportView, t: L10n = EN): string {
  const m = /^progress-by-(.+)$/.exec(view);
  const d = snapshotDimension.safeParse(m?.[1]);
  if (d.success) return progressByTitle(d.data, t);
  const key = VIEW_TITLES[view];
  return key ? t.m(key) : view;
}

/** The language of an export's words: JSON is for programs and stays English. */
const wordsOf = (format: ExportFormat, locale: Locale | undefined): Locale => (format === 'json' ? 'en' : locale ?? 'en');

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

export async function liveDoc(deps: AppDeps, filters: ProgressFilters, view: ExportView, format: ExportFormat, interval: 'year' | 'quarter' = 'year', lang?: Locale): Promise<ExportDoc> {
  const locale = wordsOf(format, lang);
  const t = l10n(locale);
  const f = withAsOf(deps, filters);
  const summary = await getSummary(deps, f);
  const dimMatch = /^progress-by-(.+)$/.exec(view);
  const known: ChartSources['byDimension'] = {};
  // The scorecard's KPI goes into the summary and every headline; its own view carries the grid.
  const scorecard = view === 'summary' || view === 'scorecard' || format === 'pdf' ? await scorecardOfView(deps, f) : undefined;
  let table: ExportTable | undefined;
  if (view === 'summary') table = summaryTable(summary, scorecard, t);
  else if (view === 'scorecard') table = undefined;
  else if (dimMatch?.[1]) {
    const by = await getByDimension(deps, snapshotDimension.parse(dimMatch[1]), f);
    known[by.dimension] = by;
    table = byDimensionTable(by, t);
  } else if (view === 'partnerships') table = recordTable(PARTNERSHIPS, () => partnershipRows(deps.db, f, f.asOf), t);
  else if (view === 'action-plans') table = recordTable(ACTION_PLANS, () => actionPlanRows(deps.db, f, f.asOf), t);
  else if (view === 'milestones') table = recordTable(MILESTONES, () => milestoneRows(deps.db, f, f.asOf), t);
  else table = recordTable(INDICATORS, () => indicatorRows(deps.db, f, f.asOf), t);
  const tables: ExportTable[] = table ? [table] : scorecard ? scorecardViewTables(scorecard, t) : [];
  // Only a PDF draws charts: the ones the screen shows for this view, from the same shared definitions.
  const ids = format === 'pdf' ? viewChartIds(view) : [];
  const charts = ids.length > 0 ? chartsFor(await liveChartSources(deps, f, ids, known, interval, scorecard), ids, t) : [];
  return {
    meta: {
      title: viewTitle(view, t), source: 'live', filters: f, asOf: f.asOf, generatedAt: deps.clock().toISOString(), demo: await isDemo(deps.db),
      ...(locale === 'en' ? {} : { locale }),
    },
    headline: headline(summary, scorecard, t),
    charts,
    tables,
  };
}

export function snapshotDoc(deps: AppDeps, s: Snapshot, view: ExportView | undefined, format: ExportFormat, lang?: Locale): ExportDoc {
  const locale = wordsOf(format, lang);
  const t = l10n(locale);
  // One CSV holds one table: without a view, a snapshot's CSV is its summary.
  const v = view ?? (format === 'csv' ? 'summary' : undefined);
  const content = snapshotContent(s.data, v, s.filters, t);
  return {
    meta: {
      // The snapshot's title stays as its author typed it.
      title: v ? t.m('view_snapshotTitle', { title: s.title, view: viewTitle(v, t) }) : s.title, source: s.id, filters: s.filters, asOf: s.asOf, generatedAt: deps.clock().toISOString(), demo: s.demo,
      snapshot: { id: s.id, title: s.title, note: s.note, takenAt: s.createdAt, takenBy: s.createdBy.name ?? s.createdBy.email },
      ...(locale === 'en' ? {} : { locale }),
    },
    ...content,
  };
}
