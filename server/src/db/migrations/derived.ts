/**
 * The derived tables' shared SQL: the expressions their triggers (migrations 2, 3, 5, 6) and their one-pass
 * rebuilds (after a bulk load or a restore that bypassed the triggers) must agree on.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Dialect } from '../types.ts';

/**
 * The latest measurement of each indicator in each year and each quarter ('2012', '2012-Q3'), from `where`'s
 * measurements: what the trajectory carries forward, as one SELECT (kind, indicator_id, period, measurement_id, value).
 */
export function periodLatestSelect(dialect: Dialect, where: string): string {
  const rank = dialect === 'sqlite' ? `CAST(replace(date, '-', '') AS INTEGER) * 4294967296 + id` : `CAST(replace(date, '-', '') AS BIGINT) * 4294967296 + id`;
  const quarter = `substr(date, 1, 4) || '-Q' || CAST((CAST(substr(date, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
  return `SELECT l.kind, l.indicator_id, l.period, m.id, m.value FROM (
      SELECT kind, indicator_id, period, CAST(MAX(rk) % 4294967296 AS INTEGER) AS mid FROM (
        SELECT 'year' AS kind, indicator_id, substr(date, 1, 4) AS period, ${rank} AS rk FROM measurements WHERE ${where}
        UNION ALL SELECT 'quarter' AS kind, indicator_id, ${quarter} AS period, ${rank} AS rk FROM measurements WHERE ${where}
      ) x GROUP BY kind, indicator_id, period
    ) l JOIN measurements m ON m.id = l.mid`;
}

/** Recomputes indicator_periods in one pass (after a bulk load that bypassed the triggers). */
export async function rebuildIndicatorPeriods(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await sql`DELETE FROM indicator_periods`.execute(db);
  await sql.raw(`INSERT INTO indicator_periods (kind, indicator_id, period, measurement_id, value) ${periodLatestSelect(dialect, 'true')}`).execute(db);
}

/** Recomputes milestone_counts in one grouped pass (after a bulk load that bypassed the triggers). */
export async function rebuildMilestoneCounts(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM milestone_counts`.execute(db);
  await sql.raw(`INSERT INTO milestone_counts (action_plan_id, status, on_time, n)
    SELECT action_plan_id, status, ot, COUNT(*) FROM (SELECT action_plan_id, status, CASE WHEN completed_date IS NOT NULL AND completed_date <= due_date THEN 1 ELSE 0 END AS ot FROM milestones) x
    GROUP BY action_plan_id, status, ot`).execute(db);
}

/** Recomputes every indicator's statistics in one grouped pass (after a bulk load that bypassed the triggers). */
export async function rebuildIndicatorStats(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await sql`DELETE FROM indicator_stats`.execute(db);
  await insertIndicatorStatsSums(db, dialect);
  await sql`UPDATE indicator_stats SET latest_value = (SELECT value FROM measurements WHERE measurements.id = indicator_stats.latest_id)`.execute(db);
}

/** Each indicator's least-squares sums, latest measurement id and date, in one grouped pass (migration 2's columns). */
export async function insertIndicatorStatsSums(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await sql.raw(dialect === 'sqlite'
    ? `INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date)
       SELECT indicator_id, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d), CAST(MAX(rk) % 4294967296 AS INTEGER), MAX(date)
       FROM (SELECT indicator_id, julianday(date) - 2440587.5 AS d, value, date, CAST(replace(date, '-', '') AS INTEGER) * 4294967296 + id AS rk FROM measurements)
       WHERE true GROUP BY indicator_id`
    : `INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date)
       SELECT indicator_id, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d), CAST(MAX(rk) % 4294967296 AS INTEGER), MAX(date)
       FROM (SELECT indicator_id, CAST(CAST(date AS date) - DATE '1970-01-01' AS double precision) AS d, value, date, CAST(replace(date, '-', '') AS BIGINT) * 4294967296 + id AS rk FROM measurements) x
       GROUP BY indicator_id`).execute(db);
}

/** `YYYY-Qn` of a `YYYY-MM-DD` text expression (the same as the progress reads' periodOf). */
export const QUARTER = (d: string) => `substr(${d}, 1, 4) || '-Q' || CAST((CAST(substr(${d}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
/** The quarter a completed milestone counts as done in (completion date, else the day of its last update); '' otherwise. */
export const DONE_QUARTER = (r: string) => `CASE WHEN ${r}.status = 'completed' THEN ${QUARTER(`COALESCE(${r}.completed_date, substr(${r}.updated_at, 1, 10))`)} ELSE '' END`;

/** Recomputes milestone_quarters in one grouped pass (after a bulk load that bypassed the triggers). */
export async function rebuildMilestoneQuarters(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM milestone_quarters`.execute(db);
  await sql.raw(`INSERT INTO milestone_quarters (due_quarter, status, done_quarter, n)
    SELECT dq, status, cq, COUNT(*) FROM (SELECT ${QUARTER('m.due_date')} AS dq, m.status, ${DONE_QUARTER('m')} AS cq FROM milestones m) x
    GROUP BY dq, status, cq`).execute(db);
}
