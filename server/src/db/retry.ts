/**
 * Retries a whole database transaction when PostgreSQL reports a serialization failure (40001) or a
 * deadlock (40P01). Both mean "nothing of this attempt was committed; try again", so re-running the
 * same function is safe as long as it does all its work inside the transaction it is given (no
 * side effects outside the database). SQLite never raises these: its writers queue on busy_timeout.
 */
import type { Transaction } from 'kysely';
import type { Database, Db } from './types.ts';

const RETRYABLE = new Set(['40001', '40P01']);

/** True for errors PostgreSQL guarantees left no trace (serialization failure, deadlock). */
export function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' && RETRYABLE.has(e.code);
}

export interface RetryOptions {
  attempts?: number; baseDelayMs?: number;
  /** The transaction's isolation level (default: the database's, read committed on PostgreSQL). */
  isolation?: 'repeatable read' | 'serializable';
}

/** Runs `fn` in a transaction, retrying it (with jittered backoff) when the database asks for a retry. */
export async function withRetry<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 10;
  for (let i = 1; ; i++) {
    try {
      const trx = db.transaction();
      return await (opts.isolation ? trx.setIsolationLevel(opts.isolation) : trx).execute(fn);
    } catch (e) {
      if (!isRetryable(e) || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, base * 2 ** (i - 1) * (0.5 + Math.random())));
    }
  }
}
