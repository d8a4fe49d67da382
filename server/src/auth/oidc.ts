/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) through openid-client. The
 * provider's metadata is discovered once per app, on first use (and again after a failed attempt); every
 * sign-in's verifier, state and nonce live in an oidc_logins row until its callback takes it.
 */
import { hash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Db } from '../db/types.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  /** This server's callback, as registered at the provider (…/api/v1/auth/oidc/callback). */
  redirectUrl: string;
  /** What an unknown (verified) email gets: nothing, or a viewer account with no regions. */
  autoCreate: 'viewer' | null;
  /** Shown on the sign-in button ("Sign in with …"). */
  name: string;
}

/** How long a sign-in may spend at the provider before its callback is refused. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
export const OIDC_COOKIE = 'mm_oidc';

/**
 * openid-client refuses plain-HTTP providers; one on this machine's loopback (a test or local provider) is
 * allowed, nothing else.
 */
export function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]');
}

const hashToken = (token: string) => hash('sha256', token, 'base64url');

/** The claims sign-in uses, from the verified ID token (or the UserInfo answer for that same subject). */
export interface OidcIdentity { sub: string; email?: string; emailVerified: boolean; name?: string }

/** Why a callback was refused; the code goes to the sign-in page, which words it for people. */
export type OidcFailure = 'stale' | 'state' | 'denied' | 'token' | 'unverified' | 'no_account' | 'disabled' | 'unavailable';
export class OidcError extends Error {
  constructor(readonly code: OidcFailure, message: string) { super(message); }
}

/** An openid-client error as words: its message, and its cause's (e.g. which check failed). */
function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = 'code' in e && typeof e.code === 'string' ? ` [${e.code}]` : '';
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.message}${code}${cause}`;
}

export class OidcClient {
  private discovered?: Promise<client.Configuration>;
  private jwks?: client.ExportedJWKSCache;

  constructor(readonly settings: OidcSettings) {}

  private base(): Promise<client.Configuration> {
    this.discovered ??= client.discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, undefined, {
      execute: isLoopbackHttp(this.settings.issuer) ? [client.allowInsecureRequests] : [],
    }).catch((e: unknown) => {
      this.discovered = undefined;
      throw new OidcError('unavailable', `The sign-in provider could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    });
    return this.discovered;
  }

  /**
   * A configuration for one request, on the app's clock (`now`: ID token times are checked against it), with
   * the ID token's signature checked against the provider's keys (openid-client would otherwise trust the
   * TLS connection to the token endpoint alone).
   */
  private async forRequest(now: Date): Promise<client.Configuration> {
    const base = await this.base();
    const { clientSecret } = this.settings;
    const config = new client.Configuration(base.serverMetadata(), this.settings.clientId, {
      ...(clientSecret ? { client_secret: clientSecret } : {}),
      [client.clockSkew]: Math.round((now.getTime() - Date.now()) / 1000),
    }, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None());
    if (isLoopbackHttp(this.settings.issuer)) client.allowInsecureRequests(config);
    client.enableNonRepudiationChecks(config);
    if (this.jwks) client.setJwksCache(config, this.jwks);
    return config;
  }

  /** Starts a sign-in: stores its secrets under a fresh browser token; answers the token and where to send the browser. */
  async start(db: Db, now: Date): Promise<{ token: string; expiresAt: Date; url: URL }> {
    const config = await this.forRequest(now);
    const token = randomBytes(32).toString('base64url');
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const expiresAt = new Date(now.getTime() + OIDC_LOGIN_TTL_MS);
    // Rows of sign-ins never finished are cleared as new ones start.
    await db.deleteFrom('oidc_logins').where('expires_at', '<=', now.toISOString()).execute();
    await db.insertInto('oidc_logins').values({ id: hashToken(token), state, nonce, code_verifier: verifier, created_at: now.toISOString(), expires_at: expiresAt.toISOString() }).execute();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl, scope: 'openid email profile', response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
    });
    return { token, expiresAt, url };
  }

  /**
   * Finishes a sign-in from the provider's redirect (`search`: its query string): takes the browser's row
   * (once: a second callback with it finds nothing), checks state, exchanges the code with the verifier and
   * verifies the ID token (signature, issuer, audience, expiry, nonce). Throws OidcError.
   */
  async finish(db: Db, now: Date, browserToken: string | undefined, search: URLSearchParams): Promise<OidcIdentity> {
    if (!browserToken) throw new OidcError('stale', 'No sign-in was started in this browser (or it already finished).');
    const row = await db.deleteFrom('oidc_logins').where('id', '=', hashToken(browserToken)).returningAll().executeTakeFirst();
    if (!row) throw new OidcError('stale', 'This sign-in was already used or is unknown.');
    if (Date.parse(row.expires_at) <= now.getTime()) throw new OidcError('stale', 'This sign-in took too long and expired.');
    const error = search.get('error');
    if (error) throw new OidcError('denied', `The provider answered ${error}${search.get('error_description') ? `: ${search.get('error_description')}` : ''}.`);
    if (search.get('state') !== row.state) throw new OidcError('state', 'The state returned by the provider is not the one this sign-in sent.');
    const config = await this.forRequest(now);
    const currentUrl = new URL(this.settings.redirectUrl);
    currentUrl.search = search.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: row.code_verifier, expectedState: row.state, expectedNonce: row.nonce, idTokenExpected: true });
    } catch (e) {
      throw new OidcError('token', `The sign-in could not be verified: ${reason(e)}`);
    } finally {
      this.jwks = client.getJwksCache(config) ?? this.jwks;
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcError('token', 'The provider sent no ID token.');
    let source: Record<string, unknown> = claims;
    // Providers may keep email claims out of the ID token (oidc-provider does when an access token is issued): ask UserInfo for the same subject.
    if (claims.email === undefined || claims.email_verified === undefined) {
      try {
        source = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      } catch (e) {
        throw new OidcError('token', `The provider's user information could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return {
      sub: claims.sub,
      email: typeof source.email === 'string' ? source.email.trim().toLowerCase() : undefined,
      emailVerified: source.email_verified === true,
      name: typeof source.name === 'string' && source.name.trim() ? source.name.trim() : undefined,
    };
  }
}
