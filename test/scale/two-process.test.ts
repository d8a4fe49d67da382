/**
 * Several server processes on one PostgreSQL database (issue 8, "Beyond one machine"): two real server
 * processes share sessions, see each other's writes at once (the read cache is keyed by the database's data
 * version) and count sign-in failures together. Needs TEST_DATABASE_URL; in CI its absence fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, CSRF, databases, DEMO_PASSWORD } from '../api/harness.ts';
import { spawnServer, stopServer, waitHealthy, type ServerChild } from '../server-process.ts';

/** Starts a server (no demo data unless asked) and waits for /api/v1/health. */
async function startServer(databaseUrl: string, env: Record<string, string>): Promise<ServerChild> {
  const s = await spawnServer(databaseUrl, { DEMO: '', ...env });
  await waitHealthy(s, { timeoutMs: 90_000, pollMs: 150 });
  return s;
}

function cookieOf(res: Response): string {
  const m = /mm_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error('no session cookie');
  return `mm_session=${m[1]}`;
}

function login(base: string, email: string, password = DEMO_PASSWORD): Promise<Response> {
  return fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

interface Summary { milestones: { total: number; completed: number } }
interface Milestone { id: number; status: string; percentComplete: number; completedDate: string | null }

const onPostgres = databases().includes('postgres');

describe.skipIf(!onPostgres)('two server processes on one PostgreSQL database', () => {
  let a: ServerChild | undefined;
  let b: ServerChild | undefined;
  let drop: (() => Promise<void>) | undefined;

  const A = () => { if (!a) throw new Error('process A not started'); return a.base; };
  const B = () => { if (!b) throw new Error('process B not started'); return b.base; };

  beforeAll(async () => {
    const created = await createPgDatabase();
    drop = created.drop;
    // A migrates and loads the demo data; B starts on the ready database (as a rolling deploy would).
    a = await startServer(created.url, { DEMO: '1' });
    b = await startServer(created.url, {});
  });

  afterAll(async () => {
    await Promise.all([stopServer(a), stopServer(b)]);
    await drop?.();
  });

  it('a session created on one process is valid on the other, and signing out on one ends it on both', async () => {
    const res = await login(A(), 'manager@demo.local');
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    const me = await fetch(`${B()}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { email: 'manager@demo.local', role: 'viewer' }, demo: true });

    const out = await fetch(`${B()}/api/v1/auth/logout`, { method: 'POST', headers: { ...CSRF, cookie } });
    expect(out.status).toBe(204);
    expect((await fetch(`${A()}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('a write through one process is visible through the other at once: the record, the progress summary and its ETag', async () => {
    const admin = cookieOf(await login(A(), 'admin@demo.local'));
    const get = (base: string, p: string, headers: Record<string, string> = {}) => fetch(`${base}/api/v1${p}`, { headers: { cookie: admin, ...headers } });

    const list = await get(B(), '/milestones?status=in_progress&pageSize=1');
    expect(list.status).toBe(200);
    const target = ((await list.json()) as { items: Milestone[] }).items[0];
    if (!target) throw new Error('the demo data has no milestone in progress');

    // B answers (and caches) the summary and the record before the write.
    const before = await get(B(), '/progress/summary');
    expect(before.status).toBe(200);
    const summaryBefore = (await before.json()) as Summary;
    const oldEtag = before.headers.get('etag');
    expect(oldEtag).toBeTruthy();
    const recordBefore = await get(B(), `/milestones/${target.id}`);
    const recordEtag = recordBefore.headers.get('etag') ?? '';

    const patch = await fetch(`${A()}/api/v1/milestones/${target.id}`, {
      method: 'PATCH',
      headers: { ...CSRF, cookie: admin, 'Content-Type': 'application/json', 'If-Match': recordEtag },
      body: JSON.stringify({ status: 'completed', percentComplete: 100, completedDate: '2015-06-30' }),
    });
    expect(patch.status).toBe(200);

    const recordAfter = await get(B(), `/milestones/${target.id}`);
    expect(recordAfter.status).toBe(200);
    expect(await recordAfter.json()).toMatchObject({ id: target.id, status: 'completed', percentComplete: 100, completedDate: '2015-06-30' });
    expect(recordAfter.headers.get('etag')).not.toBe(recordEtag);

    // B's cached summary is stale the moment A's write commits: the old ETag no longer gets a 304.
    const after = await get(B(), '/progress/summary', { 'If-None-Match': oldEtag ?? '' });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(oldEtag);
    const summaryAfter = (await after.json()) as Summary;
    expect(summaryAfter.milestones.total).toBe(summaryBefore.milestones.total);
    expect(summaryAfter.milestones.completed).toBe(summaryBefore.milestones.completed + 1);

    // And A agrees with B.
    expect(await (await get(A(), '/progress/summary')).json()).toEqual(summaryAfter);
    // A stale If-Match sent to the other process is refused too (versions live in the database).
    const stale = await fetch(`${B()}/api/v1/milestones/${target.id}`, {
      method: 'PATCH',
      headers: { ...CSRF, cookie: admin, 'Content-Type': 'application/json', 'If-Match': recordEtag },
      body: JSON.stringify({ percentComplete: 50 }),
    });
    expect(stale.status).toBe(412);
  });

  it('an account disabled through one process is signed out on the other at once, while its other requests are in flight', async () => {
    const admin = cookieOf(await login(A(), 'admin@demo.local'));
    const staff = cookieOf(await login(B(), 'manager@demo.local'));
    const me = await fetch(`${B()}/api/v1/auth/me`, { headers: { cookie: staff } });
    const { user } = (await me.json()) as { user: { id: number } };
    // Concurrent reads on B share session lookups; each must still get its own answer.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${B()}/api/v1/auth/me`, { headers: { cookie: i % 2 ? staff : admin } })));
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 200));
    const emails = await Promise.all(burst.map(async (r) => ((await r.json()) as { user: { email: string } }).user.email));
    expect(emails).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? 'manager@demo.local' : 'admin@demo.local')));

    const read = await fetch(`${A()}/api/v1/users/${user.id}`, { headers: { cookie: admin } });
    const patch = await fetch(`${A()}/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: { ...CSRF, cookie: admin, 'Content-Type': 'application/json', 'If-Match': read.headers.get('etag') ?? '' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(patch.status).toBe(200);
    expect((await fetch(`${B()}/api/v1/auth/me`, { headers: { cookie: staff } })).status).toBe(401);
  });

  it('sign-in failures count across processes: five wrong passwords on A, and the sixth attempt on B is refused with 429', async () => {
    const email = 'staff.asia@demo.local';
    for (let i = 0; i < 5; i++) expect((await login(A(), email, 'wrong-password')).status).toBe(401);
    // Even the right password is refused now, on the other process.
    const sixth = await login(B(), email);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toBeTruthy();
    // Other accounts are not affected.
    expect((await login(B(), 'staff.africa@demo.local')).status).toBe(200);
  });
});
