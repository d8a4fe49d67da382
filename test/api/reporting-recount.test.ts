/**
 * Issue 16, `figures=approved`: an independent recount. From the stored rows (plain SQL reads and a few lines of JS,
 * not the engine) the approved figures are counted again — a measurement counts when its date lies in a period
 * approved for its indicator's region, a milestone takes the last history row (by id) effective on or before asOf
 * and dated in a period approved for its region — and compared with the API for several filter sets and as-of
 * dates; then approved figures are shown to differ from latest exactly by the unapproved changes: a measurement in
 * an open period moves latest and not approved, and approving that period moves approved to include it. On SQLite
 * and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { getJson, json } from './record-fixtures.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');

interface Summary {
  asOf: string;
  milestones: { total: number; completed: number };
  indicators: { total: number; no_data: number };
  attainment: number | null;
}

describe.each(databases())('approved figures recounted on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let reviewer: string;
  let africa: string;
  let asia: string;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, reviewer, africa, asia] = await Promise.all([t.login('admin@demo.local'), t.login('reviewer@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local')]);
  });
  afterAll(async () => { await t?.close(); });

  /** The recount: everything read back as stored, counted here. */
  async function recount(regions: readonly string[], asOf: string): Promise<{ indicators: number; withData: number; attainment: number | null; milestones: number; completed: number }> {
    const db = t.handle.db;
    const windows = (await db.selectFrom('period_region_states as s').innerJoin('reporting_periods as p', 'p.id', 's.period_id')
      .select(['s.region', 'p.start_date', 'p.end_date']).where('s.state', '=', 'approved').execute());
    const approved = (region: string, date: string) => windows.some((w) => w.region === region && w.start_date <= date && date <= w.end_date);
    const plans = await db.selectFrom('action_plans').select(['id', 'region']).execute();
    const regionOf = new Map(plans.map((p) => [Number(p.id), p.region]));
    const inScope = (planId: number) => regions.length === 0 || regions.includes(regionOf.get(planId) ?? '');
    const indicators = (await db.selectFrom('indicators').select(['id', 'action_plan_id', 'baseline_value', 'target_value']).execute()).filter((i) => inScope(Number(i.action_plan_id)));
    const measurements = await db.selectFrom('measurements').select(['id', 'indicator_id', 'date', 'value']).execute();
    const latest = new Map<number, { date: string; id: number; value: number }>();
    const planOfIndicator = new Map(indicators.map((i) => [Number(i.id), Number(i.action_plan_id)]));
    for (const m of measurements) {
      const plan = planOfIndicator.get(Number(m.indicator_id));
      if (plan === undefined || m.date > asOf || !approved(regionOf.get(plan) ?? '', m.date)) continue;
      const cur = latest.get(Number(m.indicator_id));
      if (!cur || m.date > cur.date || (m.date === cur.date && Number(m.id) > cur.id)) latest.set(Number(m.indicator_id), { date: m.date, id: Number(m.id), value: Number(m.value) });
    }
    let sum = 0;
    for (const i of indicators) {
      const l = latest.get(Number(i.id));
      if (l) sum += Math.min((l.value - Number(i.baseline_value)) / (Number(i.target_value) - Number(i.baseline_value)), 1);
    }
    const milestones = (await db.selectFrom('milestones').select(['id', 'action_plan_id']).execute()).filter((m) => inScope(Number(m.action_plan_id)));
    const planOfMilestone = new Map(milestones.map((m) => [Number(m.id), Number(m.action_plan_id)]));
    const history = await db.selectFrom('milestone_history').select(['id', 'milestone_id', 'status', 'effective_date']).execute();
    const state = new Map<number, { id: number; status: string }>();
    for (const h of history) {
      const plan = planOfMilestone.get(Number(h.milestone_id));
      if (plan === undefined || h.effective_date > asOf || !approved(regionOf.get(plan) ?? '', h.effective_date)) continue;
      const cur = state.get(Number(h.milestone_id));
      if (!cur || Number(h.id) > cur.id) state.set(Number(h.milestone_id), { id: Number(h.id), status: h.status });
    }
    return {
      indicators: indicators.length, withData: latest.size, attainment: latest.size === 0 ? null : sum / latest.size,
      milestones: milestones.length, completed: [...state.values()].filter((s) => s.status === 'completed').length,
    };
  }

  const summary = (q: string) => getJson<Summary>(t, `/progress/summary?${q}`, admin);

  it.each([
    { regions: [] as string[], asOf: undefined },
    { regions: ['AME'], asOf: undefined },
    { regions: ['ECA', 'GLO'], asOf: '2011-06-30' },
    { regions: ['AFR'], asOf: undefined },
    { regions: [], asOf: '2009-12-31' },
  ])('GET /progress/summary?figures=approved equals the recount (regions $regions, asOf $asOf)', async ({ regions, asOf }) => {
    const q = [...regions.map((r) => `region=${r}`), ...(asOf ? [`asOf=${asOf}`] : [])].join('&');
    const s = await summary(`${q}&figures=approved`);
    const r = await recount(regions, asOf ?? '2026-11-28');
    expect(s.indicators.total).toBe(r.indicators);
    expect(s.indicators.total - s.indicators.no_data).toBe(r.withData);
    expect(s.milestones.total).toBe(r.milestones);
    expect(s.milestones.completed).toBe(r.completed);
    if (r.attainment === null) expect(s.attainment).toBeNull();
    else expect(s.attainment).toBeCloseTo(r.attainment, 5);
    // The demo approves AME, ARB, ECA and GLO through 2012 and nothing of Africa: today approved figures lack the
    // later measurements (fewer indicators with data); Africa has none approved; ECA and GLO as of mid-2011 are all approved.
    const latest = await summary(q);
    const withData = (x: Summary) => x.indicators.total - x.indicators.no_data;
    if (regions.includes('AFR')) expect(s.indicators.no_data).toBe(s.indicators.total);
    else if (asOf === '2011-06-30') expect(s).toEqual(latest);
    else expect(withData(latest)).toBeGreaterThan(withData(s));
  });

  it('an unknown figures value is a 400 naming the field', async () => {
    const res = await t.request('GET', '/api/v1/progress/summary?figures=final', { cookie: admin });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('figures');
  });

  it('a measurement in an open period moves latest, not approved; approving the period moves approved to include it', async () => {
    const periods = (await getJson<{ items: { id: number; name: string; regions: { region: string; state: string }[] }[] }>(t, '/reporting-periods', admin)).items;
    const p = periods.find((x) => x.name === '2014-H2');
    if (!p) throw new Error('no 2014-H2');
    expect(p.regions.find((r) => r.region === 'AFR')?.state).toBe('open');
    const ind = (await getJson<{ items: { id: number }[] }>(t, '/indicators?region=AFR&pageSize=1', admin)).items[0];
    if (!ind) throw new Error('no AFR indicator');
    const path = `/indicators/${ind.id}/progress`;
    const [latest0, approved0, sumApproved0, sumLatest0, plan0] = await Promise.all([
      getJson<{ measurements: { id: number }[] }>(t, path, admin), getJson<{ measurements: { id: number }[] }>(t, `${path}?figures=approved`, admin),
      summary('region=AFR&figures=approved'), summary('region=AFR'), getJson<unknown>(t, '/progress/by/region?figures=approved', admin),
    ]);
    const created = await t.request('POST', '/api/v1/measurements', { cookie: africa, body: { indicatorId: ind.id, value: 77, date: '2014-10-15', source: 'Recount test' } });
    expect(created.status).toBe(201);
    const mid = (await json<{ id: number }>(created)).id;

    const latest1 = await getJson<{ measurements: { id: number }[] }>(t, path, admin);
    const approved1 = await getJson<{ measurements: { id: number }[] }>(t, `${path}?figures=approved`, admin);
    expect(latest1.measurements.map((m) => m.id).sort((a, b) => a - b)).toEqual([...latest0.measurements.map((m) => m.id), mid].sort((a, b) => a - b));
    expect(approved1).toEqual(approved0);
    expect(await summary('region=AFR&figures=approved')).toEqual(sumApproved0);
    expect(await getJson<unknown>(t, '/progress/by/region?figures=approved', admin)).toEqual(plan0);
    const sumLatest1 = await summary('region=AFR');
    expect(sumLatest1.indicators.no_data).toBeLessThanOrEqual(sumLatest0.indicators.no_data);

    expect((await t.request('POST', `/api/v1/reporting-periods/${p.id}/regions/AFR/submit`, { cookie: africa, body: {} })).status).toBe(200);
    // Submitted is not approved: still left out.
    expect((await getJson<{ measurements: { id: number }[] }>(t, `${path}?figures=approved`, admin)).measurements.some((m) => m.id === mid)).toBe(false);
    expect((await t.request('POST', `/api/v1/reporting-periods/${p.id}/regions/AFR/approve`, { cookie: reviewer, body: {} })).status).toBe(200);
    const approved2 = await getJson<{ measurements: { id: number }[] }>(t, `${path}?figures=approved`, admin);
    // Approved now holds exactly the measurements of the indicator in approved periods: the new one among them.
    expect(approved2.measurements.some((m) => m.id === mid)).toBe(true);
    const r = await recount(['AFR'], '2026-11-28');
    const s2 = await summary('region=AFR&figures=approved');
    expect(s2.indicators.total - s2.indicators.no_data).toBe(r.withData);
    expect(r.withData).toBeGreaterThan(0);
  });

  it('an indicator moved to an Americas plan counts under the Americas\' approved periods at once (the derived tables are marked stale), and after the next approval too', async () => {
    const expectRecount = async (regions: string[]) => {
      const s = await summary(`${regions.map((x) => `region=${x}`).join('&')}&figures=approved`);
      const r = await recount(regions, '2026-11-28');
      expect(s.indicators.total).toBe(r.indicators);
      expect(s.indicators.total - s.indicators.no_data).toBe(r.withData);
      expect(s.milestones.completed).toBe(r.completed);
      if (r.attainment === null) expect(s.attainment).toBeNull();
      else expect(s.attainment).toBeCloseTo(r.attainment, 5);
    };
    // An Asia-Pacific indicator with measurements dated 2008–2012 (approved for the Americas, not for Asia-Pacific).
    const db = t.handle.db;
    const moving = await db.selectFrom('indicators as i').innerJoin('action_plans as p', 'p.id', 'i.action_plan_id').innerJoin('measurements as m', 'm.indicator_id', 'i.id')
      .select('i.id').where('p.region', '=', 'ASP').where('m.date', '>=', '2008-01-01').where('m.date', '<=', '2012-12-31').orderBy('i.id').executeTakeFirstOrThrow();
    const amePlan = await db.selectFrom('action_plans').select('id').where('region', '=', 'AME').orderBy('id').executeTakeFirstOrThrow();
    const before = await summary('region=AME&figures=approved');
    const tag = `"${(await getJson<{ version: number }>(t, `/indicators/${moving.id}`, admin)).version}"`;
    const res = await t.request('PATCH', `/api/v1/indicators/${moving.id}`, { cookie: admin, body: { actionPlanId: Number(amePlan.id) }, headers: { 'If-Match': tag } });
    expect(res.status).toBe(200);
    expect((await db.selectFrom('meta').select('value').where('key', '=', 'approved_derived').executeTakeFirstOrThrow()).value).toBe('stale');
    const after = await summary('region=AME&figures=approved');
    expect(after.indicators.total).toBe(before.indicators.total + 1);
    expect(after.indicators.total - after.indicators.no_data).toBe(before.indicators.total - before.indicators.no_data + 1);
    await expectRecount(['AME']);
    await expectRecount([]);
    // The next approval rebuilds the derived tables for the windows as they are; the figures stay those of the recount.
    const periods = (await getJson<{ items: { id: number; name: string }[] }>(t, '/reporting-periods', admin)).items;
    const p = periods.find((x) => x.name === '2013-H2');
    if (!p) throw new Error('no 2013-H2');
    expect((await t.request('POST', `/api/v1/reporting-periods/${p.id}/regions/ASP/submit`, { cookie: asia, body: {} })).status).toBe(200);
    expect((await t.request('POST', `/api/v1/reporting-periods/${p.id}/regions/ASP/approve`, { cookie: reviewer, body: {} })).status).toBe(200);
    expect((await db.selectFrom('meta').select('value').where('key', '=', 'approved_derived').executeTakeFirstOrThrow()).value).not.toBe('stale');
    await expectRecount(['AME']);
    await expectRecount(['ASP']);
    await expectRecount([]);
  });
});
