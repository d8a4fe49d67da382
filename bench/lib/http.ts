/** HTTP helpers against a running server. */
export const CSRF = { 'X-Requested-With': 'MainstreamMonitor' } as const;
export const DEMO_PASSWORD = 'demo-password-2015';

export async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { ...CSRF, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const m = /mm_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error('no session cookie');
  return `mm_session=${m[1]}`;
}

export interface Timed { status: number; ms: number; bytes: number; headers: Headers; body: Uint8Array }

/** A kept-alive socket the server closed while idle (Node closes them after 5 s) just as it was reused. */
function staleSocket(e: unknown): boolean {
  const cause: unknown = e instanceof Error ? e.cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? Reflect.get(cause, 'code') : undefined;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

/** One request, timed from send to the last byte of the body (retried once, untimed, on a stale kept-alive socket). */
export async function timed(url: string, init: RequestInit = {}, retry = true): Promise<Timed> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, init);
    const body = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, ms: performance.now() - t0, bytes: body.byteLength, headers: res.headers, body };
  } catch (e) {
    // A request body (FormData) can be sent again; a stream could not, and none is used here.
    if (retry && staleSocket(e)) return timed(url, init, false);
    throw e;
  }
}

/** Why a measurement could not be taken, from a non-2xx answer. */
export function unavailable(r: Timed): string {
  if (r.status === 404) return 'n/a (endpoint missing)';
  let detail = '';
  try {
    const p: unknown = JSON.parse(new TextDecoder().decode(r.body));
    if (p && typeof p === 'object' && 'title' in p && typeof p.title === 'string') detail = `: ${p.title}`;
  } catch {
    // not JSON
  }
  return `n/a (HTTP ${r.status}${detail})`;
}
