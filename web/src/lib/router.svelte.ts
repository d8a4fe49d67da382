/**
 * A small router on the History API. The URL is the one place the current page and its filters live:
 * links are plain <a href>, back/forward work, a reload or a pasted link reproduces the view.
 */

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
  const url = new URL(to, window.location.href);
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
  const url = new URL(a.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  // Same page, only a #fragment (the skip link): let the browser scroll and move focus itself.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
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
