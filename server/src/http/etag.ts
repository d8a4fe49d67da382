/**
 * Optimistic concurrency over HTTP: reads send `ETag: "<version>"`, writes must send it back in `If-Match`.
 * Missing → 428; not the current version → 412 with the current record, so the client can show both and re-apply.
 */
import type { Context } from 'hono';
import type { AppEnv } from './endpoint.ts';
import { badRequest, ProblemError } from './problem.ts';

export const etagOf = (version: number): string => `"${version}"`;

/**
 * The versions listed in If-Match (`"3"`, `W/"3"` or a bare `3`); throws 428 when the header is missing or `*`
 * (a wildcard would write over whatever is there, which is exactly the lost update this guards against).
 */
export function ifMatchVersions(c: Context<AppEnv>): number[] {
  const raw = c.req.header('if-match');
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') {
    throw new ProblemError(428, 'If-Match required', 'Send the record\'s ETag in an If-Match header (read the record first), so a change made meanwhile by someone else is never overwritten.');
  }
  const versions = raw.split(',').map((part) => {
    const m = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(part);
    if (!m?.[1]) throw badRequest('The If-Match header is not an ETag this API issued.', [{ field: 'If-Match', reason: 'must be an ETag such as "3"', value: raw.slice(0, 100) }]);
    return Number(m[1]);
  });
  return versions;
}

/** The version the write is conditional on: the listed one that matches the current version, else the first (which will fail). */
export function expectedVersion(c: Context<AppEnv>, current: number): number {
  const vs = ifMatchVersions(c);
  return vs.includes(current) ? current : (vs[0] ?? -1);
}

/** 412 carrying the record as it is now. */
export function stale(current: unknown, currentVersion: number): ProblemError {
  return new ProblemError(
    412, 'Changed by someone else',
    'The record was changed since you read it. The current record is in `current`; re-apply your change on top of it and send its ETag.',
    undefined, { current }, { ETag: etagOf(currentVersion) },
  );
}

/** Thrown inside a write transaction when the versioned UPDATE/DELETE matched no row; rolls the transaction back. */
export class StaleWrite extends Error {
  constructor() { super('stale write'); }
}

/** JSON reply with the record's ETag. */
export function withEtag(c: Context<AppEnv>, record: { version: number }, status: 200 | 201 = 200): Response {
  return c.json(record, status, { ETag: etagOf(record.version) });
}

/**
 * Runs a versioned write; when it hit a stale version (StaleWrite), answers 412 with the record as it is now,
 * or 404 if it was deleted meanwhile.
 */
export async function writeOrStale<T>(write: () => Promise<T>, reread: () => Promise<{ version: number } | undefined>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof StaleWrite)) throw e;
    const now = await reread();
    if (!now) throw new ProblemError(404, 'Not found', 'The record was deleted meanwhile.');
    throw stale(now, now.version);
  }
}

/**
 * The conditional-write protocol of every PATCH/DELETE, after the caller has loaded `before` and checked
 * authorization: 428 without If-Match, 412 (with the current record) when it names another version, else the
 * write, whose own `WHERE version = ?` decides races that happen after this check.
 */
export async function versionedWrite<R extends { version: number }, T>(
  c: Context<AppEnv>, before: R, reread: () => Promise<R | undefined>, write: (expected: number) => Promise<T>,
): Promise<T> {
  const expected = expectedVersion(c, before.version);
  if (expected !== before.version) throw stale(before, before.version);
  return writeOrStale(() => write(expected), reread);
}

/** 400 for a PATCH that names no field: it would bump the version and write an audit entry for nothing. */
export function requireChanges(body: object): void {
  if (Object.keys(body).length === 0) throw badRequest('The patch changes nothing; send at least one field.', [{ field: '(body)', reason: 'must name at least one field to change' }]);
}
