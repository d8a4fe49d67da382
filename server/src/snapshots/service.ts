/** Snapshot operations that combine stored snapshots with live data: compare and chart images. */
import { SCORECARD_CHECKPOINTS, snapshotChartSources, type CompareResult, type Locale, type ProgressScorecard, type Snapshot } from '@mm/shared';
import { isDemo } from '../db/seed.ts';
import type { AppDeps } from '../deps.ts';
import { renderChartPng } from '../export/charts.ts';
import { charts } from '../export/documents.ts';
import { l10n } from '../i18n/index.ts';
import { contentDisposition, describeFilters, exportFilename } from '../export/model.ts';
import { notFound } from '../http/problem.ts';
import { todayOf } from '../queries/progress.ts';
import { scorecardOfView } from '../queries/scorecard-view.ts';
import { compareRecords } from './compare.ts';
import { collectRecords } from './records.ts';
import { getSnapshot } from './store.ts';

/** % met or exceeded per named checkpoint on each side; absent when a side has no scorecard (a snapshot from before it). */
function compareScorecards(from: ProgressScorecard | undefined, to: ProgressScorecard | undefined): CompareResult['scorecard'] {
  if (!from || !to) return undefined;
  return SCORECARD_CHECKPOINTS.map((cp) => {
    const a = from.overall[cp.code]?.pctMetOrExceeded ?? null;
    const b = to.overall[cp.code]?.pctMetOrExceeded ?? null;
    return { checkpoint: cp.code, from: a, to: b, delta: a === null || b === null ? null : Math.round((b - a) * 1e6) / 1e6 };
  });
}

const side = (s: Snapshot) => ({ id: s.id, title: s.title, asOf: s.asOf, takenAt: s.createdAt, filters: s.filters, demo: s.demo });

/** Compares snapshot `fromId` with snapshot `to`, or with live data under the same filters (`to = 'live'`). */
export async function compareSnapshots(deps: AppDeps, fromId: string, to: string, asOf?: string): Promise<CompareResult> {
  const from = await getSnapshot(deps.db, fromId);
  if (!from) throw notFound('The "from" snapshot');
  if (to === 'live') {
    const f = { ...from.filters, asOf: asOf ?? todayOf(deps) };
    const records = await collectRecords(deps.db, f, f.asOf);
    const live = { id: 'live', title: 'Live data', asOf: f.asOf, takenAt: deps.clock().toISOString(), filters: f, demo: await isDemo(deps.db) };
    const scorecard = from.data.progress.scorecard ? compareScorecards(from.data.progress.scorecard, await scorecardOfView(deps, f)) : undefined;
    return { from: side(from), to: live, ...compareRecords(from.data.records, records), ...(scorecard ? { scorecard } : {}) };
  }
  const target = await getSnapshot(deps.db, to);
  if (!target) throw notFound('The "to" snapshot');
  const scorecard = compareScorecards(from.data.progress.scorecard, target.data.progress.scorecard);
  return { from: side(from), to: side(target), ...compareRecords(from.data.records, target.data.records), ...(scorecard ? { scorecard } : {}) };
}

/** One chart of a snapshot as PNG, its words, numbers and stamp in `lang` (the snapshot's title as typed). */
export async function chartPng(s: Snapshot, chart: string, lang: Locale = 'en'): Promise<Response> {
  const t = l10n(lang);
  const config = charts(snapshotChartSources(s.data.progress, s.filters), [chart], t)[0]?.config;
  if (!config) throw notFound(`The chart "${chart}"`);
  const figures = t.m(s.filters.figures === 'approved' ? 'png_figuresApproved' : 'png_figuresLatest');
  const stamp = `${t.m('png_stamp', { title: s.title, id: s.id, date: t.f.date(s.asOf), filters: describeFilters(s.filters, t), figures })}${s.demo ? ` · ${t.m('pdf_footerDemo')}` : ''}`;
  const png = await renderChartPng(config, { stamp });
  const filename = exportFilename({ title: s.title, source: s.id, filters: s.filters, asOf: s.asOf, generatedAt: '', demo: s.demo, snapshot: { id: s.id, title: s.title, note: null, takenAt: s.createdAt, takenBy: null } }, chart, 'png');
  return new Response(new Uint8Array(png), { status: 200, headers: {
    'Content-Type': 'image/png', 'Content-Disposition': contentDisposition(filename), 'Cache-Control': 'private, max-age=300',
    'Content-Language': lang, Vary: 'Accept-Language, Cookie',
  } });
}
