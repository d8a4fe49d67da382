/** Sessions live in the database (any server process can check them); the cookie holds a random token, the table its hash. */
import { hash, randomBytes } from 'node:crypto';
import { region, role } from '@mm/shared';
import { parse as parseCookies } from 'hono/utils/cookie';
import { CompiledQuery } from 'kysely';
import { z } from 'zod';
import { preferPrepared } from '../db/connect.ts';
import type { Db } from '../db/types.ts';
import type { AppDeps } from '../deps.ts';
import type { SessionUser } from '../http/endpoint.ts';

export const SESSION_COOKIE = 'mm_session';

// crypto.hash: the one-shot form, about twice as fast as createHash() for a short input (every signed-in request hashes its token).
const hashToken = (token: string) => hash('sha256', token, 'base64url');

const PAIR = `${SESSION_COOKIE}=`;
/** A cookie value that needs no unquoting, trimming or percent-decoding (a session token's alphabet). */
const BARE_VALUE = /^[A-Za-z0-9_-]*$/;

/**
 * The session cookie's value from a Cookie header, exactly as Hono's cookie parser reads it (`getCookie`),
 * for the sign-in routes and the session loader alike. The usual header — one session pair, at the start
 * or after "; ", with a bare value — is read in place; any other shape goes through Hono's parser. (Every
 * request reads it; the parser builds a map of the cookies and tests each pair with regular expressions.)
 */
export function sessionToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const at = header.indexOf(SESSION_COOKIE);
  // The name appears once, as "mm_session=" at the start of a pair: no other pair can be the session's.
  if (at !== -1 && header.startsWith(PAIR, at) && (at === 0 || (header.charCodeAt(at - 1) === 32 && header.charCodeAt(at - 2) === 59)) && header.indexOf(SESSION_COOKIE, at + 1) === -1) {
    const start = at + PAIR.length;
    const end = header.indexOf(';', start);
    const value = end === -1 ? header.slice(start) : header.slice(start, end);
    if (BARE_VALUE.test(value)) return value;
  }
  return parseCookies(header, SESSION_COOKIE)[SESSION_COOKIE];
}

export async function createSession(deps: AppDeps, userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + deps.config.sessionMaxHours * 3600_000);
  await deps.db.insertInto('sessions').values({
    id: hashToken(token), user_id: userId, created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString(),
  }).execute();
  return { token, expiresAt };
}

