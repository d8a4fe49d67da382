/**
 * Hostile input, property-based (fast-check): every write route of the route table gets random and
 * malformed bodies (wrong types, huge strings, unicode, nested junk, broken JSON, odd content types) and odd
 * ids, as the admin so authorization never masks validation; every list route gets random filter, sort, q
 * and page parameters. Every answer is 2xx or 4xx; every 4xx is problem+json without a stack trace and
 * changes nothing (all tables fingerprinted before and after, except sessions, sign-in failures and the audit
 * trail, which may record refusals). Bounded in time per database.
 */
import { buildOpenApi } from '@mm/server/http/openapi';
import type { Endpoint } from '@mm/server/http/endpoint';
import { fingerprint, listTables, type Fingerprint, type TableInfo } from '@mm/server/ops/tables';
import { ENDPOINTS } from '@mm/server/routes/index';
import { problem } from '@mm/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, databases, startTestApp, type TestApp } from './harness.ts';
import { ODD_IDS, segment } from './hostile.ts';

/** Time budget per database (ms), split evenly across routes; keeps the file well under a minute per database. */
const WRITE_BUDGET = Number(process.env.FUZZ_WRITE_MS ?? 16_000);
const READ_BUDGET = Number(process.env.FUZZ_READ_MS ?? 6_000);
const MAX_JSON = 64 * 1024;
const MIN_RUNS = 3;
const UNCHECKED = ['sessions', 'login_failures', 'audit'];

// Signing out would end the admin session the fuzzing runs under; it takes no input worth fuzzing anyway.
const WRITES = ENDPOINTS.filter((ep) => ep.method !== 'get' && ep.path !== '/auth/logout');
const LISTS = ENDPOINTS.filter((ep) => ep.method === 'get' && ep.query);

interface Js { type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, Js>; required?: string[]; items?: Js; format?: string; anyOf?: Js[]; oneOf?: Js[]; pattern?: string; maximum?: number; minimum?: number }
interface Op { parameters?: Array<{ name: string; in: string; schema: Js }>; requestBody?: { content: Record<string, { schema: Js }> } }
/** The route's input schemas as JSON Schema, taken from the server's own OpenAPI document (generated from the zod schemas). */
const OPENAPI = buildOpenApi(ENDPOINTS, problem) as { paths: Record<string, Record<string, Op>> };
const opOf = (ep: Endpoint): Op | undefined => OPENAPI.paths[`/api/v1${ep.path.replace(/:([A-Za-z]+)/g, '{$1}')}`]?.[ep.method];
const bodySchema = (ep: Endpoint): Js | undefined => opOf(ep)?.requestBody?.content['application/json']?.schema;
const queryProps = (ep: Endpoint): Array<[string, Js]> => (opOf(ep)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema]);

const NASTY_STRINGS = [
  '', ' ', '\u0000', '\u202e', '\uFEFF', '\uD800', 'é'.repeat(300), '💥'.repeat(500), "'; DROP TABLE users; --", '1 OR 1=1', '../../etc/passwd', '%00',
  '<script>alert(1)</script>', '${7*7}', '{{7*7}}', 'null', 'undefined', 'NaN', '-1', '0', '1e309', '2015-02-30', '9999-99-99', '2015-13-01T00:00:00Z',
  '__proto__', 'constructor', '*', '%', '_', '\\', '"', 'AFR', 'ZZZ', 'un', 'done', 'http://', 'javascript:alert(1)', 'x'.repeat(5000),
];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(0, -1, 1, 2, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 2, 9_999_999_999, 1e308, -1e308, 5e-324, 0.5, -0) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: MAX_JSON - 2_000 }).map((n) => 'ü'.repeat(Math.floor(n / 2))) },
);

/** A plausible value for a schema (right type, sometimes right enum/format), so requests get past the first checks. */
function near(s: Js | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return junk;
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts && alts.length > 0) return fc.oneof(...alts.map((a) => near(a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'integer': return fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 2 ** 31, 2 ** 31) }));
    case 'number': return fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 100 }));
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'string':
      if (s.format === 'date' || s.pattern?.includes('\\d{4}-')) return fc.constantFrom('2015-12-31', '2010-01-01', '2015-02-29', '2016-02-29', '2008-06-30', '1999-01-01', '2099-12-31');
      if (s.format === 'email') return fc.constantFrom('admin@demo.local', 'new.person@example.org', 'a@b.c', 'x@');
      if (s.format === 'uri') return fc.constantFrom('https://example.org/evidence', 'ftp://x', 'javascript:alert(1)');
      return fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...NASTY_STRINGS));
    case 'array': return fc.array(fc.oneof(near(s.items, depth + 1), junk), { maxLength: 4 });
    case 'object': return record(s, depth + 1);
    default: return junk;
  }
}

