/** Loads the illustrative demo data and demo accounts into an empty database, in one transaction. */
import { OUTCOMES } from '@mm/shared';
import { sql, type Transaction } from 'kysely';
import { hashPassword } from '../auth/passwords.ts';
import { generateDemoData, type DemoScale } from './demo.ts';
import { generateDemoScorecard } from './demo-scorecard.ts';
import { SEED_EVENTS, seedPeriods } from './demo-reporting.ts';
import { rebuildApproved } from '../queries/progress-data.ts';
import { rebuildIndicatorPeriods, rebuildIndicatorStats, rebuildMilestoneCounts, rebuildMilestoneQuarters } from './migrations.ts';
import type { Database, Db, Dialect } from './types.ts';
import { num } from './util.ts';

export const DEMO_PASSWORD = 'demo-password-2015';
export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.local', name: 'Demo admin', role: 'admin', regions: [] },
  { email: 'manager@demo.local', name: 'Demo manager', role: 'viewer', regions: [] },
  { email: 'staff.africa@demo.local', name: 'Demo staff, Africa', role: 'editor', regions: ['AFR'] },
  { email: 'staff.asia@demo.local', name: 'Demo staff, Asia and the Pacific', role: 'editor', regions: ['ASP'] },
  { email: 'reviewer@demo.local', name: 'Demo reviewer, Africa and Asia and the Pacific', role: 'reviewer', regions: ['AFR', 'ASP'] },
] as const;

const objectiveOf = new Map<string, string>(OUTCOMES.map((o) => [o.code, o.objective]));
const SEED_TIME = '2016-01-15T00:00:00.000Z';

async function insertChunks<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: readonly object[], chunk = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    // Rows are built from the typed generator above; Kysely's insert typing can't follow a generic table name.
    await trx.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('partnerships').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const users = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return num(row.n) === 0 && num(users.n) === 0;
}

export async function isDemo(db: Db): Promise<boolean> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'demo_scale').executeTakeFirst();
  return row !== undefined;
}

