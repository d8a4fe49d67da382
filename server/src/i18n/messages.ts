/**
 * The server's messages in English, French and Spanish: server/messages/<lang>.json, in the inlang message
 * format the web app's Paraglide catalogues use (server/project.inlang), so the same tools edit both. The
 * reference data's labels and the charts' texts (`ref_*`, `chart_*`, `series_*`, `dim_*`, `category_*`) are
 * the web catalogues' own, copied; test/api/i18n-catalogues.test.ts keeps the copies equal and every
 * catalogue's keys and placeholders the same as English's.
 *
 * The server reads the catalogues directly rather than compiling them with Paraglide: a compile step would
 * stand before every server entry point (start, CLI, tests, type check), and problem titles are looked up by
 * their English text. A message's `{name}` placeholders are filled from the inputs.
 */
import type { Locale } from '@mm/shared';
import en from '../../messages/en.json' with { type: 'json' };
import es from '../../messages/es.json' with { type: 'json' };
import fr from '../../messages/fr.json' with { type: 'json' };

export type MessageKey = Exclude<keyof typeof en, '$schema'>;
type Catalogue = Readonly<Record<string, string>>;
export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, fr, es };

/** A message in a language (English when the language lacks it), its `{placeholders}` filled in. */
export function msg(locale: Locale, key: MessageKey, inputs: Readonly<Record<string, string | number>> = {}): string {
  const text = CATALOGUES[locale][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(inputs, name) ? String(inputs[name]) : whole));
}

/** Whether a string is one of the catalogue's keys (for keys built from codes, e.g. `ref_region_AFR`). */
export function isMessageKey(key: string): key is MessageKey {
  return key !== '$schema' && Object.hasOwn(en, key);
}

/** The message whose English text this is, in a language; undefined when English has no such message with `prefix`. */
const byEnglish = new Map<string, MessageKey[]>();
for (const [k, v] of Object.entries(en)) {
  if (k === '$schema') continue;
  byEnglish.set(v, [...(byEnglish.get(v) ?? []), k as MessageKey]);
}
export function keyOfEnglish(text: string, prefix: string): MessageKey | undefined {
  return byEnglish.get(text)?.find((k) => k.startsWith(prefix));
}
