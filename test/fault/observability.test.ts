/**
 * Observability of a real server process, read by real counterparts: a Prometheus server scrapes METRICS_PORT
 * and must hold the exact request counts; the JSON log of a run that signs in and shares a snapshot must hold no
 * password, session cookie or share token; /api/v1/ready answers 503 while the database is stopped under the
 * running server (PostgreSQL refusing connections) and while migrations wait on a lock, and 200 once they pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '@mm/server/db/connect';
import { migrate } from '@mm/server/db/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, stopServer, waitHealthy, waitListening, type ServerChild } from '../server-process.ts';
import { DEMO_PASSWORD, databases, signIn, tempDb, type TestDb } from './proc.ts';
import { startPrometheus, type Prometheus } from './prometheus.ts';

const adminUrl = () => process.env.TEST_DATABASE_URL ?? '';
async function onAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try { return await work(c); } finally { await c.end(); }
}

describe.each(databases())('a running server observed on %s', (kind) => {
  let db: TestDb;
  let s: ServerChild;
  let prom: Prometheus;
  let metricsPort: number;
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-log-')), 'server.log');

  beforeAll(async () => {
    db = await tempDb(kind);
    metricsPort = await freePort();
    prom = await startPrometheus(`127.0.0.1:${metricsPort}`);
    s = await spawnServer(db.url, { DEMO: '1', WEB_DIST: '/nonexistent', LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort) }, { logFile });
    await waitHealthy(s, { timeoutMs: 90_000, pollMs: 150 });
  });
  afterAll(async () => {
    await stopServer(s);
    await prom?.stop();
    await db?.drop();
    fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
  });

  it('is scraped by a real Prometheus, which holds the exact request counts and the pool and cache figures', async () => {
    await prom.waitFor('up{job="mainstream-monitor"}', (v) => v === 1);
    const manager = await signIn(s.base, 'manager@demo.local');
    for (let i = 0; i < 7; i++) expect((await manager.fetch('GET', '/api/v1/progress/summary?region=ASP')).status).toBe(200);
    expect((await manager.fetch('GET', '/api/v1/partnerships/987654')).status).toBe(404);
    const summary = 'mm_http_requests_total{route="/api/v1/progress/summary",method="GET",status="200"}';
    expect(await prom.waitFor(summary, (v) => v === 7)).toBe(7);
    expect(await prom.waitFor('sum(mm_http_request_duration_seconds_count{route="/api/v1/progress/summary"})', (v) => v === 7)).toBe(7);
    expect(await prom.waitFor('mm_http_requests_total{route="/api/v1/partnerships/:id",status="404"}', (v) => v === 1)).toBe(1);
    // Each of the seven reads went through the read cache, as a hit or a miss.
    expect(await prom.waitFor('sum(mm_read_cache_requests_total)', (v) => (v ?? 0) >= 7)).toBeGreaterThanOrEqual(7);
    expect(await prom.value('mm_process_resident_memory_bytes')).toBeGreaterThan(0);
    if (kind === 'postgres') expect(await prom.waitFor('mm_db_pool_connections{state="total"}', (v) => (v ?? 0) >= 1)).toBeGreaterThanOrEqual(1);
    // The metrics port serves the metrics and nothing else; the API port does not serve them without a token.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/v1/health`)).status).toBe(404);
    expect((await fetch(`${s.base}/metrics`)).status).toBe(404);
  });

  it.runIf(kind === 'postgres')('answers 503 on /ready while its database refuses connections, 200 again once it is back (health stays 200)', async () => {
    const name = new URL(db.url).pathname.slice(1);
    await onAdmin(async (c) => {
      await c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    });
    try {
      const down = await fetch(`${s.base}/api/v1/ready`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(((await down.json()) as { detail: string }).detail).toMatch(/does not answer/);
      expect((await fetch(`${s.base}/api/v1/health`)).status).toBe(200);
    } finally {
      await onAdmin((c) => c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    }
    await waitHealthy(s, { timeoutMs: 15_000, pollMs: 200 });
    expect((await fetch(`${s.base}/api/v1/ready`)).status).toBe(200);
  });

  it('logs one JSON line per request, and no password, session cookie or share token', async () => {
    const admin = await signIn(s.base, 'admin@demo.local');
    const snap = (await (await admin.fetch('POST', '/api/v1/snapshots', { title: 'Observed snapshot', filters: { region: ['AFR'] } })).json()) as { id: number };
    const share = await admin.fetch('POST', `/api/v1/snapshots/${snap.id}/share`, { expiresInDays: 7 });
    expect(share.status).toBe(201);
    const { token } = (await share.json()) as { token: string };
    const shared = await fetch(`${s.base}/api/v1/shared/${token}`);
    expect(shared.status).toBe(200);
    const reqId = shared.headers.get('x-request-id');
    expect((await fetch(`${s.base}/api/v1/shared/${token}/export?format=csv`)).status).toBe(200);
    await stopServer(s); // flushes the log
    const text = fs.readFileSync(logFile, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.reqId === reqId)).toMatchObject({ msg: 'request', method: 'GET', route: '/api/v1/shared/:token', status: 200 });
    expect(lines.filter((l) => l.route === '/api/v1/auth/login' && l.status === 200).length).toBeGreaterThanOrEqual(2);
    const session = admin.cookie.split('=')[1] ?? '';
    expect(session.length).toBeGreaterThan(10);
    expect(token.length).toBeGreaterThan(10);
    for (const secret of [DEMO_PASSWORD, session, token, 'mm_session']) expect(text).not.toContain(secret);
  });
});

describe.runIf(databases().includes('postgres'))('a server whose migrations wait on a lock (PostgreSQL)', () => {
  let db: TestDb;
  let s: ServerChild | undefined;
  beforeAll(async () => { db = await tempDb('postgres'); });
  afterAll(async () => { await stopServer(s); await db?.drop(); });

  it('listens at once, answers 503 on /ready and the API until they are done, then 200', async () => {
    const h = openDatabase(db.url);
    await migrate(h.db, h.dialect);
    await h.close();
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE meta IN ACCESS EXCLUSIVE MODE');
      s = await spawnServer(db.url, { DEMO: '', WEB_DIST: '/nonexistent' });
      await waitListening(s, 60_000, 'Listening at');
      const ready = await fetch(`${s.base}/api/v1/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { detail: string }).detail).toMatch(/being migrated/);
      expect((await fetch(`${s.base}/api/v1/reference`)).status).toBe(503);
      expect((await fetch(`${s.base}/api/v1/health`)).status).toBe(200);
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    await waitHealthy(s, { timeoutMs: 30_000, pollMs: 100 });
    expect((await fetch(`${s.base}/api/v1/ready`)).status).toBe(200);
  });
});
