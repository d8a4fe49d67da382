/**
 * The language of this page. Each language is its own build (web/vite.config.ts), so the language is a
 * constant of the build, and switching language loads the page again (the server serves the other build).
 */
import type { Locale } from '@mm/shared';

export { m } from '../../paraglide/messages.js';
export type { Locale };

/**
 * The build's language, as vite.config.ts fixes it (English where nothing does: unit tests, the type check).
 * Read from the constant rather than Paraglide's runtime `getLocale()`, whose detection strategies (cookies, URLs,
 * storage) a build with a fixed language never uses and would otherwise ship in the first JavaScript.
 */
const built = (globalThis as { __PARAGLIDE_STATIC_LOCALE__?: string }).__PARAGLIDE_STATIC_LOCALE__;
export const locale: Locale = built === 'fr' || built === 'es' ? built : 'en';

/** Each language in its own name, as the switcher offers it. */
export const LANGUAGES: readonly { code: Locale; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
];

/** The cookie the server reads when no one is signed in (or the account has no language set). */
export const LOCALE_COOKIE = 'mm_locale';
