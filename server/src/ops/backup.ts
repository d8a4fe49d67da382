/**
 * Backups and restores.
 *
 * - SQLite online backup: a consistent page-level copy of the live file (better-sqlite3's backup API),
 *   safe while the server keeps reading and writing.
 * - Logical dump (`json`): JSON lines, one header, every row of every table in foreign-key order, an end
 *   marker. It reads inside one transaction (a consistent snapshot), works on both databases and moves
 *   data between them: dump SQLite, restore into PostgreSQL, or the other way round.
 * - Restore: into an empty database (or, with `force`, after emptying it), in one transaction, so a
 *   broken or truncated dump leaves the target untouched. PostgreSQL sequences are moved past the
 *   restored ids. Sessions and sign-in failures are never dumped.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import BetterSqlite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type Transaction } from 'kysely';
import type { DbHandle } from '../db/connect.ts';
import { rebuildApproved } from '../queries/progress-data.ts';
import { migrate, rebuildIndicatorPeriods, rebuildIndicatorStats, rebuildMilestoneCounts, rebuildMilestoneQuarters, SAME_TABLES_SINCE, SCHEMA_VERSION } from '../db/migrations.ts';
import type { Database, Db, Dialect } from '../db/types.ts';
import { EPHEMERAL_TABLES, listTables, loose, portable, type TableInfo } from './tables.ts';

export const DUMP_FORMAT = 'mainstream-monitor-dump';
export const DUMP_VERSION = 1;
const SQLITE_MAGIC = 'SQLite format 3\0';

export interface DumpHeader { format: typeof DUMP_FORMAT; version: number; schemaVersion: number; source: Dialect; createdAt: string; tables: string[] }
type DumpLine = { header: DumpHeader } | { t: string; r: Record<string, unknown> } | { end: true; rows: number };

export interface RestoreResult { tables: number; rows: number; source: Dialect }

/** Online backup of a live SQLite database to `file` (a standalone SQLite file). */
export async function sqliteOnlineBackup(sqlite: BetterSqlite.Database, file: string): Promise<{ pages: number }> {
  // SQLite restarts a stepwise backup whenever another connection writes, so under steady writes a
  // 100-pages-per-step copy might never finish. After the first step, copy everything in one step: it
  // holds a read snapshot for that step only, which in WAL mode never blocks the server's writers.
  const r = await sqlite.backup(file, { progress: () => 1_000_000_000 });
  return { pages: r.totalPages };
}

async function schemaVersionOf(db: Db): Promise<number> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'schema_version').executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Every dump line of a live database, read in one consistent transaction. */
async function* dumpLines(db: Db, dialect: Dialect): AsyncGenerator<DumpLine> {
  const tables = (await listTables(db, dialect)).filter((t) => !EPHEMERAL_TABLES.includes(t.name));
  const header: DumpHeader = {
    format: DUMP_FORMAT, version: DUMP_VERSION, schemaVersion: await schemaVersionOf(db), source: dialect,
    createdAt: new Date().toISOString(), tables: tables.map((t) => t.name),
  };
  yield { header };
  // Collect inside one transaction (REPEATABLE READ on PostgreSQL) so the dump is one moment in time.
  const chunks: Array<{ table: string; rows: Record<string, unknown>[] }> = [];
  const tx = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  await tx.execute(async (trx) => {
    for (const t of tables) {
      const q = loose(trx as unknown as Db).selectFrom(t.name).selectAll();
      const rows = await (t.columns.includes('id') ? q.orderBy('id') : q).execute();
      chunks.push({ table: t.name, rows });
    }
  });
  let n = 0;
  for (const { table, rows } of chunks) {
    for (const r of rows) {
      if (table === 'meta' && r.key === 'schema_version') continue;
      n++;
      yield { t: table, r: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, portable(v)])) };
    }
  }
  yield { end: true, rows: n };
}

