/**
 * Limits: body size on every write route (413, with and without Content-Length; the same through the real
 * server process in test/fault/server.test.ts), JSON nesting depth, read timeouts, and path parameters that are not valid ids never reaching
 * another record. Walks the route table, so routes added later are covered.
 */
import { EPHEMERAL_TABLES, fingerprint } from '@mm/server/ops/tables';
import { ENDPOINTS } from '@mm/server/routes/index';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, databases, startTestApp, type TestApp } from './harness.ts';
import { ODD_IDS, segment } from './hostile.ts';

const MAX_JSON = 64 * 1024;
const MAX_UPLOAD = 128 * 1024;
const WRITES = ENDPOINTS.filter((ep) => ep.method !== 'get');
const JSON_WRITES = WRITES.filter((ep) => ep.body && (ep.bodyKind ?? 'json') === 'json');
const WITH_PARAMS = ENDPOINTS.filter((ep) => ep.path.includes('/:'));
const url = (path: string, value = '1') => `/api/v1${path.replace(/:[A-Za-z]+/g, value)}`;


async function problemCheck(res: Response, what: string, allowed = (s: number) => s >= 400 && s < 500): Promise<void> {
  expect(allowed(res.status), `${what}: status ${res.status}`).toBe(true);
  expect(res.headers.get('content-type'), what).toContain('application/problem+json');
  const text = await res.clone().text();
  expect(text, what).not.toMatch(/\n\s+at |node_modules|\/src\/|\.ts:\d+/);
}

function chunked(total: number, chunk = 16 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (sent >= total) { ctrl.close(); return; }
      const n = Math.min(chunk, total - sent);
      sent += n;
      ctrl.enqueue(new TextEncoder().encode(' '.repeat(n)));
    },
  });
}

describe.each(databases())('limits on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { config: { maxJsonBytes: MAX_JSON, maxUploadBytes: MAX_UPLOAD, readTimeoutMs: 400 } });
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => { await t?.close(); });

  it('answers 413 problem+json to an oversized body on every write route, with and without Content-Length', async () => {
    expect(WRITES.length).toBeGreaterThan(0);
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    for (const ep of WRITES) {
      const multipart = ep.bodyKind === 'multipart';
      const type = multipart ? 'multipart/form-data; boundary=x' : 'application/json';
      const size = (multipart ? MAX_UPLOAD : MAX_JSON) + 1024;
      const what = `${ep.method} ${ep.path}`;
      const withLength = await t.app.request(url(ep.path), { method: ep.method.toUpperCase(), headers: { ...CSRF, Cookie: admin, 'Content-Type': type }, body: `"${'x'.repeat(size)}"` });
      expect(withLength.status, `${what} (Content-Length)`).toBe(413);
      await problemCheck(withLength, what);
      const streamed = await t.app.request(url(ep.path), { method: ep.method.toUpperCase(), headers: { ...CSRF, Cookie: admin, 'Content-Type': type }, body: chunked(size), duplex: 'half' } as RequestInit);
      expect(streamed.status, `${what} (chunked)`).toBe(413);
      await problemCheck(streamed, what);
    }
    expect(await fingerprint(t.handle.db, t.handle.dialect)).toEqual(before);
  });

  it('refuses JSON nested deeper than 32 levels with a 400 naming the reason, even 30 000 levels deep', async () => {
    expect(JSON_WRITES.length).toBeGreaterThan(0);
    for (const ep of JSON_WRITES) {
      const what = `${ep.method} ${ep.path}`;
      for (const depth of [33, 1000, 30_000]) {
        const res = await t.request(ep.method.toUpperCase(), url(ep.path), { cookie: admin, headers: { 'Content-Type': 'application/json' }, rawBody: `${'['.repeat(depth)}${']'.repeat(depth)}` });
        await problemCheck(res, what);
        // Routes whose parameter is not a numeric id (e.g. snapshot keys) refuse "1" before reading the body.
        if (await paramRefused(res)) continue;
        expect(res.status, `${what} depth ${depth}`).toBe(400);
        expect(JSON.stringify((await res.clone().json()).errors), what).toContain('nested too deeply');
      }
      const objects = await t.request(ep.method.toUpperCase(), url(ep.path), { cookie: admin, headers: { 'Content-Type': 'application/json' }, rawBody: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}` });
      expect([400, 404], what).toContain(objects.status);
      // 32 levels is allowed through to schema validation (which then names the real field problems).
      const ok = await t.request(ep.method.toUpperCase(), url(ep.path), { cookie: admin, headers: { 'Content-Type': 'application/json' }, rawBody: `${'['.repeat(32)}${']'.repeat(32)}` });
      expect(JSON.stringify(await ok.json()), what).not.toContain('nested too deeply');
    }
  });

  it('refuses NUL characters (PostgreSQL cannot store them) in every query and JSON body with 400, on both databases', async () => {
    for (const ep of ENDPOINTS.filter((e) => e.method === 'get' && e.query)) {
      const res = await t.request('GET', `${url(ep.path)}?q=a%00b`, { cookie: admin });
      await problemCheck(res, `GET ${ep.path}?q=%00`);
    }
    for (const ep of JSON_WRITES) {
      const res = await t.request(ep.method.toUpperCase(), url(ep.path), { cookie: admin, headers: { 'Content-Type': 'application/json' }, rawBody: '{"name":"a\\u0000b","title":"x\\u0000"}' });
      await problemCheck(res, `${ep.method} ${ep.path} with NUL`);
    }
  });

  it.runIf(kind === 'postgres')('answers a read that is stuck on the database with 503 problem+json instead of hanging', async () => {
    const locker = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL?.replace(/\/[^/]*$/, `/${await dbName(t)}`) });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE partners IN ACCESS EXCLUSIVE MODE');
      const t0 = Date.now();
      const res = await t.request('GET', '/api/v1/partners', { cookie: admin });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      await problemCheck(res, 'stuck read', (s) => s === 503);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await t.request('GET', '/api/v1/partners', { cookie: admin })).status).toBe(200);
  });

  it('never lets a path parameter that is not a valid id reach a record: every route with a parameter', async () => {
    expect(WITH_PARAMS.length).toBeGreaterThanOrEqual(0);
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    for (const ep of WITH_PARAMS) {
      for (const id of ODD_IDS) {
        const path = url(ep.path, segment(id));
        const what = `${ep.method} ${path}`;
        const res = await t.request(ep.method.toUpperCase(), path, { cookie: admin, body: ep.method === 'get' || ep.bodyKind === 'none' ? undefined : {} });
        // 404 for an empty segment (no such route) or an unknown key; 400 for a malformed id; never a record.
        expect([400, 404, 405, 412, 428], what).toContain(res.status);
        await problemCheck(res, what);
      }
    }
    expect(await fingerprint(t.handle.db, t.handle.dialect, [...EPHEMERAL_TABLES, 'audit'])).toEqual(withoutAudit(before));
  });
});

/** True when the 400/404 is about the path parameter (the body was never read). */
async function paramRefused(res: Response): Promise<boolean> {
  const body = (await res.clone().json()) as { status: number; detail?: string };
  return body.status === 404 || (body.detail ?? '').includes('path parameter');
}

async function dbName(t: TestApp): Promise<string> {
  const { sql } = await import('kysely');
  const r = await sql<{ d: string }>`SELECT current_database() AS d`.execute(t.handle.db);
  return r.rows[0]?.d ?? '';
}

function withoutAudit(f: Awaited<ReturnType<typeof fingerprint>>): Awaited<ReturnType<typeof fingerprint>> {
  const { audit: _audit, ...rest } = f;
  return rest;
}
