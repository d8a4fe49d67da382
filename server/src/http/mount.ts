/** Mounts declared endpoints on Hono: authorize first, then validate params, query and body with their schemas. */
import { MULTI_FILTER_KEYS, SCORECARD_MULTI_KEYS } from '@mm/shared';
import type { Context, Hono } from 'hono';
import { recordRefusal } from '../queries/audit.ts';
import type { AppEnv, Endpoint } from './endpoint.ts';
import { badRequest, fieldErrors, forbidden, ProblemError, unauthenticated } from './problem.ts';

const MULTI = new Set<string>([...MULTI_FILTER_KEYS, ...SCORECARD_MULTI_KEYS]);
const MAX_JSON_DEPTH = 32;

/** Query string → object: filter keys are always arrays (repeatable); any other key may appear once. */
export function queryObject(c: Context<AppEnv>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, vs] of Object.entries(c.req.queries())) {
    // PostgreSQL cannot store or compare text with NUL characters (a 500); refuse them on both databases.
    if (vs.some((v) => v.includes('\u0000'))) throw badRequest(`Query parameter "${k}" contains a NUL character.`, [{ field: k, reason: 'must not contain NUL characters' }]);
    if (MULTI.has(k)) out[k] = vs;
    else if (vs.length > 1) throw badRequest(`Query parameter "${k}" was given more than once.`, [{ field: k, reason: 'must be given at most once' }]);
    else out[k] = vs[0] ?? '';
  }
  return out;
}

function depthOf(v: unknown, depth = 0): number {
  if (depth > MAX_JSON_DEPTH) return depth;
  if (Array.isArray(v)) return v.reduce<number>((m, x) => Math.max(m, depthOf(x, depth + 1)), depth + 1);
  if (v !== null && typeof v === 'object') return Object.values(v).reduce<number>((m, x) => Math.max(m, depthOf(x, depth + 1)), depth + 1);
  return depth;
}

/** Any NUL in a string or key (depth is already bounded by the caller). */
function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasNul);
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));
  return false;
}

export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ProblemError(415, 'Unsupported media type', 'Send the body as application/json.');
  }
  const text = await c.req.text();
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON object.', [{ field: '(body)', reason: 'must be a JSON object' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.', [{ field: '(body)', reason: 'must be valid JSON' }]);
  }
  if (depthOf(parsed) > MAX_JSON_DEPTH) throw badRequest(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`, [{ field: '(body)', reason: 'nested too deeply' }]);
  if (hasNul(parsed)) throw badRequest('The JSON body contains a NUL character (\\u0000), which cannot be stored.', [{ field: '(body)', reason: 'must not contain NUL characters' }]);
  return parsed;
}

/** Parsed query texts kept per endpoint (oldest dropped first), and the longest text kept. */
const MAX_MEMO = 256;
const MAX_MEMO_TEXT = 2048;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export function authorize(ep: Endpoint, c: Context<AppEnv>): void {
  if (ep.access === 'public') return;
  const user = c.get('user');
  if (!user) throw unauthenticated();
  if (ep.access === 'signed-in') return;
  if (!ep.access.includes(user.role)) throw forbidden(`This route is for ${ep.access.join(' or ')} accounts; you are signed in as ${user.role}.`);
}

export function mountEndpoints(app: Hono<AppEnv>, endpoints: readonly Endpoint[]): void {
  for (const ep of endpoints) {
    // Reads are asked again and again with the same query text (a dashboard's every chart, each poll): keep
    // what it parsed to. The schemas are pure functions of the text, so the memo can only save work. Values
    // are frozen, so no handler can change what the next request gets.
    const parsed = new Map<string, unknown>();
    const parseQuery = (c: Context<AppEnv>): unknown => {
      const url = c.req.url;
      const at = url.indexOf('?');
      const text = at < 0 ? '' : url.slice(at + 1);
      const memo = ep.method === 'get' ? parsed.get(text) : undefined;
      if (memo !== undefined) return memo;
      const rawQuery = queryObject(c);
      const query = ep.query ? ep.query.safeParse(rawQuery) : { success: true as const, data: rawQuery };
      if (!query.success) throw badRequest('A query parameter is not valid.', fieldErrors(query.error, rawQuery));
      if (ep.method === 'get' && text.length <= MAX_MEMO_TEXT) {
        if (parsed.size >= MAX_MEMO) parsed.delete(parsed.keys().next().value as string);
        parsed.set(text, deepFreeze(query.data));
      }
      return query.data;
    };
    const route = `/api/v1${ep.path}`;
    app.on(ep.method.toUpperCase(), ep.path, async (c) => {
      c.set('route', route);
      try {
        authorize(ep, c);
      } catch (e) {
        if (e instanceof ProblemError && e.status === 403) await recordRefusal(c.get('deps'), c.get('user'), `${ep.method.toUpperCase()} ${c.req.path}`, e.detail ?? '');
        throw e;
      }
      const rawParams = c.req.param() as Record<string, string>;
      const params = ep.params ? ep.params.safeParse(rawParams) : { success: true as const, data: undefined };
      if (!params.success) throw badRequest('A path parameter is not valid.', fieldErrors(params.error, rawParams));
      const query = parseQuery(c);
      let body: unknown;
      if (ep.body && (ep.bodyKind ?? 'json') === 'json') {
        const raw = await readJson(c);
        const parsed = ep.body.safeParse(raw);
        if (!parsed.success) throw badRequest('The request body is not valid.', fieldErrors(parsed.error, raw));
        body = parsed.data;
      }
      return ep.handler({ c, deps: c.get('deps'), user: c.get('user'), params: params.data, query, body });
    });
  }
}
