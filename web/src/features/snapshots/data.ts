/**
 * Pure shaping for snapshots: what a snapshot's filters say in words, its default title, and what moved
 * between two snapshots (sentences, signed numbers, its table as CSV). The compare chart is the shared
 * definition in @mm/shared/chart-config.
 */
import type { CompareRow, StatusTransition } from '@mm/shared';
import { formatCount, formatDate, formatOneDecimal, formatUsd } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';
import * as ref from '../../lib/i18n/reference.ts';

type Label = ((code: string) => string) | null;
const LISTS: [string, string, Label][] = [
  ['region', m.fb_region(), ref.regionLabel], ['country', m.fb_country(), ref.countryLabel], ['partnerType', m.fb_partnerType(), ref.partnerTypeLabel], ['modality', m.fb_modality(), ref.modalityLabel],
  ['mandate', m.fb_mandate(), null], ['objective', m.dim_heading_objective(), ref.objectiveLabel], ['outcome', m.fb_outcome(), ref.outcomeLabel], ['status', m.sn_statusIndicator(), ref.indicatorStatusLabel],
];

/** A snapshot's filters in words: "Region: Africa · Partner type: UN fund, programme or agency", or "All data". */
export function filtersText(f: Partial<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const [key, name, list] of LISTS) {
    const v = f[key];
    const codes = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    if (codes.length > 0) parts.push(m.label_value({ label: name, value: `${codes.map((c) => (list ? list(c) : c)).join(', ')}` }));
  }
  if (typeof f.from === 'string' || typeof f.to === 'string') parts.push(m.sn_dates({ from: typeof f.from === 'string' ? formatDate(f.from) : '…', to: typeof f.to === 'string' ? formatDate(f.to) : '…' }));
  const text = parts.length > 0 ? parts.join(' · ') : m.sn_allData();
  return f.figures === 'approved' ? `${text} · ${m.figures_approved()}` : text;
}

/** "Overview, Africa, as of 2012-12-31": what a person would call the view they are freezing. */
export function defaultTitle(f: Partial<Record<string, unknown>>, asOf: string): string {
  const text = filtersText({ ...f, status: [], figures: undefined });
  const scope = text === m.sn_allData() ? '' : `, ${text.replace(/^[^:]+ ?: /, '').replace(/ · [^:]+ ?: /g, ', ')}`;
  return m.sn_defaultTitle({ scope, date: formatDate(asOf) }).slice(0, 200);
}

/** +3, −2 (a real minus sign), 0. */
export function signed(n: number, format: (n: number) => string = formatCount): string {
  if (n > 0) return `+${format(n)}`;
  if (n < 0) return `−${format(-n)}`;
  return '0';
}

const statusName = (s: string) => ref.indicatorStatusLabel(s).toLowerCase();

/** "12 moved from at risk to on track", largest moves first (ties in reading order). */
export function transitionsText(ts: readonly StatusTransition[]): string[] {
  return [...ts].sort((a, b) => b.count - a.count).map((t) => m.sn_moved({ count: formatCount(t.count), from: statusName(t.from), to: statusName(t.to) }));
}

/** Headline facts of one compare row, each a label and a sentence. */
export function movedFacts(r: CompareRow): { id: string; label: string; value: string; detail: string }[] {
  const ind = r.indicators;
  return [
    { id: 'milestones', label: m.tile_msCompleted(), value: signed(r.milestonesCompleted.delta), detail: `${formatCount(r.milestonesCompleted.from)} → ${formatCount(r.milestonesCompleted.to)}` },
    { id: 'improved', label: m.series_improved().replace(/^▲ /, ''), value: formatCount(ind.improved), detail: m.sn_worsenedUnchanged({ worsened: formatCount(ind.worsened), unchanged: formatCount(ind.unchanged) }) },
    { id: 'resources', label: m.tile_resources(), value: signed(r.resourcesUsd.delta, formatUsd), detail: `${formatUsd(r.resourcesUsd.from)} → ${formatUsd(r.resourcesUsd.to)}` },
    { id: 'partnerships', label: m.nav_partnerships(), value: signed(r.partnerships.to - r.partnerships.from), detail: m.sn_addedRemoved({ added: formatCount(r.partnerships.added), removed: formatCount(r.partnerships.removed) }) },
  ];
}

/** True when nothing at all moved in the row. */
export function unchanged(r: CompareRow): boolean {
  return r.milestonesCompleted.delta === 0 && r.indicators.improved === 0 && r.indicators.worsened === 0 && r.indicators.added === 0 && r.indicators.removed === 0
    && r.resourcesUsd.delta === 0 && r.partnerships.added === 0 && r.partnerships.removed === 0;
}

/** One line per group: the compare table as CSV (BOM, CRLF), for people who work on it in a spreadsheet. */
export function compareCsv(rows: readonly CompareRow[], category: string): string {
  const head = [category, 'Milestones completed (from)', 'Milestones completed (to)', 'Change', 'Indicators improved', 'Indicators worsened', 'Indicators unchanged', 'Status moves', 'Resources from (USD)', 'Resources to (USD)', 'Partnerships added', 'Partnerships removed'];
  const q = (v: string | number) => (typeof v === 'number' ? String(v) : /^[=+\-@\t\r]/.test(v) ? `'${v}` : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = rows.map((r) => [
    r.label, r.milestonesCompleted.from, r.milestonesCompleted.to, r.milestonesCompleted.delta, r.indicators.improved, r.indicators.worsened, r.indicators.unchanged,
    transitionsText(r.indicators.transitions).join('; '), r.resourcesUsd.from, r.resourcesUsd.to, r.partnerships.added, r.partnerships.removed,
  ].map(q).join(','));
  return `\uFEFF${[head.map(q).join(','), ...lines].join('\r\n')}\r\n`;
}

/** A change of a share in percentage points, signed ("+4.2 pts"); a dash when either side had nothing rated. */
export function pointsChange(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return '–';
  const pts = Math.round(delta * 1000) / 10;
  return m.sn_pts({ value: `${pts > 0 ? '+' : pts < 0 ? '−' : '±'}${formatOneDecimal(Math.abs(pts))}` });
}

/** A scorecard checkpoint as people name it: Baseline, 2010, 2015, or "Interim <date>". */
export function scorecardCheckpointLabel(code: string): string {
  return code === 'baseline' ? ref.checkpointLabel(code) : /^\d{4}$/.test(code) ? code : m.sc_interim({ date: formatDate(code) });
}
