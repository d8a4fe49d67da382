/**
 * Issue 15, the scorecard as part of the product: frozen in snapshots (a later assessment changes the live view,
 * not the snapshot), in the snapshot compare, and in every export format (CSV, XLSX, JSON, PDF with the grid and
 * the chart, PNG), read back with real parsers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProgressScorecard } from '@mm/shared';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { getJson, json } from './record-fixtures.ts';

const NOW = new Date('2016-03-01T10:00:00.000Z');

describe.each(databases())('the scorecard in snapshots and exports on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let live: ProgressScorecard;
  let snapId: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-scorecard-'));
  const get = (p: string) => t.request('GET', `/api/v1${p}`, { cookie: admin });

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    admin = await t.login('admin@demo.local');
    live = await getJson<ProgressScorecard>(t, '/progress/scorecard?region=AFR&pageSize=1000', admin);
    const res = await t.request('POST', '/api/v1/snapshots', { cookie: admin, body: { title: 'Scorecard board', filters: { region: ['AFR'] } } });
    expect(res.status).toBe(201);
    snapId = (await json<{ id: string }>(res)).id;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a snapshot freezes the scorecard as the API answered it (every entity of its filters)', async () => {
    const s = await getJson<{ data: { progress: { scorecard: ProgressScorecard } } }>(t, `/snapshots/${snapId}`, admin);
    const frozen = s.data.progress.scorecard;
    expect(frozen.overall).toEqual(live.overall);
    expect(frozen.headline).toEqual(live.headline);
    expect(frozen.headline?.checkpoint).toBe('2015');
    expect(frozen.entities).toHaveLength(live.entityTotal);
    expect(frozen.entities.every((e) => e.region === 'AFR')).toBe(true);
  });

  it('a new assessment moves the live view and the compare, not the snapshot', async () => {
    const criteria = (await getJson<{ items: { id: number }[] }>(t, '/scorecard/criteria', admin)).items;
    const missing = live.missing.find((m) => m.entityType === 'country_team' && m.checkpoints.includes('2015'));
    if (!missing) throw new Error('every African country team assessed 2015 in the demo');
    const res = await t.request('POST', '/api/v1/assessments', {
      cookie: admin, body: { entityType: 'country_team', country: missing.country, checkpoint: '2015', assessedOn: '2015-12-01', status: 'complete', ratings: criteria.map((c) => ({ criterionId: c.id, rating: 'exceeds' })) },
    });
    if (res.status === 422) {
      // The entity had a draft for 2015: complete it instead.
      const list = await getJson<{ items: { id: number; version: number }[] }>(t, `/assessments?country=${missing.country ?? ''}&checkpoint=2015`, admin);
      const draft = list.items[0];
      if (!draft) throw new Error('no draft');
      const done = await t.request('PATCH', `/api/v1/assessments/${draft.id}`, { cookie: admin, headers: { 'If-Match': `"${draft.version}"` }, body: { status: 'complete', ratings: criteria.map((c) => ({ criterionId: c.id, rating: 'exceeds' })) } });
      expect(done.status).toBe(200);
    } else expect(res.status).toBe(201);
    const now = await getJson<ProgressScorecard>(t, '/progress/scorecard?region=AFR', admin);
    expect(now.overall['2015']?.assessments).toBe((live.overall['2015']?.assessments ?? 0) + 1);
    const s = await getJson<{ data: { progress: { scorecard: ProgressScorecard } } }>(t, `/snapshots/${snapId}`, admin);
    expect(s.data.progress.scorecard.overall).toEqual(live.overall);
    const cmp = await getJson<{ scorecard: { checkpoint: string; from: number | null; to: number | null; delta: number | null }[] }>(t, `/snapshots/compare?from=${snapId}&to=live`, admin);
    const row = cmp.scorecard.find((r) => r.checkpoint === '2015');
    expect(row?.from).toBe(live.overall['2015']?.pctMetOrExceeded);
    expect(row?.to).toBe(now.overall['2015']?.pctMetOrExceeded);
    expect(row?.delta).toBeCloseTo((now.overall['2015']?.pctMetOrExceeded ?? 0) - (live.overall['2015']?.pctMetOrExceeded ?? 0), 6);
    expect(row?.delta).toBeGreaterThan(0);
  });

  it('CSV of the scorecard view: the grid, one row per entity and checkpoint assessed, a column per criterion', async () => {
    const res = await get(`/snapshots/${snapId}/export?format=csv&view=scorecard`);
    expect(res.status).toBe(200);
    const records = parse(Buffer.from(await res.arrayBuffer()).toString('utf8'), { bom: true }) as string[][];
    const blank = records.findIndex((r) => r.every((c) => c === ''));
    const [header, ...rows] = records.slice(blank + 1);
    expect(header?.slice(0, 8)).toEqual(['Entity', 'Entity type', 'Partner type', 'Region', 'Checkpoint', 'Status', 'Assessed on', '% met or exceeded']);
    expect(header).toContain(live.criteria[0]?.code);
    const cells = live.entities.reduce((n, e) => n + Object.keys(e.byCheckpoint).length, 0);
    expect(rows).toHaveLength(cells);
    const first = live.entities.find((e) => e.byCheckpoint.baseline);
    const line = rows.find((r) => r[0] === first?.entityName && r[4] === 'baseline');
    expect(Number(line?.[7])).toBeCloseTo(first?.byCheckpoint.baseline?.pctMetOrExceeded ?? -1, 6);
  });

  it('the summary CSV (live) carries the KPI row', async () => {
    const res = await get('/export/summary?format=csv&region=AFR&asOf=2014-12-31');
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    const kpi = (await getJson<ProgressScorecard>(t, '/progress/scorecard?region=AFR&asOf=2014-12-31&pageSize=1', admin)).headline;
    expect(kpi?.checkpoint).toBe('2010');
    const row = (parse(text, { bom: true, relax_column_count: true }) as string[][]).find((r) => (r[0] ?? '').startsWith('Scorecard: criteria met or exceeded (2010'));
    expect(Number(row?.[1])).toBeCloseTo(kpi?.pctMetOrExceeded ?? -1, 6);
  });

  it('XLSX and JSON of the live scorecard view hold the grid, the figures and the movement', async () => {
    const x = await get('/export/scorecard?format=xlsx&region=AFR');
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const names = wb.worksheets.map((w) => w.name);
    expect(names.some((n) => /scorecard/i.test(n))).toBe(true);
    const j = await get('/export/scorecard?format=json&region=AFR');
    const body = await json<{ tables: Record<string, { rows: unknown[][] }> | { name: string; rows: unknown[][] }[]; headline: { label: string; value: string }[] }>(j);
    const text = JSON.stringify(body);
    expect(text).toContain('scorecard-figures');
    expect(text).toContain('scorecard-movement');
    expect(body.headline.some((h) => h.label.startsWith('Scorecard criteria met or exceeded'))).toBe(true);
  });

  it('PDF of the scorecard view draws the chart and the grid; PNG of the chart is an image', async () => {
    const res = await get(`/snapshots/${snapId}/export?format=pdf&view=scorecard`);
    expect(res.status).toBe(200);
    const file = path.join(tmp, 'scorecard.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe('%PDF');
    try {
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Mainstreaming scorecard: criteria met or exceeded');
      expect(text).toContain(live.entities[0]?.entityName.slice(0, 12));
    } catch (e) {
      if (!(e instanceof Error && /ENOENT/.test(e.message))) throw e;
    }
    const png = await get(`/snapshots/${snapId}/chart.png?chart=scorecard`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });
});
