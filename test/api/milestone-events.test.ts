/**
 * Issue 16: a milestone links to the timeline event it prepares (`eventId`). Admins set and clear it on create and
 * PATCH; an unknown event is a 400 naming eventId that changes nothing; editors may not change it (403 naming the
 * field); the change shows in the milestone's history; deleting the event clears the link as a versioned, audited
 * change. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { etagOf, getJson, json, planIn } from './record-fixtures.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');

interface Problem { status: number; errors?: { field: string; reason: string; value?: unknown }[] }
interface Milestone { id: number; eventId: number | null; version: number; title: string; region: string }
interface History { items: { changes: { field: string; from: unknown; to: unknown }[]; summary: string }[] }

describe.each(databases())('milestone ↔ event link on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let africa: string;
  let eventId: number;
  let otherEventId: number;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    [admin, africa] = await Promise.all([t.login('admin@demo.local'), t.login('staff.africa@demo.local')]);
    const mk = async (title: string) => {
      const r = await t.request('POST', '/api/v1/events', { cookie: admin, body: { date: '2016-07-01', title, kind: 'ecosoc', mandates: ['ECOSOC-MD-2006'] } });
      expect(r.status).toBe(201);
      return (await json<{ id: number }>(r)).id;
    };
    eventId = await mk('ECOSOC 2016 substantive session');
    otherEventId = await mk('ECOSOC 2016 coordination segment');
  });
  afterAll(async () => { await t?.close(); });

  const stored = async (id: number) => t.handle.db.selectFrom('milestones').select(['event_id', 'version']).where('id', '=', id).executeTakeFirstOrThrow();

  it('create with eventId, read it back, change it, clear it; unknown events refused naming eventId with nothing written', async () => {
    const plan = await planIn(t, admin, 'AFR');
    const body = { actionPlanId: plan, title: 'Report to ECOSOC 2016', dueDate: '2016-06-15' };
    const before = Number((await t.handle.db.selectFrom('milestones').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const bad = await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { ...body, eventId: 999_999 } });
    expect(bad.status).toBe(400);
    expect((await json<Problem>(bad)).errors).toEqual([expect.objectContaining({ field: 'eventId', value: 999_999 })]);
    expect(Number((await t.handle.db.selectFrom('milestones').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);

    const created = await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { ...body, eventId } });
    expect(created.status).toBe(201);
    const m = await json<Milestone>(created);
    expect(m.eventId).toBe(eventId);
    expect((await getJson<Milestone>(t, `/milestones/${m.id}`, africa)).eventId).toBe(eventId);
    const listed = await getJson<{ items: Milestone[] }>(t, `/milestones?actionPlanId=${plan}&pageSize=500`, africa);
    expect(listed.items.find((x) => x.id === m.id)?.eventId).toBe(eventId);

    // Unknown event on PATCH: 400 naming eventId, the stored link and version unchanged.
    const badPatch = await t.request('PATCH', `/api/v1/milestones/${m.id}`, { cookie: admin, body: { eventId: 888_888 }, headers: { 'if-match': await etagOf(t, `/milestones/${m.id}`, admin) } });
    expect(badPatch.status).toBe(400);
    expect((await json<Problem>(badPatch)).errors?.[0]).toMatchObject({ field: 'eventId' });
    expect(await stored(m.id)).toMatchObject({ event_id: eventId, version: 1 });

    // Editors change progress, not the link: 403 naming eventId.
    const editor = await t.request('PATCH', `/api/v1/milestones/${m.id}`, { cookie: africa, body: { eventId: otherEventId }, headers: { 'if-match': await etagOf(t, `/milestones/${m.id}`, africa) } });
    expect(editor.status).toBe(403);
    expect(JSON.stringify(await json(editor))).toContain('eventId');
    expect(await stored(m.id)).toMatchObject({ event_id: eventId, version: 1 });

    const moved = await t.request('PATCH', `/api/v1/milestones/${m.id}`, { cookie: admin, body: { eventId: otherEventId }, headers: { 'if-match': await etagOf(t, `/milestones/${m.id}`, admin) } });
    expect(moved.status).toBe(200);
    expect(await json<Milestone>(moved)).toMatchObject({ eventId: otherEventId, version: 2 });
    const hist = await getJson<History>(t, `/milestones/${m.id}/history`, africa);
    expect(hist.items.flatMap((e) => e.changes)).toContainEqual({ field: 'eventId', from: eventId, to: otherEventId });

    const cleared = await t.request('PATCH', `/api/v1/milestones/${m.id}`, { cookie: admin, body: { eventId: null }, headers: { 'if-match': await etagOf(t, `/milestones/${m.id}`, admin) } });
    expect(await json<Milestone>(cleared)).toMatchObject({ eventId: null, version: 3 });
    expect(await stored(m.id)).toMatchObject({ event_id: null });
  });

  it('deleting the event clears the link: the milestone version moves and its history says so', async () => {
    const plan = await planIn(t, admin, 'AFR');
    const m = await json<Milestone>(await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { actionPlanId: plan, title: 'Brief for the coordination segment', dueDate: '2016-06-20', eventId: otherEventId } }));
    expect(m.eventId).toBe(otherEventId);
    expect((await t.request('DELETE', `/api/v1/events/${otherEventId}`, { cookie: admin })).status).toBe(204);
    const after = await getJson<Milestone>(t, `/milestones/${m.id}`, admin);
    expect(after).toMatchObject({ eventId: null, version: m.version + 1 });
    const hist = await getJson<History>(t, `/milestones/${m.id}/history`, admin);
    expect(hist.items.flatMap((e) => e.changes)).toContainEqual({ field: 'eventId', from: otherEventId, to: null });
  });
});
