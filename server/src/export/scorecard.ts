/**
 * The mainstreaming scorecard in exports: the grid (one row per entity and checkpoint, a column per criterion),
 * the figures per group and checkpoint, and the headline KPI. Used by live and snapshot exports alike.
 */
import { formatPercent, SCORECARD_RATINGS, type ProgressScorecard } from '@mm/shared';
import type { Column, ExportTable, Headline, Row } from './model.ts';

async function* once(rows: readonly Row[], size = 2000): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Ratings as the PDF grid writes them (a column is narrow). */
const PDF_RATING: Readonly<Record<string, string>> = { missing: 'Miss', approaches: 'Appr', meets: 'Met', exceeds: 'Exc', not_applicable: 'n/a' };

/** Every entity's assessment at each checkpoint, with its figures and its rating of each criterion. */
export function scorecardGridTable(v: ProgressScorecard): ExportTable {
  const columns: Column[] = [
    { header: 'Entity', type: 'text', width: 36, pdfWeight: 7 }, { header: 'Entity type', type: 'text', width: 14, pdfWeight: 2.2, pdfShort: { Agency: 'Agency', 'UN country team': 'UNCT' } },
    { header: 'Partner type', type: 'text', width: 8, pdfWeight: 1.2 }, { header: 'Region', type: 'text', width: 8, pdfWeight: 1.4 },
    { header: 'Checkpoint', type: 'text', width: 12, pdfWeight: 2.6 }, { header: 'Status', type: 'text', width: 9, pdfWeight: 2.2 },
    { header: 'Assessed on', type: 'date', pdfWeight: 2.6 }, { header: '% met or exceeded', type: 'percent', pdfWeight: 1.6 },
    ...SCORECARD_RATINGS.map((r): Column => ({ header: r.label, type: 'integer', pdfWeight: 0.9 })),
    ...v.criteria.map((c): Column => ({ header: c.code, type: 'text', width: 10, pdfWeight: 1.2, pdfShort: PDF_RATING })),
  ];
  const rows: Row[] = [];
  for (const e of v.entities) {
    for (const cp of v.checkpoints) {
      const cell = e.byCheckpoint[cp.code];
      if (!cell) continue;
      rows.push([
        e.entityName, e.entityType === 'agency' ? 'Agency' : 'UN country team', e.partnerType, e.region, cp.code, cell.status, cell.assessedOn, cell.pctMetOrExceeded,
        ...SCORECARD_RATINGS.map((r) => cell.counts[r.code]), ...cell.ratings.map((r) => r),
      ]);
    }
  }
  return { name: 'scorecard', title: 'Mainstreaming scorecard', columns, batches: () => once(rows) };
}

/** % met or exceeded per checkpoint: overall, per pillar, partner type, entity type and region. */
export function scorecardFiguresTable(v: ProgressScorecard): ExportTable {
  const columns: Column[] = [
    { header: 'Grouping', type: 'text', width: 14 }, { header: 'Group', type: 'text', width: 34 },
    ...v.checkpoints.map((cp): Column => ({ header: `${cp.label} % met or exceeded`, type: 'percent' })),
    ...v.checkpoints.map((cp): Column => ({ header: `${cp.label} assessments`, type: 'integer' })),
  ];
  const line = (grouping: string, label: string, by: ProgressScorecard['overall']): Row => [
    grouping, label, ...v.checkpoints.map((cp) => by[cp.code]?.pctMetOrExceeded ?? null), ...v.checkpoints.map((cp) => by[cp.code]?.assessments ?? 0),
  ];
  const rows: Row[] = [
    line('All', 'All criteria', v.overall),
    ...v.byPillar.map((g) => line('Pillar', g.label, g.byCheckpoint)),
    ...v.byPartnerType.map((g) => line('Partner type', g.label, g.byCheckpoint)),
    ...v.byEntityType.map((g) => line('Entity type', g.label, g.byCheckpoint)),
    ...v.byRegion.map((g) => line('Region', g.label, g.byCheckpoint)),
    ...v.byCriterion.map((g) => line('Criterion', g.label, g.byCheckpoint)),
  ];
  return { name: 'scorecard-figures', title: 'Scorecard: % of criteria met or exceeded', columns, batches: () => once(rows) };
}

/** Movement between checkpoints, in total and per criterion. */
export function scorecardMovementTable(v: ProgressScorecard): ExportTable {
  const columns: Column[] = [
    { header: 'Criterion', type: 'text', width: 12 }, { header: 'From', type: 'text', width: 10 }, { header: 'To', type: 'text', width: 10 },
    { header: 'Improved', type: 'integer' }, { header: 'Held', type: 'integer' }, { header: 'Slipped', type: 'integer' },
  ];
  const rows: Row[] = [
    ...v.movement.map((m): Row => ['All criteria', m.from, m.to, m.improved, m.held, m.slipped]),
    ...v.byCriterion.flatMap((c) => c.movement.map((m): Row => [c.label, m.from, m.to, m.improved, m.held, m.slipped])),
  ];
  return { name: 'scorecard-movement', title: 'Scorecard: movement between checkpoints', columns, batches: () => once(rows) };
}

/** The KPI as a headline number: "Scorecard criteria met or exceeded (2015)". */
export function scorecardHeadline(v: ProgressScorecard | undefined): Headline[] {
  if (!v) return [];
  const h = v.headline;
  return [{ label: `Scorecard criteria met or exceeded${h ? ` (${h.label})` : ''}`, value: h ? formatPercent(h.pctMetOrExceeded) : '—' }];
}

/** The KPI as a row of the summary table. */
export function scorecardSummaryRow(v: ProgressScorecard | undefined): Row[] {
  if (!v) return [];
  const h = v.headline;
  return [[`Scorecard: criteria met or exceeded${h ? ` (${h.label}, ${h.assessments} assessments)` : ' (no complete assessment)'}`, h?.pctMetOrExceeded == null ? null : { value: h.pctMetOrExceeded, type: 'percent' }]];
}
