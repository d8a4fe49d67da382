/**
 * A small router on the History API. The URL is the one place the current page and its filters live:
 * links are plain <a href>, back/forward work, a reload or a pasted link reproduces the view.
 */

import { isAppLink, parseHref } from './href.ts';

class CurrentLocation {
  path = $state(window.location.pathname);
  search = $state(window.location.search);
}

/** The current path and query string, reactive. */
export const current = new CurrentLocation();

function sync(): void {
  current.path = window.location.pathname;
  current.search = window.location.search;
}

/** Goes to an in-app URL (path + query); `replace` rewrites the current history entry instead of adding one. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = parseHref(to, window.location.href);
  const next = url.pathname + url.search + url.hash;
  if (next === window.location.pathname + window.location.search + window.location.hash) return;
  if (opts.replace) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  const pathChanged = url.pathname !== current.path;
  sync();
  if (pathChanged && !opts.replace) window.scrollTo(0, 0);
}

function onClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target instanceof Element ? e.target.closest('a') : null;
  if (!a || !a.href || a.target || a.hasAttribute('download')) return;
  const url = parseHref(a.href, window.location.href);
  if (!isAppLink(url, parseHref(window.location.href, window.location.href))) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** Starts listening to link clicks and back/forward; returns the function that stops it. */
export function startRouter(): () => void {
  window.addEventListener('popstate', sync);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', sync);
    document.removeEventListener('click', onClick);
  };
}
