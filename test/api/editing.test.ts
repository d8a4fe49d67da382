/**
 * Issue 5, "Checked by": staff update milestones of their region with If-Match; stale → 412 with the current
 * record, missing → 428, other region or viewer → 403, fields the role may not change → 403 naming them,
 * and the audit trail shows before and after. Plus measurements, My work and admin user management.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { etagOf, firstId, getJson, json, planIn } from './record-fixtures.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');

interface Problem { status: number; title: string; detail?: string; errors?: { field: string; reason: string }[]; current?: Record<string, unknown> }
interface MilestoneBody { id: number; status: string; percentComplete: number; completedDate: string | null; region: string; version: number; evidenceNote: string | null }

describe.each(databases())('staff editing on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let africa: string;
  let asia: string;
  let afrMilestone: number;
  let aspMilestone: number;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, viewer, africa, asia] = await Promise.all([
      t.login('admin@demo.local'), t.login('manager@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'),
    ]);
    afrMilestone = await firstId(t, admin, '/milestones?region=AFR&status=in_progress&pageSize=1');
    aspMilestone = await firstId(t, admin, '/milestones?region=ASP&status=in_progress&pageSize=1');
  });
  afterAll(async () => { await t?.close(); });

  const patch = (id: number, cookie: string, body: unknown, ifMatch?: string) =>
    t.request('PATCH', `/api/v1/milestones/${id}`, { cookie, body, headers: ifMatch ? { 'If-Match': ifMatch } : {} });

  it('editor Africa completes an Africa milestone with the right If-Match: 200, new ETag, history row; the same request again is 412 with the current record', async () => {
    const before = await getJson<MilestoneBody>(t, `/milestones/${afrMilestone}`, africa);
    const tag = await etagOf(t, `/milestones/${afrMilestone}`, africa);
    expect(tag).toBe(`"${before.version}"`);
    const body = { status: 'completed', evidenceNote: 'Validated report filed with the regional office.' };

    const ok = await patch(afrMilestone, africa, body, tag);
    expect(ok.status).toBe(200);
    const after = await json<MilestoneBody>(ok);
    expect(ok.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(after).toMatchObject({ status: 'completed', percentComplete: 100, completedDate: '2026-11-28', version: before.version + 1, evidenceNote: body.evidenceNote });

    const history = await t.handle.db.selectFrom('milestone_history').selectAll().where('milestone_id', '=', afrMilestone).where('version', '=', after.version).execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: 'completed', percent_complete: 100, completed_date: '2026-11-28', effective_date: '2026-11-28', changed_at: NOW.toISOString(), changed_by: 3 });

    const again = await patch(afrMilestone, africa, body, tag);
    expect(again.status).toBe(412);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json<Problem>(again);
    expect(problem.current).toMatchObject({ id: afrMilestone, status: 'completed', version: after.version });
    expect(again.headers.get('etag')).toBe(`"${after.version}"`);
  });

  it('the audit entry shows the change before and after, readable', async () => {
    const page = await getJson<{ items: { action: string; userEmail: string; before: MilestoneBody; after: MilestoneBody; changes: { field: string; from: unknown; to: unknown }[]; summary: string }[] }>(
      t, `/audit?entity=milestone&entityId=${afrMilestone}&action=update`, admin);
    expect(page.items).toHaveLength(1);
    const [entry] = page.items;
    expect(entry?.userEmail).toBe('staff.africa@demo.local');
    expect(entry?.before.status).toBe('in_progress');
    expect(entry?.after.status).toBe('completed');
    expect(entry?.changes).toContainEqual({ field: 'status', from: 'in_progress', to: 'completed' });
    expect(entry?.summary).toContain('status: in progress → completed');
    expect(entry?.summary).toContain('by staff.africa@demo.local, 2026-11-28 10:04 UTC');
    // The same readable history is on the record itself.
    const hist = await getJson<{ items: { summary: string }[] }>(t, `/milestones/${afrMilestone}/history`, viewer);
    const summary = hist.items[0]?.summary ?? '';
    expect(summary).toMatch(/^status: in progress → completed; percentComplete: \d+ → 100; completedDate: — → 2026-11-28/);
    expect(summary.endsWith(', by staff.africa@demo.local, 2026-11-28 10:04 UTC')).toBe(true);
  });

  it('without If-Match: 428 problem+json, nothing changes', async () => {
    const before = await getJson<MilestoneBody>(t, `/milestones/${afrMilestone}`, africa);
    const res = await patch(afrMilestone, africa, { percentComplete: 90 });
    expect(res.status).toBe(428);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await getJson<MilestoneBody>(t, `/milestones/${afrMilestone}`, africa)).version).toBe(before.version);
  });

  it('editor Africa on an Asia milestone: 403, even with the right If-Match', async () => {
    const tag = await etagOf(t, `/milestones/${aspMilestone}`, africa);
    const res = await patch(aspMilestone, africa, { percentComplete: 80 }, tag);
    expect(res.status).toBe(403);
    expect((await json<Problem>(res)).detail).toContain('ASP');
    expect(await etagOf(t, `/milestones/${aspMilestone}`, africa)).toBe(tag);
  });

  it('viewer: 403', async () => {
    const tag = await etagOf(t, `/milestones/${afrMilestone}`, viewer);
    expect((await patch(afrMilestone, viewer, { percentComplete: 80 }, tag)).status).toBe(403);
  });

  it('editor sending title (a planning field) gets 403 naming it: rejected, not ignored', async () => {
    const tag = await etagOf(t, `/milestones/${afrMilestone}`, africa);
    const res = await patch(afrMilestone, africa, { percentComplete: 95, title: 'Renamed by staff' }, tag);
    expect(res.status).toBe(403);
    const problem = await json<Problem>(res);
    expect(problem.errors?.map((e) => e.field)).toEqual(['title']);
    expect(problem.detail).toContain('"title"');
    const now = await getJson<MilestoneBody & { title: string }>(t, `/milestones/${afrMilestone}`, africa);
    expect(now.title).not.toBe('Renamed by staff');
    expect(now.percentComplete).toBe(100);
  });

  it('moving a milestone into another region (an Asia action plan) is 403 for the Africa editor; admins may', async () => {
    const aspPlan = await planIn(t, admin, 'ASP');
    const tag = await etagOf(t, `/milestones/${afrMilestone}`, africa);
    const res = await patch(afrMilestone, africa, { actionPlanId: aspPlan }, tag);
    expect(res.status).toBe(403);
    expect((await getJson<MilestoneBody>(t, `/milestones/${afrMilestone}`, africa)).region).toBe('AFR');
    // The Asia editor can't pull it over either: the record is not theirs to begin with.
    expect((await patch(afrMilestone, asia, { actionPlanId: aspPlan }, tag)).status).toBe(403);
  });

  it('editors record measurements for their regions\' indicators only, and correct them with If-Match', async () => {
    const afrIndicator = await firstId(t, admin, '/indicators?region=AFR&pageSize=1');
    const aspIndicator = await firstId(t, admin, '/indicators?region=ASP&pageSize=1');
    const created = await t.request('POST', '/api/v1/measurements', { cookie: africa, body: { indicatorId: afrIndicator, value: 42, date: '2026-11-27', source: 'Labour force survey' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const m = await json<{ id: number; region: string }>(created);
    expect(m.region).toBe('AFR');
    const other = await t.request('POST', '/api/v1/measurements', { cookie: africa, body: { indicatorId: aspIndicator, value: 42, date: '2026-11-27' } });
    expect(other.status).toBe(403);
    const fixed = await t.request('PATCH', `/api/v1/measurements/${m.id}`, { cookie: africa, body: { value: 41.5 }, headers: { 'If-Match': '"1"' } });
    expect(fixed.status).toBe(200);
    expect(await json(fixed)).toMatchObject({ value: 41.5, version: 2 });
    // Editors may not delete, and may not write indicators themselves.
    expect((await t.request('DELETE', `/api/v1/measurements/${m.id}`, { cookie: africa, headers: { 'If-Match': '"2"' } })).status).toBe(403);
    const itag = await etagOf(t, `/indicators/${afrIndicator}`, africa);
    expect((await t.request('PATCH', `/api/v1/indicators/${afrIndicator}`, { cookie: africa, body: { targetValue: 1 }, headers: { 'If-Match': itag } })).status).toBe(403);
  });

  it('My work: the Africa editor sees Africa milestones that are overdue or due within 90 days, and Africa indicators without a recent measurement', async () => {
    const work = await getJson<{ asOf: string; milestones: { region: string; dueDate: string; status: string; overdue: boolean }[]; indicators: { region: string; lastMeasurementDate: string | null; id: number }[] }>(t, '/my-work', africa);
    expect(work.asOf).toBe('2026-11-28');
    expect(work.milestones.length).toBeGreaterThan(0);
    for (const m of work.milestones) {
      expect(m.region).toBe('AFR');
      expect(['completed', 'cancelled']).not.toContain(m.status);
      expect(m.dueDate <= '2027-02-26').toBe(true);
      expect(m.overdue).toBe(m.dueDate < '2026-11-28');
    }
    expect(work.milestones.some((m) => m.region === 'AFR')).toBe(true);
    for (const i of work.indicators) {
      expect(i.region).toBe('AFR');
      expect(i.lastMeasurementDate === null || i.lastMeasurementDate < '2025-11-28').toBe(true);
    }
    // The indicator measured yesterday (previous test) is no longer waiting for a measurement.
    const measured = await firstId(t, admin, '/indicators?region=AFR&pageSize=1');
    expect(work.indicators.map((i) => i.id)).not.toContain(measured);
    // A milestone due next month in Africa shows up; the completed one does not.
    const plan = await planIn(t, admin, 'AFR');
    const soon = await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { actionPlanId: plan, title: 'Submit the 2026 review', dueDate: '2026-12-20' } });
    expect(soon.status).toBe(201);
    const soonId = (await json<{ id: number }>(soon)).id;
    const again = await getJson<{ milestones: { id: number; overdue: boolean }[] }>(t, '/my-work', africa);
    expect(again.milestones.find((m) => m.id === soonId)).toMatchObject({ overdue: false });
    expect(again.milestones.map((m) => m.id)).not.toContain(afrMilestone);
    expect((await getJson<{ milestones: { id: number }[] }>(t, '/my-work', asia)).milestones.map((m) => m.id)).not.toContain(soonId);
    expect((await t.request('GET', '/api/v1/my-work', { cookie: viewer })).status).toBe(403);
  });

  it('admin user management: create an editor, set regions, disable (their session ends at once), reset the password', async () => {
    const created = await t.request('POST', '/api/v1/users', { cookie: admin, body: { email: 'Staff.Arab@demo.local', name: 'Staff, Arab States', role: 'editor', regions: ['ARB'], password: 'a-long-enough-password' } });
    expect(created.status).toBe(201);
    const u = await json<{ id: number; email: string; regions: string[]; version: number }>(created);
    expect(u).toMatchObject({ email: 'staff.arab@demo.local', regions: ['ARB'], version: 1 });
    expect((await t.request('POST', '/api/v1/users', { cookie: admin, body: { email: 'staff.arab@demo.local', name: 'Dup', role: 'viewer', password: 'a-long-enough-password' } })).status).toBe(409);

    const session = await t.login('staff.arab@demo.local', 'a-long-enough-password');
    expect((await t.request('GET', '/api/v1/auth/me', { cookie: session })).status).toBe(200);
    const widened = await t.request('PATCH', `/api/v1/users/${u.id}`, { cookie: admin, body: { regions: ['ARB', 'AFR'] }, headers: { 'If-Match': '"1"' } });
    expect(widened.status).toBe(200);
    expect((await json<{ regions: string[] }>(widened)).regions).toEqual(['ARB', 'AFR']);
    const me = await getJson<{ user: { regions: string[] } }>(t, '/auth/me', session);
    expect(me.user.regions).toEqual(['ARB', 'AFR']);

    const disabled = await t.request('PATCH', `/api/v1/users/${u.id}`, { cookie: admin, body: { disabled: true }, headers: { 'If-Match': '"2"' } });
    expect(disabled.status).toBe(200);
    expect((await t.request('GET', '/api/v1/auth/me', { cookie: session })).status).toBe(401);
    expect(await t.handle.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toHaveLength(0);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { email: 'staff.arab@demo.local', password: 'a-long-enough-password' } })).status).toBe(401);

    const reset = await t.request('PATCH', `/api/v1/users/${u.id}`, { cookie: admin, body: { disabled: false, password: 'another-long-password' }, headers: { 'If-Match': '"3"' } });
    expect(reset.status).toBe(200);
    expect((await t.request('POST', '/api/v1/auth/login', { body: { email: 'staff.arab@demo.local', password: 'a-long-enough-password' } })).status).toBe(401);
    await t.login('staff.arab@demo.local', 'another-long-password');
    // The audit entry never carries a password or its hash.
    const audit = await getJson<{ items: { after: Record<string, unknown> }[] }>(t, `/audit?entity=user&entityId=${u.id}&action=update`, admin);
    expect(JSON.stringify(audit.items)).not.toMatch(/password_hash|another-long-password|scrypt/);
    expect(audit.items[0]?.after.passwordReset).toBe(true);

    // Only admins manage users; an admin can't lock themselves out.
    expect((await t.request('GET', '/api/v1/users', { cookie: africa })).status).toBe(403);
    const selfTag = await etagOf(t, '/users/1', admin);
    expect((await t.request('PATCH', '/api/v1/users/1', { cookie: admin, body: { disabled: true }, headers: { 'If-Match': selfTag } })).status).toBe(409);
  });
});
