/** The read cache: ETag/304 while the data is unchanged, fresh numbers the moment a write commits, gzip for who accepts it. */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe.each(databases())('aggregate caching on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('admin@demo.local'); });
  afterAll(async () => { await t?.close(); });

  it('answers 304 to a client that holds the current version, and new numbers right after a write', async () => {
    const first = await t.request('GET', '/api/v1/progress/summary?region=AFR', { cookie });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"/);
    const before = await first.json();

    const again = await t.request('GET', '/api/v1/progress/summary?region=AFR', { cookie, headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);

    // Complete one open Africa milestone; the very next read must count it.
    const list = await (await t.request('GET', '/api/v1/milestones?region=AFR&status=in_progress&pageSize=1', { cookie })).json();
    const id: number = list.items[0].id;
    const ms = await t.request('GET', `/api/v1/milestones/${id}`, { cookie });
    const patch = await t.request('PATCH', `/api/v1/milestones/${id}`, { cookie, headers: { 'If-Match': ms.headers.get('etag') ?? '' }, body: { status: 'completed' } });
    expect(patch.status).toBe(200);

    const after = await t.request('GET', '/api/v1/progress/summary?region=AFR', { cookie, headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json()).milestones.completed).toBe(before.milestones.completed + 1);
  });

  it('sends a large cached answer gzipped to a client that accepts gzip, the same JSON once decoded, and plain bytes otherwise', async () => {
    const path = '/api/v1/progress/scorecard?pageSize=50';
    const plain = await t.request('GET', path, { cookie });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Cookie, Accept-Encoding');
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(1024);
    for (const accept of ['gzip, deflate, br, zstd', 'br;q=1.0, gzip;q=0.8', '*']) {
      const zipped = await t.request('GET', path, { cookie, headers: { 'Accept-Encoding': accept } });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
      const bytes = new Uint8Array(await zipped.arrayBuffer());
      expect(bytes.byteLength).toBeLessThan(text.length / 3);
      expect(gunzipSync(bytes).toString('utf8')).toBe(text);
    }
    // Refused (q=0) or not offered: the plain bytes.
    for (const accept of ['gzip;q=0, identity', 'br', 'identity', '*;q=0']) {
      const r = await t.request('GET', path, { cookie, headers: { 'Accept-Encoding': accept } });
      expect(r.headers.get('content-encoding')).toBeNull();
      expect(await r.text()).toBe(text);
    }
    // A 304 stays a 304 whatever the encoding.
    const again = await t.request('GET', path, { cookie, headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': plain.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('gives concurrent requests for the same view one consistent answer', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => t.request('GET', '/api/v1/progress/by/region?partnerType=un', { cookie })));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(responses.map((r) => r.headers.get('etag'))).size).toBe(1);
  });
});

describe.each(databases())('a cold read on %s', (kind) => {
  let t: TestApp;
  let queries: { sql: string; parameters: readonly unknown[] }[] = [];
  beforeAll(async () => { t = await startTestApp(kind, { log: (e) => { if (e.level === 'query') queries.push(e.query); } }); });
  afterAll(async () => { await t?.close(); });

  it('reads the data version once, along with the session, however many shared results the answer builds on', async () => {
    const cookie = await t.login('manager@demo.local');
    for (const path of ['/api/v1/progress/summary', '/api/v1/progress/by/region?partnerType=un', '/api/v1/progress/trajectory?region=AFR']) {
      queries = [];
      const res = await t.request('GET', path, { cookie });
      expect(res.status, path).toBe(200);
      const versionReads = queries.filter((q) => q.parameters.includes('data_version'));
      // The session lookup carries the version (SQLite may reuse an unchanged lookup and send neither).
      expect(versionReads.length, path).toBe(queries.filter((q) => q.sql.includes('"sessions"')).length);
      expect(versionReads.length, path).toBeLessThanOrEqual(1);
      expect(queries.length, path).toBeGreaterThan(2);
    }
  });
});
