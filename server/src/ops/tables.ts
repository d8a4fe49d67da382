/**
 * The tables of a live database, discovered at run time (so tables added by later features are
 * covered without touching this file), in foreign-key dependency order: parents before children.
 * Used by the logical dump/restore and by the data fingerprint.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Db, Dialect } from '../db/types.ts';

/** Untyped view of the database for table-generic code (table names come from the catalog). */
export type LooseDb = Kysely<Record<string, Record<string, unknown>>>;
export const loose = (db: Db): LooseDb => db as unknown as LooseDb;

/** Tables that hold per-process or short-lived state, never data worth moving or comparing. */
// indicator_stats, milestone_counts, milestone_quarters and indicator_periods are derived: triggers keep them, and a restore recomputes them.
export const EPHEMERAL_TABLES: readonly string[] = ['sessions', 'login_failures', 'oidc_logins', 'indicator_stats', 'milestone_counts', 'milestone_quarters', 'indicator_periods', 'approved_indicator_stats', 'approved_milestone_state'];

export interface TableInfo { name: string; columns: string[] }

async function foreignKeys(db: Db, dialect: Dialect, tables: readonly string[]): Promise<Array<{ child: string; parent: string }>> {
  if (dialect === 'sqlite') {
    const out: Array<{ child: string; parent: string }> = [];
    for (const t of tables) {
      const r = await sql<{ table: string }>`SELECT "table" FROM pragma_foreign_key_list(${t})`.execute(db);
      for (const row of r.rows) out.push({ child: t, parent: row.table });
    }
    return out;
  }
  const r = await sql<{ child: string; parent: string }>`
    SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = current_schema()`.execute(db);
  return r.rows;
}

/** Every user table with its columns, parents before children (alphabetical among equals, so stable). */
export async function listTables(db: Db, dialect: Dialect): Promise<TableInfo[]> {
  const meta = await db.introspection.getTables();
  const current = dialect === 'postgres' ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s : undefined;
  const found = meta.filter((t) => !t.isView && (dialect === 'sqlite' || t.schema === current));
  const byName = new Map(found.map((t) => [t.name, { name: t.name, columns: t.columns.map((c) => c.name) }]));
  const fks = await foreignKeys(db, dialect, [...byName.keys()]);
  const parents = new Map<string, Set<string>>([...byName.keys()].map((n) => [n, new Set<string>()]));
  for (const { child, parent } of fks) if (child !== parent && byName.has(parent)) parents.get(child)?.add(parent);
  const order: TableInfo[] = [];
  const done = new Set<string>();
  while (done.size < byName.size) {
    const ready = [...byName.keys()].filter((n) => !done.has(n) && [...(parents.get(n) ?? [])].every((p) => done.has(p))).sort();
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among: ${[...byName.keys()].filter((n) => !done.has(n)).join(', ')}`);
    for (const n of ready) {
      done.add(n);
      const info = byName.get(n);
      if (info) order.push(info);
    }
  }
  return order;
}

/** A value as it goes into a dump or a fingerprint: bytes as base64, everything else JSON-native. */
export function portable(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $base64: Buffer.from(v).toString('base64') };
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Canonical JSON of one row: sorted keys, portable values. Identical rows give identical text on both databases. */
export function canonicalRow(row: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(row).sort().map((k) => [k, portable(row[k])]));
}

export interface Fingerprint { [table: string]: { rows: number; hash: string } }

/**
 * Row count and a hash of every row of every table (rows sorted by their canonical text, so the
 * result does not depend on either database's collation). Equal fingerprints = equal data.
 */
export async function fingerprint(db: Db, dialect: Dialect, exclude: readonly string[] = EPHEMERAL_TABLES, tables?: readonly TableInfo[]): Promise<Fingerprint> {
  const out: Fingerprint = {};
  for (const t of tables ?? (await listTables(db, dialect))) {
    if (exclude.includes(t.name)) continue;
    const rows = await loose(db).selectFrom(t.name).selectAll().execute();
    const lines = rows.map(canonicalRow).sort();
    const h = createHash('sha256');
    for (const l of lines) h.update(l).update('\n');
    out[t.name] = { rows: rows.length, hash: h.digest('hex').slice(0, 16) };
  }
  return out;
}
