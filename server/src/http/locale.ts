/**
 * The language a request is answered in (exports without `lang=`, problem+json): the signed-in person's
 * choice (their account's `locale`), else this browser's choice (the `mm_locale` cookie the sign-in page sets),
 * else the best match of Accept-Language, else English. The same order as the web app's index page.
 */
import type { Locale } from '@mm/shared';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { userLocale } from '../queries/users.ts';
import type { AppEnv } from './endpoint.ts';
import { fromAcceptLanguage, isLocale, LOCALE_COOKIE } from './web-index.ts';

/** The browser's language without the account's: the cookie, else Accept-Language. */
export function browserLocale(c: Context<AppEnv>): Locale | undefined {
  const cookie = getCookie(c, LOCALE_COOKIE);
  return (isLocale(cookie) ? cookie : undefined) ?? fromAcceptLanguage(c.req.header('accept-language'));
}

export async function requestLocale(c: Context<AppEnv>): Promise<Locale> {
  const user = c.get('user');
  let chosen: Locale | null = null;
  if (user) {
    // A failing read (the database going away mid-request) must not turn an answer into another error.
    try {
      chosen = await userLocale(c.get('deps').db, user.id);
    } catch {
      chosen = null;
    }
  }
  return chosen ?? browserLocale(c) ?? 'en';
}
