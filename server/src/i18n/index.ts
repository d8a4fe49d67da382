/**
 * What an export or an error needs to speak a language: its messages, its number and date formats and the
 * reference data's labels. `l10n('en')` reads exactly as the exports did before they had languages.
 */
import { COUNTRIES, COUNTRY_ALPHA2, type Locale } from '@mm/shared';
import { formatter, INTL_TAG, type Formatter } from './format.ts';
import { isMessageKey, msg, type MessageKey } from './messages.ts';

export type { Formatter } from './format.ts';
export type { MessageKey } from './messages.ts';

/** The kinds of reference data with labels in the catalogues (`ref_<kind>_<code>`). */
export type RefKind =
  | 'region' | 'partnerType' | 'modality' | 'level' | 'mandate' | 'objective' | 'outcome' | 'partnerRole' | 'partnershipStatus'
  | 'milestoneStatus' | 'unit' | 'direction' | 'indicatorStatus' | 'pillar' | 'rating' | 'checkpoint' | 'entityType' | 'criterion';

export interface L10n {
  locale: Locale;
  f: Formatter;
  /** A message of the catalogue, placeholders filled. */
  m: (key: MessageKey, inputs?: Readonly<Record<string, string | number>>) => string;
  /** A reference code's label in the language; in English (and when the catalogue has none) `fallback` (the label as the data has it), else the code. */
  ref: (kind: RefKind, code: string, fallback?: string) => string;
  /** A country by its ISO alpha-3 code: the UN name in English, Intl's name in French and Spanish. */
  country: (code: string, fallback?: string) => string;
}

const alpha2 = new Map<string, string>(Object.entries(COUNTRY_ALPHA2).map(([two, three]) => [three, two]));
const cache = new Map<Locale, L10n>();

export function l10n(locale: Locale): L10n {
  const known = cache.get(locale);
  if (known) return known;
  const names = locale === 'en' ? undefined : new Intl.DisplayNames([INTL_TAG[locale]], { type: 'region' });
  const t: L10n = {
    locale,
    f: formatter(locale),
    m: (key, inputs) => msg(locale, key, inputs),
    ref: (kind, code, fallback) => {
      if (locale === 'en' && fallback !== undefined) return fallback;
      const key = `ref_${kind}_${code.replace(/-/g, '_')}`;
      return isMessageKey(key) ? msg(locale, key) : (fallback ?? code);
    },
    country: (code, fallback) => {
      if (locale === 'en' && fallback !== undefined) return fallback;
      const two = alpha2.get(code);
      if (names && two) return names.of(two) ?? fallback ?? code;
      return fallback ?? COUNTRIES.find((c) => c.code === code)?.label ?? code;
    },
  };
  cache.set(locale, t);
  return t;
}

export const EN = l10n('en');
