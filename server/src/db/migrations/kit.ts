/** What every migration file shares: its signature and the untyped schema builder it writes with. */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Dialect } from '../types.ts';

/** One schema step, run inside its own transaction by migrate() (../migrations.ts). */
export type Migration = (trx: Transaction<Database>, dialect: Dialect) => Promise<void>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema builder is untyped by design: tables don't exist yet
export type AnyDb = Kysely<any>;

/** The auto-increment id column type of the dialect. */
export function idCol(dialect: Dialect) {
  return dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
}

/** Advisory-lock namespace of the per-indicator derived-table refreshes on PostgreSQL (the key is the indicator id). */
export const INDICATOR_LOCK = 8101;
