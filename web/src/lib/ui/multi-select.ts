/**
 * Pure parts of the multi-select filter control: the compact summary on its button, the type-to-filter
 * match, and toggling one value while keeping the reference order (equal selections give equal URLs).
 */

import { m } from '../i18n/locale.ts';

/** One choice: the API's code, the label people read, and optionally a shorter label for the summary. */
export interface Choice { code: string; label: string; short?: string }

/**
 * What the closed control shows: `all` when nothing is chosen, the chosen labels when they fit in
 * `maxChars` ("Africa, Asia and the Pacific"), otherwise a count ("3 selected").
 */
export function summarize(selected: readonly string[], choices: readonly Choice[], all: string, maxChars = 30): string {
  if (selected.length === 0) return all;
  const text = selected.map((code) => {
    const c = choices.find((x) => x.code === code);
    return c ? (c.short ?? c.label) : code;
  }).join(', ');
  return text.length <= maxChars ? text : m.ms_selected({ count: selected.length });
}

// Case- and accent-insensitive, so "cote" finds "Côte d'Ivoire".
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The choices whose label or code contains every word typed (ignoring case and accents), in their order. */
export function matchChoices<C extends Choice>(choices: readonly C[], query: string): C[] {
  const words = fold(query).split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...choices];
  return choices.filter((c) => {
    const text = fold(`${c.label} ${c.code}`);
    return words.every((w) => text.includes(w));
  });
}

/**
 * The selection with `code` added or removed. Chosen codes follow the choices' order whatever order they
 * were clicked in; chosen codes that are not among the choices (e.g. from a pasted URL) stay, at the end.
 */
export function toggleChoice(selected: readonly string[], code: string, choices: readonly Choice[]): string[] {
  const next = new Set(selected);
  if (next.has(code)) next.delete(code);
  else next.add(code);
  const known = choices.map((c) => c.code).filter((c) => next.has(c));
  return [...known, ...[...next].filter((c) => !known.includes(c))];
}
