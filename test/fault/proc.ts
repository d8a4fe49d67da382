/**
 * Real server processes for fault tests: `node --import tsx server/src/main.ts` on a temp SQLite file or a
 * PostgreSQL database of its own, on a free 127.0.0.1 port; plus a tiny HTTP client that keeps the cookie.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase, type DbKind } from '../api/harness.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEMO_PASSWORD = 'demo-password-2015';
export const CSRF = { 'X-Requested-With': 'MainstreamMonitor' } as const;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

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

export interface ServerProc {
  port: number;
  base: string;
  proc: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Starts the server and waits until it listens; rejects with its output if it exits first. */
export async function startServer(db: TestDb, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProc> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', DEMO: '1', WEB_DIST: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => { if (out.includes('is running at')) { clearTimeout(timer); resolve(); } };
    proc.stdout?.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before listening:\n${out}`)); });
  });
  return { port, base: `http://127.0.0.1:${port}`, proc, output: () => out, exited };
}

/** Runs the server to exit and returns its code and output (for refusals at start-up). */
export async function runServerToExit(db: TestDb, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | string; output: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | string>((resolve) => proc.once('exit', (c, s) => resolve(c ?? s ?? 'unknown')));
  clearTimeout(timer);
  return { code, output: out };
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
