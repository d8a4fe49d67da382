/**
 * The per-request session lookup (server/src/auth/sessions.ts): concurrent lookups are coalesced into shared
 * queries, and on SQLite a lookup is reused while the database's change stamp is unchanged. Neither may ever
 * hand a request someone else's session or an answer older than a commit that came before the request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '@mm/server';
import { openDatabase, preferPrepared, type DbHandle } from '@mm/server/db/connect';
import { migrate } from '@mm/server/db/migrations';
import { bumpDataVersion, seedDemo } from '@mm/server/db/seed';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, databases, DEMO_PASSWORD, startTestApp, type TestApp } from './harness.ts';

const ACCOUNTS = ['admin@demo.local', 'manager@demo.local', 'staff.africa@demo.local', 'staff.asia@demo.local'];

describe.each(databases())('session lookups on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(kind); });
  afterAll(async () => { await t.close(); });

  it('many requests at once, with different sessions, unknown tokens and none: each gets its own answer', async () => {
    const cookies = await Promise.all(ACCOUNTS.map((email) => t.login(email)));
    // A second session for the same account: both are valid, each on its own.
    cookies.push(await t.login('manager@demo.local'));
    const unknown = `mm_session=${'A'.repeat(43)}`;
    const malformed = 'mm_session=not-a-token';
    type Case = { cookie: string | null; email: string | null };
    const cases: Case[] = [];
    for (let i = 0; i < 150; i++) {
      const k = i % 8;
      if (k < cookies.length) cases.push({ cookie: cookies[k] ?? null, email: k === 4 ? 'manager@demo.local' : ACCOUNTS[k] ?? null });
      else if (k === 5) cases.push({ cookie: unknown, email: null });
      else if (k === 6) cases.push({ cookie: malformed, email: null });
      else cases.push({ cookie: null, email: null });
    }
    const answers = await Promise.all(cases.map(async (c) => {
      const res = await t.request('GET', '/api/v1/auth/me', { cookie: c.cookie });
      return { status: res.status, email: res.status === 200 ? ((await res.json()) as { user: { email: string } }).user.email : null };
    }));
    answers.forEach((a, i) => {
      const want = cases[i];
      expect(a, `request ${i}`).toEqual({ status: want?.email ? 200 : 401, email: want?.email ?? null });
    });
  });

  it('signing out ends the session for the very next request, and a disabled account is out at once', async () => {
    const cookie = await t.login('staff.asia@demo.local');
    expect((await t.request('GET', '/api/v1/auth/me', { cookie })).status).toBe(200);
    expect((await t.request('POST', '/api/v1/auth/logout', { cookie })).status).toBe(204);
    expect((await t.request('GET', '/api/v1/auth/me', { cookie })).status).toBe(401);

    const victim = await t.login('staff.africa@demo.local');
    const admin = await t.login('admin@demo.local');
    const me = await t.request('GET', '/api/v1/auth/me', { cookie: victim });
    const { user } = (await me.json()) as { user: { id: number } };
    const read = await t.request('GET', `/api/v1/users/${user.id}`, { cookie: admin });
    const patch = await t.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin, body: { disabled: true }, headers: { 'If-Match': read.headers.get('etag') ?? '' } });
    expect(patch.status).toBe(200);
    expect((await t.request('GET', '/api/v1/auth/me', { cookie: victim })).status).toBe(401);
    const after = await t.request('GET', `/api/v1/users/${user.id}`, { cookie: admin });
    await t.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin, body: { disabled: false }, headers: { 'If-Match': after.headers.get('etag') ?? '' } });
  });
});

/**
 * Another connection to the same SQLite file (a second server process, the CLI, a restore) commits: the next
 * request must see it, although this process wrote nothing and may have the lookup at hand.
 */
