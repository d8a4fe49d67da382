/**
 * Browser and session security: response headers, cookie flags, CORS off unless configured, CSRF refusals
 * (cross-site form posts, text/plain JSON posts), and GET routes that never change stored data.
 * Walks the route table, so routes added later are covered too.
 */
import { EPHEMERAL_TABLES, fingerprint } from '@mm/server/ops/tables';
import { ENDPOINTS } from '@mm/server/routes/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, databases, startTestApp, type TestApp } from './harness.ts';

const WRITES = ENDPOINTS.filter((ep) => ep.method !== 'get');
const GETS = ENDPOINTS.filter((ep) => ep.method === 'get');
/** A concrete URL for a route: every path parameter becomes `value`. */
const url = (path: string, value = '1') => `/api/v1${path.replace(/:[A-Za-z]+/g, value)}`;

function checkBrowserHeaders(res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('default-src'));
  expect(scriptSrc).toBeDefined();
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
}

describe.each(databases())('browser and session security on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await t.login('admin@demo.local');
  });
  afterAll(async () => { await t?.close(); });

  it('sends CSP without inline scripts and with frame-ancestors none, nosniff and a referrer policy on every kind of response', async () => {
    for (const [path, status] of [['/api/v1/health', 200], ['/api/v1/reference', 401], ['/api/v1/nope', 404], ['/api/docs', 200]] as const) {
      const res = await t.request('GET', path);
      expect(res.status).toBe(status);
      checkBrowserHeaders(res);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    // The docs page itself carries no inline script (it would be blocked by the CSP).
    const html = await (await t.request('GET', '/api/docs')).text();
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc=/);
    expect(html).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('sends the same headers on cached reads: computed, served from the cache, and 304', async () => {
    const path = '/api/v1/progress/by/region?asOf=2013-06-30';
    const first = await t.request('GET', path, { cookie: admin });
    const second = await t.request('GET', path, { cookie: admin });
    const etag = second.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    const notModified = await t.request('GET', path, { cookie: admin, headers: { 'If-None-Match': etag } });
    expect([first.status, second.status, notModified.status]).toEqual([200, 200, 304]);
    for (const res of [first, second, notModified]) {
      checkBrowserHeaders(res);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(res.headers.get('vary')).toBe('Cookie, Accept-Encoding');
    }
    expect(second.headers.get('content-type')).toBe('application/json');
    expect(await second.json()).toEqual(await first.json());
  });

  it('sets the session cookie HttpOnly, SameSite and path-wide, and not Secure over plain HTTP', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', { body: { email: 'manager@demo.local', password: 'demo-password-2015' } });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mm_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('over HTTPS (SECURE_COOKIES=1) adds HSTS and marks the cookie Secure', async () => {
    const s = await startTestApp(kind, { config: { secureCookies: true } });
    try {
      const res = await s.request('POST', '/api/v1/auth/login', { body: { email: 'manager@demo.local', password: 'demo-password-2015' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      checkBrowserHeaders(res);
      expect((await s.request('GET', '/api/v1/health')).headers.get('strict-transport-security')).toMatch(/max-age=/);
      // Cached reads too (their headers are built once per cache entry).
      const cookie = /mm_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
      for (let i = 0; i < 2; i++) {
        const read = await s.request('GET', '/api/v1/progress/summary', { cookie });
        expect(read.status).toBe(200);
        expect(read.headers.get('strict-transport-security')).toMatch(/max-age=/);
        checkBrowserHeaders(read);
      }
    } finally {
      await s.close();
    }
  });

  it('with CORS configured, a cached read answers the allowed origin with its CORS and security headers', async () => {
    const s = await startTestApp(kind, { config: { corsOrigins: ['https://partner.example'] } });
    try {
      const cookie = await s.login('manager@demo.local');
      for (let i = 0; i < 2; i++) {
        const res = await s.request('GET', '/api/v1/progress/summary', { cookie, headers: { Origin: 'https://partner.example' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
        expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
        expect(res.headers.get('etag')).toMatch(/^W\/"/);
        checkBrowserHeaders(res);
      }
    } finally {
      await s.close();
    }
  });

  it('has CORS off by default: no allow-origin for any origin, preflight or not', async () => {
    const pre = await t.request('OPTIONS', '/api/v1/auth/login', { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-requested-with' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await t.request('GET', '/api/v1/health', { headers: { Origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with CORS_ORIGINS set allows exactly the listed origins', async () => {
    const s = await startTestApp(kind, { seed: 'none', config: { corsOrigins: ['https://partner.example'] } });
    try {
      const preflight = (origin: string) => s.request('OPTIONS', '/api/v1/auth/login', { headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-requested-with' } });
      const ok = await preflight('https://partner.example');
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://partner.example');
      expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
      const evil = await preflight('https://evil.example');
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const wild = await s.request('GET', '/api/v1/health', { headers: { Origin: 'https://evil.example' } });
      expect(wild.headers.get('access-control-allow-origin')).not.toBe('*');
      expect(wild.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('refuses a cross-site HTML form post to every write route, signed in or not', async () => {
    expect(WRITES.length).toBeGreaterThan(0);
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    for (const ep of WRITES) {
      for (const cookie of [admin, null]) {
        // What a form on evil.example auto-submitting to us sends: no custom header, form encoding, foreign Origin.
        const res = await t.app.request(url(ep.path), {
          method: ep.method.toUpperCase(),
          headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
          body: 'email=admin%40demo.local&password=x&title=pwned',
        });
        expect(res.status, `${ep.method} ${ep.path}`).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      // Even with the custom header (a non-browser client) a foreign Origin may not write.
      const withHeader = await t.app.request(url(ep.path), { method: ep.method.toUpperCase(), headers: { ...CSRF, Origin: 'https://evil.example', 'Content-Type': 'application/json', Cookie: admin }, body: '{}' });
      expect(withHeader.status, `${ep.method} ${ep.path} with header`).toBe(403);
    }
    expect(await fingerprint(t.handle.db, t.handle.dialect, [...EPHEMERAL_TABLES, 'audit'])).toEqual(withoutAudit(before));
  });

  it('refuses a text/plain JSON post: cross-site (403) and even with the CSRF header (415 on JSON routes)', async () => {
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    for (const ep of WRITES) {
      const body = JSON.stringify({ email: 'admin@demo.local', password: 'demo-password-2015', title: 'x' });
      const simple = await t.app.request(url(ep.path), { method: ep.method.toUpperCase(), headers: { 'Content-Type': 'text/plain', Cookie: admin }, body });
      expect(simple.status, `${ep.method} ${ep.path}`).toBe(403);
      if (ep.body && (ep.bodyKind ?? 'json') === 'json') {
        const withHeader = await t.app.request(url(ep.path), { method: ep.method.toUpperCase(), headers: { ...CSRF, 'Content-Type': 'text/plain', Cookie: admin }, body });
        expect([400, 404, 415], `${ep.method} ${ep.path}`).toContain(withHeader.status);
        if (!ep.path.includes(':')) expect(withHeader.status, `${ep.method} ${ep.path}`).toBe(415);
      }
    }
    expect(withoutAudit(await fingerprint(t.handle.db, t.handle.dialect))).toEqual(withoutAudit(before));
  });

  it('never changes stored data on GET: every GET route walked as admin (ids 1 and 2, with and without a query)', async () => {
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    let calls = 0;
    for (const ep of GETS) {
      for (const id of ep.path.includes(':') ? ['1', '2'] : ['1']) {
        for (const qs of ['', '?page=1']) {
          const res = await t.request('GET', `${url(ep.path, id)}${qs}`, { cookie: admin });
          expect(res.status, `GET ${ep.path}`).toBeLessThan(500);
          await res.arrayBuffer();
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThanOrEqual(GETS.length);
    // Sessions may be touched (idle clock), nothing else: not the data, not the audit trail, not meta.data_version.
    expect(await fingerprint(t.handle.db, t.handle.dialect)).toEqual(before);
  });
});

function withoutAudit(f: Awaited<ReturnType<typeof fingerprint>>): Awaited<ReturnType<typeof fingerprint>> {
  const { audit: _audit, ...rest } = f;
  return rest;
}
