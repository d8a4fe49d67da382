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
