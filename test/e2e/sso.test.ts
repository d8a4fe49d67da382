/**
 * Single sign-on in headless Chromium (issue 18), against a real OpenID Connect provider (oidc-provider, test/oidc/
 * provider.ts) and real server processes configured with OIDC_*: the sign-in page offers "Sign in with Test
 * provider", the browser signs in on the provider's own login page and lands back signed in on the page it
 * started from (returnTo); a tampered state and a replayed callback URL are each refused with their own message
 * on the sign-in page (the ?sso_error parameter then gone from the address) and no session; PASSWORD_LOGIN=0
 * hides the password form.
 * A wrong audience (an ID token issued for another client) and an expired ID token are refused in the API test
 * test/api/sso.test.ts, where the token endpoint's answer can be swapped and the server's clock moved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, stopServer, waitHealthy, type ServerChild } from '../server-process.ts';
import { startProvider, type TestProvider } from '../oidc/provider.ts';
import { expectAccessible, newPage } from './pages/app.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { launchBrowser, ROOT } from './server.ts';

const SHOTS = path.join(ROOT, 'test-results/screenshots');
const accounts = { 'sub-admin': { email: 'admin@demo.local', emailVerified: true, name: 'Demo admin' } };

let provider: TestProvider;
let browser: Browser;
const dirs: string[] = [];
const servers: ServerChild[] = [];

/** A demo server on a port chosen in advance (its callback is registered at the provider before it starts). */
async function oidcServer(port: number, clientId: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-sso-'));
  dirs.push(dir);
  const s = await spawnServer(`sqlite:${path.join(dir, 'sso.sqlite')}`, {
    DEMO: '1', OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: `secret-${clientId}`,
    OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`, OIDC_NAME: 'Test provider', ...env,
  }, { port });
  servers.push(s);
  await waitHealthy(s, { pollMs: 200 });
  return s;
}

let app: ServerChild;
let passwordless: ServerChild;

beforeAll(async () => {
  const [appPort, passwordlessPort, providerPort] = [await freePort(), await freePort(), await freePort()];
  const client = (clientId: string, port: number) => ({ clientId, clientSecret: `secret-${clientId}`, redirectUri: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback` });
  provider = await startProvider([client('mm-e2e', appPort), client('mm-e2e-sso-only', passwordlessPort)], accounts, providerPort);
  [app, passwordless] = await Promise.all([oidcServer(appPort, 'mm-e2e'), oidcServer(passwordlessPort, 'mm-e2e-sso-only', { PASSWORD_LOGIN: '0' })]);
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => stopServer(s, 5000)));
  await provider?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The provider's own login page: the person types their email there and continues (consent comes with it). */
async function signInAtProvider(page: Page, email: string): Promise<void> {
  await page.waitForURL((u) => u.origin === provider.issuer && u.pathname.startsWith('/interaction/'));
  await page.getByRole('heading', { name: 'Test provider' }).waitFor();
  await page.getByLabel('Provider email').fill(email);
  await page.getByRole('button', { name: 'Continue to the app' }).click();
}

/** GET /api/v1/auth/me with this browser's cookies: 200 (with the email) or the status. */
async function meIn(context: BrowserContext, base: string): Promise<string | number> {
  const res = await context.request.get(`${base}/api/v1/auth/me`);
  if (res.status() !== 200) return res.status();
  const body = (await res.json()) as { user: { email: string } };
  return body.user.email;
}

const CALLBACK = /\/api\/v1\/auth\/oidc\/callback\?/;

