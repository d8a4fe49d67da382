import { sql } from 'kysely';
import { DONE_QUARTER, QUARTER, rebuildMilestoneQuarters } from './derived.ts';
import type { AnyDb, Migration } from './kit.ts';

/**
 * Milestone counts per (due quarter, current status, quarter of completion), kept by triggers like
 * milestone_counts: the burn-up timeline over everything, as of a date after every recorded change, reads
 * a few hundred rows instead of grouping every milestone (it grew with the data, 50,000 milestones at `m`).
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  await s.createTable('milestone_quarters')
    .addColumn('due_quarter', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_quarter', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('milestone_quarters_pk', ['due_quarter', 'status', 'done_quarter'])
    .execute();
  const add = (r: 'NEW' | 'OLD', delta: 1 | -1) => `
      INSERT INTO milestone_quarters (due_quarter, status, done_quarter, n) VALUES (${QUARTER(`${r}.due_date`)}, ${r}.status, ${DONE_QUARTER(r)}, ${delta})
      ON CONFLICT (due_quarter, status, done_quarter) DO UPDATE SET n = milestone_quarters.n + excluded.n;`;
  const prune = (r: 'NEW' | 'OLD') => `
      DELETE FROM milestone_quarters WHERE due_quarter = ${QUARTER(`${r}.due_date`)} AND status = ${r}.status AND done_quarter = ${DONE_QUARTER(r)} AND n = 0;`;
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER milestones_quarters_ai AFTER INSERT ON milestones BEGIN ${add('NEW', 1)} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER milestones_quarters_au AFTER UPDATE OF status, due_date, completed_date, updated_at ON milestones BEGIN ${add('OLD', -1)} ${prune('OLD')} ${add('NEW', 1)} END`).execute(trx);
    await sql.raw(`CREATE TRIGGER milestones_quarters_ad AFTER DELETE ON milestones BEGIN ${add('OLD', -1)} ${prune('OLD')} END`).execute(trx);
  } else {
    await sql.raw(`CREATE FUNCTION milestones_quarters() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF TG_OP <> 'INSERT' THEN ${add('OLD', -1)} ${prune('OLD')} END IF;
      IF TG_OP <> 'DELETE' THEN ${add('NEW', 1)} END IF;
      RETURN NULL; END $$`).execute(trx);
    await sql.raw('CREATE TRIGGER milestones_quarters AFTER INSERT OR DELETE OR UPDATE OF status, due_date, completed_date, updated_at ON milestones FOR EACH ROW EXECUTE FUNCTION milestones_quarters()').execute(trx);
  }
  await rebuildMilestoneQuarters(trx);
};
