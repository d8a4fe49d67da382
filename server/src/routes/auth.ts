/** Sign-in, sign-out and "who am I". */
import { localeInput, loginInput, me } from '@mm/shared';
import { deleteCookie, setCookie } from 'hono/cookie';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.ts';
import { createSession, deleteSession, SESSION_COOKIE, sessionToken } from '../auth/sessions.ts';
import { isDemo } from '../db/seed.ts';
import type { Context } from 'hono';
import type { AppDeps } from '../deps.ts';
import { endpoint, type AppEnv } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { writeAudit } from '../queries/audit.ts';
import { localeOf, userLocale } from '../queries/users.ts';
import { checkLoginAllowed, recordLoginFailure, clearLoginFailures } from '../auth/ratelimit.ts';

/**
 * Signs the browser in as `userId` (password or single sign-on alike): any session cookie it brought is
 * ended (rotation) and a fresh session cookie is set.
 */
export async function issueSession(c: Context<AppEnv>, deps: AppDeps, userId: number): Promise<void> {
  const old = sessionToken(c.req.header('cookie'));
  if (old) await deleteSession(deps, old);
  const { token, expiresAt } = await createSession(deps, userId);
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: deps.config.secureCookies, path: '/', expires: expiresAt });
}

export const authEndpoints = [
  endpoint({
    method: 'post', path: '/auth/login', access: 'public', scope: 'none', tag: 'auth', summary: 'Sign in with email and password; sets the session cookie.',
    body: loginInput, response: me, statuses: [401, 403, 429],
    handler: async ({ c, deps, body }) => {
      if (!deps.config.passwordLogin) throw new ProblemError(403, 'Password sign-in is turned off', `This server signs people in through ${deps.config.oidc?.name ?? 'single sign-on'} only: use the "Sign in with …" button on the sign-in page.`);
      const client = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'local';
      await checkLoginAllowed(deps, body.email, client);
      const row = await deps.db.selectFrom('users').selectAll().where('email', '=', body.email).executeTakeFirst();
      // Spend the same scrypt time whether or not the account exists, so timing doesn't reveal accounts.
      // (An account for single sign-on only has no scrypt hash: the dummy's time is spent for it too, and it fails.)
      const hashed = row?.password_hash.startsWith('scrypt$') ? row.password_hash : undefined;
      const ok = (await verifyPassword(body.password, hashed ?? (await DUMMY_HASH))) && hashed !== undefined;
      if (!row || !ok || row.disabled) {
        await recordLoginFailure(deps, body.email, client);
        await writeAudit(deps.db, deps.clock().toISOString(), { actor: row ? { id: row.id, email: row.email } : null, action: 'login_failed', entity: 'user', entityId: row?.id ?? null, after: { email: body.email, reason: !row ? 'unknown account' : row.disabled ? 'account disabled' : 'wrong password' } });
        throw new ProblemError(401, 'Sign-in failed', 'The email or password is not right, or the account is disabled.');
      }
      await clearLoginFailures(deps, body.email);
      await issueSession(c, deps, row.id);
      await writeAudit(deps.db, deps.clock().toISOString(), { actor: { id: row.id, email: row.email }, action: 'login', entity: 'user', entityId: row.id });
      return c.json(me.parse({
        user: { id: row.id, email: row.email, name: row.name, role: row.role, regions: JSON.parse(row.regions), disabled: false },
        demo: await isDemo(deps.db), locale: localeOf(row.locale),
      }));
    },
  }),
  endpoint({
    method: 'post', path: '/auth/logout', access: 'signed-in', scope: 'none', tag: 'auth', summary: 'Sign out: ends the session on the server and clears the cookie.',
    bodyKind: 'none',
    handler: async ({ c, deps }) => {
      const token = sessionToken(c.req.header('cookie'));
      if (token) await deleteSession(deps, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: 'get', path: '/auth/me', access: 'signed-in', scope: 'none', tag: 'auth', summary: 'The signed-in user, and whether demo data is loaded.',
    response: me,
    handler: async ({ c, deps, user }) => {
      if (!user) throw new ProblemError(401, 'Sign-in required');
      const { sessionId: _sid, ...u } = user;
      return c.json(me.parse({ user: u, demo: await isDemo(deps.db), locale: await userLocale(deps.db, user.id) }));
    },
  }),
  endpoint({
    method: 'put', path: '/auth/me/locale', access: 'signed-in', scope: 'none', tag: 'auth',
    summary: 'Sets the language the signed-in person reads the web app in (en, fr, es; null = the browser\'s Accept-Language).',
    body: localeInput, response: me,
    handler: async ({ c, deps, user, body }) => {
      if (!user) throw new ProblemError(401, 'Sign-in required');
      await deps.db.updateTable('users').set({ locale: body.locale }).where('id', '=', user.id).execute();
      const { sessionId: _sid, ...u } = user;
      return c.json(me.parse({ user: u, demo: await isDemo(deps.db), locale: body.locale }));
    },
  }),
];