/** An object over the schema's own keys (each plausible or junk, some left out) plus, sometimes, unknown keys. */
function record(s: Js, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const known = props.length === 0
    ? fc.constant({})
    : fc.record(Object.fromEntries(props.map(([k, p]) => [k, fc.oneof({ weight: 3, arbitrary: near(p, depth) }, { weight: 1, arbitrary: junk })])), { requiredKeys: [] });
  return fc.tuple(known, fc.option(fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'id', 'version', 'createdAt', 'extra', ''), junk, { maxKeys: 2 }), { freq: 4 }))
    .map(([a, b]) => ({ ...a, ...(b ?? {}) }));
}

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string; type: string }
  | { kind: 'multipart'; name: string; content: string; field: string };

const RAW_BODIES = ['', '{', '{"a":', '[', 'nul', '{"a":1,}', "{'a':1}", '\uFEFF{}', '{"a":1}{"b":2}', '{"a":NaN}', '{"a":1e999}', '{"__proto__":{"admin":true}}', '{"a":"\\ud800"}', '\u0000', '{"a":1,"a":2}', '[]', '"str"', '42', 'true', 'null'];
const TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-16', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', ''];

function bodyFor(ep: Endpoint): fc.Arbitrary<Body> {
  const schema = bodySchema(ep);
  const json: fc.Arbitrary<Body> = fc.oneof(
    { weight: 6, arbitrary: (schema ? near(schema) : fc.jsonValue({ maxDepth: 2 })).map((value): Body => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: junk.map((value): Body => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom(...TYPES)).map(([text, type]): Body => ({ kind: 'raw', text, type })) },
  );
  if (ep.bodyKind !== 'multipart') return json;
  const csv = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 400 }),
    fc.array(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...NASTY_STRINGS.slice(0, 30)).map(String)), { minLength: 1, maxLength: 8 }), { maxLength: 20 })
      .map((rows) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n')),
    fc.constantFrom('PK\u0003\u0004garbage', '%PDF-1.4', '\uFEFFexternal_id,title\n,\n', 'a,b\n"unterminated'),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom('data.csv', 'data.xlsx', 'x', '../../etc/passwd', 'a'.repeat(300)), csv, fc.constantFrom('file', 'file', 'upload', '')).map(([name, content, field]): Body => ({ kind: 'multipart', name, content, field })) },
    { weight: 1, arbitrary: json },
  );
}

/** Query strings: the schema's own keys with plausible or junk values, repeated keys, unknown keys. */
function queryFor(ep: Endpoint): fc.Arbitrary<string> {
  if (!ep.query) return fc.constant('');
  const props = queryProps(ep);
  const pair = fc.oneof(
    { weight: 6, arbitrary: props.length ? fc.constantFrom(...props).chain(([k, p]) => fc.oneof(near(p.type === 'array' ? p.items : p), junk).map((v) => [k, v] as const)) : fc.constant(['q', 'x'] as const) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('sort', 'page', 'pageSize', 'q', 'asOf', 'region', 'unknown', '', '__proto__', 'page[]'), junk) },
  );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => {
    const sp = new URLSearchParams();
    for (const [k, v] of pairs) sp.append(k, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
    const s = sp.toString();
    return s ? `?${s}` : '';
  });
}

const VALID_IDS = ['2', '3', '4', '5', '7', '10', '12', '20'];
const idArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALID_IDS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_IDS) });
const ifMatchArb = fc.option(fc.constantFrom('"1"', '"2"', 'W/"1"', '*', '"999"', 'garbage', '', '"1", "2"'), { freq: 2 });
const pathOf = (ep: Endpoint, id: string) => `/api/v1${ep.path.replace(/:[A-Za-z]+/g, segment(id))}`;

async function checkAnswer(res: Response, what: string): Promise<void> {
  expect(res.status, `${what} → ${res.status}`).toBeLessThan(500);
  const text = await res.text();
  expect(text, what).not.toMatch(/\n\s+at |node_modules|\/src\/[\w/.-]+\.ts|SQLITE_|syntax error at or near/);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), `${what} → ${res.status}`).toContain('application/problem+json');
    expect(JSON.parse(text).status, what).toBe(res.status);
  }
}

