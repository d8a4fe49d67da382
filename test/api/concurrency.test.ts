/**
 * No lost updates: the version check and the write are one statement, so concurrent writers with the same
 * If-Match get exactly one 200; racing clients that re-read and retry leave a history and an audit trail
 * holding exactly the accepted writes, and the final state is the last accepted one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { DEFAULT_CONFIG } from '@mm/server/deps';
import { appDeps } from '@mm/server';
import { StaleWrite } from '@mm/server/http/etag';
import { getMilestone, updateMilestone } from '@mm/server/queries/milestones';
import { firstId, json } from './record-fixtures.ts';

interface MilestoneBody { id: number; percentComplete: number; evidenceNote: string | null; status: string; version: number }

describe.each(databases())('concurrent milestone updates on %s', (kind) => {
  let t: TestApp;
  let africa: string;
  let admin: string;
  let id: number;

  beforeAll(async () => {
    t = await startTestApp(kind);
    [africa, admin] = await Promise.all([t.login('staff.africa@demo.local'), t.login('admin@demo.local')]);
    id = await firstId(t, admin, '/milestones?region=AFR&status=in_progress&pageSize=1');
  });
  afterAll(async () => { await t?.close(); });

  const read = async (): Promise<{ m: MilestoneBody; tag: string }> => {
    const res = await t.request('GET', `/api/v1/milestones/${id}`, { cookie: africa });
    expect(res.status).toBe(200);
    return { m: await json<MilestoneBody>(res), tag: res.headers.get('etag') ?? '' };
  };
  const patch = (body: unknown, tag: string) => t.request('PATCH', `/api/v1/milestones/${id}`, { cookie: africa, body, headers: { 'If-Match': tag } });

  it('30 concurrent PATCHes with the same If-Match: exactly one 200, the other 29 get 412 with the winner as current', async () => {
    const { m, tag } = await read();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => patch({ evidenceNote: `writer ${i}`, percentComplete: i + 1 }, tag)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(29);
    const winner = results.findIndex((r) => r.status === 200);
    const now = (await read()).m;
    expect(now).toMatchObject({ version: m.version + 1, evidenceNote: `writer ${winner}`, percentComplete: winner + 1 });
    const losers = await Promise.all(results.filter((r) => r.status === 412).map((r) => json<{ current: MilestoneBody }>(r)));
    for (const l of losers) expect(l.current.version).toBeGreaterThanOrEqual(m.version);
    // One write, one history row and one audit entry.
    const history = await t.handle.db.selectFrom('milestone_history').select(['version', 'percent_complete']).where('milestone_id', '=', id).where('version', '>', m.version).execute();
    expect(history).toEqual([{ version: m.version + 1, percent_complete: winner + 1 }]);
    const audits = await t.handle.db.selectFrom('audit').select('id').where('entity', '=', 'milestone').where('entity_id', '=', String(id)).where('action', '=', 'update').execute();
    expect(audits).toHaveLength(1);
  });

  it('racing clients that re-read and retry: every accepted write is in history and audit exactly once, and the final state is the last accepted write', async () => {
    const initial = (await read()).m;
    const start = initial.version;
    const accepted: { version: number; percent: number; note: string }[] = [];
    let conflicts = 0;
    const client = async (c: number) => {
      for (let k = 0; k < 4; k++) {
        // Every attempt writes a value no other attempt writes, so each row can be traced to its request.
        for (let attempt = 0; ; attempt++) {
          const { tag } = await read();
          const percent = Math.min(100, c * 20 + k * 4 + (attempt % 4));
          const note = `client ${c} write ${k} attempt ${attempt}`;
          const res = await patch({ percentComplete: percent, evidenceNote: note }, tag);
          if (res.status === 200) {
            const body = await json<MilestoneBody>(res);
            accepted.push({ version: body.version, percent: body.percentComplete, note });
            break;
          }
          expect(res.status).toBe(412);
          conflicts++;
          if (attempt > 200) throw new Error('client starved');
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4].map(client));

    expect(accepted).toHaveLength(20);
    const versions = accepted.map((a) => a.version).sort((a, b) => a - b);
    // Versions are consecutive: no write was lost and none was applied twice.
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => start + i + 1));

    const last = accepted.reduce((a, b) => (b.version > a.version ? b : a));
    const final = (await read()).m;
    expect(final).toMatchObject({ version: last.version, percentComplete: last.percent, evidenceNote: last.note });

    const audits = await t.handle.db.selectFrom('audit').select(['after']).where('entity', '=', 'milestone').where('entity_id', '=', String(id)).where('action', '=', 'update').execute();
    const audited = audits.map((a) => JSON.parse(a.after ?? '{}') as MilestoneBody).filter((a) => a.version > start);
    expect(audited.map((a) => a.evidenceNote).sort()).toEqual(accepted.map((a) => a.note).sort());

    // History gets a row exactly when the progress fields changed; each such row matches an accepted write.
    const history = await t.handle.db.selectFrom('milestone_history').select(['version', 'percent_complete']).where('milestone_id', '=', id).where('version', '>', start).orderBy('version').execute();
    const byVersion = new Map(accepted.map((a) => [a.version, a]));
    const sorted = [...accepted].sort((a, b) => a.version - b.version);
    const expected = sorted.filter((a, i) => a.percent !== (i === 0 ? initial.percentComplete : sorted[i - 1]?.percent)).map((a) => ({ version: a.version, percent_complete: a.percent }));
    expect(history).toEqual(expected);
    for (const h of history) expect(byVersion.get(h.version)?.percent).toBe(h.percent_complete);
    // The clients really raced (on SQLite requests interleave at every await; on PostgreSQL they run in parallel).
    expect(conflicts).toBeGreaterThan(0);
  });

  it('the version check is in the UPDATE statement itself: a write prepared from a stale read changes nothing', async () => {
    const deps = appDeps({ db: t.handle.db, dialect: t.handle.dialect, config: DEFAULT_CONFIG });
    const actor = { id: 3, email: 'staff.africa@demo.local' };
    const stale = await getMilestone(deps, id);
    if (!stale) throw new Error('milestone missing');
    const fresh = await updateMilestone(deps, actor, stale, stale.version, { evidenceNote: 'first' });
    expect(fresh.version).toBe(stale.version + 1);
    // Past any HTTP-level check: the statement's WHERE version = ? refuses it and the transaction rolls back.
    await expect(updateMilestone(deps, actor, stale, stale.version, { evidenceNote: 'second' })).rejects.toBeInstanceOf(StaleWrite);
    expect(await getMilestone(deps, id)).toMatchObject({ version: fresh.version, evidenceNote: 'first' });
    const audits = await t.handle.db.selectFrom('audit').select('after').where('entity', '=', 'milestone').where('entity_id', '=', String(id)).execute();
    expect(audits.filter((a) => (a.after ?? '').includes('"second"'))).toHaveLength(0);
  });
});