/** Writes a logical dump (JSON lines) of `db` to `file`; returns the number of rows written. */
export async function writeJsonDump(db: Db, dialect: Dialect, file: string): Promise<{ rows: number; tables: number }> {
  const tmp = `${file}.partial`;
  const out = fs.createWriteStream(tmp);
  let rows = 0;
  let tables = 0;
  try {
    for await (const line of dumpLines(db, dialect)) {
      if ('header' in line) tables = line.header.tables.length;
      if ('end' in line) rows = line.rows;
      if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => { out.on('error', reject); out.end(() => resolve()); });
    // Only a complete dump gets the real name.
    fs.renameSync(tmp, file);
  } catch (e) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { rows, tables };
}

async function* readJsonDump(file: string): AsyncGenerator<DumpLine> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      throw new RestoreRefusedError(`Line ${n} of ${file} is not valid JSON: the backup is damaged or truncated; nothing was restored.`);
    }
    // Shape is checked where each line is used (header, rows of declared tables, end marker with a count).
    yield line as DumpLine;
  }
}

/** Is `file` a SQLite database file (an online backup) rather than a JSON-lines dump? */
export function isSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    fs.readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    fs.closeSync(fd);
  }
}

function restoreValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && '$base64' in v && typeof v.$base64 === 'string') return Buffer.from(v.$base64, 'base64');
  return v;
}

async function isEmptyDb(db: Db, tables: readonly TableInfo[]): Promise<boolean> {
  for (const t of tables) {
    if (t.name === 'meta' || EPHEMERAL_TABLES.includes(t.name)) continue;
    const r = await loose(db).selectFrom(t.name).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(r.n) > 0) return false;
  }
  return true;
}

/** Empties every table (children first). Audit rows are append-only, so their guard is lifted for this one transaction. */
async function emptyAll(trx: Transaction<Database>, dialect: Dialect, tables: readonly TableInfo[]): Promise<void> {
  const names = tables.map((t) => t.name).filter((n) => n !== 'meta');
  if (dialect === 'postgres') {
    // TRUNCATE does not fire row triggers; the audit guard stays in place.
    await sql`TRUNCATE ${sql.join(names.map((n) => sql.table(n)))} RESTART IDENTITY CASCADE`.execute(trx);
    return;
  }
  const triggers = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'`.execute(trx);
  for (const t of triggers.rows) await sql`DROP TRIGGER ${sql.id(t.name)}`.execute(trx);
  for (const n of [...names].reverse()) await loose(trx as unknown as Db).deleteFrom(n).execute();
  for (const t of triggers.rows) await sql.raw(t.sql).execute(trx);
}

async function resetSequences(trx: Transaction<Database>, tables: readonly TableInfo[]): Promise<void> {
  for (const t of tables) {
    if (!t.columns.includes('id')) continue;
    const seq = await sql<{ s: string | null }>`SELECT pg_get_serial_sequence(${t.name}, 'id') AS s`.execute(trx);
    if (!seq.rows[0]?.s) continue;
    await sql`SELECT setval(pg_get_serial_sequence(${t.name}, 'id'), COALESCE((SELECT MAX(id) FROM ${sql.table(t.name)}), 1), (SELECT MAX(id) FROM ${sql.table(t.name)}) IS NOT NULL)`.execute(trx);
  }
}

export class RestoreRefusedError extends Error {}

/**
 * Restores a dump (JSON lines, or a SQLite backup file) into `target`, which is migrated first. Refuses
 * a target that holds data unless `force`. All or nothing: one transaction.
 */
