/**
 * Walks EVERY entry of the route table × role (anonymous, viewer, editor whose region the record is in,
 * editor of another region, admin) × target (Africa record, Asia record, missing id 999999) and checks
 * the status class that the entry's `access` and `scope` promise. Fails when the Hono app serves a route
 * that the table does not list, or when an entry states no access rule or no scope.
 *
 * Expectations are derived from `access`/`scope`, so routes added later are covered automatically: for
 * routes this file knows no bodies for it checks 401 (anonymous), 403 (roles outside `access`) and "no 5xx"
 * for allowed roles; for the record routes it checks the full matrix.
 */
import { ROLES } from '@mm/shared';
import type { Endpoint } from '@mm/server/http/endpoint';
import { ENDPOINTS } from '@mm/server/routes/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { createBody, etagOf, firstId, makeRecord, type Region, type Resource } from './record-fixtures.ts';

type Who = 'anonymous' | 'viewer' | 'editor AFR' | 'editor ASP' | 'admin';
type Target = 'AFR' | 'ASP' | 'missing';
const WHO: readonly Who[] = ['anonymous', 'viewer', 'editor AFR', 'editor ASP', 'admin'];
const TARGETS: readonly Target[] = ['AFR', 'ASP', 'missing'];
const ROLE_OF: Record<Exclude<Who, 'anonymous'>, (typeof ROLES)[number]> = { viewer: 'viewer', 'editor AFR': 'editor', 'editor ASP': 'editor', admin: 'admin' };
const REGIONS_OF: Partial<Record<Who, readonly string[]>> = { 'editor AFR': ['AFR'], 'editor ASP': ['ASP'] };
const MISSING = 999999;

/** Routes served outside the table on purpose: the OpenAPI document (generated from the table itself). */
const NOT_IN_TABLE = new Set(['GET /api/v1/openapi.json']);

const RECORDS: readonly Resource[] = ['partners', 'partnerships', 'action-plans', 'milestones', 'indicators', 'measurements'];
/** A change each record route accepts from every role allowed to make it (editors: milestone progress, measurement note). */
const PATCH_BODY: Record<Resource | 'users', Record<string, unknown>> = {
  partners: { name: 'Renamed partner' },
  partnerships: { title: 'Renamed partnership' },
  'action-plans': { owningUnit: 'Renamed unit' },
  milestones: { percentComplete: 55, evidenceNote: 'Checked by the authorization walk' },
  indicators: { name: 'Renamed indicator' },
  measurements: { note: 'Checked by the authorization walk' },
  users: { name: 'Renamed user' },
};

function resourceOf(path: string): Resource | 'users' | undefined {
  const first = path.split('/')[1] ?? '';
  return [...RECORDS, 'users'].find((r) => r === first) as Resource | 'users' | undefined;
}

/** Whether this file knows the route's bodies and semantics (the record, user, audit and my-work routes). */
function isKnown(ep: Endpoint): boolean {
  const r = resourceOf(ep.path);
  if (ep.path === '/audit' || ep.path === '/my-work') return true;
  if (!r) return false;
  return /^\/[a-z-]+(\/:id(\/history)?)?$/.test(ep.path);
}

type Expect = 401 | 403 | 404 | 400 | '2xx' | 'not 5xx' | 'skip';

function expected(ep: Endpoint, who: Who, target: Target, region: string | null): Expect {
  if (ep.access === 'public') return 'not 5xx';
  if (who === 'anonymous') return 401;
  const role = ROLE_OF[who];
  if (ep.access !== 'signed-in' && !ep.access.includes(role)) return 403;
  // Signing out would end the session the rest of the walk uses; the auth tests cover it.
  if (ep.path === '/auth/logout') return 'skip';
  if (!isKnown(ep)) return 'not 5xx';
  const hasId = ep.path.includes(':id');
  if (target === 'missing' && hasId) return 404;
  if (target === 'missing' && ep.method === 'post' && resourceOf(ep.path) !== 'partners' && resourceOf(ep.path) !== 'users') return 400;
  const writes = ep.method !== 'get';
  if (writes && ep.scope === 'region' && role === 'editor' && region !== null && !(REGIONS_OF[who] ?? []).includes(region)) return 403;
  return '2xx';
}

function matches(status: number, e: Exclude<Expect, 'skip'>): boolean {
  if (e === '2xx') return status >= 200 && status < 300;
  if (e === 'not 5xx') return status < 500;
  return status === e;
}

