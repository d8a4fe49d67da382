/** Opens the database named by a URL: `sqlite:<path>` (or `sqlite::memory:`) or `postgres://…`. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogConfig, type PostgresPool, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database, Dialect } from './types.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/mainstream.sqlite';

export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Human-readable location without credentials. */
  location: string;
  close(): Promise<void>;
  /** The raw better-sqlite3 handle (SQLite only), for online backup and integrity checks. */
  sqlite?: SQLite.Database;
  /**
   * SQLite only: a value that changes whenever a change is committed to the database by any connection
   * (PRAGMA data_version moves with other connections' commits, total_changes() with this one's). Equal
   * stamps mean nothing has changed in between, so an answer read at the first can be reused at the second.
   */
  changeStamp?: () => string;
  /** PostgreSQL only: the pool's connections (for the metrics). */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

// pg returns int8 (COUNT, SUM of bigint) and numeric as strings; parse them once here so queries see numbers.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function parseDatabaseUrl(url: string): { dialect: Dialect; target: string } {
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', target: url.slice('sqlite:'.length) || ':memory:' };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', target: url };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}

/**
 * The better-sqlite3 handle as Kysely sees it, with prepared statements reused by SQL text (Kysely prepares
 * every query afresh, which costs more than running the small ones). A statement that is being iterated (a
 * streamed export) is busy; then a fresh one is prepared for the other caller. Least recently used first out.
 */
export function withStatementCache(sqlite: SQLite.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      if (hit) {
        cache.delete(text);
        cache.set(text, hit);
        if (!hit.busy) return hit;
        return sqlite.prepare(text);
      }
      const stmt = sqlite.prepare(text);
      cache.set(text, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}

/** SQL texts that PostgreSQL runs as named prepared statements (see {@link preferPrepared}), by their names. */
const preparedNames = new Map<string, string>();

/**
 * Asks that this exact SQL text run as a named prepared statement on PostgreSQL: parsed and planned once per
 * pooled connection instead of on every call (measured on the session lookup: 170 µs of server CPU per
 * call → 60 µs). For a few hot, fixed texts only; every text registered stays prepared on every connection.
 * No effect on SQLite, whose statements are cached anyway (withStatementCache).
 */
export function preferPrepared(sqlText: string): void {
  if (!preparedNames.has(sqlText)) preparedNames.set(sqlText, `mm_${createHash('sha1').update(sqlText).digest('hex').slice(0, 20)}`);
}

/** The pool as Kysely sees it: each client sends the texts of {@link preferPrepared} as named statements. */
function preparingPool(pool: pg.Pool): PostgresPool {
  const patched = new WeakSet<pg.PoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      if (!patched.has(client)) {
        patched.add(client);
        const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
        const named = (text: unknown, values?: unknown) => {
          const name = typeof text === 'string' ? preparedNames.get(text) : undefined;
          return name ? query({ name, text, values }) : query(text, values);
        };
        client.query = named as typeof client.query;
      }
      return client;
    },
    end: () => pool.end(),
  };
}

/** The server's PostgreSQL pool size: below the default connection limit, so several processes can share one server. */
export const SERVER_POOL_SIZE = 10;

export interface OpenOptions {
  /** PostgreSQL pool size (default {@link SERVER_POOL_SIZE}). */
  poolSize?: number;
  /** Kysely's query log (the benchmark records the queries it times; the server logs none). */
  log?: LogConfig;
  /** An idle pooled connection was dropped by the server (main logs it; the default warns on stderr). */
  onPoolError?: (e: Error) => void;
}

export function openDatabase(url: string = DEFAULT_DATABASE_URL, opts: OpenOptions = {}): DbHandle {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === 'sqlite') {
    if (target !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    const sqlite = new SQLite(target);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    // Concurrent writers (another process, a backup) wait instead of failing with SQLITE_BUSY.
    sqlite.pragma('busy_timeout = 5000');
    // Reads through a memory map: after another connection commits (a second process, the CLI), this one
    // drops its page cache, and re-reading mapped pages costs far less than copying them in again.
    sqlite.pragma('mmap_size = 268435456');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log: opts.log });
    const others = sqlite.prepare('PRAGMA data_version').pluck();
    const own = sqlite.prepare('SELECT total_changes()').pluck();
    const changeStamp = () => `${String(own.get())}:${String(others.get())}`;
    return { db, dialect, location: `sqlite:${target}`, sqlite, changeStamp, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target, max: opts.poolSize ?? SERVER_POOL_SIZE });
  // An idle pooled connection that the server drops (restart, admin termination) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on('error', (e) => opts.onPoolError ? opts.onPoolError(e) : console.warn(`PostgreSQL dropped an idle connection: ${e.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }), log: opts.log });
  const u = new URL(target);
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, dialect, location: `postgres://${u.host}${u.pathname}`, poolStats, close: () => db.destroy() };
}
