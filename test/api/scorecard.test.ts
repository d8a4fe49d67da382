/**
 * Issue 15, the scorecard's records: criteria (admins, versioned), assessments (editors of the entity's region,
 * If-Match/412, history), and the 400/422 cases: an unknown criterion, a rating outside the scale, a duplicate
 * (entity, checkpoint), a rating missing when marked complete. Plus region scope (403) and "as they stood".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { getJson, json } from './record-fixtures.ts';

const NOW = new Date('2015-06-30T10:00:00.000Z');

interface Problem { status: number; detail?: string; errors?: { field: string; reason: string; value?: unknown }[]; current?: { version: number } }
interface Rating { criterionId: number; criterionVersion: number; code: string; text: string; rating: string; note: string | null; evidenceUrl: string | null }
interface AssessmentBody {
  id: number; entityType: string; entityKey: string; region: string; checkpoint: string; status: string; version: number; entityName: string;
  pctMetOrExceeded: number | null; counts: Record<string, number>; ratings: Rating[]; unrated: { criterionId: number; code: string }[];
}
interface CriterionBody { id: number; code: string; text: string; pillar: string; retired: boolean; version: number }

describe.each(databases())('scorecard records on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let africa: string;
  let asia: string;
  let criteria: CriterionBody[];
  let globalAgency: number;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, viewer, africa, asia] = await Promise.all([
      t.login('admin@demo.local'), t.login('manager@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'),
    ]);
    criteria = (await getJson<{ items: CriterionBody[] }>(t, '/scorecard/criteria', viewer)).items;
    const partners = await t.handle.db.selectFrom('partners').select(['id']).where('partner_type', '=', 'un').where('hq_region', 'is', null).orderBy('id').execute();
    globalAgency = partners[0]?.id ?? 0;
  });
  afterAll(async () => { await t?.close(); });

  const post = (cookie: string, body: unknown) => t.request('POST', '/api/v1/assessments', { cookie, body });
  const patch = (id: number, cookie: string, body: unknown, ifMatch?: string) =>
    t.request('PATCH', `/api/v1/assessments/${id}`, { cookie, body, headers: ifMatch ? { 'If-Match': ifMatch } : {} });
  const allRated = (rating = 'meets') => criteria.map((c) => ({ criterionId: c.id, rating, note: `Checked ${c.code}` }));
  const assessmentsOf = async (country: string) => t.handle.db.selectFrom('assessments').selectAll().where('country', '=', country).execute();

  it('lists the illustrative checklist: 20 criteria in the four pillars, in pillar order', () => {
    expect(criteria).toHaveLength(20);
    expect([...new Set(criteria.map((c) => c.pillar))]).toEqual(['employment', 'social_protection', 'standards', 'governance']);
  });

  it('editor Africa creates a draft country-team assessment for Kenya at an interim checkpoint; region is derived', async () => {
    const res = await post(africa, {
      entityType: 'country_team', country: 'KEN', checkpoint: '2013-03-31', assessedOn: '2013-03-31',
      ratings: [{ criterionId: criteria[0]?.id, rating: 'exceeds', note: 'Youth employment strategy adopted', evidenceUrl: 'https://example.org/ken' }, { criterionId: criteria[1]?.id, rating: 'not_applicable' }, { criterionId: criteria[2]?.id, rating: 'missing' }],
    });
    expect(res.status).toBe(201);
    const a = await json<AssessmentBody>(res);
    expect(a).toMatchObject({ entityType: 'country_team', entityKey: 'country_team:KEN', entityName: 'Kenya', region: 'AFR', status: 'draft', version: 1, pctMetOrExceeded: 0.5 });
    expect(a.counts).toEqual({ missing: 1, approaches: 0, meets: 0, exceeds: 1, not_applicable: 1 });
    expect(a.ratings[0]).toMatchObject({ code: criteria[0]?.code, note: 'Youth employment strategy adopted', evidenceUrl: 'https://example.org/ken' });
    expect(a.unrated).toHaveLength(17);
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('a second assessment of the same entity and checkpoint is 422 naming checkpoint; nothing is written', async () => {
    const before = await assessmentsOf('KEN');
    const res = await post(admin, { entityType: 'country_team', country: 'KEN', checkpoint: '2013-03-31', assessedOn: '2013-04-01' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<Problem>(res)).errors?.[0]?.field).toBe('checkpoint');
    expect(await assessmentsOf('KEN')).toHaveLength(before.length);
  });

  it('an unknown criterion is 422 naming ratings.N.criterionId; a rating outside the scale is 400 naming ratings.N.rating', async () => {
    const unknown = await post(admin, { entityType: 'country_team', country: 'KEN', checkpoint: '2014-01-31', assessedOn: '2014-01-31', ratings: [{ criterionId: criteria[0]?.id, rating: 'meets' }, { criterionId: 999999, rating: 'meets' }] });
    expect(unknown.status).toBe(422);
    expect((await json<Problem>(unknown)).errors).toEqual([{ field: 'ratings.1.criterionId', reason: 'no criterion with this id', value: 999999 }]);
    const scale = await post(admin, { entityType: 'country_team', country: 'KEN', checkpoint: '2014-01-31', assessedOn: '2014-01-31', ratings: [{ criterionId: criteria[0]?.id, rating: 'excellent' }] });
    expect(scale.status).toBe(400);
    expect((await json<Problem>(scale)).errors?.[0]?.field).toBe('ratings.0.rating');
    const twice = await post(admin, { entityType: 'country_team', country: 'KEN', checkpoint: '2014-01-31', assessedOn: '2014-01-31', ratings: [{ criterionId: criteria[0]?.id, rating: 'meets' }, { criterionId: criteria[0]?.id, rating: 'missing' }] });
    expect(twice.status).toBe(400);
    expect((await json<Problem>(twice)).errors?.[0]?.field).toBe('ratings.1.criterionId');
    const badCheckpoint = await post(admin, { entityType: 'country_team', country: 'KEN', checkpoint: '2020', assessedOn: '2014-01-31' });
    expect(badCheckpoint.status).toBe(400);
    expect((await json<Problem>(badCheckpoint)).errors?.[0]?.field).toBe('checkpoint');
    expect((await assessmentsOf('KEN')).filter((a) => a.checkpoint === '2014-01-31')).toHaveLength(0);
  });

  it('marking complete without every criterion rated is 422 naming each missing criterion; with all rated it is complete', async () => {
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    if (!a) throw new Error('no KEN assessment');
    const res = await patch(a.id, africa, { status: 'complete' }, '"1"');
    expect(res.status).toBe(422);
    const p = await json<Problem>(res);
    expect(p.errors).toHaveLength(17);
    expect(p.errors?.every((e) => e.field === 'ratings')).toBe(true);
    expect(p.errors?.map((e) => e.value)).toContain(criteria[19]?.id);
    expect(p.detail).toContain(criteria[19]?.code);
    const ok = await patch(a.id, africa, { status: 'complete', ratings: allRated('approaches').slice(3) }, '"1"');
    expect(ok.status).toBe(200);
    const done = await json<AssessmentBody>(ok);
    expect(done).toMatchObject({ status: 'complete', version: 2, unrated: [] });
    // Merged by criterion: the first three ratings stayed as they were.
    expect(done.ratings.slice(0, 3).map((r) => r.rating)).toEqual(['exceeds', 'not_applicable', 'missing']);
    expect(done.counts).toEqual({ missing: 1, approaches: 17, meets: 0, exceeds: 1, not_applicable: 1 });
    expect(done.pctMetOrExceeded).toBe(Math.round((1 / 19) * 1e6) / 1e6);
  });

  it('a stale If-Match is 412 with the current record; none is 428; nothing changes', async () => {
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    if (!a) throw new Error('no KEN assessment');
    const stale = await patch(a.id, africa, { assessedOn: '2013-04-02' }, '"1"');
    expect(stale.status).toBe(412);
    expect((await json<Problem>(stale)).current?.version).toBe(2);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await patch(a.id, africa, { assessedOn: '2013-04-02' })).status).toBe(428);
    expect((await getJson<AssessmentBody>(t, `/assessments/${a.id}`, viewer)).version).toBe(2);
  });

  it('history reads the changes, by whom', async () => {
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    const hist = await getJson<{ items: { action: string; summary: string; userEmail: string }[] }>(t, `/assessments/${a?.id ?? 0}/history`, viewer);
    expect(hist.items.map((i) => i.action)).toEqual(['update', 'create']);
    expect(hist.items[0]?.summary).toContain('status: draft → complete');
    expect(hist.items[0]?.userEmail).toBe('staff.africa@demo.local');
  });

  it('region scope: the Asia editor may not write a Kenya assessment, nor anyone without GLO a global agency\'s; admins may', async () => {
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    if (!a) throw new Error('no KEN assessment');
    const res = await patch(a.id, asia, { assessedOn: '2013-04-03' }, '"2"');
    expect(res.status).toBe(403);
    expect((await json<Problem>(res)).detail).toContain('AFR');
    expect((await post(asia, { entityType: 'country_team', country: 'GHA', checkpoint: '2013-03-31', assessedOn: '2013-03-31' })).status).toBe(403);
    expect((await post(viewer, { entityType: 'country_team', country: 'VNM', checkpoint: '2013-03-31', assessedOn: '2013-03-31' })).status).toBe(403);
    expect(globalAgency).toBeGreaterThan(0);
    const glo = await post(africa, { entityType: 'agency', partnerId: globalAgency, checkpoint: '2013-03-31', assessedOn: '2013-03-31' });
    expect(glo.status).toBe(403);
    expect((await json<Problem>(glo)).errors?.[0]).toMatchObject({ field: 'region', value: 'GLO' });
    const byAdmin = await post(admin, { entityType: 'agency', partnerId: globalAgency, checkpoint: '2013-03-31', assessedOn: '2013-03-31' });
    expect(byAdmin.status).toBe(201);
    expect(await json<AssessmentBody>(byAdmin)).toMatchObject({ region: 'GLO', entityKey: `agency:${globalAgency}` });
    // Asia may write Viet Nam's.
    expect((await post(asia, { entityType: 'country_team', country: 'VNM', checkpoint: '2013-03-31', assessedOn: '2013-03-31' })).status).toBe(201);
  });

  it('an agency must be a un or ifi partner (422 naming partnerId); the entity fields must match the type (400)', async () => {
    const donor = await t.handle.db.selectFrom('partners').select('id').where('partner_type', '=', 'donor').executeTakeFirstOrThrow();
    const res = await post(admin, { entityType: 'agency', partnerId: donor.id, checkpoint: '2013-03-31', assessedOn: '2013-03-31' });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).errors?.[0]?.field).toBe('partnerId');
    const mixed = await post(admin, { entityType: 'agency', country: 'KEN', checkpoint: '2013-03-31', assessedOn: '2013-03-31' });
    expect(mixed.status).toBe(400);
    expect((await json<Problem>(mixed)).errors?.map((e) => e.field).sort()).toEqual(['country', 'partnerId']);
  });

  it('criteria are versioned: rewording one keeps older ratings showing the text they were given against; retired ones leave the checklist', async () => {
    const c = criteria[4];
    if (!c) throw new Error('no criterion');
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    expect((await t.request('PATCH', `/api/v1/scorecard/criteria/${c.id}`, { cookie: africa, body: { text: 'x' }, headers: { 'If-Match': `"${c.version}"` } })).status).toBe(403);
    const res = await t.request('PATCH', `/api/v1/scorecard/criteria/${c.id}`, { cookie: admin, body: { text: 'Reworded by the admin.' }, headers: { 'If-Match': `"${c.version}"` } });
    expect(res.status).toBe(200);
    expect(await json<CriterionBody>(res)).toMatchObject({ text: 'Reworded by the admin.', version: c.version + 1 });
    const shown = await getJson<AssessmentBody>(t, `/assessments/${a?.id ?? 0}`, viewer);
    expect(shown.ratings.find((r) => r.criterionId === c.id)).toMatchObject({ text: c.text, criterionVersion: c.version });

    const retire = await t.request('PATCH', `/api/v1/scorecard/criteria/${c.id}`, { cookie: admin, body: { retired: true }, headers: { 'If-Match': `"${c.version + 1}"` } });
    expect(retire.status).toBe(200);
    expect((await getJson<{ items: CriterionBody[] }>(t, '/scorecard/criteria', viewer)).items).toHaveLength(19);
    expect((await getJson<{ items: CriterionBody[] }>(t, '/scorecard/criteria?includeRetired=true', viewer)).items).toHaveLength(20);
    const rate = await post(admin, { entityType: 'country_team', country: 'UGA', checkpoint: '2013-03-31', assessedOn: '2013-03-31', ratings: [{ criterionId: c.id, rating: 'meets' }] });
    expect(rate.status).toBe(422);
    expect((await json<Problem>(rate)).errors?.[0]?.reason).toContain('retired');
  });

  it('a new criterion: admins only, 201 with ETag; a taken code is 409', async () => {
    expect((await t.request('POST', '/api/v1/scorecard/criteria', { cookie: africa, body: { code: 'GS9', text: 'Extra', pillar: 'governance' } })).status).toBe(403);
    const res = await t.request('POST', '/api/v1/scorecard/criteria', { cookie: admin, body: { code: 'GS9', text: 'Joint work plans name decent work outcomes.', pillar: 'governance' } });
    expect(res.status).toBe(201);
    expect(await json<CriterionBody>(res)).toMatchObject({ code: 'GS9', version: 1, retired: false });
    expect((await t.request('POST', '/api/v1/scorecard/criteria', { cookie: admin, body: { code: 'GS9', text: 'Again', pillar: 'governance' } })).status).toBe(409);
  });

  it('lists assessments with filters and paging; delete needs If-Match and the region', async () => {
    const page = await getJson<{ items: AssessmentBody[]; total: number }>(t, '/assessments?country=VNM&checkpoint=2013-03-31', viewer);
    expect(page.total).toBe(1);
    const id = page.items[0]?.id ?? 0;
    expect((await t.request('DELETE', `/api/v1/assessments/${id}`, { cookie: africa, headers: { 'If-Match': '"1"' } })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/assessments/${id}`, { cookie: asia })).status).toBe(428);
    expect((await t.request('DELETE', `/api/v1/assessments/${id}`, { cookie: asia, headers: { 'If-Match': '"1"' } })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/assessments/${id}`, { cookie: viewer })).status).toBe(404);
    expect(await t.handle.db.selectFrom('assessment_ratings').selectAll().where('assessment_id', '=', id).execute()).toHaveLength(0);
    const all = await getJson<{ items: AssessmentBody[]; total: number }>(t, '/assessments?region=AFR&entityType=country_team&pageSize=5&sort=-assessedOn', viewer);
    expect(all.items).toHaveLength(5);
    expect(all.items.every((a) => a.region === 'AFR' && a.entityType === 'country_team')).toBe(true);
  });

  it('the scorecard shows the new complete assessment in the grid and the figures, and drops it before its assessed date', async () => {
    const view = await getJson<{ entities: { entityKey: string; byCheckpoint: Record<string, { assessmentId: number; status: string; ratings: (string | null)[] }> }[]; checkpoints: { code: string }[] }>(
      t, '/progress/scorecard?country=KEN&entityType=country_team', viewer);
    expect(view.checkpoints.map((c) => c.code)).toContain('2013-03-31');
    const ken = view.entities.find((e) => e.entityKey === 'country_team:KEN');
    expect(ken?.byCheckpoint['2013-03-31']).toMatchObject({ status: 'complete' });
    const before = await getJson<{ entities: { entityKey: string; byCheckpoint: Record<string, unknown> }[] }>(t, '/progress/scorecard?country=KEN&entityType=country_team&asOf=2013-03-30', viewer);
    expect(before.entities.find((e) => e.entityKey === 'country_team:KEN')?.byCheckpoint['2013-03-31']).toBeUndefined();
  });
  it('the cached scorecard answer follows every write (same URL before and after an edit), and viewers may not write', async () => {
    const url = '/progress/scorecard?country=KEN&entityType=country_team';
    type Cell = { pctMetOrExceeded: number | null; counts: Record<string, number> };
    const cell = async () => (await getJson<{ entities: { entityKey: string; byCheckpoint: Record<string, Cell> }[] }>(t, url, viewer)).entities[0]?.byCheckpoint['2013-03-31'];
    const before = await cell();
    const [a] = (await assessmentsOf('KEN')).filter((x) => x.checkpoint === '2013-03-31');
    if (!a) throw new Error('no KEN assessment');
    const current = await getJson<AssessmentBody>(t, `/assessments/${a.id}`, viewer);
    expect((await t.request('DELETE', `/api/v1/assessments/${a.id}`, { cookie: viewer, headers: { 'If-Match': `"${current.version}"` } })).status).toBe(403);
    // Still complete, so the criterion added meanwhile (GS9) must be rated too: complete means every current criterion.
    const gs9 = (await getJson<{ items: CriterionBody[] }>(t, '/scorecard/criteria', viewer)).items.find((c) => c.code === 'GS9');
    const missingNew = await patch(a.id, africa, { ratings: [{ criterionId: criteria[3]?.id, rating: 'exceeds' }] }, `"${current.version}"`);
    expect(missingNew.status).toBe(422);
    expect((await json<Problem>(missingNew)).detail).toContain('GS9');
    const res = await patch(a.id, africa, { ratings: [{ criterionId: criteria[3]?.id, rating: 'exceeds' }, { criterionId: gs9?.id, rating: 'not_applicable' }] }, `"${current.version}"`);
    expect(res.status).toBe(200);
    const after = await cell();
    expect(after?.counts.exceeds).toBe((before?.counts.exceeds ?? 0) + 1);
    expect(after?.counts.approaches).toBe((before?.counts.approaches ?? 0) - 1);
  });
});
