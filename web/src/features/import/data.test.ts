import type { ImportReport } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { csvField, reportCsv, reportRows, reportSentence } from './data.ts';

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  type: 'milestones', dryRun: true, rows: 3, created: 1, updated: 1, unchanged: 1, byType: {}, problems: [], warnings: [], committed: false, ...over,
});
const bad = report({
  created: 0, updated: 0, unchanged: 0,
  problems: [
    { row: 4, column: 'dueDate', value: '31/12/2014', message: 'must be a date YYYY-MM-DD' },
    { row: 2, column: 'status', value: 'done', message: 'unknown status' },
    { row: 4, column: 'percentComplete', value: '=1+1', message: 'must be a number' },
  ],
  warnings: [{ row: 3, column: 'region', value: 'Africa', message: 'label read as AFR' }],
});

describe(reportRows.name, () => {
  it('groups problems by row first, then warnings', () => {
    expect(reportRows(bad).map((r) => [r.kind, r.row, r.issues.length])).toEqual([['problem', 2, 1], ['problem', 4, 2], ['warning', 3, 1]]);
  });
});

describe(reportSentence.name, () => {
  it('says what a dry run would do', () => {
    expect(reportSentence(report())).toBe('3 rows read: 1 to create, 1 to update, 1 unchanged. Nothing has been written yet.');
  });
  it('counts problems and the rows they are in', () => {
    expect(reportSentence(bad)).toBe('3 rows read: 3 problems in 2 rows. Nothing was written; fix the file and check it again.');
  });
  it('says what a real run did', () => {
    expect(reportSentence(report({ type: 'iati', rows: 1, dryRun: false, committed: true }))).toBe('Imported 1 activity: 1 created, 1 updated, 1 unchanged.');
  });
});

describe(csvField.name, () => {
  it.each([
    [null, ''], [12, '12'], ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['=1+1', "'=1+1"], ['-3', "'-3"],
  ])('%o → %s', (v, out) => {
    expect(csvField(v)).toBe(out);
  });
});

describe(reportCsv.name, () => {
  it('writes one line per issue with a BOM and CRLF', () => {
    const csv = reportCsv(bad, 'milestones.csv');
    expect(csv.startsWith('\uFEFFfile,type,row,column,value,kind,message\r\n')).toBe(true);
    expect(csv.split('\r\n').slice(1, 4)).toEqual([
      'milestones.csv,milestones,2,status,done,problem,unknown status',
      'milestones.csv,milestones,4,dueDate,31/12/2014,problem,must be a date YYYY-MM-DD',
      "milestones.csv,milestones,4,percentComplete,'=1+1,problem,must be a number",
    ]);
  });
});
