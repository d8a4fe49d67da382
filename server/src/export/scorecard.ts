/**
 * The mainstreaming scorecard in exports: the grid (one row per entity and checkpoint, a column per criterion),
 * the figures per group and checkpoint, and the headline KPI. Used by live and snapshot exports alike.
 */
import { SCORECARD_RATINGS, type ProgressScorecard } from '@mm/shared';
import { EN, type L10n } from '../i18n/index.ts';
import type { Column, ExportTable, Headline, Row } from './model.ts';

async function* once(rows: readonly Row[], size = 2000): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Ratings as the PDF grid writes them (a column is narrow). */
function pdfRatings(t: L10n): Readonly<Record<string, string>> {
  return Object.fromEntries(SCORECARD_RATINGS.map((r) => [r.code, t.m(`rating_short_${r.code}`)]));
}

/** Every entity's assessment at each checkpoint, with its figures and its rating of each criterion. */
export function scorecardGridTable(v: ProgressScorecard, t: L10n = EN): ExportTable {
  const agency = t.ref('entityType', 'agency', 'Agency');
  const team = t.ref('entityType', 'country_team', 'UN country team');
  const ratings = pdfRatings(t);
  const columns: Column[] = [
    { header: t.m('col_entity'), type: 'text', width: 36, pdfWeight: 7 },
    { header: t.m('col_entityType'), type: 'text', width: 14, pdfWeight: 2.2, pdfShort: { [agency]: agency, [team]: t.m('entityType_short_country_team') } },
    { header: t.m('col_partnerType'), type: 'text', width: 8, pdfWeight: 1.2 }, { header: t.m('col_region'), type: 'text', width: 8, pdfWeight: 1.4 },
    { header: t.m('col_checkpoint'), type: 'text', width: 12, pdfWeight: 2.6 }, { header: t.m('col_status'), type: 'text', width: 9, pdfWeight: 2.2 },
    { header: t.m('col_assessedOn'), type: 'date', pdfWeight: 2.6 }, { header: t.m('col_pctMet'), type: 'percent', pdfWeight: 1.6 },
    ...SCORECARD_RATINGS.map((r): Column => ({ header: t.ref('rating', r.code, r.label), type: 'integer', pdfWeight: 0.9 })),
    ...v.criteria.map((c): Column => ({ header: c.code, type: 'text', width: 10, pdfWeight: 1.2, pdfShort: ratings })),
  ];
  const rows: Row[] = [];
  for (const e of v.entities) {
    for (const cp of v.checkpoints) {
      const cell = e.byCheckpoint[cp.code];
      if (!cell) continue;
      rows.push([
        e.entityName, e.entityType === 'agency' ? agency : team, e.partnerType, e.region, cp.code, cell.status, cell.assessedOn, cell.pctMetOrExceeded,
        ...SCORECARD_RATINGS.map((r) => cell.counts[r.code]), ...cell.ratings.map((r) => r),
      ]);
    }
  }
  return { name: 'scorecard', title: t.m('view_scorecard'), columns, batches: () => once(rows) };
}

/** % met or exceeded per checkpoint: overall, per pillar, partner type, entity type and region. */
export function scorecardFiguresTable(v: ProgressScorecard, t: L10n = EN): ExportTable {
  // Interim checkpoints are dates (`Interim 2012-06-30`).
  const checkpoint = (cp: { code: string; label: string }) =>
    (t.locale !== 'en' && /^\d{4}-\d{2}-\d{2}$/.test(cp.code) ? t.m('checkpoint_interim', { date: t.f.date(cp.code) }) : t.ref('checkpoint', cp.code, cp.label));
  const columns: Column[] = [
    { header: t.m('col_grouping'), type: 'text', width: 14 }, { header: t.m('col_group'), type: 'text', width: 34 },
    ...v.checkpoints.map((cp): Column => ({ header: t.m('col_pctMetAt', { checkpoint: checkpoint(cp) }), type: 'percent' })),
    ...v.checkpoints.map((cp): Column => ({ header: t.m('col_assessmentsAt', { checkpoint: checkpoint(cp) }), type: 'integer' })),
  ];
  const line = (grouping: string, label: string, by: ProgressScorecard['overall']): Row => [
    grouping, label, ...v.checkpoints.map((cp) => by[cp.code]?.pctMetOrExceeded ?? null), ...v.checkpoints.map((cp) => by[cp.code]?.assessments ?? 0),
  ];
  const rows: Row[] = [
    line(t.m('group_all'), t.m('chart_allCriteria'), v.overall),
    ...v.byPillar.map((g) => line(t.m('group_pillar'), t.ref('pillar', g.key, g.label), g.byCheckpoint)),
    ...v.byPartnerType.map((g) => line(t.m('group_partnerType'), t.ref('partnerType', g.key, g.label), g.byCheckpoint)),
    ...v.byEntityType.map((g) => line(t.m('group_entityType'), t.ref('entityType', g.key, g.label), g.byCheckpoint)),
    ...v.byRegion.map((g) => line(t.m('group_region'), t.ref('region', g.key, g.label), g.byCheckpoint)),
    ...v.byCriterion.map((g) => line(t.m('group_criterion'), g.label, g.byCheckpoint)),
  ];
  return { name: 'scorecard-figures', title: t.m('table_scorecardFigures'), columns, batches: () => once(rows) };
}

/** Movement between checkpoints, in total and per criterion. */
export function scorecardMovementTable(v: ProgressScorecard, t: L10n = EN): ExportTable {
  const columns: Column[] = [
    { header: t.m('col_criterion'), type: 'text', width: 12 }, { header: t.m('col_from'), type: 'text', width: 10 }, { header: t.m('col_to'), type: 'text', width: 10 },
    { header: t.m('col_improved'), type: 'integer' }, { header: t.m('col_held'), type: 'integer' }, { header: t.m('col_slipped'), type: 'integer' },
  ];
  const rows: Row[] = [
    ...v.movement.map((m): Row => [t.m('chart_allCriteria'), m.from, m.to, m.improved, m.held, m.slipped]),
    ...v.byCriterion.flatMap((c) => c.movement.map((m): Row => [c.label, m.from, m.to, m.improved, m.held, m.slipped])),
  ];
  return { name: 'scorecard-movement', title: t.m('table_scorecardMovement'), columns, batches: () => once(rows) };
}

/** The KPI as a headline number: "Scorecard criteria met or exceeded (2015)". */
export function scorecardHeadline(v: ProgressScorecard | undefined, t: L10n = EN): Headline[] {
  if (!v) return [];
  const h = v.headline;
  return [{ label: h ? t.m('hl_scorecardAt', { checkpoint: t.ref('checkpoint', h.checkpoint, h.label) }) : t.m('hl_scorecard'), value: h ? t.f.percent(h.pctMetOrExceeded) : '—' }];
}

/** The KPI as a row of the summary table. */
export function scorecardSummaryRow(v: ProgressScorecard | undefined, t: L10n = EN): Row[] {
  if (!v) return [];
  const h = v.headline;
  const label = h ? t.m('sum_scorecardAt', { checkpoint: t.ref('checkpoint', h.checkpoint, h.label), count: h.assessments }) : t.m('sum_scorecardNone');
  return [[label, h?.pctMetOrExceeded == null ? null : { value: h.pctMetOrExceeded, type: 'percent' }]];
}
