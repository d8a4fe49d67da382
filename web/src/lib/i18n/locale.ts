/**
 * The language of this page. Each language is its own build (web/vite.config.ts), so the language is a
 * constant of the build, and switching language loads the page again (the server serves the other build).
 */
import type { Locale } from '@mm/shared';
import { getLocale } from '../../paraglide/runtime.js';

export { m } from '../../paraglide/messages.js';
export type { Locale };

export const locale: Locale = getLocale();

/** Each language in its own name, as the switcher offers it. */
export const LANGUAGES: readonly { code: Locale; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
];

/** The cookie the server reads when no one is signed in (or the account has no language set). */
export const LOCALE_COOKIE = 'mm_locale';
