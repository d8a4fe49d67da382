/**
 * Issue 16, reporting cycles: a whole cycle (submit → return → resubmit → approve → a write into the locked
 * period is refused and changes nothing → reopen → the write succeeds), who may do what (403), transitions not
 * allowed from the current state (409 naming both), 20 concurrent approve/return calls leaving exactly one
 * transition, and timeline events CRUD, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { firstId, getJson, json } from './record-fixtures.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');

interface Problem { status: number; title: string; detail?: string; errors?: { field: string; reason: string; value?: unknown }[] }
interface RegionDetail {
  state: string; comment: string | null; version: number; overdue: boolean;
  toReport: { milestones: { id: number }[]; indicators: { id: number }[] };
  changes: { entity: string; by: string | null; action: string }[];
  transitions: { from: string; to: string; comment: string | null; by: string | null }[];
}
interface Period { id: number; name: string; startDate: string; endDate: string; regions: { region: string; state: string; overdue: boolean }[] }
interface Event { id: number; date: string; title: string; kind: string; verified: boolean; mandates: string[]; version: number }

describe.each(databases())('reporting cycles on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let africa: string;
  let asia: string;
  let reviewer: string;
  let periods: Period[];
  const periodNamed = (name: string) => {
    const p = periods.find((x) => x.name === name);
    if (!p) throw new Error(`no period ${name}`);
    return p;
  };

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, viewer, africa, asia, reviewer] = await Promise.all([
      t.login('admin@demo.local'), t.login('manager@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'), t.login('reviewer@demo.local'),
    ]);
    periods = (await getJson<{ items: Period[] }>(t, '/reporting-periods', viewer)).items;
  });
  afterAll(async () => { await t?.close(); });

  const act = (cookie: string, id: number, region: string, action: string, body: unknown = {}) =>
    t.request('POST', `/api/v1/reporting-periods/${id}/regions/${region}/${action}`, { cookie, body });
  const measurementCount = async () => Number((await t.handle.db.selectFrom('measurements').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('the status board lists the seeded half-years 2007–2015 with a state per region, overdue where the due date passed unsubmitted', () => {
    expect(periods).toHaveLength(18);
    expect(periods[0]).toMatchObject({ name: '2007-H1', startDate: '2007-01-01', endDate: '2007-06-30' });
    expect(periodNamed('2010-H1').regions.find((r) => r.region === 'ECA')).toMatchObject({ state: 'approved', overdue: false });
    expect(periodNamed('2015-H2').regions.find((r) => r.region === 'AFR')).toMatchObject({ state: 'open', overdue: true });
    expect(periodNamed('2012-H2').regions.find((r) => r.region === 'AFR')).toMatchObject({ state: 'submitted', overdue: false });
  });

  it('walks a whole cycle: submit → return → resubmit → approve → locked write refused (nothing changed) → reopen → the write succeeds', async () => {
    const p = periodNamed('2014-H1');
    const indicator = await firstId(t, admin, '/indicators?region=ASP&pageSize=1');
    const detail0 = await getJson<RegionDetail>(t, `/reporting-periods/${p.id}/regions/ASP`, asia);
    expect(detail0.state).toBe('open');
    expect(detail0.toReport.milestones.length + detail0.toReport.indicators.length).toBeGreaterThan(0);

    // Before approval the editor may record a measurement dated in the period: it shows in the reviewer's diff.
    const m1 = await t.request('POST', '/api/v1/measurements', { cookie: asia, body: { indicatorId: indicator, value: 41, date: '2014-03-15', source: 'Cycle test' } });
    expect(m1.status).toBe(201);
    const m1Id = (await json<{ id: number }>(m1)).id;

    expect((await act(asia, p.id, 'ASP', 'submit')).status).toBe(200);
    const review = await getJson<RegionDetail>(t, `/reporting-periods/${p.id}/regions/ASP`, reviewer);
    expect(review.state).toBe('submitted');
    expect(review.changes.some((c) => c.entity === 'measurement' && c.by === 'staff.asia@demo.local' && c.action === 'create')).toBe(true);

    const returned = await act(reviewer, p.id, 'ASP', 'return', { comment: 'Source missing for one value.' });
    expect(returned.status).toBe(200);
    expect(await json<RegionDetail>(returned)).toMatchObject({ state: 'returned', comment: 'Source missing for one value.' });
    const seen = await getJson<RegionDetail>(t, `/reporting-periods/${p.id}/regions/ASP`, asia);
    expect(seen.comment).toBe('Source missing for one value.');

    expect((await act(asia, p.id, 'ASP', 'submit', { comment: 'Source added.' })).status).toBe(200);
    const approved = await act(reviewer, p.id, 'ASP', 'approve');
    expect(approved.status).toBe(200);
    const a = await json<RegionDetail>(approved);
    expect(a.state).toBe('approved');
    expect(a.transitions.map((x) => `${x.from}>${x.to}`)).toEqual(['submitted>approved', 'returned>submitted', 'submitted>returned', 'open>submitted']);
    expect(a.changes).toEqual([]); // nothing changed since this approval

    // Locked: a new measurement dated in the period, a correction of one there, and a deletion are all 409 naming the period.
    const before = await measurementCount();
    const refused = await t.request('POST', '/api/v1/measurements', { cookie: asia, body: { indicatorId: indicator, value: 44, date: '2014-05-01' } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json<Problem>(refused);
    expect(problem.detail).toContain('2014-H1');
    expect(problem.errors?.[0]).toMatchObject({ field: 'date', value: '2014-05-01' });
    expect(await measurementCount()).toBe(before);
    const tag = `"${(await getJson<{ version: number }>(t, `/measurements/${m1Id}`, asia)).version}"`;
    const corr = await t.request('PATCH', `/api/v1/measurements/${m1Id}`, { cookie: asia, body: { value: 45 }, headers: { 'If-Match': tag } });
    expect(corr.status).toBe(409);
    expect((await getJson<{ value: number }>(t, `/measurements/${m1Id}`, asia)).value).toBe(41);
    // Moving a measurement INTO the locked period is refused too, and other regions are not locked by ASP's approval.
    const afrIndicator = await firstId(t, admin, '/indicators?region=AFR&pageSize=1');
    expect((await t.request('POST', '/api/v1/measurements', { cookie: africa, body: { indicatorId: afrIndicator, value: 3, date: '2014-05-01' } })).status).toBe(201);

    // An editor may not reopen; an admin must give a reason; then the write succeeds.
    expect((await act(asia, p.id, 'ASP', 'reopen', { reason: 'x' })).status).toBe(403);
    expect((await act(admin, p.id, 'ASP', 'reopen', {})).status).toBe(400);
    const reopened = await act(admin, p.id, 'ASP', 'reopen', { reason: 'Late correction from the regional office.' });
    expect(reopened.status).toBe(200);
    expect(await json<RegionDetail>(reopened)).toMatchObject({ state: 'reopened', comment: 'Late correction from the regional office.' });
    const ok = await t.request('POST', '/api/v1/measurements', { cookie: asia, body: { indicatorId: indicator, value: 44, date: '2014-05-01' } });
    expect(ok.status).toBe(201);

    const audit = await t.handle.db.selectFrom('audit').select(['action', 'user_email']).where('entity', '=', 'reporting_period').where('entity_id', '=', String(p.id)).where('region', '=', 'ASP').orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['submit', 'return', 'submit', 'approve', 'reopen']);
  });

  it('locks milestones by due date: an approved period refuses a progress update of a milestone due in it (nothing changed)', async () => {
    const p = periodNamed('2010-H2'); // ECA approved in the demo seed
    const page = await getJson<{ items: { id: number; version: number; status: string }[] }>(t, `/milestones?region=ECA&pageSize=100&sort=dueDate`, admin);
    const rows = await t.handle.db.selectFrom('milestones').innerJoin('action_plans', 'action_plans.id', 'milestones.action_plan_id')
      .select(['milestones.id', 'milestones.version', 'milestones.status']).where('action_plans.region', '=', 'ECA')
      .where('milestones.due_date', '>=', p.startDate).where('milestones.due_date', '<=', p.endDate).limit(1).execute();
    expect(page.items.length).toBeGreaterThan(0);
    const m = rows[0];
    if (!m) throw new Error('no ECA milestone due in 2010-H2');
    const res = await t.request('PATCH', `/api/v1/milestones/${m.id}`, { cookie: admin, body: { evidenceNote: 'late note' }, headers: { 'If-Match': `"${m.version}"` } });
    expect(res.status).toBe(409);
    expect((await json<Problem>(res)).detail).toContain('2010-H2');
    const after = await t.handle.db.selectFrom('milestones').select(['version', 'evidence_note']).where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(Number(after.version)).toBe(Number(m.version));
    expect(after.evidence_note).not.toBe('late note');
  });

  it('wrong role or region is 403; a transition not allowed from the current state is 409 naming both states', async () => {
    const p = periodNamed('2014-H2');
    expect((await act(africa, p.id, 'ASP', 'submit')).status).toBe(403);
    expect((await act(viewer, p.id, 'ASP', 'submit')).status).toBe(403);
    expect((await act(reviewer, p.id, 'ASP', 'submit')).status).toBe(403);
    const early = await act(reviewer, p.id, 'ASP', 'approve');
    expect(early.status).toBe(409);
    expect((await json<Problem>(early)).detail).toMatch(/approve.*open.*submitted/);
    expect((await act(asia, p.id, 'ASP', 'submit')).status).toBe(200);
    expect((await act(asia, p.id, 'ASP', 'approve')).status).toBe(403); // editors do not review
    expect((await act(reviewer, p.id, 'ECA', 'approve')).status).toBe(403); // not the reviewer's region
    expect((await act(reviewer, p.id, 'ASP', 'return', {})).status).toBe(400); // a return needs a comment
    const twice = await act(asia, p.id, 'ASP', 'submit');
    expect(twice.status).toBe(409);
    expect((await json<Problem>(twice)).detail).toMatch(/submit.*submitted.*open, returned or reopened/);
  });

  it('20 concurrent approve/return calls on one submission leave exactly one transition', async () => {
    const p = periodNamed('2015-H1');
    expect((await act(africa, p.id, 'AFR', 'submit')).status).toBe(200);
    const count = async () => Number((await t.handle.db.selectFrom('reporting_transitions').select((eb) => eb.fn.countAll().as('n')).where('period_id', '=', p.id).where('region', '=', 'AFR').executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0
      ? act(reviewer, p.id, 'AFR', 'approve')
      : act(reviewer, p.id, 'AFR', 'return', { comment: `race ${i}` }))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await count()).toBe(2);
    const state = await t.handle.db.selectFrom('period_region_states').select(['state', 'version']).where('period_id', '=', p.id).where('region', '=', 'AFR').executeTakeFirstOrThrow();
    expect(['approved', 'returned']).toContain(state.state);
    expect(Number(state.version)).toBe(3);
  });

  it('admins define periods (no overlaps, end after start) and may not move an approved period', async () => {
    const created = await t.request('POST', '/api/v1/reporting-periods', { cookie: admin, body: { name: '2016-H1', startDate: '2016-01-01', endDate: '2016-06-30', dueDate: '2016-08-31' } });
    expect(created.status).toBe(201);
    const p = await json<Period>(created);
    expect(p.regions.every((r) => r.state === 'open')).toBe(true);
    expect((await t.request('POST', '/api/v1/reporting-periods', { cookie: admin, body: { name: 'overlap', startDate: '2016-06-01', endDate: '2016-12-31', dueDate: '2017-02-28' } })).status).toBe(409);
    expect((await t.request('POST', '/api/v1/reporting-periods', { cookie: admin, body: { name: 'bad', startDate: '2017-06-01', endDate: '2017-01-01', dueDate: '2017-08-31' } })).status).toBe(400);
    expect((await t.request('POST', '/api/v1/reporting-periods', { cookie: asia, body: { name: '2017', startDate: '2017-01-01', endDate: '2017-12-31', dueDate: '2018-02-28' } })).status).toBe(403);
    const renamed = await t.request('PATCH', `/api/v1/reporting-periods/${p.id}`, { cookie: admin, body: { dueDate: '2016-09-30' } });
    expect(renamed.status).toBe(200);
    expect(await json<{ dueDate: string }>(renamed)).toMatchObject({ dueDate: '2016-09-30' });
    const locked = periodNamed('2010-H1');
    const moved = await t.request('PATCH', `/api/v1/reporting-periods/${locked.id}`, { cookie: admin, body: { endDate: '2010-07-31' } });
    expect(moved.status).toBe(409);
    expect((await json<Problem>(moved)).detail).toContain('2010-H1');
  });

  it('events: everyone reads the seeded real events (unverified days flagged); admins create, edit and delete; others 403', async () => {
    const list = (await getJson<{ items: Event[] }>(t, '/events', viewer)).items;
    expect(list.find((e) => e.date === '2006-07-05')).toMatchObject({ kind: 'ecosoc', verified: true, mandates: ['ECOSOC-MD-2006'] });
    expect(list.find((e) => e.date === '2009-06-19')).toMatchObject({ verified: true, mandates: ['GJP-2009'] });
    expect(list.find((e) => e.mandates.includes('QCPR-2012'))).toMatchObject({ date: '2012-12-21', verified: false });
    expect(list.map((e) => e.date)).toEqual([...list.map((e) => e.date)].sort());
    const only = (await getJson<{ items: Event[] }>(t, '/events?mandate=RIO20-2012', viewer)).items;
    expect(only.map((e) => e.date)).toEqual(['2012-06-22']);

    const body = { date: '2010-07-01', title: 'ECOSOC substantive session', kind: 'ecosoc', url: 'https://www.un.org/ecosoc', mandates: ['ECOSOC-MD-2006'] };
    expect((await t.request('POST', '/api/v1/events', { cookie: asia, body })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/events', { cookie: admin, body: { ...body, kind: 'party' } })).status).toBe(400);
    const created = await t.request('POST', '/api/v1/events', { cookie: admin, body });
    expect(created.status).toBe(201);
    const e = await json<Event>(created);
    expect(e).toMatchObject({ ...body, verified: false, version: 1 });
    const patched = await t.request('PATCH', `/api/v1/events/${e.id}`, { cookie: admin, body: { verified: true } });
    expect(await json<Event>(patched)).toMatchObject({ verified: true, version: 2 });
    expect((await t.request('PATCH', `/api/v1/events/${e.id}`, { cookie: viewer, body: { verified: false } })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/events/${e.id}`, { cookie: admin })).status).toBe(204);
    expect((await t.request('DELETE', `/api/v1/events/${e.id}`, { cookie: admin })).status).toBe(404);
    const audit = await t.handle.db.selectFrom('audit').select('action').where('entity', '=', 'event').where('entity_id', '=', String(e.id)).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['create', 'update', 'delete']);
  });
});
