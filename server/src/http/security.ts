/** Middleware that every response and every state-changing request passes through. */
import type { MiddlewareHandler } from 'hono';
import { lookupSession, sessionToken } from '../auth/sessions.ts';
import type { AppConfig } from '../deps.ts';
import type { AppEnv } from './endpoint.ts';
import { ProblemError } from './problem.ts';

/** Header a same-origin client must send on every state-changing request; a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'MainstreamMonitor';

const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
const WITH_HSTS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' };
/** The same as [name, value] lists, for the middleware (built once, not per response). */
const PAIRS = Object.entries(SECURITY_HEADERS);
const PAIRS_WITH_HSTS = Object.entries(WITH_HSTS);

/** The headers every response carries, for a configuration (HSTS only behind HTTPS). */
export function securityHeadersFor(config: Pick<AppConfig, 'secureCookies'>): Readonly<Record<string, string>> {
  return config.secureCookies ? WITH_HSTS : SECURITY_HEADERS;
}

/** Marks a response built with the security headers already in it (see {@link securedResponse}). */
const SECURED = Symbol('secured');
type Secured = Response & { [SECURED]?: true };

/**
 * A response whose headers (a plain record) already include {@link securityHeadersFor}: the hot cached reads
 * answer this way, so the middleware below need not add them through a Headers object (on the Node server a
 * plain record goes to the socket as is; a Headers object costs several microseconds per request to build,
 * fill and copy out again).
 */
export function securedResponse(body: string | Uint8Array<ArrayBuffer> | null, status: number, headers: Record<string, string>): Response {
  const res: Secured = new Response(body, { status, headers });
  res[SECURED] = true;
  return res;
}

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // Built with them already (and not rebuilt since: a rebuilt response is another object).
  if ((c.res as Secured)[SECURED]) return;
  const h = c.res.headers;
  for (const [k, v] of c.get('deps').config.secureCookies ? PAIRS_WITH_HSTS : PAIRS) h.set(k, v);
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: state-changing requests need the custom header (forcing a CORS preflight cross-site), and a
 * browser-sent Origin or Sec-Fetch-Site must say same origin.
 */
export const csrfGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.has(c.req.method)) return next();
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw new ProblemError(403, 'Cross-site request refused', 'State-changing requests must come from this site.');
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') {
    const host = c.req.header('host');
    let ok = false;
    try { ok = new URL(origin).host === host; } catch { ok = false; }
    if (!ok && !c.get('deps').config.corsOrigins.includes(origin)) throw new ProblemError(403, 'Cross-site request refused', `Origin ${origin} may not change data here.`);
  } else if (origin === 'null') {
    throw new ProblemError(403, 'Cross-site request refused', 'Requests from an opaque origin may not change data.');
  }
  if (c.req.header(CSRF_HEADER) !== CSRF_VALUE) {
    throw new ProblemError(403, 'CSRF check failed', `Send the header "X-Requested-With: ${CSRF_VALUE}" with every request that changes data.`);
  }
  return next();
};

/** Resolves the session cookie (if any) to a user for the rest of the request. */
export const sessionLoader: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = sessionToken(c.req.header('cookie'));
  const found = token ? await lookupSession(c.get('deps'), token) : null;
  c.set('user', found?.user ?? null);
  // Read in the same query as the session, before the handler runs: the version this request's cached reads use.
  if (found) c.set('dataVersion', found.dataVersion);
  return next();
};
