/**
 * Test harness for API tests: a real app on a real database — SQLite in memory always, and a fresh
 * PostgreSQL database (created here, dropped after) when TEST_DATABASE_URL is set. In CI a missing
 * TEST_DATABASE_URL fails the run instead of silently skipping PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { createApp, type CreateAppOptions } from '@mm/server';
import { openDatabase, type DbHandle } from '@mm/server/db/connect';
import { migrate } from '@mm/server/db/migrations';
import { seedDemo } from '@mm/server/db/seed';
import type { AppConfig } from '@mm/server/deps';
import type { LogConfig } from 'kysely';
import pg from 'pg';

export const DEMO_PASSWORD = 'demo-password-2015';
export const CSRF = { 'X-Requested-With': 'MainstreamMonitor' } as const;

export type DbKind = 'sqlite' | 'postgres';

/** The databases every API test runs against. */
export function databases(): DbKind[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI) throw new Error('TEST_DATABASE_URL must be set in CI: the API tests run on PostgreSQL too.');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Creates an empty PostgreSQL database for one test file; returns its URL and a drop function. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `mm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface RequestOptions { body?: unknown; headers?: Record<string, string>; cookie?: string | null; rawBody?: BodyInit }

export interface TestApp {
  kind: DbKind;
  handle: DbHandle;
  app: ReturnType<typeof createApp>;
  /** Sends a request; JSON bodies get the content type and the CSRF header. */
  request(method: string, path: string, opts?: RequestOptions): Promise<Response>;
  /** Signs in and returns the session cookie (`mm_session=…`). */
  login(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  seed?: 'demo' | 'none';
  clock?: () => Date;
  config?: Partial<AppConfig>;
  /** Kysely's query log on the app's database (tests that count queries). */
  log?: LogConfig;
  /** The app's structured log, metrics and readiness (the observability tests); silent, fresh and ready when omitted. */
  observe?: Pick<CreateAppOptions, 'logger' | 'metrics' | 'readiness'>;
}

export async function startTestApp(kind: DbKind, opts: StartOptions = {}): Promise<TestApp> {
  let drop: (() => Promise<void>) | undefined;
  let url = 'sqlite::memory:';
  if (kind === 'postgres') {
    const created = await createPgDatabase();
    url = created.url;
    drop = created.drop;
  }
  const handle = openDatabase(url, { log: opts.log });
  await migrate(handle.db, handle.dialect);
  if ((opts.seed ?? 'demo') === 'demo') await seedDemo(handle.db, handle.dialect, 'demo');
  const unexpected: unknown[] = [];
  const app = createApp({ db: handle.db, dialect: handle.dialect, changeStamp: handle.changeStamp, clock: opts.clock, config: opts.config, ...opts.observe, onUnexpectedError: (e) => { unexpected.push(e); console.error(e); } });
  const request: TestApp['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(method !== 'GET' ? CSRF : {}), ...o.headers };
    if (o.cookie) headers.Cookie = o.cookie;
    let body: BodyInit | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['Content-Type'] ??= 'application/json';
    }
    return app.request(path, { method, headers, body });
  };
  return {
    kind, handle, app, request,
    login: async (email, password = DEMO_PASSWORD) => {
      const res = await request('POST', '/api/v1/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
      const set = res.headers.get('set-cookie') ?? '';
      const m = /mm_session=([^;]+)/.exec(set);
      if (!m) throw new Error('no session cookie');
      return `mm_session=${m[1]}`;
    },
    close: async () => {
      await handle.close();
      if (drop) await drop();
    },
  };
}
