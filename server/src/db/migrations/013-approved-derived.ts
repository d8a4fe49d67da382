import { sql } from 'kysely';
import { APPROVED_DERIVED_KEY, rebuildApproved } from '../../queries/progress-data.ts';
import type { AnyDb, Migration } from './kit.ts';

/**
 * Approved figures as of a date past every approved period (the usual "as of today") read two derived tables
 * instead of replaying every measurement and milestone change: each indicator's sums over its measurements dated
 * in approved windows of its region, and each milestone's last history row dated in one. Data dated in an approved
 * window cannot change (locks), so the tables change only when a period is approved or reopened; those transitions,
 * the demo seed and a restore rebuild them. A record that moves to another region (an indicator's or milestone's
 * action plan, a plan's region) would count under other windows: triggers then mark the tables stale, and approved
 * figures replay until the next rebuild.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('approved_indicator_stats')
    .addColumn('indicator_id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('sx', 'double precision').addColumn('sy', 'double precision').addColumn('sxy', 'double precision').addColumn('sxx', 'double precision')
    .addColumn('latest_id', 'integer').addColumn('max_date', 'text').addColumn('latest_value', 'double precision')
    .execute();
  await s.createTable('approved_milestone_state')
    .addColumn('milestone_id', 'integer', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('completed_date', 'text')
    .execute();
  const stale = `UPDATE meta SET value = 'stale' WHERE key = '${APPROVED_DERIVED_KEY}';`;
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER approved_stale_milestones AFTER UPDATE OF action_plan_id ON milestones WHEN NEW.action_plan_id <> OLD.action_plan_id BEGIN ${stale} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER approved_stale_indicators AFTER UPDATE OF action_plan_id ON indicators WHEN NEW.action_plan_id <> OLD.action_plan_id BEGIN ${stale} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER approved_stale_plans AFTER UPDATE OF region ON action_plans WHEN NEW.region <> OLD.region BEGIN ${stale} END`).execute(trx);
  } else {
    await sql.raw(`CREATE FUNCTION approved_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${stale} RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER approved_stale_milestones AFTER UPDATE OF action_plan_id ON milestones FOR EACH ROW WHEN (NEW.action_plan_id <> OLD.action_plan_id) EXECUTE FUNCTION approved_stale()').execute(trx);
    await sql.raw('CREATE TRIGGER approved_stale_indicators AFTER UPDATE OF action_plan_id ON indicators FOR EACH ROW WHEN (NEW.action_plan_id <> OLD.action_plan_id) EXECUTE FUNCTION approved_stale()').execute(trx);
    await sql.raw('CREATE TRIGGER approved_stale_plans AFTER UPDATE OF region ON action_plans FOR EACH ROW WHEN (NEW.region <> OLD.region) EXECUTE FUNCTION approved_stale()').execute(trx);
  }
  await rebuildApproved(trx, dialect);
};
