/**
 * Issue 15, bulk import of assessments (CSV and XLSX, one row per rating): a dry run first (nothing written),
 * then the real run writes every assessment; one bad row anywhere and nothing at all is written (422 with the
 * report); editors only in their regions; the template imports as it stands.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { csv, upload } from './import-helpers.ts';
import { getJson, json } from './record-fixtures.ts';

const HEADER = ['entityType', 'agency', 'country', 'checkpoint', 'assessedOn', 'status', 'criterion', 'rating', 'note', 'evidenceUrl'];
interface Report { dryRun: boolean; rows: number; created: number; updated: number; unchanged: number; committed: boolean; problems: { row: number; column: string; message: string }[] }

describe.each(databases())('assessment import on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let africa: string;
  let codes: string[];
  let agencyRef: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => new Date('2016-02-01T09:00:00.000Z') });
    [admin, africa] = await Promise.all([t.login('admin@demo.local'), t.login('staff.africa@demo.local')]);
    codes = (await getJson<{ items: { code: string }[] }>(t, '/scorecard/criteria', admin)).items.map((c) => c.code);
    const p = await t.handle.db.selectFrom('partners').select('external_id').where('partner_type', '=', 'ifi').where('hq_region', '=', 'AFR').executeTakeFirstOrThrow();
    agencyRef = p.external_id ?? '';
  });
  afterAll(async () => { await t?.close(); });

  const count = async () => Number((await t.handle.db.selectFrom('assessments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const ratingsCount = async () => Number((await t.handle.db.selectFrom('assessment_ratings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const full = (country: string, checkpoint: string, rating = 'meets') => codes.map((c) => ['country_team', '', country, checkpoint, '2013-05-31', 'complete', c, rating, `Checked ${c}`, '']);

  it('dry run first: the report counts what would be written and nothing is; then the real run writes it all', async () => {
    const before = await count();
    const body = csv([HEADER, ...full('KEN', '2013-05-31'), ['agency', agencyRef, '', '2013-05-31', '2013-06-15', 'draft', codes[0] ?? '', 'approaches', '', 'https://example.org/e']]);
    const dry = await upload(t, africa, '/api/v1/imports/assessments', body);
    expect(dry.status).toBe(200);
    expect(await json<Report>(dry)).toMatchObject({ dryRun: true, rows: codes.length + 1, created: 2, updated: 0, committed: false, problems: [] });
    expect(await count()).toBe(before);
    const real = await upload(t, africa, '/api/v1/imports/assessments?dryRun=false', body);
    expect(real.status).toBe(200);
    expect(await json<Report>(real)).toMatchObject({ committed: true, created: 2 });
    expect(await count()).toBe(before + 2);
    const list = await getJson<{ items: { status: string; pctMetOrExceeded: number | null; region: string }[] }>(t, '/assessments?country=KEN&checkpoint=2013-05-31', admin);
    expect(list.items[0]).toMatchObject({ status: 'complete', pctMetOrExceeded: 1, region: 'AFR' });
    // The same file again changes nothing.
    const again = await upload(t, africa, '/api/v1/imports/assessments?dryRun=false', body);
    expect(await json<Report>(again)).toMatchObject({ committed: true, created: 0, updated: 0, unchanged: 2 });
  });

  it('all or nothing: one unknown criterion, one rating outside the scale, or an incomplete "complete" and nothing is written (422 with the report)', async () => {
    const before = [await count(), await ratingsCount()];
    const rows = [...full('UGA', '2013-05-31'), ['country_team', '', 'GHA', '2013-05-31', '2013-05-31', 'draft', 'XX9', 'meets', '', '']];
    const res = await upload(t, admin, '/api/v1/imports/assessments?dryRun=false', csv([HEADER, ...rows]));
    expect(res.status).toBe(422);
    const problem = await json<{ report: Report }>(res);
    expect(problem.report.problems).toEqual([expect.objectContaining({ row: rows.length + 1, column: 'criterion' })]);
    const scale = await upload(t, admin, '/api/v1/imports/assessments?dryRun=false', csv([HEADER, ...full('UGA', '2013-05-31').map((r, i) => (i === 3 ? [...r.slice(0, 7), 'excellent', '', ''] : r))]));
    expect(scale.status).toBe(422);
    expect((await json<{ report: Report }>(scale)).report.problems[0]).toMatchObject({ row: 5, column: 'rating' });
    const partial = await upload(t, admin, '/api/v1/imports/assessments?dryRun=false', csv([HEADER, ...full('UGA', '2013-05-31').slice(1)]));
    expect(partial.status).toBe(422);
    expect((await json<{ report: Report }>(partial)).report.problems[0]?.message).toContain(codes[0]);
    expect([await count(), await ratingsCount()]).toEqual(before);
  });

  it('editors import only their regions\' entities; the rows of one assessment must agree on its date', async () => {
    const asia = await upload(t, africa, '/api/v1/imports/assessments', csv([HEADER, ['country_team', '', 'VNM', '2010', '2010-06-30', 'draft', codes[0] ?? '', 'meets', '', '']]));
    expect((await json<Report>(asia)).problems[0]?.message).toContain('outside your regions');
    const mixed = await upload(t, admin, '/api/v1/imports/assessments', csv([HEADER,
      ['country_team', '', 'VNM', '2013-05-31', '2013-05-31', 'draft', codes[0] ?? '', 'meets', '', ''],
      ['country_team', '', 'VNM', '2013-05-31', '2013-06-01', 'draft', codes[1] ?? '', 'meets', '', '']]));
    expect((await json<Report>(mixed)).problems[0]).toMatchObject({ row: 3, column: 'assessedOn' });
  });

  it('XLSX works the same, and the template imports as it stands (dry run)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('assessments');
    ws.addRow(HEADER);
    for (const r of full('ZMB', '2012-06-30', 'exceeds')) ws.addRow(r);
    const res = await upload(t, admin, '/api/v1/imports/assessments?dryRun=false', new Uint8Array(await wb.xlsx.writeBuffer()), 'a.xlsx');
    expect(res.status).toBe(200);
    expect(await json<Report>(res)).toMatchObject({ committed: true, created: 1 });
    const template = await (await t.request('GET', '/api/v1/imports/assessments/template?format=csv', { cookie: admin })).text();
    const dry = await upload(t, admin, '/api/v1/imports/assessments', template);
    const tr = await json<Report>(dry);
    expect(tr.problems).toEqual([]);
    expect(tr.created + tr.updated).toBe(1);
  });
});
