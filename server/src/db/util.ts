/** Numbers from either database: pg may hand back strings for counts and sums; SQLite gives numbers. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
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
