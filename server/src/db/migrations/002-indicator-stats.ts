import { sql } from 'kysely';
import { insertIndicatorStatsSums } from './derived.ts';
import type { AnyDb, Migration } from './kit.ts';

/**
 * Per-indicator measurement statistics, kept current by triggers in the same transaction as every
 * measurement write (CRUD, imports, restore alike), so "as of today" progress reads 5,000 rows instead of
 * aggregating 100,000 measurements. The sums use the same epoch-day x as progress-data.ts. Indexes on the
 * dates let the progress code check cheaply whether a date is at or past every recorded change.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('indicator_stats')
    .addColumn('indicator_id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sx', 'double precision')
    .addColumn('sy', 'double precision')
    .addColumn('sxy', 'double precision')
    .addColumn('sxx', 'double precision')
    .addColumn('latest_id', 'integer')
    .addColumn('max_date', 'text')
    .execute();
  await s.createIndex('measurements_date').on('measurements').column('date').execute();
  await s.createIndex('milestone_history_effective').on('milestone_history').column('effective_date').execute();
  // Covers the progress scan of milestones (state, due date and punctuality per action plan) without table lookups.
  await s.createIndex('milestones_progress').on('milestones').columns(['action_plan_id', 'status', 'due_date', 'completed_date']).execute();
  if (dialect === 'sqlite') {
    const refresh = (id: string) => `
      INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date)
      SELECT ${id}, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d),
        (SELECT id FROM measurements WHERE indicator_id = ${id} ORDER BY date DESC, id DESC LIMIT 1), MAX(date)
      FROM (SELECT julianday(date) - 2440587.5 AS d, value, date FROM measurements WHERE indicator_id = ${id})
      WHERE EXISTS (SELECT 1 FROM indicators WHERE id = ${id})
      ON CONFLICT (indicator_id) DO UPDATE SET n = excluded.n, sx = excluded.sx, sy = excluded.sy, sxy = excluded.sxy,
        sxx = excluded.sxx, latest_id = excluded.latest_id, max_date = excluded.max_date;`;
    await sql.raw(`CREATE TRIGGER measurements_stats_ai AFTER INSERT ON measurements BEGIN ${refresh('NEW.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_stats_au AFTER UPDATE ON measurements BEGIN ${refresh('NEW.indicator_id')} ${refresh('OLD.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_stats_ad AFTER DELETE ON measurements BEGIN ${refresh('OLD.indicator_id')} END`).execute(trx);
    await sql.raw('CREATE TRIGGER indicators_stats_ad AFTER DELETE ON indicators BEGIN DELETE FROM indicator_stats WHERE indicator_id = OLD.id; END').execute(trx);
  } else {
    await sql.raw(`CREATE FUNCTION refresh_indicator_stats(iid integer) RETURNS void LANGUAGE sql AS $$
      INSERT INTO indicator_stats (indicator_id, n, sx, sy, sxy, sxx, latest_id, max_date)
      SELECT iid, COUNT(*), SUM(d), SUM(value), SUM(d * value), SUM(d * d),
        (SELECT id FROM measurements WHERE indicator_id = iid ORDER BY date DESC, id DESC LIMIT 1), MAX(date)
      FROM (SELECT CAST(CAST(date AS date) - DATE '1970-01-01' AS double precision) AS d, value, date FROM measurements WHERE indicator_id = iid) x
      WHERE EXISTS (SELECT 1 FROM indicators WHERE id = iid)
      ON CONFLICT (indicator_id) DO UPDATE SET n = excluded.n, sx = excluded.sx, sy = excluded.sy, sxy = excluded.sxy,
        sxx = excluded.sxx, latest_id = excluded.latest_id, max_date = excluded.max_date $$`).execute(trx);
    await sql.raw(`CREATE FUNCTION measurements_stats() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF TG_OP <> 'DELETE' THEN PERFORM refresh_indicator_stats(NEW.indicator_id); END IF;
      IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.indicator_id <> NEW.indicator_id) THEN PERFORM refresh_indicator_stats(OLD.indicator_id); END IF;
      RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER measurements_stats AFTER INSERT OR UPDATE OR DELETE ON measurements FOR EACH ROW EXECUTE FUNCTION measurements_stats()').execute(trx);
    await sql.raw(`CREATE FUNCTION indicators_stats_gone() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      DELETE FROM indicator_stats WHERE indicator_id = OLD.id; RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER indicators_stats_ad AFTER DELETE ON indicators FOR EACH ROW EXECUTE FUNCTION indicators_stats_gone()').execute(trx);
  }
  // Existing measurements: one grouped pass fills the table (migration 3 adds and fills the latest value).
  await insertIndicatorStatsSums(trx, dialect);
};
