/**
 * The language a person reads the web app in: `locale` on their account (GET /auth/me, PUT /auth/me/locale),
 * and the index page the server sends — the account's language, else the browser's choice on the sign-in page
 * (the mm_locale cookie), else Accept-Language, else English.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAcceptLanguage } from '@mm/server/http/web-index';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe(fromAcceptLanguage.name, () => {
  it.each([
    ['fr-CH,fr;q=0.9,en;q=0.8', 'fr'], ['es-419,es;q=0.9', 'es'], ['de-DE,de;q=0.9,es;q=0.5,fr;q=0.4', 'es'],
    ['en-GB,en;q=0.9', 'en'], ['de, it', undefined], ['fr;q=0, es', 'es'], ['', undefined], [undefined, undefined],
  ])('%s → %s', (header, want) => {
    expect(fromAcceptLanguage(header)).toBe(want);
  });
});

describe.each(databases())('language of the web app on %s', (kind) => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    // A stand-in for web/dist with the three builds' index pages.
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-locale-'));
    for (const l of ['', 'fr', 'es']) {
      fs.mkdirSync(path.join(dist, l), { recursive: true });
      fs.writeFileSync(path.join(dist, l, 'index.html'), `<html lang="${l || 'en'}"></html>`);
    }
    t = await startTestApp(kind, { config: { webDist: dist } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const langOf = async (res: Response): Promise<string> => /lang="(\w+)"/.exec(await res.text())?.[1] ?? '';

  it('an account starts with no language; the person sets and clears their own', async () => {
    const cookie = await t.login('manager@demo.local');
    const me = await (await t.request('GET', '/api/v1/auth/me', { cookie })).json();
    expect(me.locale).toBeNull();
    const put = await t.request('PUT', '/api/v1/auth/me/locale', { cookie, body: { locale: 'fr' } });
    expect(put.status).toBe(200);
    expect((await put.json()).locale).toBe('fr');
    expect((await (await t.request('GET', '/api/v1/auth/me', { cookie })).json()).locale).toBe('fr');
    // A second sign-in sees it too (it is the account's, not the session's).
    const again = await t.request('POST', '/api/v1/auth/login', { body: { email: 'manager@demo.local', password: 'demo-password-2015' } });
    expect((await again.json()).locale).toBe('fr');
    const bad = await t.request('PUT', '/api/v1/auth/me/locale', { cookie, body: { locale: 'de' } });
    expect(bad.status).toBe(400);
    await t.request('PUT', '/api/v1/auth/me/locale', { cookie, body: { locale: null } });
    expect((await (await t.request('GET', '/api/v1/auth/me', { cookie })).json()).locale).toBeNull();
  });

  it('setting a language needs a session', async () => {
    expect((await t.request('PUT', '/api/v1/auth/me/locale', { body: { locale: 'es' } })).status).toBe(401);
  });

  it('the index page: the account language, else the cookie, else Accept-Language, else English; at / and deep links', async () => {
    expect(await langOf(await t.request('GET', '/'))).toBe('en');
    expect(await langOf(await t.request('GET', '/partnerships?region=AFR', { headers: { 'Accept-Language': 'fr-FR,fr;q=0.9' } }))).toBe('fr');
    expect(await langOf(await t.request('GET', '/', { headers: { 'Accept-Language': 'fr' }, cookie: 'mm_locale=es' }))).toBe('es');
    const cookie = await t.login('staff.africa@demo.local');
    await t.request('PUT', '/api/v1/auth/me/locale', { cookie, body: { locale: 'es' } });
    const res = await t.request('GET', '/scorecard', { headers: { 'Accept-Language': 'fr' }, cookie: `${cookie}; mm_locale=fr` });
    expect(await langOf(res)).toBe('es');
    expect(res.headers.get('content-language')).toBe('es');
    expect(res.headers.get('vary')).toContain('Accept-Language');
  });
});
