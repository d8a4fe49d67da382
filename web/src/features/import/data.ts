/** Pure shaping of an import report: its sentence, its rows grouped for the table, and its CSV download. */
import type { ImportIssue, ImportReport } from '@mm/shared';
import { formatCount } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';

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

type Counted = (inputs: { count: string }) => string;
const plural = (n: number, one: Counted, many: Counted) => (n === 1 ? one : many)({ count: formatCount(n) });

/** "12 rows read: 3 to create, 2 to update, 7 unchanged." (a dry run) or "… created …" (a real run). */
export function reportSentence(r: ImportReport): string {
  const what = r.type === 'iati' ? plural(r.rows, m.im_n_activity_one, m.im_n_activity_other) : plural(r.rows, m.im_n_row_one, m.im_n_row_other);
  const counts = { created: formatCount(r.created), updated: formatCount(r.updated), unchanged: formatCount(r.unchanged) };
  if (r.committed) return m.im_committed({ what, ...counts });
  if (r.problems.length > 0) return m.im_problems({ what, problems: plural(r.problems.length, m.im_n_problem_one, m.im_n_problem_other), rows: plural(new Set(r.problems.map((p) => p.row)).size, m.im_n_row_one, m.im_n_row_other) });
  return m.im_dry({ what, ...counts });
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
