/**
 * CSV (RFC 4180: CRLF line ends, fields quoted when needed, UTF-8 with a BOM so Excel reads the accents).
 *
 * The stamp sits in the file itself, where a spreadsheet user sees it first: a block of `label,value`
 * rows, one empty row, then the table with its header row. Every record is padded to the table's width,
 * so the file stays rectangular for strict parsers; a program skips to the first empty row (or uses
 * csv-parse's `from_line`). Text cells that would start a formula are neutralised; numbers stay bare.
 */
import { stringify } from 'csv-stringify/sync';
import { l10nOf, metaRows, neutralise, type Cell, type ExportMeta, type ExportTable } from './model.ts';

const BOM = '\uFEFF';

function csvCell(c: Cell): string | number {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? c : '';
  if (typeof c === 'object') return Number.isFinite(c.value) ? c.value : '';
  return neutralise(c);
}

const lines = (rows: (string | number)[][]) => stringify(rows, { record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });

/** The CSV text of one table, in chunks (one per batch of rows). */
export async function* csvChunks(meta: ExportMeta, table: ExportTable): AsyncGenerator<string> {
  const width = Math.max(2, table.columns.length);
  const pad = (r: (string | number)[]) => [...r, ...Array<string>(width - r.length).fill('')];
  yield BOM + lines([...metaRows(meta).map(([k, v]) => pad([k, neutralise(v)])), pad([l10nOf(meta).m('csv_table'), table.title]), pad([])]);
  yield lines([pad(table.columns.map((c) => c.header))]);
  for await (const batch of table.batches()) {
    if (batch.length > 0) yield lines(batch.map((r) => pad(r.map(csvCell))));
  }
}
