import { sql } from 'kysely';
import { periodLatestSelect, rebuildIndicatorPeriods } from './derived.ts';
import { INDICATOR_LOCK, type AnyDb, type Migration } from './kit.ts';

/**
 * Each indicator's latest measurement per year and per quarter, kept by triggers on measurements (like
 * indicator_stats), so the trajectory "as of today" reads these rows instead of ranking every measurement.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('indicator_periods')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('measurement_id', 'integer', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_periods_pk', ['kind', 'indicator_id', 'period'])
    .execute();
  if (dialect === 'sqlite') {
    const refresh = (id: string) => `DELETE FROM indicator_periods WHERE indicator_id = ${id};
      INSERT INTO indicator_periods (kind, indicator_id, period, measurement_id, value) ${periodLatestSelect(dialect, `indicator_id = ${id}`)};`;
    await sql.raw(`CREATE TRIGGER measurements_periods_ai AFTER INSERT ON measurements BEGIN ${refresh('NEW.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_periods_au AFTER UPDATE ON measurements BEGIN ${refresh('NEW.indicator_id')} ${refresh('OLD.indicator_id')} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER measurements_periods_ad AFTER DELETE ON measurements BEGIN ${refresh('OLD.indicator_id')} END`).execute(trx);
  } else {
    // The same per-indicator lock as the statistics refresh (see migration 3).
    await sql.raw(`CREATE FUNCTION refresh_indicator_periods(iid integer) RETURNS void LANGUAGE sql AS $$
      SELECT pg_advisory_xact_lock(${INDICATOR_LOCK}, iid);
      DELETE FROM indicator_periods WHERE indicator_id = iid;
      INSERT INTO indicator_periods (kind, indicator_id, period, measurement_id, value) ${periodLatestSelect(dialect, 'indicator_id = iid')} $$`).execute(trx);
    await sql.raw(`CREATE FUNCTION measurements_periods() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF TG_OP <> 'DELETE' THEN PERFORM refresh_indicator_periods(NEW.indicator_id); END IF;
      IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.indicator_id <> NEW.indicator_id) THEN PERFORM refresh_indicator_periods(OLD.indicator_id); END IF;
      RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER measurements_periods AFTER INSERT OR UPDATE OR DELETE ON measurements FOR EACH ROW EXECUTE FUNCTION measurements_periods()').execute(trx);
  }
  await rebuildIndicatorPeriods(trx, dialect);
};
