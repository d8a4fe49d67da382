/** Snapshots, compare and share links as users check them (issue 6), on every test database. */
import type { CompareResult, Snapshot, SnapshotSummary } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const AS_OF = '2012-12-31';
const START = new Date('2026-03-01T09:00:00.000Z');

describe.each(databases())('snapshots on %s', (kind) => {
  let t: TestApp;
  let now = START;
  let admin: string;
  let editor: string;
  let asiaEditor: string;
  let viewer: string;
  let snap: SnapshotSummary;
  let frozen: Snapshot;

  const api = (method: string, path: string, cookie: string | null, body?: unknown) => t.request(method, `/api/v1${path}`, { cookie, body });
  const json = async <T>(res: Response, status = 200): Promise<T> => {
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBe(status);
    return JSON.parse(text) as T;
  };
  const take = async (cookie: string, body: unknown = { title: 'Board report Q4 2012', note: 'For the governing body', filters: { asOf: AS_OF } }) =>
    api('POST', '/snapshots', cookie, body);

  /** Marks `n` milestones of `region` completed (effective on `date`), as an edit through any path would. */
  async function completeMilestones(region: string, n: number, date: string): Promise<number[]> {
    const db = t.handle.db;
    const candidates = await db.selectFrom('milestones').innerJoin('action_plans', 'action_plans.id', 'milestones.action_plan_id')
      .select(['milestones.id']).where('action_plans.region', '=', region).where('milestones.status', 'in', ['not_started', 'in_progress', 'delayed'])
      .where('milestones.id', 'not in', db.selectFrom('milestone_history').select('milestone_id').where('status', 'in', ['completed', 'cancelled']))
      .orderBy('milestones.id').limit(n).execute();
    expect(candidates).toHaveLength(n);
    for (const { id } of candidates) {
      await db.updateTable('milestones').set({ status: 'completed', percent_complete: 100, completed_date: date, version: 2 }).where('id', '=', id).execute();
      await db.insertInto('milestone_history').values({ milestone_id: id, status: 'completed', percent_complete: 100, completed_date: date, effective_date: date, changed_at: now.toISOString(), changed_by: 1, version: 2 }).execute();
    }
    return candidates.map((c) => c.id);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => now });
    [admin, editor, asiaEditor, viewer] = await Promise.all([
      t.login('admin@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'), t.login('manager@demo.local'),
    ]);
  });
  afterAll(async () => { await t?.close(); });

  it('takes a snapshot (editor): 201 with an unguessable id, who, when, filters, as-of and the demo flag', async () => {
    snap = await json<SnapshotSummary>(await take(editor), 201);
    expect(snap.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(snap).toMatchObject({ title: 'Board report Q4 2012', note: 'For the governing body', asOf: AS_OF, demo: true, createdAt: START.toISOString() });
    expect(snap.createdBy.email).toBe('staff.africa@demo.local');
    expect(snap.filters.asOf).toBe(AS_OF);
    expect(snap.counts.partnerships).toBeGreaterThan(0);
  });

  it('stores every dimension, both trajectories, the timeline and the record rows behind them', async () => {
    frozen = await json<Snapshot>(await api('GET', `/snapshots/${snap.id}`, viewer));
    const p = frozen.data.progress;
    expect(Object.keys(p.byDimension).sort()).toEqual(['country', 'mandate', 'modality', 'objective', 'outcome', 'partnerType', 'region']);
    expect(p.trajectory.year.interval).toBe('year');
    expect(p.trajectory.quarter.interval).toBe('quarter');
    expect(p.timeline.asOf).toBe(AS_OF);
    // The frozen summary is what the live progress API said at the time.
    const live = await json<Record<string, unknown>>(await api('GET', `/progress/summary?asOf=${AS_OF}`, viewer));
    expect(p.summary).toEqual(live);
    const r = frozen.data.records;
    expect(r.partnerships).toHaveLength(p.summary.partnerships.total);
    expect(r.milestones).toHaveLength(p.summary.milestones.total);
    expect(r.indicators).toHaveLength(p.summary.indicators.total);
    expect(r.milestones.filter((m) => m.status === 'completed')).toHaveLength(p.summary.milestones.completed);
    expect(r.indicators.filter((i) => i.status === 'on_track')).toHaveLength(p.summary.indicators.on_track);
  });

  it('gives back the identical snapshot after milestones are completed, records are added and a partnership is deleted', async () => {
    await completeMilestones('ECA', 2, AS_OF);
    const db = t.handle.db;
    const ps = await db.insertInto('partnerships').values({
      title: 'Added after the snapshot', modality: 'policy', level: 'regional', region: 'ASP', country: null, start_date: '2011-01-01', end_date: '2015-12-31',
      resources_usd: 123_000, status: 'active', lead_partner_type: 'un', version: 1, created_at: now.toISOString(), updated_at: now.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('partnership_mandates').values({ partnership_id: ps.id, mandate: 'MDG-1B-2008' }).execute();
    const victim = frozen.data.records.partnerships.find((x) => x.region === 'AME');
    expect(victim).toBeDefined();
    await db.deleteFrom('action_plan_partnerships').where('partnership_id', '=', victim?.id ?? 0).execute();
    await db.deleteFrom('partnerships').where('id', '=', victim?.id ?? 0).execute();
    // The live view did change …
    const live = await json<{ partnerships: { total: number } }>(await api('GET', `/progress/summary?asOf=${AS_OF}`, viewer));
    expect(live.partnerships.total).toBe(frozen.data.progress.summary.partnerships.total);
    expect(await api('GET', `/snapshots/${snap.id}`, viewer).then((r) => r.json())).toEqual(frozen);
    // (restore nothing: later tests compare against live data on purpose)
  });

  it('lists snapshots newest first without the payload, and says who may take one', async () => {
    now = new Date(START.getTime() + 60_000);
    const second = await json<SnapshotSummary>(await take(admin, { title: 'Africa 2012', filters: { region: ['AFR'], asOf: AS_OF } }), 201);
    const list = await json<{ items: (SnapshotSummary & { data?: unknown })[]; canCreate: boolean }>(await api('GET', '/snapshots', viewer));
    expect(list.items.map((s) => s.id).slice(0, 2)).toEqual([second.id, snap.id]);
    expect(list.items.every((s) => s.data === undefined)).toBe(true);
    expect(list.canCreate).toBe(false);
    expect((await json<{ canCreate: boolean }>(await api('GET', '/snapshots', editor))).canCreate).toBe(true);
    const africa = await json<Snapshot>(await api('GET', `/snapshots/${second.id}`, viewer));
    expect(new Set(africa.data.records.partnerships.map((p) => p.region))).toEqual(new Set(['AFR']));
    expect(africa.filters.region).toEqual(['AFR']);
  });

  it('lets a viewer take snapshots only when an admin allows it', async () => {
    expect((await take(viewer)).status).toBe(403);
    expect((await api('PUT', '/settings', viewer, { viewersMayTakeSnapshots: true })).status).toBe(403);
    expect((await api('GET', '/settings', editor)).status).toBe(403);
    expect(await json(await api('PUT', '/settings', admin, { viewersMayTakeSnapshots: true }))).toEqual({ viewersMayTakeSnapshots: true });
    const s = await json<SnapshotSummary>(await take(viewer, { title: 'Viewer copy', filters: { asOf: AS_OF } }), 201);
    expect(s.createdBy.email).toBe('manager@demo.local');
    await json(await api('PUT', '/settings', admin, { viewersMayTakeSnapshots: false }));
    expect((await take(viewer)).status).toBe(403);
  });

  it('validates the snapshot body: title required, filters strict and known', async () => {
    const bad = await json<{ errors: { field: string }[] }>(await take(editor, { title: '', filters: { region: ['XXX'], bogus: 1 } }), 400);
    expect(bad.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['title']));
    expect((await take(editor, { title: 'x', filters: { asOf: '2012-02-30' } })).status).toBe(400);
  });

  it('answers odd ids with 400 or 404 and never with another snapshot', async () => {
    for (const id of ['%2A', '%25', 'AAAAAAAAAAAAAAAAAAAAAA', `${snap.id.slice(0, 21)}%25`, snap.id.toLowerCase() === snap.id ? `${snap.id.slice(0, 21)}Z` : snap.id.toLowerCase(), "'%20OR%201=1--", 'x'.repeat(5000), '1']) {
      const res = await api('GET', `/snapshots/${id}`, admin);
      expect([400, 404], id).toContain(res.status);
    }
  });

  it('compares a snapshot with live data: +N completed milestones in the right region, status moves, partnerships added and removed', async () => {
    const before = await json<SnapshotSummary>(await take(editor, { title: 'Before the push', filters: { asOf: AS_OF } }), 201);
    const done = await completeMilestones('AFR', 4, AS_OF);
    expect(done).toHaveLength(4);
    // One indicator reaches its target before asOf: its status moves to achieved.
    const full = await json<Snapshot>(await api('GET', `/snapshots/${before.id}`, editor));
    const ind = full.data.records.indicators.find((i) => i.region === 'ASP' && i.status !== 'achieved' && i.baselineValue !== i.targetValue);
    expect(ind).toBeDefined();
    if (!ind) return;
    await t.handle.db.insertInto('measurements').values({ indicator_id: ind.id, value: ind.targetValue, date: AS_OF, source: 'test', note: null, version: 1, created_at: now.toISOString(), updated_at: now.toISOString() }).execute();
    const cmp = await json<CompareResult>(await api('GET', `/snapshots/compare?from=${before.id}&to=live&asOf=${AS_OF}`, viewer));
    expect(cmp.from.id).toBe(before.id);
    expect(cmp.to).toMatchObject({ id: 'live', asOf: AS_OF });
    expect(cmp.overall.milestonesCompleted.delta).toBe(4);
    const byRegion = Object.fromEntries(cmp.byDimension.region.map((r) => [r.key, r]));
    expect(byRegion.AFR?.milestonesCompleted.delta).toBe(4);
    expect(byRegion.AFR?.milestonesCompleted.to).toBe((byRegion.AFR?.milestonesCompleted.from ?? 0) + 4);
    for (const r of ['AME', 'ARB', 'ASP', 'ECA', 'GLO']) expect(byRegion[r]?.milestonesCompleted.delta ?? 0, r).toBe(0);
    expect(byRegion.ASP?.indicators.transitions).toEqual([{ from: ind.status, to: 'achieved', count: 1 }]);
    expect(byRegion.ASP?.indicators.improved).toBe(1);
    expect(cmp.overall.indicators.transitions).toEqual([{ from: ind.status, to: 'achieved', count: 1 }]);
    expect(cmp.overall.partnerships.added + cmp.overall.partnerships.removed).toBe(0);
    // Against the very first snapshot: the partnership added in ASP and the one deleted in AME show up.
    const vsFirst = await json<CompareResult>(await api('GET', `/snapshots/compare?from=${snap.id}&to=${before.id}`, viewer));
    const r2 = Object.fromEntries(vsFirst.byDimension.region.map((r) => [r.key, r]));
    expect(r2.ASP?.partnerships.added).toBe(1);
    expect(r2.ASP?.resourcesUsd.added).toBe(123_000);
    expect(r2.AME?.partnerships.removed).toBe(1);
    expect(r2.ECA?.milestonesCompleted.delta).toBe(2);
    expect(vsFirst.byDimension.partnerType.find((r) => r.key === 'un')?.partnerships.added).toBe(1);
    expect(vsFirst.byDimension.mandate.find((r) => r.key === 'MDG-1B-2008')?.partnerships.added).toBe(1);
    // Unknown or odd ids are 404 / 400.
    expect((await api('GET', `/snapshots/compare?from=${'A'.repeat(22)}&to=live`, viewer)).status).toBe(404);
    expect((await api('GET', `/snapshots/compare?from=${before.id}&to=everything`, viewer)).status).toBe(400);
  });

  describe('share links', () => {
    let token: string;
    let linkId: number;

    it('lets the author or an admin create a link, and nobody else', async () => {
      expect((await api('POST', `/snapshots/${snap.id}/share`, asiaEditor, { expiresInDays: 7 })).status).toBe(403);
      expect((await api('POST', `/snapshots/${snap.id}/share`, viewer, { expiresInDays: 7 })).status).toBe(403);
      const link = await json<{ id: number; token: string; url: string; expiresAt: string }>(await api('POST', `/snapshots/${snap.id}/share`, editor, { expiresInDays: 7 }), 201);
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(link.url).toContain(`/shared/${link.token}`);
      expect(link.expiresAt).toBe(new Date(now.getTime() + 7 * 86_400_000).toISOString());
      token = link.token;
      linkId = link.id;
      // Only a hash is stored.
      const rows = await t.handle.db.selectFrom('share_links').select('token_hash').execute();
      expect(rows.some((r) => r.token_hash === token)).toBe(false);
      expect((await api('POST', `/snapshots/${snap.id}/share`, admin, { expiresInDays: 1 })).status).toBe(201);
    });

    it('opens that one snapshot without signing in, read-only, with its exports', async () => {
      const shared = await json<Snapshot>(await api('GET', `/shared/${token}`, null));
      expect(shared.id).toBe(snap.id);
      expect(shared.data).toEqual(frozen.data);
      expect(shared.createdBy.email).toBeNull();
      const exp = await api('GET', `/shared/${token}/export?format=json`, null);
      expect(exp.status).toBe(200);
      expect((await exp.json()).meta.source).toBe(snap.id);
      const png = await api('GET', `/shared/${token}/chart.png?chart=by-region`, null);
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
    });

    it('grants nothing else: not deletion, not other snapshots, not live data', async () => {
      expect((await api('DELETE', `/shared/${token}`, null)).status).toBe(404);
      expect((await api('GET', `/snapshots/${snap.id}`, null)).status).toBe(401);
      expect((await api('DELETE', `/snapshots/${snap.id}`, null)).status).toBe(401);
      expect((await api('GET', '/snapshots', null)).status).toBe(401);
      expect((await api('GET', `/progress/summary`, null)).status).toBe(401);
      expect((await api('GET', `/export/partnerships?format=csv`, null)).status).toBe(401);
      expect((await t.request('GET', `/api/v1/snapshots/${snap.id}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
      expect((await api('GET', `/shared/${token}/../snapshots`, null)).status).not.toBe(200);
    });

    it('answers odd, empty, unknown and SQL-ish tokens with 404', async () => {
      const odd = ['', '*', '%25', '%2A', 'x'.repeat(43), token.slice(0, 42), `${token}x`, 'a'.repeat(190), "'%20OR%20'1'='1", '%27%3B%20DROP%20TABLE%20share_links%3B--', snap.id, token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()];
      for (const tok of odd) {
        const res = await api('GET', `/shared/${tok}`, null);
        expect(res.status, tok).toBe(404);
      }
      expect((await api('GET', `/shared/${'y'.repeat(300)}`, null)).status).toBe(400);
    });

    it('stops working when revoked (author or admin only)', async () => {
      expect((await api('DELETE', `/snapshots/${snap.id}/share/${linkId}`, asiaEditor)).status).toBe(403);
      expect((await api('DELETE', `/snapshots/${snap.id}/share/${linkId}`, editor)).status).toBe(204);
      expect((await api('GET', `/shared/${token}`, null)).status).toBe(404);
      expect((await api('GET', `/shared/${token}/export?format=csv`, null)).status).toBe(404);
      expect((await api('DELETE', `/snapshots/${snap.id}/share/${linkId}`, editor)).status).toBe(404);
    });

    it('stops working when expired', async () => {
      const link = await json<{ token: string }>(await api('POST', `/snapshots/${snap.id}/share`, admin, { expiresInDays: 1 }), 201);
      expect((await api('GET', `/shared/${link.token}`, null)).status).toBe(200);
      const was = now;
      now = new Date(was.getTime() + 86_400_000 + 1000);
      try {
        expect((await api('GET', `/shared/${link.token}`, null)).status).toBe(404);
      } finally {
        now = was;
      }
    });
  });

  it('deletes only as an admin, and the audit trail keeps who deleted which snapshot', async () => {
    expect((await api('DELETE', `/snapshots/${snap.id}`, editor)).status).toBe(403);
    expect((await api('DELETE', `/snapshots/${snap.id}`, viewer)).status).toBe(403);
    expect((await api('DELETE', `/snapshots/${snap.id}`, admin)).status).toBe(204);
    expect((await api('GET', `/snapshots/${snap.id}`, admin)).status).toBe(404);
    expect((await api('DELETE', `/snapshots/${snap.id}`, admin)).status).toBe(404);
    const audit = await t.handle.db.selectFrom('audit').selectAll().where('entity', '=', 'snapshot').where('entity_id', '=', snap.id).where('action', '=', 'delete').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.user_email).toBe('admin@demo.local');
    expect(JSON.parse(audit[0]?.before ?? '{}')).toMatchObject({ title: 'Board report Q4 2012', asOf: AS_OF });
  });
});
