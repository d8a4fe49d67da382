/**
 * Exports (issue 6) read back with real parsers: csv-parse, exceljs, JSON.parse, and poppler's pdfinfo /
 * pdftotext — for a snapshot and for the live view, on every test database.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chartTitle, formatCount, OVERVIEW_CHARTS, type ChartId, type ProgressByDimension, type ProgressSummary, type SnapshotSummary } from '@mm/shared';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const AS_OF = '2012-12-31';
const NOW = new Date('2026-03-02T10:30:00.000Z');
const HOSTILE = '=HYPERLINK("http://x","y")';
const HOSTILE_TITLE = '+SUM(1,2) partnership';
const havePoppler = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** CSV → the stamp (label → value) and the table (header row + rows) after the first empty row. */
async function csvText(res: Response): Promise<string> {
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf'); // UTF-8 BOM, so Excel reads accents right
  const text = bytes.toString('utf8');
  expect(text).toContain('\r\n');
  return text;
}

/** The PDF as pdftotext reads it (layout kept: one table row per line, pages split by form feeds). */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** The chart headings of a PDF, in order: every line that is exactly some chart's title. */
function chartHeadings(text: string, ids: readonly ChartId[]): string[] {
  const titles = new Set(ids.map(chartTitle));
  return text.split('\n').map((l) => l.trim()).filter((l) => titles.has(l));
}
const OVERVIEW_TITLES = OVERVIEW_CHARTS.map(chartTitle);

function readCsv(text: string): { meta: Map<string, string>; header: string[]; rows: string[][] } {
  const records = parse(text, { bom: true }) as string[][];
  const blank = records.findIndex((r) => r.every((c) => c === ''));
  expect(blank).toBeGreaterThan(0);
  const meta = new Map(records.slice(0, blank).map((r) => [r[0] ?? '', r[1] ?? '']));
  const [header, ...rows] = records.slice(blank + 1);
  return { meta, header: header ?? [], rows };
}

async function readXlsx(res: Response): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

function column(ws: ExcelJS.Worksheet, header: string): number {
  const row = ws.getRow(1);
  for (let i = 1; i <= row.cellCount; i++) if (row.getCell(i).value === header) return i;
  throw new Error(`no column ${header} in ${ws.name}`);
}