export async function restore(target: DbHandle, file: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  await migrate(target.db, target.dialect);
  let source: Db | undefined;
  let lines: AsyncGenerator<DumpLine>;
  if (isSqliteFile(file)) {
    // Read-only: restoring from a backup file never changes it.
    source = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite(file, { readonly: true, fileMustExist: true }) }) });
    lines = dumpLines(source, 'sqlite');
  } else {
    lines = readJsonDump(file);
  }
  try {
    const first = await lines.next();
    if (first.done || !('header' in first.value) || first.value.header.format !== DUMP_FORMAT) throw new RestoreRefusedError(`${file} is not a Mainstream Monitor backup.`);
    const header = first.value.header;
    // Versions since SAME_TABLES_SINCE differ only in indexes: their rows fit this schema as they are.
    if (!(header.schemaVersion >= SAME_TABLES_SINCE && header.schemaVersion <= SCHEMA_VERSION)) {
      throw new RestoreRefusedError(`The backup has schema version ${header.schemaVersion}; this server has ${SCHEMA_VERSION} and restores backups of versions ${SAME_TABLES_SINCE} to ${SCHEMA_VERSION}. Restore it with a matching version of Mainstream Monitor.`);
    }
    const tables = await listTables(target.db, target.dialect);
    const known = new Map(tables.map((t) => [t.name, t]));
    const missing = header.tables.filter((t) => !known.has(t));
    if (missing.length > 0) throw new RestoreRefusedError(`The target database has no table(s) ${missing.join(', ')}.`);
    if (!opts.force && !(await isEmptyDb(target.db, tables))) {
      throw new RestoreRefusedError('The target database already holds data. Restore into an empty database, or pass --force to replace its contents.');
    }
    let rows = 0;
    let ended = false;
    await target.db.transaction().execute(async (trx) => {
      // Forced: replace everything, sessions included (nobody stays signed in to data that was replaced).
      if (opts.force) await emptyAll(trx, target.dialect, tables);
      const t = loose(trx as unknown as Db);
      let pending: { table: string; rows: Record<string, unknown>[] } | undefined;
      const flush = async () => {
        if (!pending || pending.rows.length === 0) return;
        const cols = known.get(pending.table)?.columns.length ?? 20;
        // Stay under SQLite's and PostgreSQL's bound-parameter limits.
        const size = Math.max(1, Math.floor(30_000 / Math.max(cols, 1)));
        for (let i = 0; i < pending.rows.length; i += size) await t.insertInto(pending.table).values(pending.rows.slice(i, i + size)).execute();
        pending.rows = [];
      };
      for await (const line of lines) {
        if ('end' in line) {
          if (line.rows !== rows) throw new RestoreRefusedError(`The backup is damaged: it announces ${line.rows} rows but holds ${rows}.`);
          ended = true;
          break;
        }
        if (!('t' in line)) continue;
        if (!header.tables.includes(line.t)) throw new RestoreRefusedError(`The backup holds rows for an undeclared table ${line.t}.`);
        const row = Object.fromEntries(Object.entries(line.r).map(([k, v]) => [k, restoreValue(v)]));
        rows++;
        if (line.t === 'meta') {
          const key = String(row.key);
          await t.deleteFrom('meta').where('key', '=', key).execute();
          await t.insertInto('meta').values(row).execute();
          continue;
        }
        if (pending?.table !== line.t) {
          await flush();
          pending = { table: line.t, rows: [] };
        }
        pending.rows.push(row);
        if (pending.rows.length >= 2000) await flush();
      }
      await flush();
      if (!ended) throw new RestoreRefusedError('The backup is incomplete (no end marker); nothing was restored.');
      if (target.dialect === 'postgres') await resetSequences(trx, tables);
      // Derived tables (not in the dump): recomputed from what was restored, whatever the triggers did on the way.
      await rebuildIndicatorStats(trx, target.dialect);
      await rebuildMilestoneCounts(trx);
      await rebuildMilestoneQuarters(trx);
      await rebuildIndicatorPeriods(trx, target.dialect);
      await rebuildApproved(trx, target.dialect);
    });
    return { tables: header.tables.length, rows, source: header.source };
  } finally {
    await lines.return(undefined);
    await source?.destroy();
  }
}

/** Backup of the database `handle` into `file`: SQLite page copy (`sqlite`) or logical dump (`json`). */
export async function backup(handle: DbHandle, file: string, format: 'sqlite' | 'json'): Promise<string> {
  if (format === 'sqlite') {
    if (!handle.sqlite) throw new Error('--format sqlite needs a SQLite database; use --format json for PostgreSQL.');
    const { pages } = await sqliteOnlineBackup(handle.sqlite, file);
    return `Online backup of ${handle.location} written to ${file} (${pages} pages).`;
  }
  const { rows, tables } = await writeJsonDump(handle.db, handle.dialect, file);
  return `Logical dump of ${handle.location} written to ${file} (${tables} tables, ${rows} rows).`;
}