export async function deleteSession(deps: AppDeps, token: string): Promise<void> {
  await deps.db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

export async function deleteUserSessions(deps: Pick<AppDeps, 'db'>, userId: number): Promise<void> {
  await deps.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/**
 * Session lookups, coalesced: every signed-in request needs its session row and the data version, read after
 * the request arrived (so a write committed before it is seen at once, in any process). While one lookup
 * query is out, lookups that arrive wait and then go together in the next query, so under load a PostgreSQL
 * server answers one round trip for many requests instead of one each. Each request's answer still comes from
 * a query sent after it arrived. (On SQLite a query completes before the next request is read, so every batch
 * holds one lookup.)
 */
type LookupRow = { sid: string; expires_at: string; last_seen_at: string; id: number; email: string; name: string; role: string; regions: string; disabled: number; data_version: string | null };
const SESSION_ID_SLOT = '\u0000session-id';
/** Most session ids one query carries; a bigger queue goes out in several queries. */
const MAX_BATCH = 100;

interface Waiter { resolve: (row: LookupRow | null) => void; reject: (e: unknown) => void }

class SessionLookups {
  /** The lookup as compiled SQL per batch size (built once: it runs on every signed-in request). */
  private readonly compiled = new Map<number, CompiledQuery<LookupRow>>();
  private queue = new Map<string, Waiter[]>();
  private running = false;

  constructor(private readonly db: Db) {}

  lookup(id: string): Promise<LookupRow | null> {
    return new Promise((resolve, reject) => {
      const waiting = this.queue.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else this.queue.set(id, [{ resolve, reject }]);
      if (!this.running) void this.drain();
    });
  }

  private query(size: number): CompiledQuery<LookupRow> {
    let q = this.compiled.get(size);
    if (!q) {
      q = this.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.id as sid', 'sessions.expires_at', 'sessions.last_seen_at', 'users.id', 'users.email', 'users.name', 'users.role', 'users.regions', 'users.disabled'])
        // The data version rides along (one round trip instead of two for a cached read; see http/cache.ts).
        .select((eb) => eb.selectFrom('meta').select('meta.value').where('meta.key', '=', 'data_version').as('data_version'))
        .where('sessions.id', 'in', Array.from({ length: size }, () => SESSION_ID_SLOT))
        .compile() as CompiledQuery<LookupRow>;
      // Runs on every signed-in request: prepared once per connection on PostgreSQL (at most MAX_BATCH texts).
      preferPrepared(q.sql);
      this.compiled.set(size, q);
    }
    return q;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.size > 0) {
        const batch = [...this.queue].slice(0, MAX_BATCH);
        for (const [id] of batch) this.queue.delete(id);
        try {
          const q = this.query(batch.length);
          let next = 0;
          const params = q.parameters.map((p) => (p === SESSION_ID_SLOT ? batch[next++]?.[0] : p));
          const { rows } = await this.db.executeQuery(CompiledQuery.raw(q.sql, params) as CompiledQuery<LookupRow>);
          const bySid = new Map(rows.map((r) => [r.sid, r]));
          for (const [id, waiters] of batch) for (const w of waiters) w.resolve(bySid.get(id) ?? null);
        } catch (e) {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** Parsed region lists by their stored JSON (a handful of distinct values), so requests skip the parse. */
const regionLists = new Map<string, SessionUser['regions']>();
function regionsOf(json: string): SessionUser['regions'] {
  let r = regionLists.get(json);
  if (!r) {
    r = z.array(region).parse(JSON.parse(json));
    if (regionLists.size < 1000) regionLists.set(json, r);
  }
  return r;
}

/** A session row as a request uses it: times as epoch ms, the user's parts parsed once. */
interface Resolved { expiresMs: number; lastSeenMs: number; user: Omit<SessionUser, 'sessionId' | 'regions'>; regions: SessionUser['regions']; dataVersion: string }

function resolve(row: LookupRow): Resolved {
  return {
    expiresMs: Date.parse(row.expires_at), lastSeenMs: Date.parse(row.last_seen_at),
    user: { id: row.id, email: row.email, name: row.name, role: role.parse(row.role), disabled: row.disabled === 1 },
    regions: regionsOf(row.regions), dataVersion: row.data_version ?? '0',
  };
}

/** How many stamped lookups are kept (oldest dropped first). */
const MAX_REMEMBERED = 1000;

/**
 * Per database: the batched lookups; on SQLite each lookup with the change stamp it was read at, and the
 * stamp being read for the requests of this turn of the event loop.
 */
interface SessionState { lookups: SessionLookups; stamped: Map<string, { stamp: string; found: Resolved | null }>; turnStamp?: Promise<string> }

/**
 * The change stamp for every request read in this turn of the event loop, read once after they all arrived
 * (in the turn's check phase, setImmediate): a commit that ended before any of them arrived, on any
 * connection, is in it. Under load one stamp serves the whole turn's requests and they all go on together,
 * their answers written one after another, as PostgreSQL's batched lookups do; alone, a request waits only
 * for the end of the turn it was read in.
 */
function turnStamp(state: SessionState, changeStamp: () => string): Promise<string> {
  state.turnStamp ??= new Promise<string>((resolve, reject) => {
    setImmediate(() => {
      state.turnStamp = undefined;
      try {
        resolve(changeStamp());
      } catch (e) {
        reject(e);
      }
    });
  });
  return state.turnStamp;
}
const states = new WeakMap<Db, SessionState>();

/**
 * The session row and the data version for a token hash, when it can be reused without a query: where the
 * database has a change stamp (SQLite), a lookup read at the same stamp is still exact, since equal stamps
 * mean no commit anywhere since. `undefined` = ask the database.
 */
function reusable(stamp: string | undefined, state: SessionState, id: string): Resolved | null | undefined {
  if (stamp === undefined) return undefined;
  const hit = state.stamped.get(id);
  return hit?.stamp === stamp ? hit.found : undefined;
}

/** Reads the session row (and the data version); stamped with the stamp read before the query, so a commit racing with it only makes the next request read again. */
async function read(stamp: string | undefined, state: SessionState, id: string): Promise<Resolved | null> {
  const row = await state.lookups.lookup(id);
  const found = row ? resolve(row) : null;
  if (stamp !== undefined) {
    if (state.stamped.size >= MAX_REMEMBERED) state.stamped.delete(state.stamped.keys().next().value as string);
    state.stamped.set(id, { stamp, found });
  }
  return found;
}

/** The user behind a session token, or null when unknown, expired, idle too long or the user is disabled. */
export async function lookupSession(deps: AppDeps, token: string): Promise<{ user: SessionUser; dataVersion: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = hashToken(token);
  let state = states.get(deps.db);
  if (!state) states.set(deps.db, (state = { lookups: new SessionLookups(deps.db), stamped: new Map() }));
  const stamp = deps.changeStamp ? await turnStamp(state, deps.changeStamp) : undefined;
  let found = reusable(stamp, state, id);
  if (found === undefined) found = await read(stamp, state, id);
  if (!found) return null;
  const now = deps.clock().getTime();
  if (found.user.disabled || found.expiresMs <= now || found.lastSeenMs <= now - deps.config.sessionIdleMinutes * 60_000) {
    await deps.db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Touch at most once a minute: keeps the idle clock honest without a write on every request.
  if (found.lastSeenMs < now - 60_000) {
    await deps.db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute();
  }
  return { user: { ...found.user, sessionId: id, regions: [...found.regions] }, dataVersion: found.dataVersion };
}
