import { idCol, type AnyDb, type Migration } from './kit.ts';

/**
 * Scheduled snapshots (issue 18): `snapshot_schedules` (the view, cadence, time zone, recipients, formats and the
 * next slot, `next_run_at`) and `snapshot_deliveries` (one row per run, unique per schedule and slot, with its
 * attempts). Exactly once across processes: a slot is claimed by one conditional UPDATE of next_run_at (… WHERE
 * next_run_at = the value read) that inserts its delivery in the same transaction; an attempt is claimed by a
 * conditional UPDATE of the delivery's lease (lease_until), so two processes never send the same attempt.
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  const id = idCol(dialect);
  await s.createTable('snapshot_schedules')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('title_pattern', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('formats', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('next_run_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text')
    .addColumn('created_by_email', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('snapshot_schedules_due').on('snapshot_schedules').columns(['active', 'next_run_at']).execute();
  await s.createTable('snapshot_deliveries')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('schedule_id', 'integer', (c) => c.notNull().references('snapshot_schedules.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('slot_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('snapshot_id', 'text')
    .addColumn('title', 'text')
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('formats', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await s.createIndex('snapshot_deliveries_slot').unique().on('snapshot_deliveries').columns(['schedule_id', 'slot_at']).execute();
  await s.createIndex('snapshot_deliveries_due').on('snapshot_deliveries').columns(['status', 'next_attempt_at']).execute();
};
