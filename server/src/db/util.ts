import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db, Dialect } from './types.ts';

/** Numbers from either database: pg may hand back strings for counts and sums; SQLite gives numbers. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

/**
 * `expr` (text) of a group's rows joined with `sep`, in no particular order: group_concat on SQLite, string_agg on
 * PostgreSQL (the one aggregate whose name differs; the query around it is the same builder code). Null for no rows.
 */
export function stringAgg(dialect: Dialect, expr: RawBuilder<unknown>, sep: string): RawBuilder<string | null> {
  return dialect === 'postgres' ? sql<string | null>`string_agg(${expr}, ${sql.lit(sep)})` : sql<string | null>`group_concat(${expr}, ${sql.lit(sep)})`;
}

/** Current instant as ISO UTC. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}

/** `xs` in slices of at most `size` (ids for `IN (…)` lists, rows for multi-row inserts). */
export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** `rows` sorted by `cmp`, in place; a linear check first, since rows usually come back in order already. */
export function inOrder<T>(rows: T[], cmp: (a: T, b: T) => number): T[] {
  for (let i = 1; i < rows.length; i++) {
    if (cmp(rows[i - 1] as T, rows[i] as T) > 0) return rows.sort(cmp);
  }
  return rows;
}

/** Rows grouped by a key, each group in input order. */
export function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * The rows of `q` as arrays of the named `columns`, in no particular order (sort with {@link inOrder}: an
 * ORDER BY inside the aggregate made PostgreSQL sort 34,000 period rows in 40–50 ms of the 80–100 ms the read
 * took). For reads of thousands of rows: the database builds them into one JSON array, parsed once. The drivers
 * build a JS object per row value by value, which costs far more than the database's own work: on SQLite
 * 5,000 indicator rows took 27 ms as objects and 9 ms this way; on PostgreSQL a cold `progress/by/region`
 * at the `m` scale spent 84 ms of Node CPU as rows and 47 ms this way (summary: 47 → 19 ms), mostly the
 * pg driver decoding and parsing each field. Numbers stay exact: SQLite writes 17 significant digits,
 * PostgreSQL the shortest text that reads back as the same double, and numerics in full.
 *
 * On PostgreSQL the array is written with string_agg from each value's own text form (`text` names the
 * columns that hold text, written as JSON strings; the others are numbers or booleans, whose text is JSON):
 * json_build_array looks up every argument's type on every row, which made 34,000 period rows take 41 ms
 * against 12 ms this way. Should a value's text not be JSON (a NaN or an infinity), the read is done again
 * with json_build_array, which writes those as strings.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any select query; only its column names are used
export async function compactRows(db: Db, dialect: Dialect, q: SelectQueryBuilder<any, any, any>, columns: readonly string[], text: readonly string[] = []): Promise<unknown[][]> {
  const cols = sql.join(columns.map((c) => sql.ref(`r.${c}`)));
  const read = async (json: RawBuilder<string | null>): Promise<unknown> => {
    const row = await db.selectFrom(q.as('r')).select(json.as('j')).executeTakeFirst();
    return row?.j ? JSON.parse(row.j) : [];
  };
  let j: unknown;
  if (dialect === 'postgres') {
    const texts = new Set(text);
    const cell = (c: string) => (texts.has(c) ? sql`coalesce(to_json(${sql.ref(`r.${c}`)})::text, 'null')` : sql`coalesce(${sql.ref(`r.${c}`)}::text, 'null')`);
    const row = sql.join(columns.map(cell), sql` || ',' || `);
    try {
      j = await read(sql<string | null>`'[' || string_agg('[' || ${row} || ']', ',') || ']'`);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      j = await read(sql<string | null>`json_agg(json_build_array(${cols}))::text`);
    }
  } else {
    j = await read(sql<string | null>`json_group_array(json_array(${cols}))`);
  }
  return Array.isArray(j) ? (j as unknown[][]) : [];
}
