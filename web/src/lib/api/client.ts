/** The one place the web app talks HTTP: same-origin fetch, the CSRF header on writes, problem+json errors. */
import type { Problem } from '@mm/shared';
import { locale, m } from '../i18n/locale.ts';

/** An API error carrying the server's problem (its title is what the user sees). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && 'title' in v && typeof v.title === 'string' && 'status' in v && typeof v.status === 'number';
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body: unknown = await res.json();
    if (isProblem(body)) return body;
  } catch {
    // Not JSON (a proxy's error page, say): describe it from the status line.
  }
  return { type: 'about:blank', title: res.statusText || `Request failed (${res.status})`, status: res.status };
}

/** Options of one request: a JSON body or a multipart form, extra headers (e.g. If-Match), an abort signal. */
export interface SendOptions { json?: unknown; form?: FormData; headers?: Record<string, string>; signal?: AbortSignal }

/** Any API request; throws ApiError carrying the problem (a 412's `current` record included). */
export async function send<T>(method: string, path: string, opts: SendOptions = {}): Promise<T> {
  const { json, form, headers = {}, signal } = opts;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        // The page's language, so the server's messages (problem+json) can be in it too.
        'Accept-Language': locale,
        ...(method === 'GET' ? {} : { 'X-Requested-With': 'MainstreamMonitor' }),
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      ...(form ? { body: form } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ type: 'about:blank', title: m.error_unreachable(), status: 0, detail: m.error_unreachable_detail() });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  // The server validates its responses with the shared zod schemas; the client trusts that contract.
  const data: T = await res.json();
  return data;
}

function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return send<T>(method, path, { ...(body === undefined ? {} : { json: body }), ...(signal ? { signal } : {}) });
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

export function postJson<T>(path: string, body?: unknown): Promise<T> {
  return request<T>('POST', path, body);
}

/** A message for any error a query or mutation may throw. */
export function errorTitle(e: unknown): string {
  if (e instanceof ApiError) return e.problem.title;
  if (e instanceof Error) return e.message;
  return m.error_generic();
}