/** Seeds demo data and the demo accounts; refuses a database that already has data. */
export async function seedDemo(db: Db, dialect: Dialect, scale: DemoScale = 'demo'): Promise<{ seeded: boolean }> {
  if (!(await isEmpty(db))) return { seeded: false };
  const data = generateDemoData(scale);
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction().execute(async (trx) => {
    await insertChunks(trx, 'users', DEMO_ACCOUNTS.map((a, i) => ({
      id: i + 1, email: a.email, name: a.name, role: a.role, regions: JSON.stringify(a.regions), password_hash: hashes[i] ?? '',
      disabled: 0, created_at: SEED_TIME, updated_at: SEED_TIME, version: 1,
    })));
    await insertChunks(trx, 'partners', data.partners.map((p) => ({
      id: p.key, external_id: `DEMO-P-${p.key}`, name: p.name, partner_type: p.partnerType, hq_country: p.hqCountry, hq_region: p.hqRegion,
      version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })));
    const typeOf = new Map(data.partners.map((p) => [p.key, p.partnerType]));
    await insertChunks(trx, 'partnerships', data.partnerships.map((p) => ({
      id: p.key, external_id: `DEMO-PS-${p.key}`, title: p.title, modality: p.modality, level: p.level, region: p.region, country: p.country,
      start_date: p.startDate, end_date: p.endDate, resources_usd: p.resourcesUsd, status: p.status,
      lead_partner_type: typeOf.get(p.partners.find((x) => x.lead)?.partnerKey ?? 0) ?? null,
      version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })));
    await insertChunks(trx, 'partnership_partners', data.partnerships.flatMap((p) => p.partners.map((x) => ({ partnership_id: p.key, partner_id: x.partnerKey, role: x.role, lead: x.lead ? 1 : 0 }))), 800);
    await insertChunks(trx, 'partnership_mandates', data.partnerships.flatMap((p) => p.mandates.map((m) => ({ partnership_id: p.key, mandate: m }))), 1000);
    await insertChunks(trx, 'partnership_outcomes', data.partnerships.flatMap((p) => p.outcomes.map((o) => ({ partnership_id: p.key, outcome: o, objective: objectiveOf.get(o) ?? '' }))), 800);
    await insertChunks(trx, 'action_plans', data.actionPlans.map((a) => ({
      id: a.key, external_id: `DEMO-AP-${a.key}`, title: a.title, owning_unit: a.owningUnit, region: a.region, country: a.country,
      start_date: a.startDate, end_date: a.endDate, version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })));
    await insertChunks(trx, 'action_plan_mandates', data.actionPlans.flatMap((a) => a.mandates.map((m) => ({ action_plan_id: a.key, mandate: m }))), 1000);
    await insertChunks(trx, 'action_plan_outcomes', data.actionPlans.flatMap((a) => a.outcomes.map((o) => ({ action_plan_id: a.key, outcome: o, objective: objectiveOf.get(o) ?? '' }))), 800);
    await insertChunks(trx, 'action_plan_partnerships', data.actionPlans.flatMap((a) => a.partnershipKeys.map((k) => ({ action_plan_id: a.key, partnership_id: k }))), 1000);
    // The same for the per-row milestone counts trigger on PostgreSQL: off while loading, one grouped pass after.
    if (dialect === 'postgres') {
      await sql`ALTER TABLE milestones DISABLE TRIGGER milestones_counts`.execute(trx);
      await sql`ALTER TABLE milestones DISABLE TRIGGER milestones_quarters`.execute(trx);
    }
    await insertChunks(trx, 'milestones', data.milestones.map((m) => ({
      id: m.key, external_id: `DEMO-M-${m.key}`, action_plan_id: m.planKey, title: m.title, due_date: m.dueDate, status: m.status,
      percent_complete: m.percentComplete, completed_date: m.completedDate, evidence_note: m.evidenceNote, evidence_url: null,
      version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })), 300);
    if (dialect === 'postgres') {
      await sql`ALTER TABLE milestones ENABLE TRIGGER milestones_counts`.execute(trx);
      await sql`ALTER TABLE milestones ENABLE TRIGGER milestones_quarters`.execute(trx);
      await rebuildMilestoneCounts(trx);
      await rebuildMilestoneQuarters(trx);
    }
    await insertChunks(trx, 'milestone_history', data.milestones.flatMap((m) => m.history.map((h) => ({
      milestone_id: m.key, status: h.status, percent_complete: h.percentComplete, completed_date: h.completedDate,
      effective_date: h.effectiveDate, changed_at: `${h.effectiveDate}T12:00:00.000Z`, changed_by: null, version: 1,
    }))), 400);
    await insertChunks(trx, 'indicators', data.indicators.map((x) => ({
      id: x.key, external_id: `DEMO-I-${x.key}`, action_plan_id: x.planKey, name: x.name, unit: x.unit, direction: x.direction,
      baseline_value: x.baselineValue, baseline_date: x.baselineDate, target_value: x.targetValue, target_date: x.targetDate,
      version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })), 300);
    // The per-row statistics and period triggers would re-aggregate an indicator 20 times over: the seed loads
    // the measurements with them off (inside this transaction: disabled on PostgreSQL, dropped and re-created
    // on SQLite) and fills both derived tables in one pass each.
    const measurementTriggers = dialect === 'sqlite'
      ? (await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'measurements'`.execute(trx)).rows
      : [];
    if (dialect === 'postgres') {
      await sql`ALTER TABLE measurements DISABLE TRIGGER measurements_stats`.execute(trx);
      await sql`ALTER TABLE measurements DISABLE TRIGGER measurements_periods`.execute(trx);
    }
    for (const t of measurementTriggers) await sql`DROP TRIGGER ${sql.id(t.name)}`.execute(trx);
    await insertChunks(trx, 'measurements', data.indicators.flatMap((x) => x.measurements.map((m) => ({
      indicator_id: x.key, value: m.value, date: m.date, source: m.source, note: null, version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    }))), 500);
    for (const t of measurementTriggers) await sql.raw(t.sql).execute(trx);
    if (dialect === 'postgres') {
      await sql`ALTER TABLE measurements ENABLE TRIGGER measurements_stats`.execute(trx);
      await sql`ALTER TABLE measurements ENABLE TRIGGER measurements_periods`.execute(trx);
    }
    await rebuildIndicatorStats(trx, dialect);
    await rebuildIndicatorPeriods(trx, dialect);
    const scorecard = generateDemoScorecard(scale, data.partners);
    await insertChunks(trx, 'scorecard_criteria', scorecard.criteria.map((c) => {
      const first = c.versions[0];
      const last = c.versions[c.versions.length - 1];
      return { id: c.key, code: last?.code ?? '', text: last?.text ?? '', pillar: last?.pillar ?? '', retired: 0, version: last?.version ?? 1, created_at: first?.changedAt ?? SEED_TIME, updated_at: last?.changedAt ?? SEED_TIME };
    }));
    await insertChunks(trx, 'criterion_versions', scorecard.criteria.flatMap((c) => c.versions.map((v) => ({
      criterion_id: c.key, version: v.version, code: v.code, text: v.text, pillar: v.pillar, retired: 0, changed_at: v.changedAt, changed_by: null,
    }))));
    await insertChunks(trx, 'assessments', scorecard.assessments.map((a) => ({
      id: a.key, entity_type: a.entityType, partner_id: a.partnerId, country: a.country, entity_key: a.entityKey, region: a.region, checkpoint: a.checkpoint,
      assessed_on: a.assessedOn, status: a.status, version: 1, created_at: `${a.assessedOn}T12:00:00.000Z`, updated_at: `${a.assessedOn}T12:00:00.000Z`,
    })));
    await insertChunks(trx, 'assessment_ratings', scorecard.assessments.flatMap((a) => a.ratings.map((r) => ({
      assessment_id: a.key, criterion_id: r.criterionKey, criterion_version: r.criterionVersion, rating: r.rating, note: r.note, evidence_url: r.evidenceUrl,
    }))), 1000);
    await insertChunks(trx, 'events', SEED_EVENTS.map((e) => ({
      date: e.date, title: e.title, kind: e.kind, url: e.url ?? null, mandates: JSON.stringify(e.mandates ?? []), verified: e.verified ? 1 : 0,
      version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })));
    const periods = seedPeriods();
    await insertChunks(trx, 'reporting_periods', periods.map((p, i) => ({
      id: i + 1, name: p.name, start_date: p.startDate, end_date: p.endDate, due_date: p.dueDate, version: 1, created_at: SEED_TIME, updated_at: SEED_TIME,
    })));
    await insertChunks(trx, 'period_region_states', periods.flatMap((p, i) => p.states.map((st) => ({
      period_id: i + 1, region: st.region, state: st.state, comment: st.comment, version: 1, updated_at: SEED_TIME, updated_by: null,
    }))));
    await rebuildApproved(trx, dialect);
    if (dialect === 'postgres') {
      // Explicit ids were inserted: move each serial sequence past them.
      for (const t of ['users', 'partners', 'partnerships', 'action_plans', 'milestones', 'indicators', 'scorecard_criteria', 'assessments', 'reporting_periods'] as const) {
        await sql`SELECT setval(pg_get_serial_sequence(${t}, 'id'), (SELECT MAX(id) FROM ${sql.table(t)}))`.execute(trx);
      }
    }
    await trx.insertInto('meta').values({ key: 'demo_scale', value: scale }).execute();
    await bumpDataVersion(trx);
  });
  return { seeded: true };
}

/** Every write bumps the data version in its own transaction, so caches keyed by it never serve stale numbers. */
export async function bumpDataVersion(trx: Transaction<Database>): Promise<void> {
  const r = await trx.updateTable('meta').set((eb) => ({ value: sql<string>`CAST(CAST(${eb.ref('value')} AS INTEGER) + 1 AS TEXT)` })).where('key', '=', 'data_version').executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) await trx.insertInto('meta').values({ key: 'data_version', value: '1' }).execute();
}
