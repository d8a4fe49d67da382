/**
 * Single sign-on (issue 18) against a real OpenID Connect provider on 127.0.0.1 (oidc-provider): the code flow
 * with PKCE signs a matched user in with the ordinary session cookie; a tampered state, a replayed callback, an
 * ID token for another client, one whose claims were altered, an expired one, an unverified or unknown email are
 * each refused with a reason and no session; OIDC_AUTO_CREATE=viewer creates a viewer with no regions;
 * PASSWORD_LOGIN=0 refuses password sign-in. (The browser walk of the same flow is test/e2e/sso.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvider, type TestProvider } from '../oidc/provider.ts';
import { databases, startTestApp, type TestApp } from './harness.ts';

const APP = 'http://app.test';
const CALLBACK = `${APP}/api/v1/auth/oidc/callback`;
const ours = { clientId: 'mainstream-monitor', clientSecret: 'test-secret-ours', redirectUri: CALLBACK };
const other = { clientId: 'other-app', clientSecret: 'test-secret-other', redirectUri: 'http://other.test/callback' };

const accounts = {
  'sub-admin': { email: 'admin@demo.local', emailVerified: true, name: 'Demo Admin' },
  'sub-unverified': { email: 'staff.asia@demo.local', emailVerified: false },
  'sub-stranger': { email: 'new.person@example.org', emailVerified: true, name: 'New Person' },
  'sub-disabled': { email: 'staff.africa@demo.local', emailVerified: true },
};

const cookieOf = (res: Response, name: string): string | undefined => {
  for (const line of res.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m?.[1]) return `${name}=${m[1]}`;
  }
  return undefined;
};

describe.each(databases())('single sign-on on %s', (kind) => {
  let provider: TestProvider;
  let t: TestApp;
  let auto: TestApp;
  let future: TestApp;
  let noPassword: TestApp;

  const oidcConfig = (autoCreate: 'viewer' | null = null) => ({ oidc: { issuer: provider.issuer, clientId: ours.clientId, clientSecret: ours.clientSecret, redirectUrl: CALLBACK, autoCreate, name: 'Test provider' } });

  beforeAll(async () => {
    provider = await startProvider([ours, other], accounts);
    t = await startTestApp(kind, { config: oidcConfig() });
    auto = await startTestApp(kind, { config: oidcConfig('viewer') });
    // Two hours ahead: every ID token the provider issues (valid one hour) has expired by this server's clock.
    future = await startTestApp(kind, { clock: () => new Date(Date.now() + 2 * 3600_000), config: oidcConfig() });
    noPassword = await startTestApp(kind, { config: { ...oidcConfig(), passwordLogin: false } });
    // An administrator has disabled the Africa editor's account.
    await t.handle.db.updateTable('users').set({ disabled: 1 }).where('email', '=', 'staff.africa@demo.local').execute();
  });
  afterAll(async () => {
    await Promise.all([t?.close(), auto?.close(), future?.close(), noPassword?.close()]);
    await provider?.close();
  });

  /** GET /auth/oidc/start: the provider URL and the browser's flow cookie. */
  async function start(app: TestApp): Promise<{ url: URL; flow: string }> {
    const res = await app.request('GET', '/api/v1/auth/oidc/start');
    expect(res.status).toBe(302);
    const flow = cookieOf(res, 'mm_oidc');
    const set = res.headers.getSetCookie().join('\n');
    expect(set).toMatch(/mm_oidc=[^;]+;.*HttpOnly/i);
    if (!flow) throw new Error('no flow cookie');
    return { url: new URL(res.headers.get('location') ?? ''), flow };
  }

  /** Sends the provider's redirect to the app's callback with the flow cookie. */
  function callback(app: TestApp, back: URL, flow: string | null, accept = 'text/html'): Promise<Response> {
    expect(back.origin).toBe(APP);
    return app.request('GET', back.pathname + back.search, { cookie: flow, headers: { accept } });
  }

  async function me(app: TestApp, res: Response): Promise<number | { email: string; role: string; regions: string[] }> {
    const session = cookieOf(res, 'mm_session');
    if (!session) return 401;
    const r = await app.request('GET', '/api/v1/auth/me', { cookie: session });
    return r.status === 200 ? ((await r.json()) as { user: { email: string; role: string; regions: string[] } }).user : r.status;
  }

  async function refusedWith(app: TestApp, res: Response, code: string): Promise<void> {
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/?sso_error=${code}`);
    expect(cookieOf(res, 'mm_session')).toBeUndefined();
    expect(await me(app, res)).toBe(401);
  }

  /** The problem+json refusal a JSON client gets: its status, its detail naming the check that failed, no session. */
  async function refusedJson(app: TestApp, res: Response, status: number, detail: RegExp): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(cookieOf(res, 'mm_session')).toBeUndefined();
  }

  it('offers single sign-on beside the password form, and says so to the sign-in page', async () => {
    expect(await (await t.request('GET', '/api/v1/auth/sign-in-options')).json()).toEqual({ password: true, sso: { name: 'Test provider', startUrl: '/api/v1/auth/oidc/start' } });
    expect(await (await noPassword.request('GET', '/api/v1/auth/sign-in-options')).json()).toEqual({ password: false, sso: { name: 'Test provider', startUrl: '/api/v1/auth/oidc/start' } });
  });

  it('signs a verified, known email in with the ordinary session (code flow with PKCE, state and nonce)', async () => {
    const { url, flow } = await start(t);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['code_challenge', 'state', 'nonce']) expect(url.searchParams.get(p)?.length).toBeGreaterThanOrEqual(43);
    const back = await provider.login(url.href, 'admin@demo.local');
    const res = await callback(t, back, flow);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie().join('\n')).toMatch(/mm_session=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    expect(await me(t, res)).toMatchObject({ email: 'admin@demo.local', role: 'admin' });
    const admin = await t.login('admin@demo.local');
    const log = await (await t.request('GET', '/api/v1/audit?action=login&pageSize=5', { cookie: admin })).json() as { items: { action: string; after: Record<string, unknown> | null; userEmail: string }[] };
    expect(log.items.some((e) => e.userEmail === 'admin@demo.local' && e.after?.method === 'oidc')).toBe(true);
  });

  it('sends the browser back to the page it started from (returnTo), and only ever to a path of this app', async () => {
    const begin = await t.request('GET', `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent('/indicators?region=AFR&status=off_track')}`);
    expect(begin.status).toBe(302);
    const cookies = [cookieOf(begin, 'mm_oidc'), cookieOf(begin, 'mm_oidc_return')];
    expect(begin.headers.getSetCookie().join('\n')).toMatch(/mm_oidc_return=[^;]+;.*Path=\/api\/v1\/auth\/oidc;.*HttpOnly/i);
    const res = await callback(t, await provider.login(begin.headers.get('location') ?? '', 'admin@demo.local'), cookies.join('; '));
    expect(res.headers.get('location')).toBe('/indicators?region=AFR&status=off_track');
    expect(await me(t, res)).toMatchObject({ email: 'admin@demo.local' });
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', '/api/v1/users', 'indicators', '/\r\nSet-Cookie: x=1']) {
      const r = await t.request('GET', `/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['returnTo']);
      expect(cookieOf(r, 'mm_oidc')).toBeUndefined();
    }
    // A return cookie rewritten in the browser is not followed.
    const again = await start(t);
    const forged = await callback(t, await provider.login(again.url.href, 'admin@demo.local'), `${again.flow}; mm_oidc_return=${encodeURIComponent('//evil.example/')}`);
    expect(forged.headers.get('location')).toBe('/');
    expect(await me(t, forged)).toMatchObject({ email: 'admin@demo.local' });
  });

  it('refuses a callback replayed with the same code and flow cookie: no second session', async () => {
    const { url, flow } = await start(t);
    const back = await provider.login(url.href, 'admin@demo.local');
    expect(await me(t, await callback(t, back, flow))).toMatchObject({ email: 'admin@demo.local' });
    await refusedWith(t, await callback(t, back, flow), 'stale');
    // The same code under a fresh sign-in of this browser (its own state pasted in) is refused by the provider.
    const second = await start(t);
    const forged = new URL(back);
    forged.searchParams.set('state', second.url.searchParams.get('state') ?? '');
    await refusedJson(t, await callback(t, forged, second.flow, 'application/json'), 401, /error in the response body/);
  });

  it('refuses a tampered state, and a callback without the flow cookie', async () => {
    const { url, flow } = await start(t);
    const back = await provider.login(url.href, 'admin@demo.local');
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state') ?? ''}x`);
    await refusedWith(t, await callback(t, tampered, flow), 'state');
    // The flow was used up by the refusal: the genuine state no longer works either.
    await refusedWith(t, await callback(t, back, flow), 'stale');
    const again = await start(t);
    await refusedWith(t, await callback(t, await provider.login(again.url.href, 'admin@demo.local'), null), 'stale');
  });

  it('answers problem+json to a client that asks for JSON', async () => {
    const { url, flow } = await start(t);
    const back = await provider.login(url.href, 'admin@demo.local');
    back.searchParams.set('state', 'forged');
    const res = await callback(t, back, flow, 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ title: 'Single sign-on failed', detail: expect.stringContaining('state') });
    expect(cookieOf(res, 'mm_session')).toBeUndefined();
  });

  it('refuses an ID token issued to another client (wrong audience), and one whose claims were altered (signature)', async () => {
    const { url, flow } = await start(t);
    // A genuine, signed ID token of the same provider, for the same person and this sign-in's nonce, but for another app.
    const stolen = await idTokenFor(other, url.searchParams.get('nonce') ?? '');
    provider.tokenHook = (body) => ({ ...body, id_token: stolen });
    try {
      await refusedJson(t, await callback(t, await provider.login(url.href, 'admin@demo.local'), flow, 'application/json'), 401, /"aud" \(audience\)/);
    } finally {
      provider.tokenHook = undefined;
    }
    const second = await start(t);
    provider.tokenHook = (body) => {
      const [h, p, s] = String(body.id_token).split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      return { ...body, id_token: [h, Buffer.from(JSON.stringify({ ...claims, email: 'admin@demo.local' })).toString('base64url'), s].join('.') };
    };
    try {
      // The person signs in at the provider as the unverified account; the altered token says admin.
      await refusedJson(t, await callback(t, await provider.login(second.url.href, 'new.person@example.org'), second.flow, 'application/json'), 401, /signature verification failed/);
    } finally {
      provider.tokenHook = undefined;
    }
  });

  it('refuses an expired ID token (the server clock two hours past its expiry)', async () => {
    const { url, flow } = await start(future);
    await refusedJson(future, await callback(future, await provider.login(url.href, 'admin@demo.local'), flow, 'application/json'), 401, /"exp" \(expiration time\)/);
    // The same through a browser: back to the sign-in page with the reason.
    const again = await start(future);
    await refusedWith(future, await callback(future, await provider.login(again.url.href, 'admin@demo.local'), again.flow), 'token');
  });

  it('refuses an unverified email, an unknown one (no auto-create) and a disabled account', async () => {
    for (const [email, code] of [['staff.asia@demo.local', 'unverified'], ['new.person@example.org', 'no_account'], ['staff.africa@demo.local', 'disabled']] as const) {
      const { url, flow } = await start(t);
      await refusedWith(t, await callback(t, await provider.login(url.href, email), flow), code);
    }
    const admin = await t.login('admin@demo.local');
    const users = await (await t.request('GET', '/api/v1/users', { cookie: admin })).text();
    expect(users).toContain('admin@demo.local');
    expect(users).not.toContain('new.person@example.org');
  });

  it('with OIDC_AUTO_CREATE=viewer creates a viewer with no regions, who has no password', async () => {
    const { url, flow } = await start(auto);
    const res = await callback(auto, await provider.login(url.href, 'new.person@example.org'), flow);
    expect(await me(auto, res)).toMatchObject({ email: 'new.person@example.org', role: 'viewer', regions: [] });
    const row = await auto.handle.db.selectFrom('users').select(['name', 'password_hash']).where('email', '=', 'new.person@example.org').executeTakeFirstOrThrow();
    expect(row.name).toBe('New Person');
    for (const password of [row.password_hash, 'none', '']) {
      const r = await auto.request('POST', '/api/v1/auth/login', { body: { email: 'new.person@example.org', password: password || 'x' } });
      expect(r.status).toBe(401);
    }
    // Still refused for an unverified email.
    const again = await start(auto);
    await refusedWith(auto, await callback(auto, await provider.login(again.url.href, 'staff.asia@demo.local'), again.flow), 'unverified');
  });

  it('with PASSWORD_LOGIN=0 refuses password sign-in with a clear problem, and single sign-on still works', async () => {
    const res = await noPassword.request('POST', '/api/v1/auth/login', { body: { email: 'admin@demo.local', password: 'demo-password-2015' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ title: 'Password sign-in is turned off' });
    expect(cookieOf(res, 'mm_session')).toBeUndefined();
    const { url, flow } = await start(noPassword);
    expect(await me(noPassword, await callback(noPassword, await provider.login(url.href, 'admin@demo.local'), flow))).toMatchObject({ email: 'admin@demo.local' });
  });

  /** Runs the code flow for `client` straight at the provider and returns its ID token. */
  async function idTokenFor(client: typeof other, nonce: string): Promise<string> {
    const verifier = 'v'.repeat(50);
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    const auth = new URL('/auth', provider.issuer);
    for (const [k, v] of Object.entries({ client_id: client.clientId, redirect_uri: client.redirectUri, response_type: 'code', scope: 'openid email', nonce, state: 'other-state', code_challenge: challenge, code_challenge_method: 'S256' })) auth.searchParams.set(k, v);
    const back = await provider.login(auth.href, 'admin@demo.local');
    const res = await fetch(new URL('/token', provider.issuer), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: client.redirectUri, code_verifier: verifier }),
    });
    const body = await res.json() as { id_token?: string };
    if (!body.id_token) throw new Error(`no id token for ${client.clientId}: ${JSON.stringify(body)}`);
    return body.id_token;
  }
});
