import { sql } from 'kysely';
import { idCol, type AnyDb, type Migration } from './kit.ts';

/** The first schema: users and sessions, partners, partnerships, action plans, milestones, indicators, measurements, history and audit. */
export const migration: Migration = async (trx, dialect) => {
  const s = (trx as unknown as AnyDb).schema;
  const id = idCol(dialect);

  await s.createTable('users')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await s.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await s.createTable('partners')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('partner_type', 'text', (c) => c.notNull())
    .addColumn('hq_country', 'text')
    .addColumn('hq_region', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s.createTable('partnerships')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('modality', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('resources_usd', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lead_partner_type', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('partnerships_region').on('partnerships').columns(['region', 'country']).execute();
  await s.createIndex('partnerships_lead_type').on('partnerships').column('lead_partner_type').execute();

  await s.createTable('partnership_partners')
    .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('partnership_partners_pk', ['partnership_id', 'partner_id'])
    .execute();
  await s.createIndex('partnership_partners_partner').on('partnership_partners').column('partner_id').execute();
  await s.createTable('partnership_mandates')
    .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addColumn('mandate', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partnership_mandates_pk', ['partnership_id', 'mandate'])
    .execute();
  await s.createIndex('partnership_mandates_mandate').on('partnership_mandates').columns(['mandate', 'partnership_id']).execute();
  await s.createTable('partnership_outcomes')
    .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('objective', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partnership_outcomes_pk', ['partnership_id', 'outcome'])
    .execute();
  await s.createIndex('partnership_outcomes_outcome').on('partnership_outcomes').columns(['outcome', 'partnership_id']).execute();

  await s.createTable('action_plans')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owning_unit', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('action_plans_region').on('action_plans').columns(['region', 'country']).execute();
  await s.createTable('action_plan_mandates')
    .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
    .addColumn('mandate', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('action_plan_mandates_pk', ['action_plan_id', 'mandate'])
    .execute();
  await s.createIndex('action_plan_mandates_mandate').on('action_plan_mandates').columns(['mandate', 'action_plan_id']).execute();
  await s.createTable('action_plan_outcomes')
    .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('objective', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('action_plan_outcomes_pk', ['action_plan_id', 'outcome'])
    .execute();
  await s.createIndex('action_plan_outcomes_outcome').on('action_plan_outcomes').columns(['outcome', 'action_plan_id']).execute();
  await s.createTable('action_plan_partnerships')
    .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
    .addColumn('partnership_id', 'integer', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('action_plan_partnerships_pk', ['action_plan_id', 'partnership_id'])
    .execute();
  await s.createIndex('action_plan_partnerships_partnership').on('action_plan_partnerships').columns(['partnership_id', 'action_plan_id']).execute();

  await s.createTable('milestones')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('percent_complete', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_date', 'text')
    .addColumn('evidence_note', 'text')
    .addColumn('evidence_url', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('milestones_plan').on('milestones').columns(['action_plan_id', 'due_date']).execute();
  await s.createIndex('milestones_due').on('milestones').column('due_date').execute();
  await s.createTable('milestone_history')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('milestone_id', 'integer', (c) => c.notNull().references('milestones.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('percent_complete', 'integer', (c) => c.notNull())
    .addColumn('completed_date', 'text')
    .addColumn('effective_date', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await s.createIndex('milestone_history_ms').on('milestone_history').columns(['milestone_id', 'effective_date', 'id']).execute();

  await s.createTable('indicators')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('action_plan_id', 'integer', (c) => c.notNull().references('action_plans.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('baseline_value', 'double precision', (c) => c.notNull())
    .addColumn('baseline_date', 'text', (c) => c.notNull())
    .addColumn('target_value', 'double precision', (c) => c.notNull())
    .addColumn('target_date', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('indicators_plan').on('indicators').column('action_plan_id').execute();
  await s.createTable('measurements')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('measurements_indicator').on('measurements').columns(['indicator_id', 'date']).execute();

  await s.createTable('audit')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('user_email', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('region', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await s.createIndex('audit_entity').on('audit').columns(['entity', 'entity_id']).execute();
  await s.createIndex('audit_at').on('audit').column('at').execute();
  // Append-only in the database too: updates and deletes of audit rows are refused by triggers.
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`.execute(trx);
    await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`.execute(trx);
  } else {
    await sql`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$`.execute(trx);
    await sql`CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(trx);
  }

  await s.createTable('login_failures')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('login_failures_email').on('login_failures').columns(['email', 'at']).execute();
  await s.createIndex('login_failures_client').on('login_failures').columns(['client', 'at']).execute();

  await s.createTable('meta').ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  // ---- snapshots and share links (issue 6): frozen copies of a view, and read-only links to one of them.
  await s.createTable('snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text')
    .addColumn('created_by_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s.createIndex('snapshots_created').on('snapshots').column('created_at').execute();
  await s.createTable('share_links')
    .addColumn('id', id, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('snapshot_id', 'text', (c) => c.notNull().references('snapshots.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await s.createIndex('share_links_snapshot').on('share_links').column('snapshot_id').execute();
  await s.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute();
};