describe('single sign-on in the browser', () => {
  it('offers "Sign in with Test provider" beside the password form, and passes axe', async () => {
    const { context, page } = await newPage(browser, app.base);
    const signIn = await new SignInPage(page).goto();
    await expect.poll(() => signIn.ssoButton().count()).toBe(1);
    expect(await signIn.ssoButton().getAttribute('href')).toBe('/api/v1/auth/oidc/start');
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in page with single sign-on');
    await page.screenshot({ path: path.join(SHOTS, 'signin-sso.png'), fullPage: true });
    await context.close();
  });

  it('walks the real flow from a pasted link: the button, the provider’s login page, back signed in on that page; the callback URL replayed later is refused', async () => {
    const { context, page } = await newPage(browser, app.base);
    const signIn = await new SignInPage(page).goto('/indicators?region=AFR');
    expect(await signIn.ssoButton().getAttribute('href')).toBe(`/api/v1/auth/oidc/start?returnTo=${encodeURIComponent('/indicators?region=AFR')}`);
    const callbacks: string[] = [];
    page.on('request', (r) => { if (CALLBACK.test(r.url())) callbacks.push(r.url()); });
    await signIn.ssoButton().click();
    await signInAtProvider(page, 'admin@demo.local');
    // Back on the app, signed in: the shell shows who.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const landed = new URL(page.url());
    expect(landed.origin + landed.pathname + landed.search).toBe(`${app.base}/indicators?region=AFR`);
    await page.getByRole('heading', { name: 'Indicators', level: 1 }).waitFor();
    expect(await page.locator('.topbar .who').innerText()).toContain('Demo admin');
    expect(await meIn(context, app.base)).toBe('admin@demo.local');
    expect(callbacks).toHaveLength(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
    expect(await meIn(context, app.base)).toBe(401);
    // Someone with the old callback URL (from history, a log, a shoulder) opens it again.
    await page.goto(callbacks[0] ?? '');
    await signIn.ssoError().waitFor();
    expect(await signIn.ssoError().innerText()).toContain('That sign-in link was already used or has expired');
    expect(new URL(page.url()).search).toBe('');
    expect(await meIn(context, app.base)).toBe(401);
    await context.close();
  });

  it('refuses a callback whose state was tampered with: the message, focus on it, no sign-in, axe-clean', async () => {
    const { context, page } = await newPage(browser, app.base);
    const signIn = await new SignInPage(page).goto();
    // Stand between the provider and the app: when the person continues on the provider's login page, follow the
    // provider's redirects (with this browser's cookies) up to the one back to the app, and hold that one.
    let held = '';
    const loginPost = (u: URL) => u.origin === provider.issuer && /^\/interaction\/[^/]+\/login$/.test(u.pathname);
    await page.route(loginPost, async (route) => {
      let res = await route.fetch({ maxRedirects: 0 });
      let next = new URL(res.headers()['location'] ?? '', provider.issuer);
      for (let hop = 0; hop < 5 && next.origin === provider.issuer; hop++) {
        res = await page.request.get(next.href, { maxRedirects: 0 });
        next = new URL(res.headers()['location'] ?? '', next);
      }
      held = next.href;
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>held</title><p>held</p></html>' });
    });
    await signIn.ssoButton().click();
    await signInAtProvider(page, 'admin@demo.local');
    await expect.poll(() => held).toMatch(CALLBACK);
    await page.unroute(loginPost);
    const tampered = new URL(held);
    expect(tampered.searchParams.get('state')?.length).toBeGreaterThan(20);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state') ?? ''}x`);
    await page.goto(tampered.href);
    await signIn.ssoError().waitFor();
    expect(await signIn.ssoError().innerText()).toContain('The sign-in answer did not match this browser’s sign-in');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('sso-error'))).toBe(true);
    expect(await meIn(context, app.base)).toBe(401);
    // Still a sign-in page: both ways in are there.
    expect(await signIn.ssoButton().count()).toBe(1);
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in page with a single sign-on error');
    await page.screenshot({ path: path.join(SHOTS, 'signin-sso-error.png'), fullPage: true });
    // A reload does not repeat the message: the reason left the address.
    await page.reload();
    await signIn.ssoButton().waitFor();
    expect(await signIn.ssoError().count()).toBe(0);
    await context.close();
  });

  it('with PASSWORD_LOGIN=0 offers only the provider, and signs in through it', async () => {
    const { context, page } = await newPage(browser, passwordless.base);
    await page.goto('/');
    const signIn = new SignInPage(page);
    await signIn.ssoButton().waitFor();
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await page.getByLabel('Email').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);
    expect(await page.locator('.demo-accounts').count()).toBe(0);
    expect(await page.getByText('Password sign-in is turned off here').isVisible()).toBe(true);
    await expectAccessible(page, 'sign-in page without password sign-in');
    await page.screenshot({ path: path.join(SHOTS, 'signin-sso-only.png'), fullPage: true });
    await signIn.ssoButton().click();
    await signInAtProvider(page, 'admin@demo.local');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await meIn(context, passwordless.base)).toBe('admin@demo.local');
    await context.close();
  });
});
