/**
 * Record CRUD (issue 3): create, read, list with q / sort / page / shared filters for partners, partnerships,
 * action plans, milestones, indicators and measurements; 400s that name the field; ETags and conditional deletes.
 */
import {
  actionPlan, actionPlanPage, indicator, indicatorPage, measurement, measurementPage, milestone, milestonePage, partner, partnerPage,
  partnership, partnershipPage, recordHistory,
} from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { etagOf, getJson, json } from './record-fixtures.ts';

interface Page<T> { items: T[]; total: number; page: number; pageSize: number }
interface Problem { status: number; errors?: { field: string; reason: string; value?: unknown }[] }
interface PartnershipBody {
  id: number; title: string; region: string; leadPartnerType: string | null; outcomes: string[]; mandates: string[]; version: number;
  partners: { partnerId: number; name: string; partnerType: string; role: string; lead: boolean }[]; actionPlanIds: number[];
}

const NOW = new Date('2026-11-28T09:00:00.000Z');

describe.each(databases())('record CRUD on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, viewer] = await Promise.all([t.login('admin@demo.local'), t.login('manager@demo.local')]);
  });
  afterAll(async () => { await t?.close(); });

  const post = (path: string, body: unknown) => t.request('POST', `/api/v1${path}`, { cookie: admin, body });
  const patchAs = async (path: string, body: unknown) => t.request('PATCH', `/api/v1${path}`, { cookie: admin, body, headers: { 'If-Match': await etagOf(t, path, admin) } });

  it('creates a chain of records and reads each back with its ETag', async () => {
    const partner = await post('/partners', { name: 'Zanzibar Institute of Labour Studies', partnerType: 'academia', hqCountry: 'TZA', hqRegion: 'AFR' });
    expect(partner.status).toBe(201);
    expect(partner.headers.get('etag')).toBe('"1"');
    ids.partner = (await json<{ id: number }>(partner)).id;
    const second = await post('/partners', { name: 'Kilimanjaro Garment Manufacturers', partnerType: 'private' });
    ids.partner2 = (await json<{ id: number }>(second)).id;

    const ps = await post('/partnerships', {
      title: 'Zanzibar youth employment partnership', modality: 'south_south', level: 'national', region: 'AFR', country: 'TZA',
      mandates: ['MDG-1B-2008', 'GJP-2009'], outcomes: ['O2', 'O19'], startDate: '2010-03-01', endDate: '2014-12-31', resourcesUsd: 1_250_000, status: 'active',
      partners: [{ partnerId: ids.partner, role: 'implementing', lead: true }, { partnerId: ids.partner2, role: 'funding', lead: false }],
    });
    expect(ps.status).toBe(201);
    const created = await json<PartnershipBody>(ps);
    ids.partnership = created.id;
    expect(created).toMatchObject({ leadPartnerType: 'academia', outcomes: ['O2', 'O19'], version: 1 });
    expect(created.partners).toEqual([
      { partnerId: ids.partner, name: 'Zanzibar Institute of Labour Studies', partnerType: 'academia', role: 'implementing', lead: true },
      { partnerId: ids.partner2, name: 'Kilimanjaro Garment Manufacturers', partnerType: 'private', role: 'funding', lead: false },
    ]);

    const plan = await post('/action-plans', {
      title: 'Zanzibar decent work action plan 2010–2015', owningUnit: 'Country Office', region: 'AFR', country: 'TZA', mandates: ['ECOSOC-MD-2006'],
      outcomes: ['O19'], partnershipIds: [ids.partnership], startDate: '2010-01-01', endDate: '2015-12-31',
    });
    expect(plan.status).toBe(201);
    ids.plan = (await json<{ id: number }>(plan)).id;
    const planBody = await getJson<{ partnershipIds: number[]; mandates: string[]; outcomes: string[]; status: string; progress: number | null }>(t, `/action-plans/${ids.plan}`, viewer);
    expect(planBody).toMatchObject({ partnershipIds: [ids.partnership], mandates: ['ECOSOC-MD-2006'], outcomes: ['O19'], status: 'no_data', progress: null });
    // The partnership detail lists the plans it supports.
    expect((await getJson<PartnershipBody>(t, `/partnerships/${ids.partnership}`, viewer)).actionPlanIds).toEqual([ids.plan]);

    const ms = await post('/milestones', { actionPlanId: ids.plan, title: 'Baseline survey of youth employment', dueDate: '2011-06-30' });
    expect(ms.status).toBe(201);
    const msBody = await json<{ id: number; status: string; region: string; actionPlanTitle: string; overdue: boolean }>(ms);
    ids.milestone = msBody.id;
    expect(msBody).toMatchObject({ status: 'not_started', region: 'AFR', actionPlanTitle: 'Zanzibar decent work action plan 2010–2015', overdue: true });
    // Creating a milestone records its first history entry (what "as of" reads).
    const hist = await t.handle.db.selectFrom('milestone_history').selectAll().where('milestone_id', '=', ids.milestone).execute();
    expect(hist).toMatchObject([{ status: 'not_started', percent_complete: 0, effective_date: '2026-11-28', version: 1, changed_by: 1 }]);

    const ind = await post('/indicators', { actionPlanId: ids.plan, name: 'Young people in decent jobs (thousands)', unit: 'number', direction: 'increase', baselineValue: 10, baselineDate: '2010-01-01', targetValue: 30 });
    expect(ind.status).toBe(201);
    const indBody = await json<{ id: number; targetDate: string; status: string }>(ind);
    ids.indicator = indBody.id;
    expect(indBody).toMatchObject({ targetDate: '2015-12-31', status: 'no_data' });
    const meas = await post('/measurements', { indicatorId: ids.indicator, value: 20, date: '2013-01-01', source: 'Labour force survey' });
    expect(meas.status).toBe(201);
    ids.measurement = (await json<{ id: number }>(meas)).id;
    // Half-way to the target by 2013, and 2015 is past: attainment 0.5 against an expectation of 1 → off track.
    expect(await getJson(t, `/indicators/${ids.indicator}`, viewer)).toMatchObject({ attainment: 0.5, expected: 1, status: 'off_track', latestValue: 20, latestDate: '2013-01-01' });

    for (const [path, id] of [['/partners', ids.partner], ['/partnerships', ids.partnership], ['/action-plans', ids.plan], ['/milestones', ids.milestone], ['/indicators', ids.indicator], ['/measurements', ids.measurement]] as const) {
      const res = await t.request('GET', `/api/v1${path}/${id}`, { cookie: viewer });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('etag'), path).toBe('"1"');
    }
  });

  it('answers in the shapes of the shared contract (the schemas the web app reads)', async () => {
    type Schema = { safeParse: (v: unknown) => { success: true } | { success: false; error: { issues: unknown[] } } };
    const cases: [string, Schema][] = [
      ['/partners', partnerPage], ['/partnerships', partnershipPage], ['/action-plans', actionPlanPage], ['/milestones', milestonePage],
      ['/indicators', indicatorPage], ['/measurements', measurementPage],
      [`/partners/${ids.partner}`, partner], [`/partnerships/${ids.partnership}`, partnership], [`/action-plans/${ids.plan}`, actionPlan],
      [`/milestones/${ids.milestone}`, milestone], [`/indicators/${ids.indicator}`, indicator], [`/measurements/${ids.measurement}`, measurement],
      [`/milestones/${ids.milestone}/history`, recordHistory],
    ];
    for (const [path, schema] of cases) {
      const parsed = schema.safeParse(await getJson(t, path, viewer));
      expect(parsed.success ? [] : parsed.error.issues.slice(0, 3), path).toEqual([]);
    }
  });

  it('answers 409 naming the field when an external id is taken, on create and on edit, and changes nothing', async () => {
    const count = async () => (await json<{ total: number }>(await t.request('GET', '/api/v1/partners?pageSize=1', { cookie: admin }))).total;
    const first = await post('/partners', { externalId: 'DUP-1', name: 'First holder', partnerType: 'ngo' });
    expect(first.status).toBe(201);
    const before = await count();
    const again = await post('/partners', { externalId: 'DUP-1', name: 'Second holder', partnerType: 'ngo' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<Problem>(again)).errors?.[0]).toMatchObject({ field: 'externalId', reason: 'must be unique' });
    expect(await count()).toBe(before);
    const other = await post('/partners', { externalId: 'DUP-2', name: 'Other holder', partnerType: 'ngo' });
    const otherId = (await json<{ id: number }>(other)).id;
    const edit = await patchAs(`/partners/${otherId}`, { externalId: 'DUP-1' });
    expect(edit.status).toBe(409);
    expect((await json<{ externalId: string }>(await t.request('GET', `/api/v1/partners/${otherId}`, { cookie: admin }))).externalId).toBe('DUP-2');
  });

  it('refuses a patch that changes nothing', async () => {
    const res = await t.request('PATCH', `/api/v1/milestones/${ids.milestone}`, { cookie: admin, body: {}, headers: { 'If-Match': '"1"' } });
    expect(res.status).toBe(400);
    expect((await json<Problem>(res)).errors?.[0]?.field).toBe('(body)');
  });

  it('searches titles and names case-insensitively on both databases, taking % and _ literally', async () => {
    const lower = await getJson<Page<{ id: number }>>(t, '/partnerships?q=zanzibar youth', viewer);
    const upper = await getJson<Page<{ id: number }>>(t, '/partnerships?q=ZANZIBAR%20YOUTH', viewer);
    expect(lower.items.map((i) => i.id)).toEqual([ids.partnership]);
    expect(upper.items.map((i) => i.id)).toEqual([ids.partnership]);
    expect((await getJson<Page<{ id: number }>>(t, '/partners?q=institute of labour STUDIES', viewer)).items.map((i) => i.id)).toContain(ids.partner);
    expect((await getJson<Page<unknown>>(t, '/partnerships?q=%25', viewer)).total).toBe(0);
    expect((await getJson<Page<unknown>>(t, '/milestones?q=_', viewer)).total).toBe(0);
    expect((await getJson<Page<{ id: number }>>(t, '/indicators?q=young people', viewer)).items.map((i) => i.id)).toEqual([ids.indicator]);
    expect((await getJson<Page<{ id: number }>>(t, '/action-plans?q=ZANZIBAR', viewer)).items.map((i) => i.id)).toEqual([ids.plan]);
  });

  it('pages through a list: { items, total, page, pageSize }, pages do not overlap and cover the total', async () => {
    const p1 = await getJson<Page<{ id: number }>>(t, '/milestones?region=AFR&pageSize=7&page=1&sort=id', viewer);
    const p2 = await getJson<Page<{ id: number }>>(t, '/milestones?region=AFR&pageSize=7&page=2&sort=id', viewer);
    expect(p1).toMatchObject({ page: 1, pageSize: 7 });
    expect(p1.items).toHaveLength(7);
    expect(p2.total).toBe(p1.total);
    expect(p1.items.map((i) => i.id).filter((id) => p2.items.some((j) => j.id === id))).toEqual([]);
    expect(Math.max(...p1.items.map((i) => i.id))).toBeLessThan(Math.min(...p2.items.map((i) => i.id)));
    const all = await getJson<Page<{ id: number }>>(t, '/milestones?region=AFR&pageSize=500', viewer);
    expect(all.items).toHaveLength(Math.min(500, p1.total));
    const past = await getJson<Page<unknown>>(t, `/milestones?region=AFR&pageSize=7&page=${Math.ceil(p1.total / 7) + 1}`, viewer);
    expect(past.items).toEqual([]);
  });

  it('sorts by whitelisted fields either way, and names an unknown sort field in a 400', async () => {
    const asc = await getJson<Page<{ dueDate: string }>>(t, '/milestones?sort=dueDate&pageSize=50', viewer);
    const desc = await getJson<Page<{ dueDate: string }>>(t, '/milestones?sort=-dueDate&pageSize=50', viewer);
    expect(asc.items.map((m) => m.dueDate)).toEqual([...asc.items.map((m) => m.dueDate)].sort());
    expect(desc.items.map((m) => m.dueDate)).toEqual([...desc.items.map((m) => m.dueDate)].sort().reverse());
    const money = await getJson<Page<{ resourcesUsd: number }>>(t, '/partnerships?sort=-resourcesUsd&pageSize=20', viewer);
    expect(money.items.map((p) => p.resourcesUsd)).toEqual([...money.items.map((p) => p.resourcesUsd)].sort((a, b) => b - a));
    const names = await getJson<Page<{ name: string }>>(t, '/partners?sort=name&pageSize=100', viewer);
    const lowered = names.items.map((p) => p.name.toLowerCase());
    expect(lowered).toEqual([...lowered].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const bad = await t.request('GET', '/api/v1/milestones?sort=-secretColumn', { cookie: viewer });
    expect(bad.status).toBe(400);
    const problem = await json<Problem>(bad);
    expect(problem.errors?.[0]).toMatchObject({ field: 'sort', value: '-secretColumn' });
    expect(problem.errors?.[0]?.reason).toContain('secretColumn');
    expect((await t.request('GET', '/api/v1/measurements?sort=title', { cookie: viewer })).status).toBe(400);
  });

  it('applies the shared filters through each record\'s own region or its action plan', async () => {
    const asp = await getJson<Page<{ region: string }>>(t, '/milestones?region=ASP&pageSize=100', viewer);
    expect(asp.total).toBeGreaterThan(0);
    expect(new Set(asp.items.map((m) => m.region))).toEqual(new Set(['ASP']));
    const two = await getJson<Page<{ region: string }>>(t, '/indicators?region=ASP&region=ARB&pageSize=500', viewer);
    expect(new Set(two.items.map((m) => m.region))).toEqual(new Set(['ASP', 'ARB']));
    const measurements = await getJson<Page<{ region: string }>>(t, '/measurements?region=AME&pageSize=100', viewer);
    expect(new Set(measurements.items.map((m) => m.region))).toEqual(new Set(['AME']));
    // partnerType on partnerships is the lead partner's type; on partners their own type.
    const academia = await getJson<Page<{ id: number; leadPartnerType: string }>>(t, '/partnerships?partnerType=academia&pageSize=500', viewer);
    expect(academia.items.every((p) => p.leadPartnerType === 'academia')).toBe(true);
    expect(academia.items.map((p) => p.id)).toContain(ids.partnership);
    const privatePartners = await getJson<Page<{ partnerType: string }>>(t, '/partners?partnerType=private&pageSize=500', viewer);
    expect(privatePartners.items.every((p) => p.partnerType === 'private')).toBe(true);
    // mandate and period filters: the new partnership answers to MDG-1B and ran 2010–2014.
    expect((await getJson<Page<{ id: number }>>(t, '/partnerships?mandate=GJP-2009&q=zanzibar', viewer)).total).toBe(1);
    expect((await getJson<Page<{ id: number }>>(t, '/partnerships?mandate=SPF-2009&q=zanzibar', viewer)).total).toBe(0);
    expect((await getJson<Page<{ id: number }>>(t, '/partnerships?from=2015-01-01&q=zanzibar', viewer)).total).toBe(0);
    // Milestones, indicators and measurements follow their action plan's filters (country TZA here).
    const tza = await getJson<Page<{ actionPlanId: number }>>(t, `/milestones?country=TZA&actionPlanId=${ids.plan}`, viewer);
    expect(tza.items.map((m) => m.actionPlanId)).toEqual([ids.plan]);
    expect((await getJson<Page<unknown>>(t, `/milestones?country=KEN&actionPlanId=${ids.plan}`, viewer)).total).toBe(0);
    expect((await getJson<Page<{ id: number }>>(t, `/measurements?indicatorId=${ids.indicator}`, viewer)).items.map((m) => m.id)).toEqual([ids.measurement]);
  });

  it('validates status per resource and filters by it (stored or computed)', async () => {
    const active = await getJson<Page<{ status: string }>>(t, '/partnerships?status=active&pageSize=100', viewer);
    expect(active.items.every((p) => p.status === 'active')).toBe(true);
    const delayed = await getJson<Page<{ status: string }>>(t, '/milestones?status=delayed&pageSize=100', viewer);
    expect(delayed.total).toBeGreaterThan(0);
    expect(delayed.items.every((m) => m.status === 'delayed')).toBe(true);
    const offTrack = await getJson<Page<{ status: string; id: number }>>(t, '/indicators?status=off_track&pageSize=500', viewer);
    expect(offTrack.items.every((i) => i.status === 'off_track')).toBe(true);
    expect(offTrack.items.map((i) => i.id)).toContain(ids.indicator);
    const all = await getJson<Page<{ status: string }>>(t, '/indicators?pageSize=500', viewer);
    const counted = await Promise.all(['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'].map(async (s) => (await getJson<Page<unknown>>(t, `/indicators?status=${s}&pageSize=1`, viewer)).total));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(all.total);
    const plans = await getJson<Page<{ status: string }>>(t, '/action-plans?status=no_data&pageSize=500', viewer);
    expect(plans.items.every((p) => p.status === 'no_data')).toBe(true);
    // asOf moves computed statuses: nothing had been measured before the demo baselines.
    const early = await getJson<Page<{ status: string }>>(t, '/indicators?asOf=2005-01-01&pageSize=500', viewer);
    expect(early.items.every((i) => i.status === 'no_data')).toBe(true);

    for (const [path, value] of [['/milestones', 'on_track'], ['/partnerships', 'in_progress'], ['/indicators', 'active'], ['/action-plans', 'completed']] as const) {
      const res = await t.request('GET', `/api/v1${path}?status=${value}`, { cookie: viewer });
      expect(res.status, path).toBe(400);
      expect((await json<Problem>(res)).errors?.[0]?.field, path).toMatch(/^status/);
    }
    expect((await t.request('GET', '/api/v1/measurements?status=active', { cookie: viewer })).status).toBe(400);
  });

  it('rejects unknown query parameters and bad values with 400s naming them', async () => {
    const unknown = await t.request('GET', '/api/v1/milestones?colour=red', { cookie: viewer });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await json(unknown))).toContain('colour');
    const region = await json<Problem>(await t.request('GET', '/api/v1/indicators?region=XYZ', { cookie: viewer }));
    expect(region.errors?.[0]).toMatchObject({ field: 'region.0', value: 'XYZ' });
    expect((await t.request('GET', '/api/v1/partners?page=0', { cookie: viewer })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/partners?pageSize=501', { cookie: viewer })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/milestones/abc', { cookie: viewer })).status).toBe(400);
    expect((await t.request('GET', '/api/v1/milestones/999999', { cookie: viewer })).status).toBe(404);
  });

  it('rejects invalid bodies with 400s naming each field', async () => {
    const fieldsOf = async (res: Response) => { expect(res.status).toBe(400); return ((await json<Problem>(res)).errors ?? []).map((e) => e.field).sort(); };
    expect(await fieldsOf(await post('/partnerships', {
      title: '', modality: 'barter', level: 'national', region: 'AFR', mandates: [], startDate: '2012-01-01', endDate: '2011-01-01', resourcesUsd: 1.5, status: 'active',
      partners: [{ partnerId: ids.partner, role: 'funding', lead: false }],
    }))).toEqual(['mandates', 'modality', 'resourcesUsd', 'title']);
    // Cross-field rules are reported once the fields themselves are valid.
    expect(await fieldsOf(await post('/partnerships', {
      title: 'Dates the wrong way round', modality: 'earmarked', level: 'national', region: 'AFR', mandates: ['WSO-2005'], startDate: '2012-01-01', endDate: '2011-01-01',
      resourcesUsd: 1000, status: 'active', partners: [{ partnerId: ids.partner, role: 'funding', lead: false }],
    }))).toEqual(['endDate', 'partners']);
    expect(await fieldsOf(await post('/milestones', { actionPlanId: ids.plan, title: 'x', dueDate: '2015-02-30', colour: 'red' }))).toEqual(['(body)', 'dueDate']);
    expect(await fieldsOf(await post('/indicators', { actionPlanId: ids.plan, name: 'Falling', unit: 'percent', direction: 'decrease', baselineValue: 10, baselineDate: '2010-01-01', targetValue: 20 }))).toEqual(['targetValue']);
    expect(await fieldsOf(await post('/measurements', { indicatorId: 999999, value: 1, date: '2012-01-01' }))).toEqual(['indicatorId']);
    // Quantities are bounded so the trend statistics stay finite (PostgreSQL refuses to overflow a double).
    const huge = await post('/measurements', { indicatorId: ids.indicator, value: -1e308, date: '2012-01-01' });
    expect(huge.status).toBe(400);
    expect((await json<Problem>(huge)).errors).toEqual([expect.objectContaining({ field: 'value', reason: 'must be between -1e12 and 1e12' })]);
    expect(await fieldsOf(await post('/indicators', { actionPlanId: ids.plan, name: 'Vast', unit: 'number', direction: 'increase', baselineValue: 0, baselineDate: '2010-01-01', targetValue: 1e13 }))).toEqual(['targetValue']);
    expect(await fieldsOf(await post('/partnerships', { ...(await getJson<Record<string, unknown>>(t, `/partnerships/${ids.partnership}`, admin)) }))).toContain('(body)');
    // A patch is checked against the merged record: moving the end before the start is refused.
    expect(await fieldsOf(await patchAs(`/partnerships/${ids.partnership}`, { endDate: '2009-12-31' }))).toEqual(['endDate']);
    expect(await fieldsOf(await patchAs(`/indicators/${ids.indicator}`, { targetValue: 5 }))).toEqual(['targetValue']);
  });

  it('updates keep unnamed fields, bump the version and keep the lead partner type right', async () => {
    const res = await patchAs(`/partnerships/${ids.partnership}`, { title: 'Zanzibar youth employment partnership (phase 2)' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(await json(res)).toMatchObject({ outcomes: ['O2', 'O19'], mandates: ['GJP-2009', 'MDG-1B-2008'], version: 2 });
    // Swapping the lead partner re-derives the denormalised lead type.
    const swapped = await patchAs(`/partnerships/${ids.partnership}`, { partners: [{ partnerId: ids.partner, role: 'implementing', lead: false }, { partnerId: ids.partner2, role: 'funding', lead: true }] });
    expect(swapped.status).toBe(200);
    expect((await json<PartnershipBody>(swapped)).leadPartnerType).toBe('private');
    // Changing the lead partner's own type moves its partnerships' lead type (and their version) with it.
    expect((await patchAs(`/partners/${ids.partner2}`, { partnerType: 'foundation' })).status).toBe(200);
    const after = await getJson<PartnershipBody>(t, `/partnerships/${ids.partnership}`, viewer);
    expect(after).toMatchObject({ leadPartnerType: 'foundation', version: 4 });
    expect((await getJson<Page<{ id: number }>>(t, '/partnerships?partnerType=foundation&q=zanzibar', viewer)).items.map((p) => p.id)).toEqual([ids.partnership]);
    const planPatch = await patchAs(`/action-plans/${ids.plan}`, { owningUnit: 'Decent Work Team' });
    expect(await json(planPatch)).toMatchObject({ owningUnit: 'Decent Work Team', partnershipIds: [ids.partnership], outcomes: ['O19'] });
  });

  it('deletes with If-Match, refuses deleting what is still in use (409), and the record is gone (404)', async () => {
    const noTag = await t.request('DELETE', `/api/v1/milestones/${ids.milestone}`, { cookie: admin });
    expect(noTag.status).toBe(428);
    const stale = await t.request('DELETE', `/api/v1/milestones/${ids.milestone}`, { cookie: admin, headers: { 'If-Match': '"7"' } });
    expect(stale.status).toBe(412);
    expect((await json<{ current: { id: number } }>(stale)).current.id).toBe(ids.milestone);
    const inUse = await t.request('DELETE', `/api/v1/partners/${ids.partner}`, { cookie: admin, headers: { 'If-Match': await etagOf(t, `/partners/${ids.partner}`, admin) } });
    expect(inUse.status).toBe(409);
    const planInUse = await t.request('DELETE', `/api/v1/action-plans/${ids.plan}`, { cookie: admin, headers: { 'If-Match': await etagOf(t, `/action-plans/${ids.plan}`, admin) } });
    expect(planInUse.status).toBe(409);

    for (const path of [`/milestones/${ids.milestone}`, `/indicators/${ids.indicator}`, `/action-plans/${ids.plan}`, `/partnerships/${ids.partnership}`, `/partners/${ids.partner}`]) {
      const res = await t.request('DELETE', `/api/v1${path}`, { cookie: admin, headers: { 'If-Match': await etagOf(t, path, admin) } });
      expect(res.status, path).toBe(204);
      expect((await t.request('GET', `/api/v1${path}`, { cookie: viewer })).status, path).toBe(404);
    }
    // The indicator's measurement went with it, each with its own audit entry.
    expect((await t.request('GET', `/api/v1/measurements/${ids.measurement}`, { cookie: viewer })).status).toBe(404);
    const audit = await getJson<Page<{ action: string }>>(t, `/audit?entity=measurement&entityId=${ids.measurement}`, admin);
    expect(audit.items.map((a) => a.action)).toEqual(['delete', 'create']);
    // A deleted record keeps its readable history.
    const hist = await getJson<{ items: { action: string }[] }>(t, `/milestones/${ids.milestone}/history`, viewer);
    expect(hist.items.map((h) => h.action)).toEqual(['delete', 'create']);
    expect((await t.request('GET', '/api/v1/milestones/999999/history', { cookie: viewer })).status).toBe(404);
  });
});
