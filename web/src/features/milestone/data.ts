/** Pure shaping for the milestone page: which evidence links may be followed, and instants as people read them. */

/**
 * The evidence URL as a link target, only when it is an absolute http(s) URL: the API accepts nothing else,
 * but a record imported before that rule (or a `javascript:` URL) must never become a clickable link.
 */
export function evidenceHref(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** `2026-11-28T06:30:12.345Z` → `2026-11-28 06:30 UTC` (as the history lines show times). */
export function utcMinute(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 16)} UTC`;
}
