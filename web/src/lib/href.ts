/** Parsing link targets for the router (pure; kept out of the .svelte.ts module, where URL would be reactive state). */

export interface Href { origin: string; pathname: string; search: string; hash: string }

/** Resolves a link target against the current address. */
export function parseHref(to: string, base: string): Href {
  const u = new URL(to, base);
  return { origin: u.origin, pathname: u.pathname, search: u.search, hash: u.hash };
}

/** Whether the router should handle a click on this link: same origin, not the API, not a same-page #fragment. */
export function isAppLink(target: Href, here: Href): boolean {
  if (target.origin !== here.origin || target.pathname.startsWith('/api/')) return false;
  // Same page, only a #fragment (the skip link): the browser scrolls and moves focus itself.
  if (target.hash && target.pathname === here.pathname && target.search === here.search) return false;
  return true;
}
