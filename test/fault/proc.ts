/**
 * Real server processes for fault tests: `node --import tsx server/src/main.ts` on a temp SQLite file or a
 * PostgreSQL database of its own, on a free 127.0.0.1 port; plus a tiny HTTP client that keeps the cookie.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase, CSRF, DEMO_PASSWORD, type DbKind } from '../api/harness.ts';
import { REPO_ROOT, spawnServer, waitListening, type ServerChild } from '../server-process.ts';

export const ROOT = REPO_ROOT;
export { CSRF, DEMO_PASSWORD };

/** A database for one test: a temp SQLite file, or a fresh PostgreSQL database (dropped by `drop`). */
export interface TestDb { kind: DbKind; url: string; file?: string; drop(): Promise<void> }
export async function tempDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'postgres') {
    const { url, drop } = await createPgDatabase();
    return { kind, url, drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-fault-'));
  const file = path.join(dir, 'mm.sqlite');
  return { kind, url: `sqlite:${file}`, file, drop: async () => { fs.rmSync(dir, { recursive: true, force: true }); } };
}

export type ServerProc = ServerChild;

/** Starts the server (demo data, no web bundle) and waits until it listens; rejects with its output if it exits first. */
export async function startServer(db: TestDb, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProc> {
  const s = await spawnServer(db.url, { DEMO: '1', WEB_DIST: '/nonexistent', ...env });
  await waitListening(s, timeoutMs);
  return s;
}

/** Runs the server to exit and returns its code and output (for refusals at start-up). */
export async function runServerToExit(db: TestDb, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | string; output: string }> {
  const s = await spawnServer(db.url, env);
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), timeoutMs);
  const code = await s.exited;
  clearTimeout(timer);
  return { code, output: s.output() };
}

/** A signed-in HTTP client against a running server (fetch, with the session cookie and CSRF header). */
export interface Client { cookie: string; fetch(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<Response> }
export async function signIn(base: string, email = 'admin@demo.local'): Promise<Client> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = /mm_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  return {
    cookie,
    fetch: (method, p, body, headers = {}) => fetch(`${base}${p}`, {
      method,
      headers: { Cookie: cookie, ...(method === 'GET' ? {} : CSRF), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  };
}

/** Which databases the fault tests run on (PostgreSQL when TEST_DATABASE_URL is set, required in CI). */
export { databases } from '../api/harness.ts';

/**
 * Ids of demo milestones whose reporting periods are open: the demo seed approves (and so locks) the
 * Americas, Arab States, Europe and Central Asia and Global through 2012, while Africa and Asia-Pacific stay
 * in review; edits that are not about locks go there.
 */
export async function editableMilestones(c: Client, n: number): Promise<number[]> {
  const res = await c.fetch('GET', `/api/v1/milestones?region=AFR&region=ASP&sort=id&pageSize=${n}`);
  const ids = ((await res.json()) as { items: { id: number }[] }).items.map((m) => m.id);
  if (ids.length < n) throw new Error(`need ${n} milestones in open periods, found ${ids.length}`);
  return ids;
}