/** Keeps the fuzz cheap: a small slice of the demo data (fingerprints are taken after every request). */
async function prune(t: TestApp): Promise<void> {
  const db = t.handle.db;
  await db.deleteFrom('action_plans').where('id', '>', 20).execute();
  await db.deleteFrom('partnerships').where('id', '>', 20).execute();
  await db.deleteFrom('assessment_ratings').where('assessment_id', '>', 20).execute();
  await db.deleteFrom('assessments').where('id', '>', 20).execute();
  await db.deleteFrom('partners').where('id', '>', 20).where('id', 'not in', db.selectFrom('partnership_partners').select('partner_id')).where('id', 'not in', db.selectFrom('assessments').select('partner_id').where('partner_id', 'is not', null)).execute();
}

describe.each(databases())('fuzzing the API on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let tables: TableInfo[];
  let baseline: Fingerprint;
  const tally = { requests: 0, ok: 0, refused: 0 };
  const fp = () => fingerprint(t.handle.db, t.handle.dialect, UNCHECKED, tables);

  beforeAll(async () => {
    t = await startTestApp(kind, { config: { maxJsonBytes: MAX_JSON, maxUploadBytes: 256 * 1024 } });
    await prune(t);
    admin = await t.login('admin@demo.local');
    tables = await listTables(t.handle.db, t.handle.dialect);
    baseline = await fp();
  });
  afterAll(async () => {
    console.log(`fuzz on ${kind}: ${tally.requests} requests (${tally.ok} accepted, ${tally.refused} refused) over ${WRITES.length} write and ${LISTS.length} list routes`);
    await t?.close();
  });

  it('every write route: random and malformed bodies and ids get 2xx or 4xx problem+json, and a 4xx changes nothing', async () => {
    expect(WRITES.length).toBeGreaterThan(0);
    for (const ep of WRITES) {
      const arb = fc.record({ id: idArb, body: bodyFor(ep), ifMatch: ifMatchArb, query: queryFor(ep) });
      let deadline = Infinity;
      const property = fc.asyncProperty(arb, async ({ id, body, ifMatch, query }) => {
        // Past the route's time budget the remaining runs are no-ops (fast-check's own interruption would
        // abandon a request in flight, which could then change the data behind the next route's back).
        if (Date.now() > deadline) return;
        const headers: Record<string, string> = { ...CSRF, Cookie: admin };
        if (ifMatch !== null) headers['If-Match'] = ifMatch;
        let payload: BodyInit | undefined;
        if (body.kind === 'json') {
          headers['Content-Type'] = 'application/json';
          payload = JSON.stringify(body.value) ?? 'null';
        } else if (body.kind === 'raw') {
          if (body.type) headers['Content-Type'] = body.type;
          payload = body.text;
        } else {
          const form = new FormData();
          form.append(body.field, new Blob([body.content], { type: 'text/csv' }), body.name);
          payload = form;
        }
        const path = `${pathOf(ep, id)}${query}`;
        const res = await t.app.request(path, { method: ep.method.toUpperCase(), headers, body: payload });
        const what = `${ep.method.toUpperCase()} ${path} ${body.kind === 'multipart' ? `[file ${body.content.length} chars]` : JSON.stringify(body).slice(0, 300)}`;
        tally.requests++;
        await checkAnswer(res, what);
        const after = await fp();
        if (res.status >= 400) {
          tally.refused++;
          expect(after, `${what} → ${res.status} changed data`).toEqual(baseline);
        } else {
          tally.ok++;
        }
        baseline = after;
      });
      // At least a few runs per route whatever the machine's speed, then as many as the time budget allows.
      await fc.assert(property, { numRuns: MIN_RUNS, endOnFailure: true });
      deadline = Date.now() + WRITE_BUDGET / WRITES.length;
      await fc.assert(property, { numRuns: 300, endOnFailure: true });
    }
  });

  it('every list route: random filter, sort, q and page parameters get 200 or 400 problem+json and change nothing', async () => {
    expect(LISTS.length).toBeGreaterThan(0);
    const before = await fp();
    for (const ep of LISTS) {
      let deadline = Infinity;
      const property = fc.asyncProperty(queryFor(ep), idArb, async (query, id) => {
        if (Date.now() > deadline) return;
        const path = `${pathOf(ep, id)}${query}`;
        const res = await t.app.request(path, { headers: { Cookie: admin } });
        tally.requests++;
        await checkAnswer(res, `GET ${path}`);
      });
      await fc.assert(property, { numRuns: MIN_RUNS, endOnFailure: true });
      deadline = Date.now() + READ_BUDGET / LISTS.length;
      await fc.assert(property, { numRuns: 200, endOnFailure: true });
    }
    expect(await fp()).toEqual(before);
  });
});