describe('SQLite: commits by another connection are seen by the next request', () => {
  let dir: string;
  let mine: DbHandle;
  let other: DbHandle;
  let app: ReturnType<typeof createApp>;
  const get = (p: string, cookie: string, headers: Record<string, string> = {}) => app.request(p, { headers: { cookie, ...headers } });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-sessions-'));
    const url = `sqlite:${path.join(dir, 'shared.sqlite')}`;
    mine = openDatabase(url);
    await migrate(mine.db, mine.dialect);
    await seedDemo(mine.db, mine.dialect, 'demo');
    other = openDatabase(url);
    app = createApp({ db: mine.db, dialect: mine.dialect, changeStamp: mine.changeStamp });
  });
  afterAll(async () => {
    await other.close();
    await mine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function login(email: string): Promise<string> {
    const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'X-Requested-With': 'MainstreamMonitor', 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    return /mm_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  }

  it('the change stamp moves with this connection\'s commits and with other connections\' commits, and only then', async () => {
    const stamp = mine.changeStamp;
    if (!stamp) throw new Error('SQLite handles have a change stamp');
    const s0 = stamp();
    expect(stamp()).toBe(s0);
    await other.db.updateTable('users').set({ name: 'Renamed elsewhere' }).where('email', '=', 'manager@demo.local').execute();
    const s1 = stamp();
    expect(s1).not.toBe(s0);
    await mine.db.updateTable('users').set({ name: 'Demo manager' }).where('email', '=', 'manager@demo.local').execute();
    expect(stamp()).not.toBe(s1);
    expect(openDatabase('postgres://nobody@127.0.0.1:1/none').changeStamp).toBeUndefined();
  });

  it('a session deleted or an account disabled through another connection ends at once', async () => {
    const cookie = await login('staff.asia@demo.local');
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(200);
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(200);
    await other.db.deleteFrom('sessions').execute();
    expect((await get('/api/v1/auth/me', cookie)).status).toBe(401);

    const again = await login('staff.asia@demo.local');
    expect((await get('/api/v1/auth/me', again)).status).toBe(200);
    await other.db.updateTable('users').set({ disabled: 1 }).where('email', '=', 'staff.asia@demo.local').execute();
    expect((await get('/api/v1/auth/me', again)).status).toBe(401);
    await other.db.updateTable('users').set({ disabled: 0 }).where('email', '=', 'staff.asia@demo.local').execute();
  });

  it('a role changed through another connection applies to the next request', async () => {
    const cookie = await login('manager@demo.local');
    expect((await get('/api/v1/users', cookie)).status).toBe(403);
    await other.db.updateTable('users').set({ role: 'admin' }).where('email', '=', 'manager@demo.local').execute();
    expect((await get('/api/v1/users', cookie)).status).toBe(200);
    await other.db.updateTable('users').set({ role: 'viewer' }).where('email', '=', 'manager@demo.local').execute();
    expect((await get('/api/v1/users', cookie)).status).toBe(403);
  });

  it('a data change committed through another connection: the cached summary is not served again, nor its ETag honoured', async () => {
    const cookie = await login('manager@demo.local');
    const first = await get('/api/v1/progress/summary', cookie);
    const etag = first.headers.get('etag') ?? '';
    expect((await get('/api/v1/progress/summary', cookie, { 'If-None-Match': etag })).status).toBe(304);
    await other.db.transaction().execute(async (trx) => {
      await trx.updateTable('milestones').set({ status: 'cancelled' }).where('status', '!=', 'cancelled').execute();
      await bumpDataVersion(trx);
    });
    const next = await get('/api/v1/progress/summary', cookie, { 'If-None-Match': etag });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
    expect(await next.text()).not.toBe(await first.text());
  });

  it('requests that arrive together share one stamp read, and all of them see a commit that came before them', async () => {
    const cookie = await login('staff.africa@demo.local');
    const before = await (await get('/api/v1/progress/summary', cookie)).text();
    const together = async (): Promise<string[]> => Promise.all(Array.from({ length: 25 }, async () => {
      const r = await get('/api/v1/progress/summary', cookie);
      return `${r.status} ${await r.text()}`;
    }));
    expect(new Set(await together())).toEqual(new Set([`200 ${before}`]));
    await other.db.transaction().execute(async (trx) => {
      await trx.updateTable('milestones').set({ status: 'completed', completed_date: '2012-01-01' }).where('status', '=', 'cancelled').execute();
      await bumpDataVersion(trx);
    });
    const after = await together();
    expect(new Set(after).size).toBe(1);
    expect(after[0]).toMatch(/^200 /);
    expect(after[0]).not.toBe(`200 ${before}`);
    // And a session ended through another connection ends for every one of them.
    await other.db.deleteFrom('sessions').where('user_id', '=', (await other.db.selectFrom('users').select('id').where('email', '=', 'staff.africa@demo.local').executeTakeFirstOrThrow()).id).execute();
    expect(new Set((await together()).map((r) => r.slice(0, 3)))).toEqual(new Set(['401']));
  });
});

describe.skipIf(!databases().includes('postgres'))('PostgreSQL: the hot lookups run as prepared statements', () => {
  it('a preferred text is prepared once on the connection and answers with its parameters; other texts are not prepared', async () => {
    const { url, drop } = await createPgDatabase();
    const h = openDatabase(url, { poolSize: 1 });
    try {
      const text = 'select $1::int + 1 as n';
      preferPrepared(text);
      expect((await h.db.executeQuery(CompiledQuery.raw(text, [41]))).rows).toEqual([{ n: 42 }]);
      expect((await h.db.executeQuery(CompiledQuery.raw(text, [1]))).rows).toEqual([{ n: 2 }]);
      await h.db.executeQuery(CompiledQuery.raw('select $1::int * 2 as n', [3]));
      const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(h.db);
      expect(prepared.rows.map((r) => r.statement)).toEqual([text]);
      expect(prepared.rows[0]?.name).toMatch(/^mm_[0-9a-f]{20}$/);
    } finally {
      await h.close();
      await drop();
    }
  });
});
