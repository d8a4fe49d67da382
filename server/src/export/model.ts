/**
 * What every export writer consumes: a document of stamped metadata, headline numbers, charts and tables
 * whose rows arrive in batches (so CSV, XLSX and JSON stream them in constant memory).
 */
import type { ChartConfig, Figures, Locale, ProgressFilters } from '@mm/shared';
import { EN, l10n, type L10n, type MessageKey } from '../i18n/index.ts';

/** How a column's values are written: text (neutralised), numbers as numeric cells, dates as date cells. */
export type ColumnType = 'text' | 'integer' | 'number' | 'usd' | 'percent' | 'date';
export interface Column {
  header: string; type: ColumnType; width?: number;
  /** A PDF column's share of the page width (default by type); for wide grids such as the scorecard's. */
  pdfWeight?: number;
  /** How a PDF writes this column's text values (short forms in a narrow grid); other formats keep the values. */
  pdfShort?: Readonly<Record<string, string>>;
}
/** A number whose format differs from its column's (e.g. a summary row in %). */
export interface TypedNumber { value: number; type: Exclude<ColumnType, 'text' | 'date'> }
export type Cell = string | number | TypedNumber | null;
export type Row = Cell[];

export interface ExportTable {
  /** Sheet / JSON key: short, unique in the document. */
  name: string;
  title: string;
  columns: Column[];
  /** Batches of rows, read once. */
  batches: () => AsyncIterable<Row[]>;
}

export interface ExportMeta {
  title: string;
  /** `live` or the snapshot id. */
  source: string;
  /** The view's filters and which figures it counts (`latest` when absent). */
  filters: ProgressFilters & { figures?: Figures };
  asOf: string;
  generatedAt: string;
  demo: boolean;
  snapshot?: { id: string; title: string; note: string | null; takenAt: string; takenBy: string | null };
  /** The language of the file's words, numbers and dates (English when absent); record names stay as typed. */
  locale?: Locale;
}

/** The language an export document speaks. */
export const l10nOf = (m: Pick<ExportMeta, 'locale'>): L10n => l10n(m.locale ?? 'en');

export interface Headline { label: string; value: string }
/** A chart of a document: its shared configuration and the sentence shown under its title (as on screen). */
export interface ExportChart { name: string; config: ChartConfig; description?: string }

export interface ExportDoc {
  meta: ExportMeta;
  headline: Headline[];
  charts: ExportChart[];
  tables: ExportTable[];
}

export const DEMO_NOTICE = EN.m('meta_demoNotice');

const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * Text that a spreadsheet would read as a formula (starts with =, +, -, @, tab, CR or LF) gets a leading
 * apostrophe, so `=HYPERLINK(…)` shows as text instead of running. Numbers never pass through here.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const FILTER_NAME: Readonly<Record<string, MessageKey>> = {
  region: 'filter_region', country: 'filter_country', partnerType: 'filter_partnerType', modality: 'filter_modality', mandate: 'filter_mandate',
  objective: 'filter_objective', outcome: 'filter_outcome', status: 'filter_status', from: 'filter_from', to: 'filter_to',
};

/** The filters as people read them: `region AFR, ASP; partnerType un` (French `Région : AFR, ASP ; Type de partenaire : un`), or `none`. */
export function describeFilters(f: ProgressFilters, t: L10n = EN): string {
  const parts: string[] = [];
  const item = (k: string, values: string) => {
    const key = FILTER_NAME[k];
    parts.push(t.m('meta_filterItem', { name: key ? t.m(key) : k, values: k === 'from' || k === 'to' ? t.f.date(values) : values }));
  };
  for (const [k, v] of Object.entries(f)) {
    if (k === 'asOf' || k === 'figures' || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) item(k, v.join(', '));
    } else item(k, String(v));
  }
  return parts.length === 0 ? t.m('meta_filtersNone') : parts.join(t.m('meta_filterSeparator'));
}

/** Which figures a view counts, as its stamp says it. */
export function describeFigures(f: { figures?: Figures }, t: L10n = EN): string {
  return t.m(f.figures === 'approved' ? 'meta_figuresApproved' : 'meta_figuresLatest');
}

/** Where an export's data comes from: `live data` or `snapshot <id>`. */
export function describeSource(m: Pick<ExportMeta, 'source'>, t: L10n = EN): string {
  return m.source === 'live' ? t.m('meta_sourceLive') : t.m('meta_sourceSnapshot', { id: m.source });
}

/** Metadata as label/value pairs, in the order every format shows them, in the document's language. */
export function metaRows(m: ExportMeta): [string, string][] {
  const t = l10nOf(m);
  const rows: [string, string][] = [
    [t.m('meta_export'), m.title],
    [t.m('meta_source'), describeSource(m, t)],
  ];
  if (m.snapshot) {
    rows.push([t.m('meta_snapshotTitle'), m.snapshot.title]);
    if (m.snapshot.note) rows.push([t.m('meta_snapshotNote'), m.snapshot.note]);
    rows.push([t.m('meta_snapshotTakenAt'), t.f.dateTime(m.snapshot.takenAt)]);
    if (m.snapshot.takenBy) rows.push([t.m('meta_snapshotTakenBy'), m.snapshot.takenBy]);
  }
  rows.push(
    [t.m('meta_filters'), describeFilters(m.filters, t)], [t.m('meta_figures'), describeFigures(m.filters, t)],
    [t.m('meta_asOf'), t.f.date(m.asOf)], [t.m('meta_generatedAt'), t.f.dateTime(m.generatedAt)],
  );
  if (m.demo) rows.push([t.m('meta_data'), t.m('meta_demoNotice')]);
  rows.push([t.m('meta_producedBy'), 'Mainstream Monitor']);
  return rows;
}

function slug(s: string, max = 60): string {
  return s.normalize('NFKD').replace(/[^\w+-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, max).replace(/-$/, '') || 'export';
}

/** `partnerships_AFR_asof-2012-12-31.xlsx`; for snapshots `snapshot-<title>[_view]_asof-….ext`. */
export function exportFilename(m: ExportMeta, view: string | undefined, ext: string): string {
  const parts: string[] = [];
  if (m.snapshot) {
    parts.push(`snapshot-${slug(m.snapshot.title.toLowerCase(), 40)}`);
    if (view) parts.push(view);
  } else {
    parts.push(view ?? 'export');
    const values: string[] = [];
    for (const [k, v] of Object.entries(m.filters)) {
      if (k === 'asOf' || v === undefined || (k === 'figures' && v !== 'approved')) continue;
      if (Array.isArray(v)) values.push(...v.map(String));
      else values.push(`${k}-${String(v)}`);
    }
    if (values.length > 0) parts.push(slug(values.join('+')));
  }
  parts.push(`asof-${m.asOf}`);
  return `${parts.join('_')}.${ext}`;
}

export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|"/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A cell's number, whether plain or typed. */
export function cellNumber(c: Cell): number | null {
  if (typeof c === 'number') return c;
  if (c !== null && typeof c === 'object') return c.value;
  return null;
}
