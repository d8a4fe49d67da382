/**
 * The audit trail (issue 5): every create/update/delete with who, when and before/after; failed sign-ins and
 * refused authorizations too; readable by admins (all) and editors (their regions); never changeable.
 */
import { ENDPOINTS } from '@mm/server/routes/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { etagOf, firstId, getJson, json, planIn } from './record-fixtures.ts';

interface Entry {
  id: number; at: string; userEmail: string | null; action: string; entity: string; entityId: string | null; region: string | null;
  before: Record<string, unknown> | null; after: Record<string, unknown> | null; changes: { field: string; from: unknown; to: unknown }[]; summary: string;
}
interface Page { items: Entry[]; total: number; page: number; pageSize: number }

let tick = Date.parse('2026-11-28T08:00:00.000Z');

describe.each(databases())('audit trail on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let africa: string;
  let asia: string;

  beforeAll(async () => {
    // A clock that moves a second per reading, so entries have distinct, ordered times.
    t = await startTestApp(kind, { clock: () => new Date((tick += 1000)) });
    [admin, viewer, africa, asia] = await Promise.all([
      t.login('admin@demo.local'), t.login('manager@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'),
    ]);
  });
  afterAll(async () => { await t?.close(); });

  const audit = (query: string, cookie = admin) => getJson<Page>(t, `/audit?${query}`, cookie);

  it('records create, update and delete with who, when (UTC) and the fields before and after', async () => {
    const plan = await planIn(t, admin, 'AFR');
    const created = await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { actionPlanId: plan, title: 'Audit me', dueDate: '2015-06-30' } });
    expect(created.status).toBe(201);
    const id = (await json<{ id: number }>(created)).id;
    const updated = await t.request('PATCH', `/api/v1/milestones/${id}`, { cookie: admin, body: { title: 'Audit me, renamed', percentComplete: 30 }, headers: { 'If-Match': '"1"' } });
    expect(updated.status).toBe(200);
    const deleted = await t.request('DELETE', `/api/v1/milestones/${id}`, { cookie: admin, headers: { 'If-Match': '"2"' } });
    expect(deleted.status).toBe(204);

    const page = await audit(`entity=milestone&entityId=${id}`);
    expect(page.items.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    const [del, upd, cre] = page.items;
    for (const e of page.items) {
      expect(e).toMatchObject({ userEmail: 'admin@demo.local', entity: 'milestone', entityId: String(id), region: 'AFR' });
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(cre?.before).toBeNull();
    expect(cre?.after).toMatchObject({ id, title: 'Audit me', status: 'not_started', version: 1 });
    expect(upd?.before).toMatchObject({ title: 'Audit me', percentComplete: 0, version: 1 });
    expect(upd?.after).toMatchObject({ title: 'Audit me, renamed', percentComplete: 30, version: 2 });
    expect(upd?.changes).toEqual([{ field: 'title', from: 'Audit me', to: 'Audit me, renamed' }, { field: 'percentComplete', from: 0, to: 30 }]);
    expect(upd?.summary).toMatch(/^title: Audit me → Audit me, renamed; percentComplete: 0 → 30, by admin@demo\.local, 2026-11-28 \d\d:\d\d UTC$/);
    expect(del?.before).toMatchObject({ title: 'Audit me, renamed', version: 2 });
    expect(del?.after).toBeNull();
    expect(del?.summary).toContain('milestone deleted, by admin@demo.local');
  });

  it('writes nothing for a write that did not happen (stale, invalid or refused)', async () => {
    const id = await firstId(t, admin, '/milestones?region=AFR&status=in_progress&pageSize=1');
    const before = (await audit(`entity=milestone&entityId=${id}&action=update`)).total;
    expect((await t.request('PATCH', `/api/v1/milestones/${id}`, { cookie: africa, body: { percentComplete: 70 }, headers: { 'If-Match': '"99"' } })).status).toBe(412);
    expect((await t.request('PATCH', `/api/v1/milestones/${id}`, { cookie: africa, body: { percentComplete: 170 }, headers: { 'If-Match': '"1"' } })).status).toBe(400);
    expect((await t.request('PATCH', `/api/v1/milestones/${id}`, { cookie: asia, body: { percentComplete: 70 }, headers: { 'If-Match': '"1"' } })).status).toBe(403);
    expect((await audit(`entity=milestone&entityId=${id}&action=update`)).total).toBe(before);
  });

  it('records failed sign-ins', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 'staff.asia@demo.local', password: 'guess-one' } });
    expect(res.status).toBe(401);
    await t.request('POST', '/api/v1/auth/login', { body: { email: 'nobody@demo.local', password: 'guess-two' } });
    const page = await audit('action=login_failed');
    const reasons = page.items.map((e) => [e.after?.email, e.after?.reason]);
    expect(reasons).toContainEqual(['staff.asia@demo.local', 'wrong password']);
    expect(reasons).toContainEqual(['nobody@demo.local', 'unknown account']);
    // The password tried is never stored.
    expect(JSON.stringify(page.items)).not.toContain('guess-');
  });

  it('records refused authorizations: by role, by region and by field', async () => {
    const afr = await firstId(t, admin, '/milestones?region=AFR&pageSize=1');
    const asp = await firstId(t, admin, '/milestones?region=ASP&pageSize=1');
    expect((await t.request('PATCH', `/api/v1/milestones/${afr}`, { cookie: viewer, body: { percentComplete: 1 }, headers: { 'If-Match': '"1"' } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/milestones/${asp}`, { cookie: africa, body: { percentComplete: 1 }, headers: { 'If-Match': await etagOf(t, `/milestones/${asp}`, africa) } })).status).toBe(403);
    expect((await t.request('PATCH', `/api/v1/milestones/${afr}`, { cookie: africa, body: { dueDate: '2030-01-01' }, headers: { 'If-Match': await etagOf(t, `/milestones/${afr}`, africa) } })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/users', { cookie: africa })).status).toBe(403);

    const refused = (await audit('action=forbidden&pageSize=100')).items;
    const by = (email: string, route: string) => refused.filter((e) => e.userEmail === email && e.entityId === route);
    expect(by('manager@demo.local', `PATCH /api/v1/milestones/${afr}`)).toHaveLength(1);
    expect(String(by('staff.africa@demo.local', `PATCH /api/v1/milestones/${asp}`)[0]?.after?.reason)).toContain('ASP');
    expect(String(by('staff.africa@demo.local', `PATCH /api/v1/milestones/${afr}`)[0]?.after?.reason)).toContain('"dueDate"');
    expect(by('staff.africa@demo.local', 'GET /api/v1/users')).toHaveLength(1);
  });

  it('filters by entity, record, user and period, newest first, paginated', async () => {
    const mine = await audit('user=STAFF.AFRICA@demo.local&pageSize=100');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((e) => e.userEmail === 'staff.africa@demo.local')).toBe(true);
    const byId = await audit('user=3&pageSize=100');
    expect(byId.total).toBe(mine.total);
    // An id beyond the id range is nobody (it once overflowed PostgreSQL's integer column: a 500 the fuzzer found).
    expect((await audit('user=2147483648')).total).toBe(0);
    expect((await audit('user=99999999999999999999')).total).toBe(0);
    const times = mine.items.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expect((await audit('from=2026-11-29')).total).toBe(0);
    expect((await audit('to=2026-11-27')).total).toBe(0);
    const today = await audit('from=2026-11-28&to=2026-11-28&pageSize=2&page=2');
    expect(today).toMatchObject({ page: 2, pageSize: 2 });
    expect(today.items).toHaveLength(2);
    const bad = await t.request('GET', '/api/v1/audit?from=yesterday', { cookie: admin });
    expect(bad.status).toBe(400);
    expect((await t.request('GET', '/api/v1/audit?colour=red', { cookie: admin })).status).toBe(400);
  });

  it('editors read only the entries of their regions; viewers none', async () => {
    const afr = await firstId(t, admin, '/milestones?region=AFR&status=in_progress&pageSize=1');
    const res = await t.request('PATCH', `/api/v1/milestones/${afr}`, { cookie: africa, body: { percentComplete: 61 }, headers: { 'If-Match': await etagOf(t, `/milestones/${afr}`, africa) } });
    expect(res.status).toBe(200);
    const forAfrica = await audit('pageSize=500', africa);
    expect(forAfrica.items.length).toBeGreaterThan(0);
    expect(new Set(forAfrica.items.map((e) => e.region))).toEqual(new Set(['AFR']));
    expect(forAfrica.items.some((e) => e.entityId === String(afr) && e.action === 'update')).toBe(true);
    const forAsia = await audit(`entity=milestone&entityId=${afr}`, asia);
    expect(forAsia.total).toBe(0);
    expect((await t.request('GET', '/api/v1/audit', { cookie: viewer })).status).toBe(403);
    expect((await t.request('GET', '/api/v1/audit')).status).toBe(401);
  });

  it('cannot be changed or deleted: no route writes it, and the database refuses it', async () => {
    expect(ENDPOINTS.filter((ep) => ep.path.startsWith('/audit') && ep.method !== 'get')).toEqual([]);
    const [first] = (await audit('pageSize=1')).items;
    if (!first) throw new Error('no audit entry');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/v1/audit', `/api/v1/audit/${first.id}`]) {
        const res = await t.request(method, path, { cookie: admin, body: { action: 'nothing happened' }, headers: { 'If-Match': '"1"' } });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    await expect(t.handle.db.updateTable('audit').set({ action: 'nothing happened' }).where('id', '=', first.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.handle.db.deleteFrom('audit').where('id', '=', first.id).execute()).rejects.toThrow(/append-only/);
    expect((await audit('pageSize=1')).items[0]).toEqual(first);
  });
});
