/**
 * Single sign-on with an OpenID Connect provider: what the sign-in page may offer, the start of a sign-in (a
 * redirect to the provider) and its callback (a redirect to the app, signed in, or back to the sign-in page
 * with a reason). Both are plain GET navigations, so the CSRF rule for writes does not apply; the flow's own
 * state, nonce and PKCE verifier, bound to the browser by an HttpOnly cookie, protect them.
 */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { z } from 'zod';
import { OIDC_COOKIE, OidcError, type OidcFailure, type OidcIdentity } from '../auth/oidc.ts';
import type { AppDeps } from '../deps.ts';
import { endpoint, type AppEnv } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { writeAudit } from '../queries/audit.ts';
import { createUser } from '../queries/users.ts';
import { issueSession } from './auth.ts';

const COOKIE_PATH = '/api/v1/auth/oidc';
/** Where the browser goes after signing in (the page it was on), kept beside the flow cookie. */
const RETURN_COOKIE = 'mm_oidc_return';

/**
 * A path of this app to return to: starts with one "/" (not "//" or "/\\", which browsers read as another host),
 * not the API, no control characters.
 */
export function isReturnPath(p: string): boolean {
  const control = [...p].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  return /^\/(?![/\\])/.test(p) && !/^\/api(\/|$)/.test(p) && !control && p.length <= 2000;
}

const startQuery = z.looseObject({
  returnTo: z.string().refine(isReturnPath, { message: 'must be a path of this app, e.g. /action-plans/3?region=AFR' }).optional()
    .describe('The page to open after signing in (default: the dashboard).'),
});

const signInOptions = z.object({
  password: z.boolean().describe('Whether email + password sign-in is offered'),
  sso: z.object({ name: z.string(), startUrl: z.string() }).nullable().describe('The single sign-on provider, when configured'),
});

const callbackQuery = z.looseObject({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional() });

/** HTTP status of each refusal for API clients (browsers are sent back to the sign-in page instead). */
const STATUS: Record<OidcFailure, number> = { stale: 400, state: 400, denied: 401, token: 401, unverified: 403, no_account: 403, disabled: 403, unavailable: 503 };

/** Browsers get a redirect; a client that asks for JSON and not HTML gets problem+json. */
function wantsJson(c: Context<AppEnv>): boolean {
  const accept = c.req.header('accept') ?? '';
  return /application\/(problem\+)?json/.test(accept) && !accept.includes('text/html');
}

/** Finds (or, with OIDC_AUTO_CREATE=viewer, creates) the account for a verified email; throws OidcError. */
async function accountFor(deps: AppDeps, who: OidcIdentity): Promise<{ id: number; email: string }> {
  if (!who.email) throw new OidcError('unverified', 'The provider gave no email address for this person.');
  if (!who.emailVerified) throw new OidcError('unverified', `The provider has not verified ${who.email}.`);
  const row = await deps.db.selectFrom('users').select(['id', 'email', 'disabled']).where('email', '=', who.email).executeTakeFirst();
  if (row?.disabled) throw new OidcError('disabled', `The account ${who.email} is disabled.`);
  if (row) return row;
  if (deps.config.oidc?.autoCreate !== 'viewer') throw new OidcError('no_account', `There is no account for ${who.email}; an administrator must create one.`);
  const created = await createUser(deps, null, { email: who.email, name: who.name ?? who.email, role: 'viewer', regions: [], password: null });
  return created;
}

export const oidcEndpoints = [
  endpoint({
    method: 'get', path: '/auth/sign-in-options', access: 'public', scope: 'none', tag: 'auth',
    summary: 'How people may sign in here: with a password, and/or through the single sign-on provider.',
    response: signInOptions,
    handler: ({ c, deps }) => c.json(signInOptions.parse({
      password: deps.config.passwordLogin,
      sso: deps.oidc ? { name: deps.oidc.settings.name, startUrl: '/api/v1/auth/oidc/start' } : null,
    })),
  }),
  endpoint({
    method: 'get', path: '/auth/oidc/start', access: 'public', scope: 'none', tag: 'auth',
    summary: 'Starts single sign-on: redirects the browser to the provider (authorization code flow with PKCE, state and nonce).',
    query: startQuery, statuses: [302, 400, 404, 503],
    handler: async ({ c, deps, query }) => {
      if (!deps.oidc) throw new ProblemError(404, 'Single sign-on is not configured', 'This server has no OpenID Connect provider (OIDC_ISSUER is unset).');
      let started;
      try {
        started = await deps.oidc.start(deps.db, deps.clock());
      } catch (e) {
        if (e instanceof OidcError && !wantsJson(c)) return c.redirect(`/?sso_error=${e.code}`, 302);
        if (e instanceof OidcError) throw new ProblemError(STATUS[e.code], 'Single sign-on is unavailable', e.message);
        throw e;
      }
      setCookie(c, OIDC_COOKIE, started.token, { httpOnly: true, sameSite: 'Lax', secure: deps.config.secureCookies, path: COOKIE_PATH, expires: started.expiresAt });
      if (query.returnTo) setCookie(c, RETURN_COOKIE, query.returnTo, { httpOnly: true, sameSite: 'Lax', secure: deps.config.secureCookies, path: COOKIE_PATH, expires: started.expiresAt });
      else deleteCookie(c, RETURN_COOKIE, { path: COOKIE_PATH, secure: deps.config.secureCookies });
      return c.redirect(started.url.href, 302);
    },
  }),
  endpoint({
    method: 'get', path: '/auth/oidc/callback', access: 'public', scope: 'none', tag: 'auth',
    summary: 'The provider returns here: on success the browser is signed in and sent to the page it started from (returnTo) or the dashboard; otherwise back to the sign-in page with ?sso_error=<reason> (problem+json for clients that accept JSON only).',
    query: callbackQuery, statuses: [302, 400, 401, 403, 503],
    handler: async ({ c, deps }) => {
      const oidc = deps.oidc;
      if (!oidc) throw new ProblemError(404, 'Single sign-on is not configured', 'This server has no OpenID Connect provider (OIDC_ISSUER is unset).');
      const browserToken = getCookie(c, OIDC_COOKIE);
      const returnTo = getCookie(c, RETURN_COOKIE);
      // The row is taken whatever happens next: a sign-in's callback counts once.
      deleteCookie(c, OIDC_COOKIE, { path: COOKIE_PATH, secure: deps.config.secureCookies });
      deleteCookie(c, RETURN_COOKIE, { path: COOKIE_PATH, secure: deps.config.secureCookies });
      let email: string | undefined;
      try {
        const who = await oidc.finish(deps.db, deps.clock(), browserToken, new URL(c.req.url).searchParams);
        email = who.email;
        const account = await accountFor(deps, who);
        await issueSession(c, deps, account.id);
        await writeAudit(deps.db, deps.clock().toISOString(), { actor: account, action: 'login', entity: 'user', entityId: account.id, after: { method: 'oidc', issuer: oidc.settings.issuer, subject: who.sub } });
        // Checked again: the cookie came back from the browser.
        return c.redirect(returnTo && isReturnPath(returnTo) ? returnTo : '/', 302);
      } catch (e) {
        if (!(e instanceof OidcError)) throw e;
        await writeAudit(deps.db, deps.clock().toISOString(), { actor: null, action: 'login_failed', entity: 'user', entityId: null, after: { method: 'oidc', reason: e.code, detail: e.message, ...(email ? { email } : {}) } });
        if (wantsJson(c)) throw new ProblemError(STATUS[e.code], 'Single sign-on failed', e.message);
        return c.redirect(`/?sso_error=${e.code}`, 302);
      }
    },
  }),
];
