/**
 * What an operator sees of a running app: the request id, one JSON log line per request with no secrets in it,
 * GET /metrics (behind its token, in a format Prometheus's own `promtool` accepts, with exact counts), and the
 * readiness gate while migrations run.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@mm/server';
import { streamLogger } from '@mm/server/ops/observe';
import type { Readiness } from '@mm/server/deps';
import { csv, upload } from './import-helpers.ts';
import { DEMO_PASSWORD, startTestApp, type TestApp } from './harness.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample (`name{labels}`, labels in the order prom-client writes them), or undefined. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** `promtool check metrics` on the text: its exit code and what it said (the Prometheus project's own parser and linter). */
function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed for this test (Debian package prometheus): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('request ids, logs and metrics', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  let state: Readiness = 'ready';
  const metrics = createMetrics();

  beforeAll(async () => {
    const logger = streamLogger((chunk) => { raw += chunk; for (const l of chunk.split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>); });
    t = await startTestApp('sqlite', { config: { metricsToken: TOKEN }, observe: { logger, metrics, readiness: () => state } });
  });
  afterAll(async () => { await t?.close(); });

  const scrape = async () => {
    const res = await t.request('GET', '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('gives every response an X-Request-Id: the proxy\'s when it looks like one, else a fresh one', async () => {
    const fresh = await t.request('GET', '/api/v1/health');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.request('GET', '/api/v1/health', { headers: { 'X-Request-Id': 'lb-7f3a9c21.0001' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a9c21.0001');
    for (const bad of ['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(129)]) {
      const res = await t.request('GET', '/api/v1/health', { headers: { 'X-Request-Id': bad } });
      expect(res.headers.get('x-request-id')).not.toBe(bad);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs one JSON line per request with id, route pattern, status, duration and user — never the password, cookie or query', async () => {
    lines.length = 0;
    const login = await t.request('POST', '/api/v1/auth/login', { body: { email: 'manager@demo.local', password: DEMO_PASSWORD } });
    const cookie = /mm_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    expect(cookie).not.toBe('');
    const res = await t.request('GET', '/api/v1/partnerships/999999?secretQuery=abc', { cookie });
    expect(res.status).toBe(404);
    const reqId = res.headers.get('x-request-id');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ msg: 'request', reqId, method: 'GET', route: '/api/v1/partnerships/:id', status: 404, user: expect.any(Number) as number });
    expect(lines[1]?.ms).toEqual(expect.any(Number));
    expect(lines[0]).toMatchObject({ route: '/api/v1/auth/login', status: 200 });
    const session = cookie.split('=')[1] ?? '';
    expect(session.length).toBeGreaterThan(10);
    for (const secret of [DEMO_PASSWORD, session, 'secretQuery', '999999']) expect(raw).not.toContain(secret);
  });

  it('hides /metrics without the token and answers the token with exact counts in a format promtool accepts', async () => {
    expect((await t.request('GET', '/metrics')).status).toBe(401);
    const wrong = await t.request('GET', '/metrics', { headers: { Authorization: 'Bearer not-the-token-at-all-000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const cookie = await t.login('manager@demo.local');
    const before = await scrape();
    const route = 'method="GET",route="/api/v1/progress/summary",status="200"';
    const n0 = sample(before, `mm_http_requests_total{${route}}`) ?? 0;
    const hits0 = sample(before, 'mm_read_cache_requests_total{result="hit"}') ?? 0;
    const misses0 = sample(before, 'mm_read_cache_requests_total{result="miss"}') ?? 0;
    for (let i = 0; i < 3; i++) expect((await t.request('GET', '/api/v1/progress/summary?region=AFR', { cookie })).status).toBe(200);
    const after = await scrape();
    expect(sample(after, `mm_http_requests_total{${route}}`)).toBe(n0 + 3);
    expect(sample(after, `mm_http_request_duration_seconds_count{${route}}`)).toBe(n0 + 3);
    expect(sample(after, `mm_http_request_duration_seconds_bucket{le="+Inf",${route}}`)).toBe(n0 + 3);
    // The first read of that filter set computes, the next two come from the read cache.
    expect(sample(after, 'mm_read_cache_requests_total{result="miss"}')).toBe(misses0 + 1);
    expect(sample(after, 'mm_read_cache_requests_total{result="hit"}')).toBe(hits0 + 2);
    const check = promtool(after);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });

  it('counts exports by format and imports by outcome', async () => {
    const admin = await t.login('admin@demo.local');
    expect((await t.request('GET', '/api/v1/export/summary?format=csv', { cookie: admin })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/export/partnerships?format=json', { cookie: admin })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/export/summary?format=nope', { cookie: admin })).status).toBe(400);
    const header = ['externalId', 'name', 'partnerType', 'hqCountry', 'hqRegion'];
    const good = csv([header, ['OBS-P-1', 'Observability partner', 'ngo', 'KEN', 'AFR']]);
    const bad = csv([header, ['OBS-P-2', 'Bad partner', 'not-a-type', 'KEN', 'AFR']]);
    expect((await upload(t, admin, '/api/v1/imports/partners?dryRun=true', good)).status).toBe(200);
    expect((await upload(t, admin, '/api/v1/imports/partners?dryRun=false', bad)).status).toBe(422);
    const text = await scrape();
    expect(sample(text, 'mm_exports_total{format="csv"}')).toBe(1);
    expect(sample(text, 'mm_exports_total{format="json"}')).toBe(1);
    expect(sample(text, 'mm_exports_total{format="pdf"}')).toBeUndefined();
    expect(sample(text, 'mm_imports_total{type="partners",outcome="dry_run"}')).toBe(1);
    expect(sample(text, 'mm_imports_total{type="partners",outcome="refused"}')).toBe(1);
    expect(sample(text, 'mm_imports_total{type="partners",outcome="committed"}')).toBeUndefined();
    expect(sample(text, 'mm_http_requests_total{method="GET",route="/api/v1/export/:view",status="400"}')).toBe(1);
  });

  it('answers 503 with Retry-After on the API and /ready while migrating; /health stays 200', async () => {
    state = 'migrating';
    try {
      const ready = await t.request('GET', '/api/v1/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      expect(ready.headers.get('content-type')).toMatch(/problem\+json/);
      expect(((await ready.json()) as { detail: string }).detail).toMatch(/migrated/);
      const api = await t.request('GET', '/api/v1/reference');
      expect(api.status).toBe(503);
      expect((await t.request('GET', '/api/v1/health')).status).toBe(200);
    } finally {
      state = 'ready';
    }
    const ready = await t.request('GET', '/api/v1/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('answers 503 on /ready when the database does not answer, and recovers', async () => {
    const u = await startTestApp('sqlite', { seed: 'none' });
    expect((await u.request('GET', '/api/v1/ready')).status).toBe(200);
    await u.handle.close(); // the connection is gone: as good as a database that went away
    const down = await u.request('GET', '/api/v1/ready');
    expect(down.status).toBe(503);
    expect(((await down.json()) as { detail: string }).detail).toMatch(/does not answer/);
    expect((await u.request('GET', '/api/v1/health')).status).toBe(200);
  });
});
