import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { upload } from './import-helpers.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/iati');
const sample = (name: string) => fs.readFileSync(path.join(fixtures, name));
type Issue = { row: number; column: string; value: string | null; message: string };

describe.each(databases())('IATI import on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => { await t?.close(); });

  const count = async (table: 'partners' | 'partnerships' | 'action_plans' | 'indicators' | 'measurements') => {
    const r = await t.handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  };
  const counts = async () => ({ partners: await count('partners'), partnerships: await count('partnerships'), actionPlans: await count('action_plans'), indicators: await count('indicators'), measurements: await count('measurements') });

  it('refuses an editor\'s new records and activities outside their regions, writing nothing', async () => {
    const africa = await t.login('staff.africa@demo.local');
    const before = await counts();
    const res = await upload(t, africa, '/api/v1/imports/iati?dryRun=false', sample('ilo-decent-work-activities.xml'), 'ilo.xml');
    expect(res.status).toBe(422);
    const { report } = await res.json();
    // The second activity (Viet Nam) is in Asia and the Pacific; and partners and partnerships are created by admins only.
    expect(report.problems).toContainEqual(expect.objectContaining({ row: 2, column: 'region', value: 'ASP' }));
    expect(report.problems).toContainEqual(expect.objectContaining({ row: 1, column: 'externalId', value: 'XM-DAC-41302-TZA-YEP-2012', message: expect.stringContaining('only admins may create partnerships') }));
    expect(await counts()).toEqual(before);
  });

  it('creates the partners, partnerships, action plans, indicators and measurements a sample file describes', async () => {
    const before = await counts();
    const dry = await upload(t, admin, '/api/v1/imports/iati?dryRun=true', sample('ilo-decent-work-activities.xml'), 'ilo.xml');
    expect(dry.status).toBe(200);
    const dryReport = await dry.json();
    expect(dryReport).toMatchObject({
      type: 'iati', dryRun: true, rows: 3, committed: false, problems: [], created: 20, updated: 0, unchanged: 0,
      byType: {
        partners: { created: 7, updated: 0, unchanged: 0 }, partnerships: { created: 3, updated: 0, unchanged: 0 }, 'action-plans': { created: 2, updated: 0, unchanged: 0 },
        indicators: { created: 3, updated: 0, unchanged: 0 }, measurements: { created: 5, updated: 0, unchanged: 0 },
      },
    });
    expect(await counts()).toEqual(before);
    // Defaults and derived values are stated, not silent.
    const warned = dryReport.warnings.map((w: Issue) => `${w.row} ${w.column}`);
    expect(warned).toContain('1 participating-org[3]/@ref');
    expect(warned).toContain('3 tag[@vocabulary=99]');

    const res = await upload(t, admin, '/api/v1/imports/iati?dryRun=false', sample('ilo-decent-work-activities.xml'), 'ilo.xml');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ committed: true, created: 20 });
    expect(await counts()).toEqual({
      partners: before.partners + 7, partnerships: before.partnerships + 3, actionPlans: before.actionPlans + 2,
      indicators: before.indicators + 3, measurements: before.measurements + 5,
    });

    const db = t.handle.db;
    const tza = await db.selectFrom('partnerships').selectAll().where('external_id', '=', 'XM-DAC-41302-TZA-YEP-2012').executeTakeFirstOrThrow();
    expect({ ...tza, resources_usd: Number(tza.resources_usd) }).toMatchObject({
      title: 'Youth employment & skills for decent work in Tanzania (illustrative)', region: 'AFR', country: 'TZA', level: 'national',
      start_date: '2012-02-15', end_date: '2015-12-31', status: 'active', modality: 'earmarked', resources_usd: 2_000_000, lead_partner_type: 'un',
    });
    const links = await db.selectFrom('partnership_partners').innerJoin('partners', 'partners.id', 'partnership_partners.partner_id')
      .select(['partners.external_id', 'partners.partner_type', 'role', 'lead']).where('partnership_id', '=', tza.id).orderBy('partners.external_id').execute();
    expect(links).toEqual([
      { external_id: 'IATI-ORG-MINISTRY-OF-LABOUR-AND-EMPLOYMENT-UNITED-REPUBLIC-OF-TANZANIA', partner_type: 'government', role: 'implementing', lead: 0 },
      { external_id: 'XM-DAC-41302', partner_type: 'un', role: 'accountable', lead: 1 },
      { external_id: 'XM-EXAMPLE-DONOR-1', partner_type: 'government', role: 'funding', lead: 0 },
      { external_id: 'XM-EXAMPLE-TZ-UNIV', partner_type: 'academia', role: 'implementing', lead: 0 },
    ]);
    const mandates = await db.selectFrom('partnership_mandates').select('mandate').where('partnership_id', '=', tza.id).execute();
    expect(mandates.map((m) => m.mandate)).toEqual(['ECOSOC-MD-2006']);

    const vnm = await db.selectFrom('partnerships').select(['modality', 'status', 'end_date', 'region']).where('external_id', '=', 'XM-DAC-41302-VNM-SPF-2011').executeTakeFirstOrThrow();
    expect(vnm).toEqual({ modality: 'joint_un', status: 'completed', end_date: '2013-12-31', region: 'ASP' });
    const raf = await db.selectFrom('partnerships').select(['modality', 'level', 'region', 'country']).where('external_id', '=', 'XM-DAC-41302-RAF-SSTC-2013').executeTakeFirstOrThrow();
    expect(raf).toEqual({ modality: 'triangular', level: 'regional', region: 'AFR', country: null });

    const plan = await db.selectFrom('action_plans').innerJoin('action_plan_partnerships', 'action_plan_partnerships.action_plan_id', 'action_plans.id')
      .select(['action_plans.id', 'owning_unit', 'partnership_id']).where('action_plans.external_id', '=', 'XM-DAC-41302-TZA-YEP-2012/results').executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ owning_unit: 'International Labour Organization', partnership_id: tza.id });
    const indicators = await db.selectFrom('indicators').select(['external_id', 'name', 'unit', 'direction', 'baseline_value', 'baseline_date', 'target_value', 'target_date'])
      .where('action_plan_id', '=', plan.id).orderBy('external_id').execute();
    expect(indicators.map((i) => ({ ...i, baseline_value: Number(i.baseline_value), target_value: Number(i.target_value) }))).toEqual([
      { external_id: 'XM-DAC-41302-TZA-YEP-2012/R1/I1', name: 'Young people completing certified skills training', unit: 'number', direction: 'increase', baseline_value: 0, baseline_date: '2011-12-31', target_value: 4000, target_date: '2015-12-31' },
      { external_id: 'XM-DAC-41302-TZA-YEP-2012/R1/I2', name: 'Youth unemployment rate in target districts', unit: 'percent', direction: 'decrease', baseline_value: 13.4, baseline_date: '2011-01-01', target_value: 10, target_date: '2015-12-31' },
    ]);
    const actuals = await db.selectFrom('measurements').innerJoin('indicators', 'indicators.id', 'measurements.indicator_id')
      .select(['value', 'date']).where('indicators.external_id', '=', 'XM-DAC-41302-TZA-YEP-2012/R1/I1').orderBy('date').execute();
    expect(actuals.map((m) => [Number(m.value), m.date])).toEqual([[1320, '2013-12-31'], [2850, '2015-12-31']]);

    const again = await (await upload(t, admin, '/api/v1/imports/iati?dryRun=false', sample('ilo-decent-work-activities.xml'), 'ilo.xml')).json();
    expect(again).toMatchObject({ committed: true, created: 0, updated: 0, unchanged: 20 });
  });

  it('reports unknown organisation types, non-USD budgets and qualitative indicators, and writes nothing', async () => {
    const before = await counts();
    const res = await upload(t, admin, '/api/v1/imports/iati?dryRun=false', sample('problems-unknown-type-and-currency.xml'), 'problems.xml');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const { report } = await res.json();
    expect(report.problems.map((p: Issue) => [p.row, p.column, p.value])).toEqual([
      [1, 'participating-org[2]/@type', '99'],
      [1, 'budget[1]/value/@currency', 'EUR'],
      [1, 'result[1]/indicator[1]/@measure', '5'],
      [1, 'result[1]/indicator[1]/baseline/@value', null],
      [1, 'result[1]/indicator[1]/period/target', null],
    ]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ row: 2, column: 'recipient-region/@code', value: 'A7' }));
    expect(await counts()).toEqual(before);
  });

  it('imports a minimal activity with stated defaults', async () => {
    const report = await (await upload(t, admin, '/api/v1/imports/iati?dryRun=false', sample('minimal-activity.xml'), 'minimal.xml')).json();
    expect(report).toMatchObject({ committed: true, problems: [], byType: { partnerships: { created: 1 } } });
    expect(report.warnings.map((w: Issue) => w.column)).toEqual(expect.arrayContaining(['recipient-country', 'budget', 'collaboration-type|default-aid-type', 'tag[@vocabulary=99]']));
    const ps = await t.handle.db.selectFrom('partnerships').select(['region', 'level', 'resources_usd', 'modality', 'status']).where('external_id', '=', 'XM-DAC-41302-GLO-MIN-2014').executeTakeFirstOrThrow();
    expect({ ...ps, resources_usd: Number(ps.resources_usd) }).toEqual({ region: 'GLO', level: 'international', resources_usd: 0, modality: 'earmarked', status: 'pipeline' });
  });

  it('refuses DTDs and entities, malformed XML and files that are not IATI', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><iati-activities version="2.03"><iati-activity><iati-identifier>&e;</iati-identifier></iati-activity></iati-activities>';
    const r1 = await upload(t, admin, '/api/v1/imports/iati?dryRun=true', xxe, 'x.xml');
    expect(r1.status).toBe(422);
    expect((await r1.json()).detail).toContain('DOCTYPE');
    expect((await upload(t, admin, '/api/v1/imports/iati?dryRun=true', '<iati-activities><iati-activity>', 'x.xml')).status).toBe(422);
    const deep = `<iati-activities version="2.03"><iati-activity>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</iati-activity></iati-activities>`;
    expect((await upload(t, admin, '/api/v1/imports/iati?dryRun=true', deep, 'deep.xml')).status).toBe(422);
    expect((await upload(t, admin, '/api/v1/imports/iati?dryRun=true', '<?xml version="1.0"?><html/>', 'x.xml')).status).toBe(415);
    expect((await upload(t, admin, '/api/v1/imports/iati?dryRun=true', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'x.xml')).status).toBe(415);
  });
});
