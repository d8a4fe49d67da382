/** The one place the web app talks HTTP: same-origin fetch, the CSRF header on writes, problem+json errors. */
import type { Problem } from '@mm/shared';

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

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(method === 'GET' ? {} : { 'X-Requested-With': 'MainstreamMonitor' }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ type: 'about:blank', title: 'The server cannot be reached', status: 0, detail: 'Check the connection and try again.' });
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  // The server validates its responses with the shared zod schemas; the client trusts that contract.
  const data: T = await res.json();
  return data;
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
  return 'Something went wrong';
}
