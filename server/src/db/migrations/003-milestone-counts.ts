import { sql } from 'kysely';
import { rebuildIndicatorStats, rebuildMilestoneCounts } from './derived.ts';
import { INDICATOR_LOCK, type AnyDb, type Migration } from './kit.ts';

/** A milestone's punctuality as stored in milestone_counts: completed on or before its due date. */
const ON_TIME = (r: 'NEW' | 'OLD') => `CASE WHEN ${r}.completed_date IS NOT NULL AND ${r}.completed_date <= ${r}.due_date THEN 1 ELSE 0 END`;

/**
 * Milestone counts per (action plan, status, punctuality), kept by triggers in the same transaction as every
 * milestone write, so "as of today" progress reads a few thousand count rows instead of scanning every
 * milestone; the progress code corrects them with the (indexed, usually empty) milestones due on or after
 * the as-of date. The indicator statistics also keep the latest measurement's value, so the progress read
 * needs no join back to the measurements.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('milestone_counts')
    .addColumn('action_plan_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('milestone_counts_pk', ['action_plan_id', 'status', 'on_time'])
    .execute();
  await s.alterTable('indicator_stats').addColumn('latest_value', 'double precision').execute();
  const add = (r: 'NEW' | 'OLD', delta: 1 | -1) => `
      INSERT INTO milestone_counts (action_plan_id, status, on_time, n) VALUES (${r}.action_plan_id, ${r}.status, ${ON_TIME(r)}, ${delta})
      ON CONFLICT (action_plan_id, status, on_time) DO UPDATE SET n = milestone_counts.n + excluded.n;`;
  const prune = (r: 'NEW' | 'OLD') => `
      DELETE FROM milestone_counts WHERE action_plan_id = ${r}.action_plan_id AND status = ${r}.status AND on_time = ${ON_TIME(r)} AND n = 0;`;
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER milestones_counts_ai AFTER INSERT ON milestones BEGIN ${add('NEW', 1)} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER milestones_counts_au AFTER UPDATE OF action_plan_id, status, due_date, completed_date ON milestones BEGIN ${add('OLD', -1)} ${prune('OLD')} ${add('NEW', 1)} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER milestones_counts_ad AFTER DELETE ON milestones BEGIN ${add('OLD', -1)} ${prune('OLD')} END`).execute(trx);
    // The statistics triggers again, now also keeping the latest value.
    for (const t of ['measurements_stats_ai', 'measurements_stats_au', 'measurements_stats_ad']) await sql.raw(`DROP TRIGGER ${t}`).execute(trx);
    const refresh = (id: string) => `
      INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date, latest_value)
      SELECT ${id}, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d), MAX(l.lid), MAX(date), MAX(l.lvalue)
      FROM (SELECT julianday(date) - 2440587.5 AS d, value, date FROM measurements WHERE indicator_id = ${id})
      LEFT JOIN (SELECT id AS lid, value AS lvalue FROM measurements WHERE indicator_id = ${id} ORDER BY date DESC, id DESC LIMIT 1) l ON true
      WHERE EXISTS (SELECT 1 FROM indicators WHERE id = ${id})
      ON CONFLICT (indicator_id) DO UPDATE SET n = excluded.n, sx = excluded.sx, sy = excluded.sy, sxy = excluded.sxy,
        sxx = excluded.sxx, latest_id = excluded.latest_id, max_date = excluded.max_date, latest_value = excluded.latest_value;`;
    await sql.raw(`CREATE TRIGGER measurements_stats_ai AFTER INSERT ON measurements BEGIN ${refresh('NEW.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_stats_au AFTER UPDATE ON measurements BEGIN ${refresh('NEW.indicator_id')} ${refresh('OLD.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_stats_ad AFTER DELETE ON measurements BEGIN ${refresh('OLD.indicator_id')} END`).execute(trx);
  } else {
    await sql.raw(`CREATE FUNCTION milestones_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${add('OLD', -1)} ${prune('OLD')} END IF;
      IF TG_OP <> 'DELETE' THEN ${add('NEW', 1)} END IF;
      RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER milestones_counts AFTER INSERT OR DELETE OR UPDATE OF action_plan_id, status, due_date, completed_date ON milestones FOR EACH ROW EXECUTE FUNCTION milestones_counts()').execute(trx);
    // The refresh first takes a transaction-scoped lock per indicator, so concurrent writers of one indicator's
    // measurements recompute one after the other, each seeing what the other committed (READ COMMITTED takes a
    // fresh snapshot per statement); without it the later one could write sums that miss the other's row.
    await sql.raw(`CREATE OR REPLACE FUNCTION refresh_indicator_stats(iid integer) RETURNS void LANGUAGE sql AS $$
      SELECT pg_advisory_xact_lock(${INDICATOR_LOCK}, iid);
      INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date, latest_value)
      SELECT iid, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d), MAX(l.lid), MAX(date), MAX(l.lvalue)
      FROM (SELECT CAST(CAST(date AS date) - DATE '1970-01-01' AS double precision) AS d, value, date FROM measurements WHERE indicator_id = iid) x
      LEFT JOIN (SELECT id AS lid, value AS lvalue FROM measurements WHERE indicator_id = iid ORDER BY date DESC, id DESC LIMIT 1) l ON true
      WHERE EXISTS (SELECT 1 FROM indicators WHERE id = iid)
      ON CONFLICT (indicator_id) DO UPDATE SET n = excluded.n, sx = excluded.sx, sy = excluded.sy, sxy = excluded.sxy,
        sxx = excluded.sxx, latest_id = excluded.latest_id, max_date = excluded.max_date, latest_value = excluded.latest_value $$`).execute(trx);
  }
  await rebuildIndicatorStats(trx, dialect);
  await rebuildMilestoneCounts(trx);
};
