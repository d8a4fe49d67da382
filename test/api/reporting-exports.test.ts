/**
 * Issue 16, `figures=approved|latest` on exports and snapshots: a live export and a snapshot of approved figures
 * carry the approved numbers (those of `/progress/summary?figures=approved`), not the latest, and say so in every
 * stamp (CSV stamp rows, XLSX "About this export", JSON meta, PDF title page); a snapshot remembers its choice and
 * its own exports stamp it; an unknown choice is a 400 naming the field. On SQLite and PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');
const AS_OF = '2012-12-31';

interface Summary { milestones: { total: number; completed: number }; indicators: { no_data: number }; attainment: number | null }

function csvStampAndRows(text: string): { meta: Map<string, string>; rows: string[][] } {
  const records = parse(text, { bom: true }) as string[][];
  const blank = records.findIndex((r) => r.every((c) => c === ''));
  return { meta: new Map(records.slice(0, blank).map((r) => [r[0] ?? '', r[1] ?? ''])), rows: records.slice(blank + 2) };
}

describe.each(databases())('approved and latest figures in exports and snapshots on %s', (kind) => {
  let t: TestApp;
  let manager: string;
  let editor: string;
  let approved: Summary;
  let latest: Summary;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [manager, editor] = await Promise.all([t.login('manager@demo.local'), t.login('staff.africa@demo.local')]);
    const get = async (figures: string) => (await (await t.request('GET', `/api/v1/progress/summary?asOf=${AS_OF}&figures=${figures}`, { cookie: manager })).json()) as Summary;
    [approved, latest] = [await get('approved'), await get('latest')];
  });
  afterAll(async () => { await t?.close(); });

  it('the demo data has unapproved work, so the two differ (else the checks below could not fail)', () => {
    expect(approved.indicators.no_data).toBeGreaterThan(latest.indicators.no_data);
  });

  it('a live CSV, JSON and XLSX of approved figures hold the approved numbers and stamp the choice', async () => {
    const csv = csvStampAndRows(await (await t.request('GET', `/api/v1/export/summary?format=csv&asOf=${AS_OF}&figures=approved`, { cookie: manager })).text());
    expect(csv.meta.get('Figures')).toMatch(/^approved/);
    expect(Number(csv.rows.find((r) => r[0] === 'Indicators without data')?.[1])).toBe(approved.indicators.no_data);
    const latestCsv = csvStampAndRows(await (await t.request('GET', `/api/v1/export/summary?format=csv&asOf=${AS_OF}`, { cookie: manager })).text());
    expect(latestCsv.meta.get('Figures')).toMatch(/^latest/);
    expect(Number(latestCsv.rows.find((r) => r[0] === 'Indicators without data')?.[1])).toBe(latest.indicators.no_data);

    const res = await t.request('GET', `/api/v1/export/summary?format=json&asOf=${AS_OF}&figures=approved`, { cookie: manager });
    expect(res.headers.get('content-disposition')).toContain('approved');
    const body = (await res.json()) as { meta: { filters: { figures: string }; stamp?: unknown }; tables: Record<string, { rows: unknown[][] }> };
    expect(body.meta.filters.figures).toBe('approved');
    expect(body.tables.summary?.rows.find((r) => r[0] === 'Milestones completed')?.[1]).toBe(approved.milestones.completed);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (await t.request('GET', `/api/v1/export/progress/by/region?format=xlsx&asOf=${AS_OF}&figures=approved`, { cookie: manager })).arrayBuffer());
    const about = wb.getWorksheet('About this export');
    const rows: string[][] = [];
    about?.eachRow((r) => rows.push([String(r.getCell(1).value ?? ''), String(r.getCell(2).value ?? '')]));
    expect(rows.find((r) => r[0] === 'Figures')?.[1]).toMatch(/^approved/);
  });

  it('a live PDF says which figures it shows on its title page', async () => {
    const res = await t.request('GET', `/api/v1/export/summary?format=pdf&asOf=${AS_OF}&figures=approved`, { cookie: manager });
    expect(res.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-fig-'));
    const file = path.join(dir, 'a.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(text).toMatch(/Figures:? approved \(only what lies in approved reporting periods/);
  });

  it('a snapshot of approved figures freezes the approved numbers and keeps the choice; without one it is latest', async () => {
    const take = async (filters: Record<string, unknown>) => {
      const res = await t.request('POST', '/api/v1/snapshots', { cookie: editor, body: { title: `Figures ${JSON.stringify(filters)}`, filters } });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; filters: { figures: string } };
    };
    const a = await take({ asOf: AS_OF, figures: 'approved' });
    const l = await take({ asOf: AS_OF });
    expect(a.filters.figures).toBe('approved');
    expect(l.filters.figures).toBe('latest');
    const frozen = async (id: string) => ((await (await t.request('GET', `/api/v1/snapshots/${id}`, { cookie: manager })).json()) as { data: { progress: { summary: Summary } } }).data.progress.summary;
    expect((await frozen(a.id)).indicators.no_data).toBe(approved.indicators.no_data);
    expect((await frozen(a.id)).attainment).toBe(approved.attainment);
    expect((await frozen(l.id)).indicators.no_data).toBe(latest.indicators.no_data);
    const csv = csvStampAndRows(await (await t.request('GET', `/api/v1/snapshots/${a.id}/export?format=csv`, { cookie: manager })).text());
    expect(csv.meta.get('Figures')).toMatch(/^approved/);
    expect(Number(csv.rows.find((r) => r[0] === 'Indicators without data')?.[1])).toBe(approved.indicators.no_data);
    // Compared with live data, the live side counts the same figures as the snapshot.
    const cmp = (await (await t.request('GET', `/api/v1/snapshots/compare?from=${a.id}&to=live&asOf=${AS_OF}`, { cookie: manager })).json()) as { to: { filters: { figures: string } } };
    expect(cmp.to.filters.figures).toBe('approved');
  });

  it('refuses an unknown figures choice with a 400 naming the field, and takes no snapshot', async () => {
    const exp = await t.request('GET', '/api/v1/export/summary?format=csv&figures=final', { cookie: manager });
    expect(exp.status).toBe(400);
    expect(JSON.stringify(await exp.json())).toContain('figures');
    const before = (await t.handle.db.selectFrom('snapshots').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const snap = await t.request('POST', '/api/v1/snapshots', { cookie: editor, body: { title: 'Bad', filters: { figures: 'final' } } });
    expect(snap.status).toBe(400);
    expect(JSON.stringify(await snap.json())).toContain('figures');
    expect((await t.handle.db.selectFrom('snapshots').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toBe(before);
  });
});
