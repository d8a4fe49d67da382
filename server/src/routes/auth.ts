/** Sign-in, sign-out and "who am I". */
import { loginInput, me } from '@mm/shared';
import { deleteCookie, setCookie } from 'hono/cookie';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords.ts';
import { createSession, deleteSession, SESSION_COOKIE, sessionToken } from '../auth/sessions.ts';
import { isDemo } from '../db/seed.ts';
import { endpoint } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { writeAudit } from '../queries/audit.ts';
import { checkLoginAllowed, recordLoginFailure, clearLoginFailures } from '../auth/ratelimit.ts';

export const authEndpoints = [
  endpoint({
    method: 'post', path: '/auth/login', access: 'public', scope: 'none', tag: 'auth', summary: 'Sign in with email and password; sets the session cookie.',
    body: loginInput, response: me, statuses: [401, 429],
    handler: async ({ c, deps, body }) => {
      const client = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'local';
      await checkLoginAllowed(deps, body.email, client);
      const row = await deps.db.selectFrom('users').selectAll().where('email', '=', body.email).executeTakeFirst();
      // Spend the same scrypt time whether or not the account exists, so timing doesn't reveal accounts.
      const ok = await verifyPassword(body.password, row?.password_hash ?? (await DUMMY_HASH));
      if (!row || !ok || row.disabled) {
        await recordLoginFailure(deps, body.email, client);
        await writeAudit(deps.db, deps.clock().toISOString(), { actor: row ? { id: row.id, email: row.email } : null, action: 'login_failed', entity: 'user', entityId: row?.id ?? null, after: { email: body.email, reason: !row ? 'unknown account' : row.disabled ? 'account disabled' : 'wrong password' } });
        throw new ProblemError(401, 'Sign-in failed', 'The email or password is not right, or the account is disabled.');
      }
      await clearLoginFailures(deps, body.email);
      // Rotate: any session cookie the browser brought is ended, and a fresh one is issued.
      const old = sessionToken(c.req.header('cookie'));
      if (old) await deleteSession(deps, old);
      const { token, expiresAt } = await createSession(deps, row.id);
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: deps.config.secureCookies, path: '/', expires: expiresAt });
      await writeAudit(deps.db, deps.clock().toISOString(), { actor: { id: row.id, email: row.email }, action: 'login', entity: 'user', entityId: row.id });
      return c.json(me.parse({
        user: { id: row.id, email: row.email, name: row.name, role: row.role, regions: JSON.parse(row.regions), disabled: false },
        demo: await isDemo(deps.db),
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
      return c.json(me.parse({ user: u, demo: await isDemo(deps.db) }));
    },
  }),
];
