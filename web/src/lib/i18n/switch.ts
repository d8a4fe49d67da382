/** Changing the language: remembered for the account (when signed in) and this browser, then the page loads again in it. */
import { send } from '../api/client.ts';
import { LOCALE_COOKIE, type Locale } from './locale.ts';

/**
 * Saves the choice and reloads the same address (path, filters in the query, hash): the server answers with
 * the build of the chosen language. `signedIn`: also store it on the account, so it follows the person.
 */
export async function switchLanguage(next: Locale, signedIn: boolean): Promise<void> {
  document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${400 * 24 * 3600}; samesite=lax`;
  if (signedIn) await send('PUT', '/auth/me/locale', { json: { locale: next } });
  window.location.reload();
}
