/**
 * What every export writer consumes: a document of stamped metadata, headline numbers, charts and tables
 * whose rows arrive in batches (so CSV, XLSX and JSON stream them in constant memory).
 */
import type { ChartConfig, Figures, ProgressFilters } from '@mm/shared';

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
}

export interface Headline { label: string; value: string }
/** A chart of a document: its shared configuration and the sentence shown under its title (as on screen). */
export interface ExportChart { name: string; config: ChartConfig; description?: string }

export interface ExportDoc {
  meta: ExportMeta;
  headline: Headline[];
  charts: ExportChart[];
  tables: ExportTable[];
}

export const DEMO_NOTICE = 'Illustrative demo data: generated for demonstration, not ILO data.';

const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * Text that a spreadsheet would read as a formula (starts with =, +, -, @, tab, CR or LF) gets a leading
 * apostrophe, so `=HYPERLINK(…)` shows as text instead of running. Numbers never pass through here.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The filters as people read them: `region AFR, ASP; partnerType un`, or `none`. */
export function describeFilters(f: ProgressFilters): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(f)) {
    if (k === 'asOf' || k === 'figures' || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) parts.push(`${k} ${v.join(', ')}`);
    } else parts.push(`${k} ${String(v)}`);
  }
  return parts.length === 0 ? 'none (all records)' : parts.join('; ');
}

/** Which figures a view counts, as its stamp says it. */
export function describeFigures(f: { figures?: Figures }): string {
  return f.figures === 'approved'
    ? 'approved (only what lies in approved reporting periods of each region)'
    : 'latest (every record as entered, approved or not)';
}

/** Metadata as label/value pairs, in the order every format shows them. */
export function metaRows(m: ExportMeta): [string, string][] {
  const rows: [string, string][] = [
    ['Export', m.title],
    ['Source', m.source === 'live' ? 'live data' : `snapshot ${m.source}`],
  ];
  if (m.snapshot) {
    rows.push(['Snapshot title', m.snapshot.title]);
    if (m.snapshot.note) rows.push(['Snapshot note', m.snapshot.note]);
    rows.push(['Snapshot taken at', m.snapshot.takenAt]);
    if (m.snapshot.takenBy) rows.push(['Snapshot taken by', m.snapshot.takenBy]);
  }
  rows.push(['Filters', describeFilters(m.filters)], ['Figures', describeFigures(m.filters)], ['As of', m.asOf], ['Generated at', m.generatedAt]);
  if (m.demo) rows.push(['Data', DEMO_NOTICE]);
  rows.push(['Produced by', 'Mainstream Monitor']);
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
