/** HTTP helpers against a running server. */
import http from 'node:http';
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

/** One kept-alive connection per server for the cold GETs (see {@link timedGet}). */
const agents = new Map<string, http.Agent>();

/**
 * A GET timed from send to the last byte, over node:http with a kept-alive socket. The cold-latency samples
 * use this rather than fetch: undici's fetch adds about 0.6 ms per request of its own on this machine
 * (measured against node:http on GET /api/v1/ping), which is the client's cost, not the server's.
 */
export function timedGet(url: string, headers: Record<string, string> = {}): Promise<Timed> {
  const u = new URL(url);
  let agent = agents.get(u.origin);
  if (!agent) agents.set(u.origin, (agent = new http.Agent({ keepAlive: true, maxSockets: 1 })));
  const t0 = performance.now();
  return new Promise<Timed>((resolve, reject) => {
    const req = http.get(u, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes: body.byteLength, headers: h, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Closes the kept-alive sockets of {@link timedGet} (so the process can exit). */
export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
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
