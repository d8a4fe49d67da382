/** Sessions live in the database (any server process can check them); the cookie holds a random token, the table its hash. */
import { createHash, randomBytes } from 'node:crypto';
import { region, role } from '@mm/shared';
import { CompiledQuery } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import type { AppDeps } from '../deps.ts';
import type { SessionUser } from '../http/endpoint.ts';

export const SESSION_COOKIE = 'mm_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

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

/** The user behind a session token, or null when unknown, expired, idle too long or the user is disabled. */
/** The session lookup as compiled SQL, built once per database (it runs on every signed-in request). */
const compiledLookup = new WeakMap<Db, CompiledQuery<LookupRow>>();
const SESSION_ID_SLOT = '\u0000session-id';
type LookupRow = { sid: string; expires_at: string; last_seen_at: string; id: number; email: string; name: string; role: string; regions: string; disabled: number; data_version: string | null };
function lookupQuery(db: Db): CompiledQuery<LookupRow> {
  let q = compiledLookup.get(db);
  if (!q) {
    q = db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as sid', 'sessions.expires_at', 'sessions.last_seen_at', 'users.id', 'users.email', 'users.name', 'users.role', 'users.regions', 'users.disabled'])
      // The data version rides along (one round trip instead of two for a cached read; see http/cache.ts).
      .select((eb) => eb.selectFrom('meta').select('meta.value').where('meta.key', '=', 'data_version').as('data_version'))
      .where('sessions.id', '=', SESSION_ID_SLOT)
      .compile() as CompiledQuery<LookupRow>;
    compiledLookup.set(db, q);
  }
  return q;
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

export async function lookupSession(deps: AppDeps, token: string): Promise<{ user: SessionUser; dataVersion: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = hashToken(token);
  const q = lookupQuery(deps.db);
  const row = (await deps.db.executeQuery(CompiledQuery.raw(q.sql, q.parameters.map((p) => (p === SESSION_ID_SLOT ? id : p))) as CompiledQuery<LookupRow>)).rows[0];
  if (!row) return null;
  const now = deps.clock();
  const idleLimit = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60_000).toISOString();
  if (row.disabled || row.expires_at <= now.toISOString() || row.last_seen_at <= idleLimit) {
    await deps.db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  // Touch at most once a minute: keeps the idle clock honest without a write on every request.
  if (Date.parse(row.last_seen_at) < now.getTime() - 60_000) {
    await deps.db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', id).execute();
  }
  return {
    user: {
      sessionId: id, id: row.id, email: row.email, name: row.name, role: role.parse(row.role),
      regions: [...regionsOf(row.regions)], disabled: row.disabled === 1,
    },
    dataVersion: row.data_version ?? '0',
  };
}
