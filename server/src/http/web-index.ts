/**
 * The web app's index page in the reader's language. The web app is built once per language (web/dist/ is
 * English, web/dist/fr/ and web/dist/es/ the others): the page is the person's chosen language (their account's
 * `locale`), else the language this browser picked on the sign-in page (the `mm_locale` cookie), else the
 * best match of Accept-Language, else English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LOCALES, type Locale } from '@mm/shared';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { lookupSession, sessionToken } from '../auth/sessions.ts';
import { userLocale } from '../queries/users.ts';
import type { AppEnv } from './endpoint.ts';

export const LOCALE_COOKIE = 'mm_locale';

export function isLocale(s: string | undefined): s is Locale {
  return (LOCALES as readonly string[]).includes(s ?? '');
}

/** The best of our languages for an Accept-Language header (`fr-CH,fr;q=0.9,en;q=0.8` → fr), or undefined. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
  }).filter((r) => Number.isFinite(r.q) && r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => r.lang).find(isLocale);
}

/** A handler answering with the index page of the reader's language (the languages whose build is present). */
export function webIndex(dist: string): (c: Context<AppEnv>) => Promise<Response> {
  const pages = new Map<Locale, string>();
  for (const l of LOCALES) {
    const file = path.join(dist, l === 'en' ? '' : l, 'index.html');
    if (fs.existsSync(file)) pages.set(l, fs.readFileSync(file, 'utf8'));
  }
  return async (c) => {
    const deps = c.get('deps');
    const token = sessionToken(c.req.header('cookie'));
    const session = token ? await lookupSession(deps, token) : null;
    const chosen = session ? await userLocale(deps.db, session.user.id) : null;
    const cookie = getCookie(c, LOCALE_COOKIE);
    const wanted = chosen ?? (isLocale(cookie) ? cookie : undefined) ?? fromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
    const lang = pages.has(wanted) ? wanted : 'en';
    return c.html(pages.get(lang) ?? '', 200, { 'Cache-Control': 'no-cache', 'Content-Language': lang, Vary: 'Cookie, Accept-Language' });
  };
}
