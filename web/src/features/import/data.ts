/** Pure shaping of an import report: its sentence, its rows grouped for the table, and its CSV download. */
import type { ImportIssue, ImportReport } from '@mm/shared';
import { formatCount } from '@mm/shared/format';

export interface ReportRow { row: number; kind: 'problem' | 'warning'; issues: ImportIssue[] }

/** Problems first (they block the import), then warnings, each by row and column. */
export function reportRows(r: ImportReport): ReportRow[] {
  const group = (list: ImportIssue[], kind: ReportRow['kind']): ReportRow[] => {
    const byRow = new Map<number, ImportIssue[]>();
    for (const i of list) byRow.set(i.row, [...(byRow.get(i.row) ?? []), i]);
    return [...byRow.entries()].sort((a, b) => a[0] - b[0]).map(([row, issues]) => ({ row, kind, issues }));
  };
  return [...group(r.problems, 'problem'), ...group(r.warnings, 'warning')];
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "12 rows read: 3 to create, 2 to update, 7 unchanged." (a dry run) or "… created …" (a real run). */
export function reportSentence(r: ImportReport): string {
  const what = r.type === 'iati' ? plural(r.rows, 'activity', 'activities') : plural(r.rows, 'row');
  if (r.committed) return `Imported ${what}: ${formatCount(r.created)} created, ${formatCount(r.updated)} updated, ${formatCount(r.unchanged)} unchanged.`;
  if (r.problems.length > 0) return `${what} read: ${plural(r.problems.length, 'problem')} in ${plural(new Set(r.problems.map((p) => p.row)).size, 'row')}. Nothing was written; fix the file and check it again.`;
  return `${what} read: ${formatCount(r.created)} to create, ${formatCount(r.updated)} to update, ${formatCount(r.unchanged)} unchanged. Nothing has been written yet.`;
}

/** One CSV field (RFC 4180), neutralising text a spreadsheet would run as a formula. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV (with BOM, so spreadsheet programs read UTF-8): one line per problem or warning. */
export function reportCsv(r: ImportReport, fileName: string): string {
  const lines = [['file', 'type', 'row', 'column', 'value', 'kind', 'message']];
  const rows = reportRows(r);
  for (const g of rows) for (const i of g.issues) lines.push([fileName, r.type, String(i.row), i.column, i.value ?? '', g.kind, i.message]);
  return `\uFEFF${lines.map((l, n) => l.map((c, k) => (n > 0 && k === 2 ? c : csvField(c))).join(',')).join('\r\n')}\r\n`;
}