describe.each(databases())('authorization walk on %s', (kind) => {
  let t: TestApp;
  const cookies: Partial<Record<Who, string>> = {};
  let admin = '';
  /** Existing demo records by resource and region (read and patched; never deleted). */
  const existing = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestApp(kind);
    [cookies.viewer, cookies['editor AFR'], cookies['editor ASP'], cookies.admin] = await Promise.all([
      t.login('manager@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'), t.login('admin@demo.local'),
    ]);
    admin = cookies.admin ?? '';
    for (const region of ['AFR', 'ASP'] as const) {
      existing.set(`partners ${region}`, await firstId(t, admin, `/partners?pageSize=1`));
      existing.set(`users ${region}`, region === 'AFR' ? 3 : 4);
      for (const r of RECORDS.filter((x) => x !== 'partners')) existing.set(`${r} ${region}`, await firstId(t, admin, `/${r}?region=${region}&pageSize=1`));
    }
  });
  afterAll(async () => { await t?.close(); });

  it('the Hono app serves exactly the routes of the table (plus the OpenAPI document)', () => {
    const declared = new Set(ENDPOINTS.map((ep) => `${ep.method.toUpperCase()} /api/v1${ep.path}`));
    const served = t.app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`);
    const undeclared = served.filter((r) => !declared.has(r) && !NOT_IN_TABLE.has(r));
    expect(undeclared).toEqual([]);
    for (const d of declared) expect(served, d).toContain(d);
  });

  it('every entry states who may call it (access) and its object scope', () => {
    const problems: string[] = [];
    for (const ep of ENDPOINTS) {
      const name = `${ep.method.toUpperCase()} ${ep.path}`;
      const a: unknown = ep.access;
      const valid = a === 'public' || a === 'signed-in' || (Array.isArray(a) && a.length > 0 && a.every((r) => (ROLES as readonly unknown[]).includes(r)));
      if (!valid) problems.push(`${name}: no valid access rule`);
      if (ep.scope === undefined) problems.push(`${name}: no scope declared`);
    }
    expect(problems).toEqual([]);
  });

  it('viewers cannot write any record, user or audit entry: those write routes name editors/admins only', () => {
    const writes = ENDPOINTS.filter((ep) => ep.method !== 'get' && isKnown(ep));
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const ep of writes) expect(Array.isArray(ep.access) && !ep.access.includes('viewer'), `${ep.method} ${ep.path}`).toBe(true);
  });

  /** Builds the request for one case; creates a throwaway record for deletions that are expected to succeed. */
  async function requestFor(ep: Endpoint, who: Who, target: Target, exp: Expect): Promise<{ path: string; body?: unknown; headers: Record<string, string> }> {
    const r = resourceOf(ep.path);
    const known = isKnown(ep) && r !== undefined;
    const region: Region = target === 'ASP' ? 'ASP' : 'AFR';
    let id = target === 'missing' ? MISSING : known ? (existing.get(`${r} ${region}`) ?? 1) : 1;
    if (known && r !== 'users' && ep.method === 'delete' && exp === '2xx') id = await makeRecord(t, admin, r, region);
    const path = ep.path.replace(':id', String(id)).replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'dimension' ? 'region' : name === 'type' ? 'partners' : '1'));
    const headers: Record<string, string> = {};
    if ((ep.method === 'patch' || ep.method === 'delete') && known && target !== 'missing' && who !== 'anonymous') headers['If-Match'] = await etagOf(t, `/${r}/${id}`, admin);
    else if (ep.method === 'patch' || ep.method === 'delete') headers['If-Match'] = '"1"';
    let body: unknown;
    if (ep.method === 'post' || ep.method === 'patch' || ep.method === 'put') {
      if (known && ep.method === 'patch') body = PATCH_BODY[r];
      else if (known && r === 'users') body = { email: `walk.${Math.random().toString(36).slice(2)}@demo.local`, name: 'Walk', role: 'viewer', password: 'a-long-enough-password' };
      else if (known && r !== 'users') body = await createBody(t, admin, r, region, target === 'missing');
      else if ((ep.bodyKind ?? 'json') === 'json' && ep.body) body = {};
    }
    return { path: `/api/v1${path}`, body, headers };
  }

  for (const ep of ENDPOINTS) {
    it(`${ep.method.toUpperCase()} ${ep.path} (${ep.access === 'public' || ep.access === 'signed-in' ? ep.access : ep.access.join('+')}, scope ${ep.scope ?? '?'})`, async () => {
      const mismatches: string[] = [];
      for (const who of WHO) {
        for (const target of TARGETS) {
          const r = resourceOf(ep.path);
          // Partners and users have no region: both targets are the same kind of record.
          const region = r === 'partners' || r === 'users' || target === 'missing' ? null : target;
          const exp = expected(ep, who, target, region);
          if (exp === 'skip') continue;
          const req = await requestFor(ep, who, target, exp);
          const res = await t.request(ep.method.toUpperCase(), req.path, { cookie: who === 'anonymous' ? null : cookies[who], body: req.body, headers: req.headers });
          if (!matches(res.status, exp)) mismatches.push(`${who} × ${target}: expected ${exp}, got ${res.status} ${(await res.text()).slice(0, 200)}`);
          if (res.status >= 400 && !(res.headers.get('content-type') ?? '').includes('application/problem+json')) mismatches.push(`${who} × ${target}: ${res.status} without problem+json`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