describe.each(databases())('exports on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let snap: SnapshotSummary;
  let summary: ProgressSummary;
  let hostilePartnership: number;
  let negativeIndicator: number;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-export-'));

  const get = (p: string, cookie: string | null = admin) => t.request('GET', `/api/v1${p}`, { cookie });

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, viewer] = await Promise.all([t.login('admin@demo.local'), t.login('manager@demo.local')]);
    const db = t.handle.db;
    const at = NOW.toISOString();
    const partner = await db.insertInto('partners').values({ external_id: null, name: HOSTILE, partner_type: 'private', hq_country: null, hq_region: 'AFR', version: 1, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
    const ps = await db.insertInto('partnerships').values({
      external_id: '@ext-1', title: HOSTILE_TITLE, modality: 'ppp', level: 'regional', region: 'AFR', country: null, start_date: '2011-01-01', end_date: '2015-12-31',
      resources_usd: 250_000, status: 'active', lead_partner_type: 'private', version: 1, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    hostilePartnership = ps.id;
    await db.insertInto('partnership_partners').values({ partnership_id: ps.id, partner_id: partner.id, role: 'funding', lead: 1 }).execute();
    await db.insertInto('partnership_mandates').values({ partnership_id: ps.id, mandate: 'WSO-2005' }).execute();
    const plan = await db.selectFrom('action_plans').select('id').where('region', '=', 'AFR').orderBy('id').executeTakeFirstOrThrow();
    const ind = await db.insertInto('indicators').values({
      external_id: null, action_plan_id: plan.id, name: '-Net job change (thousands)', unit: 'number', direction: 'increase',
      baseline_value: -5, baseline_date: '2008-01-01', target_value: 10, target_date: '2015-12-31', version: 1, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    negativeIndicator = ind.id;
    await db.insertInto('measurements').values({ external_id: null, indicator_id: ind.id, value: -2.5, date: '2012-06-30', source: null, note: null, version: 1, created_at: at, updated_at: at }).execute();

    const res = await t.request('POST', '/api/v1/snapshots', { cookie: admin, body: { title: 'Africa board report', note: 'Q4', filters: { region: ['AFR'], asOf: AS_OF } } });
    expect(res.status).toBe(201);
    snap = (await res.json()) as SnapshotSummary;
    summary = (await (await get(`/progress/summary?region=AFR&asOf=${AS_OF}`)).json()) as ProgressSummary;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('a snapshot', () => {
    it('CSV: RFC 4180 with BOM, the stamp first, then the summary table; named for the snapshot', async () => {
      const res = await get(`/snapshots/${snap.id}/export?format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toContain('attachment; filename="snapshot-africa-board-report_summary_asof-2012-12-31.csv"');
      const { meta, header, rows } = readCsv(await csvText(res));
      expect(meta.get('Source')).toBe(`snapshot ${snap.id}`);
      expect(meta.get('Snapshot title')).toBe('Africa board report');
      expect(meta.get('As of')).toBe(AS_OF);
      expect(meta.get('Filters')).toBe('region AFR');
      expect(meta.get('Generated at')).toBe(NOW.toISOString());
      expect(meta.get('Data')).toMatch(/^Illustrative demo data/);
      expect(header).toEqual(['Measure', 'Value']);
      expect(rows.find((r) => r[0] === 'Partnerships')?.[1]).toBe(String(summary.partnerships.total));
      expect(rows.find((r) => r[0] === 'Milestones completed')?.[1]).toBe(String(summary.milestones.completed));
    });

    it('CSV of the partnerships: every frozen row; formula-like text neutralised, numbers bare', async () => {
      const res = await get(`/snapshots/${snap.id}/export?format=csv&view=partnerships`);
      const text = await csvText(res);
      const { header, rows } = readCsv(text);
      expect(rows).toHaveLength(snap.counts.partnerships);
      const row = rows.find((r) => r[header.indexOf('ID')] === String(hostilePartnership));
      expect(row?.[header.indexOf('Lead partner')]).toBe(`'${HOSTILE}`);
      expect(row?.[header.indexOf('Title')]).toBe(`'${HOSTILE_TITLE}`);
      expect(row?.[header.indexOf('External ID')]).toBe("'@ext-1");
      expect(row?.[header.indexOf('Resources (USD)')]).toBe('250000');
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    });

    it('XLSX: an About sheet with the stamp, a sheet per table with frozen headers, numeric and date cells, neutralised text', async () => {
      const res = await get(`/snapshots/${snap.id}/export?format=xlsx`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('filename="snapshot-africa-board-report_asof-2012-12-31.xlsx"');
      const wb = await readXlsx(res);
      const names = wb.worksheets.map((w) => w.name);
      expect(names[0]).toBe('About this export');
      expect(names).toEqual(expect.arrayContaining(['Summary', 'Progress by region', 'Partnerships', 'Action plans', 'Milestones', 'Indicators']));
      const about = wb.getWorksheet('About this export');
      const stamp = new Map<string, string>();
      about?.eachRow((r) => stamp.set(String(r.getCell(1).value), String(r.getCell(2).value)));
      expect(stamp.get('Source')).toBe(`snapshot ${snap.id}`);
      expect(stamp.get('As of')).toBe(AS_OF);
      expect(stamp.get('Data')).toMatch(/^Illustrative demo data/);

      const ps = wb.getWorksheet('Partnerships');
      if (!ps) throw new Error('no Partnerships sheet');
      expect(ps.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ps.getRow(1).font?.bold).toBe(true);
      expect(ps.getColumn(column(ps, 'Title')).width).toBeGreaterThan(20);
      expect(ps.rowCount - 1).toBe(snap.counts.partnerships);
      let hostile: ExcelJS.Row | undefined;
      ps.eachRow((r) => { if (r.getCell(1).value === hostilePartnership) hostile = r; });
      expect(hostile?.getCell(column(ps, 'Lead partner')).value).toBe(`'${HOSTILE}`);
      expect(hostile?.getCell(column(ps, 'Lead partner')).type).toBe(ExcelJS.ValueType.String);
      expect(hostile?.getCell(column(ps, 'Resources (USD)')).value).toBe(250_000);
      expect(hostile?.getCell(column(ps, 'Start')).value).toEqual(new Date('2011-01-01T00:00:00.000Z'));

      const inds = wb.getWorksheet('Indicators');
      if (!inds) throw new Error('no Indicators sheet');
      let neg: ExcelJS.Row | undefined;
      inds.eachRow((r) => { if (r.getCell(1).value === negativeIndicator) neg = r; });
      expect(neg?.getCell(column(inds, 'Baseline')).value).toBe(-5);
      expect(neg?.getCell(column(inds, 'Baseline')).type).toBe(ExcelJS.ValueType.Number);
      expect(neg?.getCell(column(inds, 'Latest value')).value).toBe(-2.5);
      expect(neg?.getCell(column(inds, 'Indicator')).value).toBe("'-Net job change (thousands)");

      const sum = wb.getWorksheet('Summary');
      let partnerships: ExcelJS.CellValue = null;
      sum?.eachRow((r) => { if (r.getCell(1).value === 'Partnerships') partnerships = r.getCell(2).value; });
      expect(partnerships).toBe(summary.partnerships.total);
    });

    it('JSON: the same data with its metadata (values unaltered)', async () => {
      const res = await get(`/snapshots/${snap.id}/export?format=json`);
      expect(res.headers.get('content-disposition')).toContain('.json"');
      const body = JSON.parse(await res.text()) as { meta: Record<string, unknown>; headline: unknown[]; tables: Record<string, { columns: { header: string }[]; rows: unknown[][] }> };
      expect(body.meta).toMatchObject({ source: snap.id, asOf: AS_OF, demo: true, generatedAt: NOW.toISOString(), title: 'Africa board report' });
      expect(body.meta.notice).toMatch(/^Illustrative demo data/);
      expect(body.headline.length).toBeGreaterThan(3);
      const ps = body.tables.partnerships;
      expect(ps?.rows).toHaveLength(snap.counts.partnerships);
      const leadCol = ps?.columns.findIndex((c) => c.header === 'Lead partner') ?? -1;
      expect(ps?.rows.find((r) => r[0] === hostilePartnership)?.[leadCol]).toBe(HOSTILE);
      expect(body.tables.summary?.rows.find((r) => r[0] === 'Partnerships')?.[1]).toBe(summary.partnerships.total);
    });

    it.skipIf(!havePoppler)('PDF: title page with the stamp, headline numbers, charts and tables', async () => {
      const res = await get(`/snapshots/${snap.id}/export?format=pdf`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const file = path.join(tmp, `snap-${kind}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(pages).toBeGreaterThanOrEqual(6);
      expect(info).toMatch(/Title:\s+Africa board report/);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Africa board report');
      expect(text).toContain(`As of ${AS_OF}`);
      expect(text).toContain('Illustrative demo data');
      expect(text).toContain(`${formatCount(summary.partnerships.total)} (${formatCount(summary.partnerships.active)} active)`);
      expect(text).toContain('Headline numbers');
      expect(text).toContain('Partnerships');
      expect(text).toContain(`page ${pages} of ${pages}`);
      // The overview's charts, drawn from the frozen data: what the snapshot's page shows.
      expect(chartHeadings(text, OVERVIEW_CHARTS)).toEqual(OVERVIEW_TITLES);
    });

    it('PNG charts rendered on the server', async () => {
      for (const chart of [...OVERVIEW_CHARTS, 'by-region', 'by-partner-type', 'by-mandate', 'timeline', 'milestones-by-region']) {
        const res = await get(`/snapshots/${snap.id}/chart.png?chart=${chart}`);
        expect(res.status, chart).toBe(200);
        const png = Buffer.from(await res.arrayBuffer());
        expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        expect(png.length).toBeGreaterThan(5000);
        expect(res.headers.get('content-disposition')).toContain(`snapshot-africa-board-report_${chart}_asof-2012-12-31.png`);
      }
      expect((await get(`/snapshots/${snap.id}/chart.png?chart=nope`)).status).toBe(400);
    });

    it('rejects unknown formats and views, and unknown snapshots', async () => {
      expect((await get(`/snapshots/${snap.id}/export?format=docx`)).status).toBe(400);
      expect((await get(`/snapshots/${snap.id}/export?format=csv&view=secrets`)).status).toBe(400);
      expect((await get(`/snapshots/${'B'.repeat(22)}/export?format=csv`)).status).toBe(404);
    });
  });

  describe('the live view', () => {
    it('XLSX of partnerships with the filters in the file name and the stamp; neutralised text, numeric cells', async () => {
      const res = await get(`/export/partnerships?format=xlsx&region=AFR&asOf=${AS_OF}`, viewer);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('filename="partnerships_AFR_asof-2012-12-31.xlsx"');
      const wb = await readXlsx(res);
      const ps = wb.getWorksheet('Partnerships');
      if (!ps) throw new Error('no sheet');
      expect(ps.rowCount - 1).toBe(summary.partnerships.total);
      let hostile: ExcelJS.Row | undefined;
      ps.eachRow((r) => { if (r.getCell(1).value === hostilePartnership) hostile = r; });
      expect(hostile?.getCell(column(ps, 'Lead partner')).value).toBe(`'${HOSTILE}`);
      const stamp = new Map<string, string>();
      wb.getWorksheet('About this export')?.eachRow((r) => stamp.set(String(r.getCell(1).value), String(r.getCell(2).value)));
      expect(stamp.get('Source')).toBe('live data');
      expect(stamp.get('Filters')).toBe('region AFR');
      expect(stamp.get('Generated at')).toBe(NOW.toISOString());
    });

    it('CSV of indicators: a negative number stays a bare number, formula-like text gets an apostrophe', async () => {
      const res = await get(`/export/indicators?format=csv&region=AFR&asOf=${AS_OF}`);
      expect(res.headers.get('content-disposition')).toContain('filename="indicators_AFR_asof-2012-12-31.csv"');
      const text = await csvText(res);
      const { header, rows } = readCsv(text);
      expect(rows).toHaveLength(summary.indicators.total);
      const row = rows.find((r) => r[0] === String(negativeIndicator));
      expect(row?.[header.indexOf('Baseline')]).toBe('-5');
      expect(row?.[header.indexOf('Latest value')]).toBe('-2.5');
      expect(row?.[header.indexOf('Indicator')]).toBe("'-Net job change (thousands)");
      expect(text).toContain(`${negativeIndicator},,`);
    });

    it('progress by dimension (both paths) matches the progress API', async () => {
      const api = (await (await get(`/progress/by/partnerType?asOf=${AS_OF}`)).json()) as ProgressByDimension;
      for (const p of [`/export/progress/by/partnerType?format=csv&asOf=${AS_OF}`, `/export/progress-by-partnerType?format=csv&asOf=${AS_OF}`]) {
        const res = await get(p);
        expect(res.status, p).toBe(200);
        expect(res.headers.get('content-disposition')).toContain('filename="progress-by-partnerType_asof-2012-12-31.csv"');
        const { header, rows } = readCsv(await csvText(res));
        expect(rows).toHaveLength(api.groups.length + 1);
        for (const g of api.groups) {
          const row = rows.find((r) => r[0] === g.key);
          expect(row?.[header.indexOf('Partnerships')], g.key).toBe(String(g.partnerships));
          expect(row?.[header.indexOf('Completed')], g.key).toBe(String(g.milestones.completed));
        }
        expect(rows.at(-1)?.[1]).toBe('Unassigned');
      }
    });

    it('JSON of milestones streams every row', async () => {
      const res = await get(`/export/milestones?format=json&asOf=${AS_OF}`);
      const body = JSON.parse(await res.text()) as { meta: { source: string }; tables: { milestones: { rows: unknown[][] } } };
      expect(body.meta.source).toBe('live');
      const all = (await (await get(`/progress/summary?asOf=${AS_OF}`)).json()) as ProgressSummary;
      expect(body.tables.milestones.rows).toHaveLength(all.milestones.total);
    });

    it.skipIf(!havePoppler)('PDF of the summary with charts', async () => {
      const res = await get(`/export/summary?format=pdf&region=AFR&asOf=${AS_OF}`);
      expect(res.status).toBe(200);
      const file = path.join(tmp, `live-${kind}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])).toBeGreaterThanOrEqual(4);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Summary');
      expect(text).toContain('live data');
      expect(text).toContain(formatCount(summary.milestones.total));
      // The overview's charts, in the overview's order, each under its title as on screen.
      expect(chartHeadings(text, OVERVIEW_CHARTS)).toEqual(OVERVIEW_TITLES);
    });

    it.skipIf(!havePoppler)('PDF of progress by region: the charts of that section of the overview, then its table', async () => {
      const res = await get(`/export/progress-by-region?format=pdf&asOf=${AS_OF}`);
      expect(res.status).toBe(200);
      const file = path.join(tmp, `by-region-${kind}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = pdfText(file);
      expect(chartHeadings(text, [...OVERVIEW_CHARTS, 'milestones-by-region'])).toEqual(['Attainment vs expected by region', 'Indicator status by region']);
      expect(text).toContain('7 rows.');
    });

    it.skipIf(!havePoppler)('PDF of a long list: the first 1,000 rows, and right under them how many there are and where the rest is', async () => {
      const all = (await (await get(`/progress/summary?asOf=${AS_OF}`)).json()) as ProgressSummary;
      expect(all.milestones.total).toBeGreaterThan(1000);
      const res = await get(`/export/milestones?format=pdf&asOf=${AS_OF}`);
      expect(res.status).toBe(200);
      const file = path.join(tmp, `milestones-${kind}.pdf`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const pages = pdfText(file).split('\f');
      const note = `First 1,000 of ${formatCount(all.milestones.total)} rows; the CSV/XLSX export has them all.`;
      const at = pages.findIndex((p) => p.includes(note));
      expect(at, 'the note is in the PDF').toBeGreaterThan(0);
      // Right under the table: on the page of the last row, the next line after it.
      const lines = (pages[at] ?? '').split('\n').filter((l) => l.trim() !== '');
      const row = /^\s*[\d,]+\s+\S/;
      const noteLine = lines.findIndex((l) => l.includes(note));
      expect(lines[noteLine - 1]).toMatch(row);
      expect(lines.slice(noteLine + 1).filter((l) => row.test(l))).toEqual([]);
      // Exactly the first 1,000 rows are drawn (on the table's pages: each repeats the header row).
      const tablePages = pages.filter((p) => /ID\s+External ID/.test(p));
      expect(tablePages.flatMap((p) => p.split('\n')).filter((l) => row.test(l))).toHaveLength(1000);
    });

    it('needs a session, and validates view, format and filters', async () => {
      expect((await get('/export/partnerships?format=csv', null)).status).toBe(401);
      expect((await get('/export/everything?format=csv')).status).toBe(400);
      expect((await get('/export/partnerships?format=exe')).status).toBe(400);
      expect((await get('/export/partnerships?format=csv&region=XXX')).status).toBe(400);
      expect((await get('/export/progress/by/planet?format=csv')).status).toBe(400);
    });
  });
});
