import { idCol, type AnyDb, type Migration } from './kit.ts';

/**
 * Reporting cycles (issue 16): reporting periods an admin defines; per (period, region) the cycle's state with a
 * version (transitions are one conditional UPDATE … WHERE state = expected AND version = expected, so of many
 * concurrent calls exactly one wins); every transition in reporting_transitions; events on the timeline, which
 * a milestone may link to (milestones.event_id).
 */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  const id = idCol(dialect);
  await s.createTable('reporting_periods')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createTable('period_region_states')
    .addColumn('period_id', 'integer', (c) => c.notNull().references('reporting_periods.id').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addPrimaryKeyConstraint('period_region_states_pk', ['period_id', 'region'])
    .execute();
  await s.createIndex('period_region_states_state').on('period_region_states').columns(['state', 'region']).execute();
  await s.createTable('reporting_transitions')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('period_id', 'integer', (c) => c.notNull().references('reporting_periods.id').onDelete('cascade'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer')
    .addColumn('by_email', 'text')
    .execute();
  await s.createIndex('reporting_transitions_period').on('reporting_transitions').columns(['period_id', 'region']).execute();
  await s.createTable('events')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('mandates', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('events_date').on('events').columns(['date']).execute();
  await s.alterTable('milestones').addColumn('event_id', 'integer', (c) => c.references('events.id').onDelete('set null')).execute();
};
