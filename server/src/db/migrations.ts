/**
 * Schema migrations, in code, run in order inside one transaction each. The applied version lives in
 * `meta.schema_version`; a database newer than this code refuses to open rather than being damaged.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Dialect } from './types.ts';

type Migration = (trx: Transaction<Database>, dialect: Dialect) => Promise<void>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema builder is untyped by design: tables don't exist yet
type AnyDb = Kysely<any>;

function idCol(dialect: Dialect) {
  return dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
}

const m001: Migration = async (trx, dialect) => {
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

/**
 * Per-indicator measurement statistics, kept current by triggers in the same transaction as every
 * measurement write (CRUD, imports, restore alike), so "as of today" progress reads 5,000 rows instead of
 * aggregating 100,000 measurements. The sums use the same epoch-day x as progress-data.ts. Indexes on the
 * dates let the progress code check cheaply whether a date is at or past every recorded change.
 */
const m002: Migration = async (trx, dialect) => {
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

/** Advisory-lock namespace of the per-indicator derived-table refreshes on PostgreSQL (the key is the indicator id). */
const INDICATOR_LOCK = 8101;

/** A milestone's punctuality as stored in milestone_counts: completed on or before its due date. */
const ON_TIME = (r: 'NEW' | 'OLD') => `CASE WHEN ${r}.completed_date IS NOT NULL AND ${r}.completed_date <= ${r}.due_date THEN 1 ELSE 0 END`;

/**
 * Milestone counts per (action plan, status, punctuality), kept by triggers in the same transaction as every
 * milestone write, so "as of today" progress reads a few thousand count rows instead of scanning every
 * milestone; the progress code corrects them with the (indexed, usually empty) milestones due on or after
 * the as-of date. The indicator statistics also keep the latest measurement's value, so the progress read
 * needs no join back to the measurements.
 */
const m003: Migration = async (trx, dialect) => {
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

/**
 * Covering indexes for the partnership figures of the progress reads (counts and resources per region,
 * country, lead partner type and modality, and the totals), chosen from the query plans: each becomes an
 * index-only scan in group order instead of a table scan and a temporary sort.
 */
const m004: Migration = async (trx) => {
  const s = (trx as unknown as AnyDb).schema;
  for (const col of ['region', 'country', 'lead_partner_type', 'modality']) {
    await s.createIndex(`partnerships_by_${col}`).on('partnerships').columns([col, 'start_date', 'resources_usd']).execute();
  }
  await s.createIndex('partnerships_totals').on('partnerships').columns(['start_date', 'end_date', 'status', 'resources_usd']).execute();
};

/**
 * The latest measurement of each indicator in each year and each quarter ('2012', '2012-Q3'), from `where`'s
 * measurements: what the trajectory carries forward, as one SELECT (kind, indicator_id, period, measurement_id, value).
 */
function periodLatestSelect(dialect: Dialect, where: string): string {
  const rank = dialect === 'sqlite' ? `CAST(replace(date, '-', '') AS INTEGER) * 4294967296 + id` : `CAST(replace(date, '-', '') AS BIGINT) * 4294967296 + id`;
  const quarter = `substr(date, 1, 4) || '-Q' || CAST((CAST(substr(date, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
  return `SELECT l.kind, l.indicator_id, l.period, m.id, m.value FROM (
      SELECT kind, indicator_id, period, CAST(MAX(rk) % 4294967296 AS INTEGER) AS mid FROM (
        SELECT 'year' AS kind, indicator_id, substr(date, 1, 4) AS period, ${rank} AS rk FROM measurements WHERE ${where}
        UNION ALL SELECT 'quarter' AS kind, indicator_id, ${quarter} AS period, ${rank} AS rk FROM measurements WHERE ${where}
      ) x GROUP BY kind, indicator_id, period
    ) l JOIN measurements m ON m.id = l.mid`;
}

/**
 * Each indicator's latest measurement per year and per quarter, kept by triggers on measurements (like
 * indicator_stats), so the trajectory "as of today" reads these rows instead of ranking every measurement.
 */
const m005: Migration = async (trx, dialect) => {
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
async function insertIndicatorStatsSums(db: Kysely<Database>, dialect: Dialect): Promise<void> {
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
const QUARTER = (d: string) => `substr(${d}, 1, 4) || '-Q' || CAST((CAST(substr(${d}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
/** The quarter a completed milestone counts as done in (completion date, else the day of its last update); '' otherwise. */
const DONE_QUARTER = (r: string) => `CASE WHEN ${r}.status = 'completed' THEN ${QUARTER(`COALESCE(${r}.completed_date, substr(${r}.updated_at, 1, 10))`)} ELSE '' END`;

/**
 * Milestone counts per (due quarter, current status, quarter of completion), kept by triggers like
 * milestone_counts: the burn-up timeline over everything, as of a date after every recorded change, reads
 * a few hundred rows instead of grouping every milestone (it grew with the data, 50,000 milestones at `m`).
 */
const m006: Migration = async (trx, dialect) => {
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

/** Recomputes milestone_quarters in one grouped pass (after a bulk load that bypassed the triggers). */
export async function rebuildMilestoneQuarters(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM milestone_quarters`.execute(db);
  await sql.raw(`INSERT INTO milestone_quarters (due_quarter, status, done_quarter, n)
    SELECT dq, status, cq, COUNT(*) FROM (SELECT ${QUARTER('m.due_date')} AS dq, m.status, ${DONE_QUARTER('m')} AS cq FROM milestones m) x
    GROUP BY dq, status, cq`).execute(db);
}

/**
 * Partnerships by strategic objective (progress by/objective) count each partnership once per objective of
 * its outcomes: grouped by (partnership, objective), which this index delivers in order, so the grouping
 * streams instead of sorting every link (SQLite, m scale: 22 → 9 ms). An index only: the data is unchanged.
 */
const m007: Migration = async (trx) => {
  await (trx as unknown as AnyDb).schema.createIndex('partnership_outcomes_objective').on('partnership_outcomes').columns(['partnership_id', 'objective']).execute();
};

/** Ordered list; the index + 1 is the schema version. Append only. */
export const MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007];
export const SCHEMA_VERSION = MIGRATIONS.length;
/**
 * The oldest schema version with this version's tables and columns (the later migrations only add
 * indexes), so a backup taken at it restores into this one as it is. Raise it to SCHEMA_VERSION with any
 * migration that changes a table.
 */
export const SAME_TABLES_SINCE = 6;

export class SchemaTooNewError extends Error {}

async function currentVersion(db: Kysely<Database>): Promise<number> {
  await (db as unknown as AnyDb).schema.createTable('meta').ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'schema_version').executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Applies pending migrations; throws SchemaTooNewError when the database was written by newer code. */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<{ from: number; to: number }> {
  const from = await currentVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new SchemaTooNewError(
      `The database schema is version ${from}, but this server only knows versions up to ${SCHEMA_VERSION}. ` +
        'Upgrade Mainstream Monitor before opening this database; it was not changed.',
    );
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) break;
    await db.transaction().execute(async (trx) => {
      await step(trx, dialect);
      const next = String(v + 1);
      const updated = await trx.updateTable('meta').set({ value: next }).where('key', '=', 'schema_version').executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await trx.insertInto('meta').values({ key: 'schema_version', value: next }).execute();
    });
  }
  return { from, to: Math.max(from, SCHEMA_VERSION) };
}
