/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the single sign-on tests: clients with their
 * redirect URLs, PKCE required, accounts with email and email_verified, and a plain login page of its own (an
 * email field; consent is granted with the login). `login()` walks that page with fetch for API tests; a
 * browser walks it by hand. `tokenHook` lets a test stand between the server and the token endpoint (to swap
 * the ID token for another one, as an attacker on that path would).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestAccount { email: string; emailVerified: boolean; name?: string }
export interface TestClient { clientId: string; clientSecret: string; redirectUri: string }

export interface TestProvider {
  issuer: string;
  /** Accounts by subject (the login page takes an email and finds its subject). */
  accounts: Map<string, TestAccount>;
  /** Rewrites the token endpoint's JSON answer, when set. */
  tokenHook?: (body: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Follows an authorization URL through the login page as `email` (a cookie jar of its own) and returns the
   * URL the provider sends the browser back to (the client's redirect URL with code, state and iss).
   */
  login(authorizationUrl: string, email: string): Promise<URL>;
  close(): Promise<void>;
}

/** Minimal cookie jar for fetch: name=value pairs from Set-Cookie, sent back on every request. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function startProvider(clients: readonly TestClient[], accounts: Record<string, TestAccount>, port = 0): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const byId = new Map(Object.entries(accounts));
  const config: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.clientId, client_secret: c.clientSecret, redirect_uris: [c.redirectUri],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    })),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Email in the ID token itself, as most providers send it.
    conformIdTokenClaims: false,
    cookies: { keys: ['test-provider-cookie-key'] },
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: (_ctx, sub) => {
      const a = byId.get(sub);
      if (!a) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: a.email, email_verified: a.emailVerified, ...(a.name ? { name: a.name } : {}) }) };
    },
  };
  const provider = new Provider(issuer, config);
  const handle: TestProvider = {
    issuer, accounts: byId,
    async login(authorizationUrl, email) {
      const jar = new Jar();
      let url = new URL(authorizationUrl);
      let method = 'GET';
      let body: string | undefined;
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url;
        const res = await fetch(url, { method, body, redirect: 'manual', headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
        jar.take(res);
        const location = res.headers.get('location');
        if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
          // The login page: submit it as the person would.
          url = new URL(`${url.pathname}/login`, issuer);
          method = 'POST';
          body = new URLSearchParams({ email }).toString();
          continue;
        }
        if (!location) throw new Error(`provider answered ${res.status} at ${url.pathname}: ${await res.text()}`);
        url = new URL(location, url);
        method = 'GET';
        body = undefined;
      }
      throw new Error('too many redirects at the provider');
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  provider.use(async (ctx, next) => {
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (m) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (!m[2]) {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="en"><head><title>Test provider sign-in</title></head><body><h1>Test provider</h1>
<form method="post" action="/interaction/${esc(details.uid)}/login"><label for="email">Provider email</label> <input id="email" name="email" type="email"> <button type="submit">Continue to the app</button></form></body></html>`;
        return;
      }
      const email = (await readForm(ctx.req)).get('email') ?? '';
      const sub = [...byId].find(([, a]) => a.email === email)?.[0];
      if (!sub) {
        ctx.status = 403;
        ctx.body = `no account ${email} at the test provider`;
        return;
      }
      const clientId = String(details.params.client_id);
      const grant = new provider.Grant({ accountId: sub, clientId });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(returnTo);
      return;
    }
    await next();
    if (ctx.path === '/token' && handle.tokenHook && ctx.body && typeof ctx.body === 'object') ctx.body = handle.tokenHook(ctx.body as Record<string, unknown>);
  });
  server.on('request', provider.callback());
  return handle;
}
