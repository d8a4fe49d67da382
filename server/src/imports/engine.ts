/**
 * The import engine: plans a batch against the database (references, regions, created / updated /
 * unchanged) and, for a real run without problems, writes all of it in the caller's transaction with
 * bulk upserts keyed by external_id, the join tables, milestone history and the audit trail.
 */
import { withRetry } from '../db/retry.ts';
import type { ImportCounts, ImportEntity, ImportIssue, ImportReport, Role } from '@mm/shared';
import { OUTCOMES, PARTNER_TYPES } from '@mm/shared';
import type { Kysely, Transaction } from 'kysely';
import { bumpDataVersion } from '../db/seed.ts';
import { approvedLocks, lockOf } from '../queries/reporting.ts';
import type { Database } from '../db/types.ts';
import {
  chunks, loadActionPlans, loadIndicators, loadMeasurements, loadMilestones, loadPartners, loadPartnerships,
  type ExistingActionPlan, type ExistingIndicator, type ExistingMeasurement, type ExistingMilestone, type ExistingPartner, type ExistingPartnership,
} from './existing.ts';
import { issue, type ActionPlanRec, type Batch, type IndicatorRec, type MeasurementRec, type MilestoneRec, type PartnerRec, type PartnershipRec } from './records.ts';

export interface Actor { id: number; email: string; role: Role; regions: readonly string[] }
export interface RunContext { actor: Actor; now: string; today: string }

type Action = 'create' | 'update' | 'unchanged';
interface Item<R, E> { rec: R; existing: E | undefined; action: Action; before?: unknown; after?: unknown }

interface Plan {
  partners: Item<PartnerRec, ExistingPartner>[];
  partnerships: Item<PartnershipRec, ExistingPartnership>[];
  actionPlans: Item<ActionPlanRec, ExistingActionPlan>[];
  milestones: Item<MilestoneRec, ExistingMilestone>[];
  indicators: Item<IndicatorRec, ExistingIndicator>[];
  measurements: Item<MeasurementRec, ExistingMeasurement>[];
  /** External id → database id of records that exist already (references outside the batch). */
  ids: { partners: Map<string, number>; partnerships: Map<string, number>; actionPlans: Map<string, number>; indicators: Map<string, number> };
  partnerTypeOf: (ref: string) => string | undefined;
  problems: ImportIssue[];
}

/** Milestone columns an editor may change by import, as through PATCH /milestones/:id. */
const MILESTONE_PROGRESS_COLUMNS = ['status', 'percentComplete', 'completedDate', 'statusDate', 'evidenceNote', 'evidenceUrl'];
const objectiveOf = new Map<string, string>(OUTCOMES.map((o) => [o.code, o.objective]));
const sorted = (xs: readonly (string | number)[]) => [...xs].map(String).sort();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function classify<R, E>(rec: R, existing: E | undefined, next: unknown, prev: (e: E) => unknown): Item<R, E> {
  if (existing === undefined) return { rec, existing, action: 'create', after: next };
  const before = prev(existing);
  return { rec, existing, action: same(before, next) ? 'unchanged' : 'update', before, after: next };
}

/** Drops later duplicates of an external id within one record type, reporting each. */
function dedupe<R extends { row: number; externalId: string }>(recs: R[], problems: ImportIssue[]): R[] {
  const first = new Map<string, number>();
  return recs.filter((r) => {
    const at = first.get(r.externalId);
    if (at !== undefined) { problems.push(issue(r.row, 'externalId', r.externalId, `appears more than once in the file (first on row ${at})`)); return false; }
    first.set(r.externalId, r.row);
    return true;
  });
}

export async function planBatch(db: Kysely<Database>, input: Batch, actor: Actor, today: string): Promise<Plan> {
  const problems: ImportIssue[] = [];
  // Approved (period, region)s are locked for imports exactly as for the record routes: a row that would
  // create or change a measurement or milestone dated in one is a problem, so the whole import writes nothing.
  const locks = await approvedLocks(db);
  const locked = (row: number, region: string | undefined, dates: readonly (readonly [column: string, date: string | null | undefined])[], what: string): boolean => {
    let hit = false;
    for (const [column, date] of dates) {
      const l = region === undefined ? undefined : lockOf(locks, region, date);
      if (l) {
        problems.push(issue(row, column, date ?? null, `would change ${what} dated in reporting period ${l.name} (${l.start} to ${l.end}), approved and locked for ${region}; an admin can reopen it`));
        hit = true;
      }
    }
    return hit;
  };
  const b: Batch = {
    partners: dedupe(input.partners, problems), partnerships: dedupe(input.partnerships, problems), actionPlans: dedupe(input.actionPlans, problems),
    milestones: dedupe(input.milestones, problems), indicators: dedupe(input.indicators, problems), measurements: dedupe(input.measurements, problems),
  };
  const mine = (region: string | null) => actor.role === 'admin' || region === null || actor.regions.includes(region);
  const outside = (region: string) => `is in region ${region}, outside your regions (${actor.regions.join(', ') || 'none'}); ask an admin to import it`;
  // The same rights as the record routes: editors add and change measurements and the progress of existing
  // milestones in their regions; everything else is created or changed by admins. Unchanged rows are fine for all.
  const isAdmin = actor.role === 'admin';
  const adminOnly = (row: number, externalId: string, what: string, action: Action) => {
    problems.push(issue(row, 'externalId', externalId, `only admins may ${action === 'create' ? 'create' : 'change'} ${what}s; editors may import measurements and milestone progress (${MILESTONE_PROGRESS_COLUMNS.join(', ')}) in their regions`));
  };
  const allowed = <R extends { row: number; externalId: string }, E>(item: Item<R, E>, what: string): boolean => {
    if (isAdmin || item.action === 'unchanged') return true;
    adminOnly(item.rec.row, item.rec.externalId, what, item.action);
    return false;
  };
  const batchPartners = new Map(b.partners.map((r) => [r.externalId, r]));
  const batchPartnerships = new Map(b.partnerships.map((r) => [r.externalId, r]));
  const batchPlans = new Map(b.actionPlans.map((r) => [r.externalId, r]));
  const batchIndicators = new Map(b.indicators.map((r) => [r.externalId, r]));

  const partners = await loadPartners(db, [...batchPartners.keys(), ...b.partnerships.flatMap((p) => p.partners.map((l) => l.ref))]);
  const partnerships = await loadPartnerships(db, [...batchPartnerships.keys(), ...b.actionPlans.flatMap((a) => a.partnerships)], (x) => batchPartnerships.has(x));
  const plans = await loadActionPlans(db, [...batchPlans.keys(), ...b.milestones.map((m) => m.actionPlan), ...b.indicators.map((i) => i.actionPlan)], (x) => batchPlans.has(x));
  const milestones = await loadMilestones(db, b.milestones.map((m) => m.externalId));
  const indicators = await loadIndicators(db, [...batchIndicators.keys(), ...b.measurements.map((m) => m.indicator)]);
  const measurements = await loadMeasurements(db, b.measurements.map((m) => m.externalId));

  const partnerTypeOf = (ref: string) => batchPartners.get(ref)?.partnerType ?? partners.get(ref)?.partner_type;
  const planRegionOf = (ref: string) => batchPlans.get(ref)?.region ?? plans.get(ref)?.region;
  const indicatorRegionOf = (ref: string) => {
    const inBatch = batchIndicators.get(ref);
    return inBatch ? planRegionOf(inBatch.actionPlan) : indicators.get(ref)?.plan_region;
  };
  // Keys that compare equal only when the same database record is meant; records new in this batch never equal a stored one.
  const key = (m: Map<string, { id: number }>, ref: string) => m.get(ref)?.id ?? `new:${ref}`;

  const out: Plan = {
    partners: [], partnerships: [], actionPlans: [], milestones: [], indicators: [], measurements: [], problems,
    ids: {
      partners: new Map([...partners].map(([k, v]) => [k, v.id])), partnerships: new Map([...partnerships].map(([k, v]) => [k, v.id])),
      actionPlans: new Map([...plans].map(([k, v]) => [k, v.id])), indicators: new Map([...indicators].map(([k, v]) => [k, v.id])),
    },
    partnerTypeOf,
  };

  for (const r of b.partners) {
    const e = partners.get(r.externalId);
    if (e && r.iatiType !== undefined) {
      // IATI knows less than a curated record: keep the HQ, and the type unless IATI's code rules it out.
      r.hqCountry = e.hq_country;
      r.hqRegion = e.hq_region;
      if (PARTNER_TYPES.some((t) => t.code === e.partner_type && (t.iati as readonly string[]).includes(r.iatiType ?? ''))) r.partnerType = e.partner_type;
    }
    const item = classify(r, e, { name: r.name, partnerType: r.partnerType, hqCountry: r.hqCountry, hqRegion: r.hqRegion },
      (x) => ({ name: x.name, partnerType: x.partner_type, hqCountry: x.hq_country, hqRegion: x.hq_region }));
    // Partners have no region: referring to one is fine for everybody, creating or changing one is for admins.
    if (allowed(item, 'partner')) out.partners.push(item);
  }

  for (const r of b.partnerships) {
    const e = partnerships.get(r.externalId);
    let bad = false;
    for (const l of r.partners) {
      if (partnerTypeOf(l.ref) === undefined) { problems.push(issue(r.row, l.lead ? 'leadPartner' : 'partners', l.ref, 'no partner has this external id (in the database or this file)')); bad = true; }
    }
    if (!mine(r.region)) { problems.push(issue(r.row, 'region', r.region, outside(r.region))); bad = true; }
    if (e && !mine(e.region)) { problems.push(issue(r.row, 'externalId', r.externalId, `updates a partnership in region ${e.region}, outside your regions`)); bad = true; }
    if (bad) continue;
    const lead = r.partners.find((l) => l.lead);
    const item = classify(r, e, {
      title: r.title, modality: r.modality, level: r.level, region: r.region, country: r.country, startDate: r.startDate, endDate: r.endDate,
      resourcesUsd: r.resourcesUsd, status: r.status, leadPartnerType: lead ? (partnerTypeOf(lead.ref) ?? null) : null,
      mandates: sorted(r.mandates), outcomes: sorted(r.outcomes), partners: sorted(r.partners.map((l) => `${key(partners, l.ref)}|${l.role}|${l.lead ? 1 : 0}`)),
    }, (x) => ({
      title: x.title, modality: x.modality, level: x.level, region: x.region, country: x.country, startDate: x.start_date, endDate: x.end_date,
      resourcesUsd: x.resources_usd, status: x.status, leadPartnerType: x.lead_partner_type,
      mandates: sorted(x.mandates), outcomes: sorted(x.outcomes), partners: sorted(x.links.map((l) => `${l.partner_id}|${l.role}|${l.lead}`)),
    }));
    if (allowed(item, 'partnership')) out.partnerships.push(item);
  }

  for (const r of b.actionPlans) {
    const e = plans.get(r.externalId);
    let bad = false;
    for (const ref of r.partnerships) {
      if (!batchPartnerships.has(ref) && !partnerships.has(ref)) { problems.push(issue(r.row, 'partnerships', ref, 'no partnership has this external id (in the database or this file)')); bad = true; }
    }
    if (!mine(r.region)) { problems.push(issue(r.row, 'region', r.region, outside(r.region))); bad = true; }
    if (e && !mine(e.region)) { problems.push(issue(r.row, 'externalId', r.externalId, `updates an action plan in region ${e.region}, outside your regions`)); bad = true; }
    if (bad) continue;
    const item = classify(r, e, {
      title: r.title, owningUnit: r.owningUnit, region: r.region, country: r.country, startDate: r.startDate, endDate: r.endDate,
      mandates: sorted(r.mandates), outcomes: sorted(r.outcomes), partnerships: sorted(r.partnerships.map((p) => key(partnerships, p))),
    }, (x) => ({
      title: x.title, owningUnit: x.owning_unit, region: x.region, country: x.country, startDate: x.start_date, endDate: x.end_date,
      mandates: sorted(x.mandates), outcomes: sorted(x.outcomes), partnerships: sorted(x.partnership_ids),
    }));
    if (allowed(item, 'action plan')) out.actionPlans.push(item);
  }

  /** Children (milestones, indicators, measurements) live in their parent's region. */
  const childScope = (row: number, column: string, ref: string, region: string | undefined, what: string, existingRegion: string | undefined): boolean => {
    if (region === undefined) { problems.push(issue(row, column, ref, `no ${what} has this external id (in the database or this file)`)); return false; }
    if (!mine(region)) { problems.push(issue(row, column, ref, `${outside(region)} (the region of its ${what})`)); return false; }
    if (existingRegion !== undefined && !mine(existingRegion)) { problems.push(issue(row, 'externalId', null, `updates a record in region ${existingRegion}, outside your regions`)); return false; }
    return true;
  };

  for (const r of b.milestones) {
    const e = milestones.get(r.externalId);
    if (!childScope(r.row, 'actionPlan', r.actionPlan, planRegionOf(r.actionPlan), 'action plan', e?.plan_region)) continue;
    const item = classify(r, e, {
      actionPlan: key(plans, r.actionPlan), title: r.title, dueDate: r.dueDate, status: r.status, percentComplete: r.percentComplete,
      completedDate: r.completedDate, evidenceNote: r.evidenceNote, evidenceUrl: r.evidenceUrl,
    }, (x) => ({
      actionPlan: x.action_plan_id, title: x.title, dueDate: x.due_date, status: x.status, percentComplete: x.percent_complete,
      completedDate: x.completed_date, evidenceNote: x.evidence_note, evidenceUrl: x.evidence_url,
    }));
    if (!isAdmin && item.action === 'create') { adminOnly(r.row, r.externalId, 'milestone', 'create'); continue; }
    if (!isAdmin && e && item.action === 'update') {
      const planning = ([['actionPlan', plans.get(r.actionPlan)?.id !== e.action_plan_id], ['title', r.title !== e.title], ['dueDate', r.dueDate !== e.due_date]] as const).filter(([, differs]) => differs);
      for (const [column] of planning) problems.push(issue(r.row, column, null, `only admins may change a milestone's ${column}; editors may import its progress (${MILESTONE_PROGRESS_COLUMNS.join(', ')})`));
      if (planning.length > 0) continue;
    }
    if (item.action !== 'unchanged') {
      const before = e ? locked(r.row, e.plan_region, [['dueDate', e.due_date], ['completedDate', e.completed_date]], 'a milestone') : false;
      const after = locked(r.row, planRegionOf(r.actionPlan), [['dueDate', r.dueDate], ['completedDate', r.completedDate], ['effectiveDate', today]], 'a milestone');
      if (before || after) continue;
    }
    out.milestones.push(item);
  }

  for (const r of b.indicators) {
    const e = indicators.get(r.externalId);
    if (!childScope(r.row, 'actionPlan', r.actionPlan, planRegionOf(r.actionPlan), 'action plan', e?.plan_region)) continue;
    const item = classify(r, e, {
      actionPlan: key(plans, r.actionPlan), name: r.name, unit: r.unit, direction: r.direction, baselineValue: r.baselineValue,
      baselineDate: r.baselineDate, targetValue: r.targetValue, targetDate: r.targetDate,
    }, (x) => ({
      actionPlan: x.action_plan_id, name: x.name, unit: x.unit, direction: x.direction, baselineValue: x.baseline_value,
      baselineDate: x.baseline_date, targetValue: x.target_value, targetDate: x.target_date,
    }));
    if (allowed(item, 'indicator')) out.indicators.push(item);
  }

  for (const r of b.measurements) {
    const e = measurements.get(r.externalId);
    if (!childScope(r.row, 'indicator', r.indicator, indicatorRegionOf(r.indicator), 'indicator', e?.plan_region)) continue;
    const item = classify(r, e, { indicator: key(indicators, r.indicator), value: r.value, date: r.date, source: r.source, note: r.note },
      (x) => ({ indicator: x.indicator_id, value: x.value, date: x.date, source: x.source, note: x.note }));
    if (item.action !== 'unchanged') {
      const before = e ? locked(r.row, e.plan_region, [['date', e.date]], 'a measurement') : false;
      const after = locked(r.row, indicatorRegionOf(r.indicator), [['date', r.date]], 'a measurement');
      if (before || after) continue;
    }
    out.measurements.push(item);
  }
  return out;
}

const ENTITY_OF: Record<ImportEntity, keyof Omit<Plan, 'ids' | 'problems' | 'partnerTypeOf'>> = {
  partners: 'partners', partnerships: 'partnerships', 'action-plans': 'actionPlans', milestones: 'milestones', indicators: 'indicators', measurements: 'measurements',
};

export function countPlan(plan: Plan): { totals: ImportCounts; byType: Partial<Record<ImportEntity, ImportCounts>> } {
  const totals: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  const byType: Partial<Record<ImportEntity, ImportCounts>> = {};
  for (const entity of Object.keys(ENTITY_OF) as ImportEntity[]) {
    const items = plan[ENTITY_OF[entity]];
    if (items.length === 0) continue;
    const c: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
    for (const it of items) c[it.action === 'create' ? 'created' : it.action === 'update' ? 'updated' : 'unchanged']++;
    byType[entity] = c;
    totals.created += c.created; totals.updated += c.updated; totals.unchanged += c.unchanged;
  }
  return { totals, byType };
}

const changed = <R, E>(items: Item<R, E>[]) => items.filter((i) => i.action !== 'unchanged');

function mustId(m: Map<string, number>, ref: string, what: string): number {
  const id = m.get(ref);
  if (id === undefined) throw new Error(`import: ${what} ${ref} was neither stored nor written`);
  return id;
}

type Trx = Transaction<Database>;

/** Writes a planned batch (no problems) in the given transaction. */
export async function applyPlan(trx: Trx, plan: Plan, ctx: RunContext, summary: { type: string; fileName: string; rows: number }): Promise<void> {
  const { now, actor } = ctx;
  const audit: { action: string; entity: string; id: number; region: string | null; before: unknown; after: unknown }[] = [];
  const note = <R extends { externalId: string }, E>(entity: string, it: Item<R, E>, id: number, region: string | null) => {
    const externalId = it.rec.externalId;
    const withId = (v: unknown) => (v !== null && typeof v === 'object' ? { externalId, ...v } : { externalId });
    audit.push({ action: it.action, entity, id, region, before: it.action === 'update' ? withId(it.before) : undefined, after: withId(it.after) });
  };

  // Partners
  const partnerIds = plan.ids.partners;
  const ps = changed(plan.partners);
  for (const c of chunks(ps, 400)) {
    const rows = await trx.insertInto('partners').values(c.map(({ rec: r }) => ({
      external_id: r.externalId, name: r.name, partner_type: r.partnerType, hq_country: r.hqCountry, hq_region: r.hqRegion, version: 1, created_at: now, updated_at: now,
    }))).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      name: eb.ref('excluded.name'), partner_type: eb.ref('excluded.partner_type'), hq_country: eb.ref('excluded.hq_country'),
      hq_region: eb.ref('excluded.hq_region'), updated_at: eb.ref('excluded.updated_at'), version: eb(eb.ref('partners.version'), '+', 1),
    }))).returning(['id', 'external_id']).execute();
    for (const x of rows) if (x.external_id !== null) partnerIds.set(x.external_id, x.id);
  }
  for (const it of ps) note('partner', it, mustId(partnerIds, it.rec.externalId, 'partner'), it.rec.hqRegion);
  // A partner's new type changes the denormalised lead_partner_type of every partnership it leads.
  const retyped = ps.filter((it) => it.existing && it.existing.partner_type !== it.rec.partnerType);
  for (const it of retyped) {
    const pid = mustId(partnerIds, it.rec.externalId, 'partner');
    await trx.updateTable('partnerships').set({ lead_partner_type: it.rec.partnerType })
      .where('id', 'in', (eb) => eb.selectFrom('partnership_partners').select('partnership_id').where('partner_id', '=', pid).where('lead', '=', 1)).execute();
  }

  // Partnerships
  const psIds = plan.ids.partnerships;
  const pss = changed(plan.partnerships);
  for (const c of chunks(pss, 300)) {
    const rows = await trx.insertInto('partnerships').values(c.map(({ rec: r }) => {
      const lead = r.partners.find((l) => l.lead);
      return {
        external_id: r.externalId, title: r.title, modality: r.modality, level: r.level, region: r.region, country: r.country, start_date: r.startDate,
        end_date: r.endDate, resources_usd: r.resourcesUsd, status: r.status, lead_partner_type: lead ? (plan.partnerTypeOf(lead.ref) ?? null) : null,
        version: 1, created_at: now, updated_at: now,
      };
    })).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      title: eb.ref('excluded.title'), modality: eb.ref('excluded.modality'), level: eb.ref('excluded.level'), region: eb.ref('excluded.region'),
      country: eb.ref('excluded.country'), start_date: eb.ref('excluded.start_date'), end_date: eb.ref('excluded.end_date'),
      resources_usd: eb.ref('excluded.resources_usd'), status: eb.ref('excluded.status'), lead_partner_type: eb.ref('excluded.lead_partner_type'),
      updated_at: eb.ref('excluded.updated_at'), version: eb(eb.ref('partnerships.version'), '+', 1),
    }))).returning(['id', 'external_id']).execute();
    for (const x of rows) if (x.external_id !== null) psIds.set(x.external_id, x.id);
  }
  const psUpdated = pss.filter((i) => i.action === 'update').map((i) => mustId(psIds, i.rec.externalId, 'partnership'));
  for (const c of chunks(psUpdated)) {
    await trx.deleteFrom('partnership_partners').where('partnership_id', 'in', c).execute();
    await trx.deleteFrom('partnership_mandates').where('partnership_id', 'in', c).execute();
    await trx.deleteFrom('partnership_outcomes').where('partnership_id', 'in', c).execute();
  }
  const links = pss.flatMap(({ rec: r }) => r.partners.map((l) => ({ partnership_id: mustId(psIds, r.externalId, 'partnership'), partner_id: mustId(partnerIds, l.ref, 'partner'), role: l.role, lead: l.lead ? 1 : 0 })));
  for (const c of chunks(links, 800)) await trx.insertInto('partnership_partners').values(c).execute();
  const psMandates = pss.flatMap(({ rec: r }) => r.mandates.map((m) => ({ partnership_id: mustId(psIds, r.externalId, 'partnership'), mandate: m })));
  for (const c of chunks(psMandates, 1000)) await trx.insertInto('partnership_mandates').values(c).execute();
  const psOutcomes = pss.flatMap(({ rec: r }) => r.outcomes.map((o) => ({ partnership_id: mustId(psIds, r.externalId, 'partnership'), outcome: o, objective: objectiveOf.get(o) ?? '' })));
  for (const c of chunks(psOutcomes, 800)) await trx.insertInto('partnership_outcomes').values(c).execute();
  for (const it of pss) note('partnership', it, mustId(psIds, it.rec.externalId, 'partnership'), it.rec.region);

  // Action plans
  const apIds = plan.ids.actionPlans;
  const aps = changed(plan.actionPlans);
  for (const c of chunks(aps, 400)) {
    const rows = await trx.insertInto('action_plans').values(c.map(({ rec: r }) => ({
      external_id: r.externalId, title: r.title, owning_unit: r.owningUnit, region: r.region, country: r.country, start_date: r.startDate, end_date: r.endDate,
      version: 1, created_at: now, updated_at: now,
    }))).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      title: eb.ref('excluded.title'), owning_unit: eb.ref('excluded.owning_unit'), region: eb.ref('excluded.region'), country: eb.ref('excluded.country'),
      start_date: eb.ref('excluded.start_date'), end_date: eb.ref('excluded.end_date'), updated_at: eb.ref('excluded.updated_at'),
      version: eb(eb.ref('action_plans.version'), '+', 1),
    }))).returning(['id', 'external_id']).execute();
    for (const x of rows) if (x.external_id !== null) apIds.set(x.external_id, x.id);
  }
  const apUpdated = aps.filter((i) => i.action === 'update').map((i) => mustId(apIds, i.rec.externalId, 'action plan'));
  for (const c of chunks(apUpdated)) {
    await trx.deleteFrom('action_plan_mandates').where('action_plan_id', 'in', c).execute();
    await trx.deleteFrom('action_plan_outcomes').where('action_plan_id', 'in', c).execute();
    await trx.deleteFrom('action_plan_partnerships').where('action_plan_id', 'in', c).execute();
  }
  const apMandates = aps.flatMap(({ rec: r }) => r.mandates.map((m) => ({ action_plan_id: mustId(apIds, r.externalId, 'action plan'), mandate: m })));
  for (const c of chunks(apMandates, 1000)) await trx.insertInto('action_plan_mandates').values(c).execute();
  const apOutcomes = aps.flatMap(({ rec: r }) => r.outcomes.map((o) => ({ action_plan_id: mustId(apIds, r.externalId, 'action plan'), outcome: o, objective: objectiveOf.get(o) ?? '' })));
  for (const c of chunks(apOutcomes, 800)) await trx.insertInto('action_plan_outcomes').values(c).execute();
  const apLinks = aps.flatMap(({ rec: r }) => r.partnerships.map((p) => ({ action_plan_id: mustId(apIds, r.externalId, 'action plan'), partnership_id: mustId(psIds, p, 'partnership') })));
  for (const c of chunks(apLinks, 1000)) await trx.insertInto('action_plan_partnerships').values(c).execute();
  for (const it of aps) note('action_plan', it, mustId(apIds, it.rec.externalId, 'action plan'), it.rec.region);

  const planRegion = new Map<number, string>();
  const regionOfPlan = async (ids: number[]) => {
    const missing = [...new Set(ids)].filter((id) => !planRegion.has(id));
    for (const c of chunks(missing)) for (const r of await trx.selectFrom('action_plans').select(['id', 'region']).where('id', 'in', c).execute()) planRegion.set(r.id, r.region);
  };

  // Milestones, with a history row whenever the status, percentage or completion date is new.
  const ms = changed(plan.milestones);
  const msIds = new Map<string, { id: number; version: number }>();
  for (const c of chunks(ms, 300)) {
    const rows = await trx.insertInto('milestones').values(c.map(({ rec: r }) => ({
      external_id: r.externalId, action_plan_id: mustId(apIds, r.actionPlan, 'action plan'), title: r.title, due_date: r.dueDate, status: r.status,
      percent_complete: r.percentComplete, completed_date: r.completedDate, evidence_note: r.evidenceNote, evidence_url: r.evidenceUrl,
      version: 1, created_at: now, updated_at: now,
    }))).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      action_plan_id: eb.ref('excluded.action_plan_id'), title: eb.ref('excluded.title'), due_date: eb.ref('excluded.due_date'), status: eb.ref('excluded.status'),
      percent_complete: eb.ref('excluded.percent_complete'), completed_date: eb.ref('excluded.completed_date'), evidence_note: eb.ref('excluded.evidence_note'),
      evidence_url: eb.ref('excluded.evidence_url'), updated_at: eb.ref('excluded.updated_at'), version: eb(eb.ref('milestones.version'), '+', 1),
    }))).returning(['id', 'external_id', 'version']).execute();
    for (const x of rows) if (x.external_id !== null) msIds.set(x.external_id, { id: x.id, version: x.version });
  }
  const history = ms.filter(({ rec: r, existing: e }) => e
    ? e.status !== r.status || e.percent_complete !== r.percentComplete || e.completed_date !== r.completedDate
    : r.status !== 'not_started' || r.percentComplete !== 0).map(({ rec: r }) => {
    const m = msIds.get(r.externalId);
    if (!m) throw new Error(`import: milestone ${r.externalId} was not written`);
    return {
      milestone_id: m.id, status: r.status, percent_complete: r.percentComplete, completed_date: r.completedDate,
      effective_date: r.statusDate ?? (r.status === 'completed' && r.completedDate ? r.completedDate : ctx.today), changed_at: now, changed_by: actor.id, version: m.version,
    };
  });
  for (const c of chunks(history, 400)) await trx.insertInto('milestone_history').values(c).execute();
  await regionOfPlan(ms.map((it) => mustId(apIds, it.rec.actionPlan, 'action plan')));
  for (const it of ms) note('milestone', it, msIds.get(it.rec.externalId)?.id ?? 0, planRegion.get(mustId(apIds, it.rec.actionPlan, 'action plan')) ?? null);

  // Indicators
  const indIds = plan.ids.indicators;
  const inds = changed(plan.indicators);
  for (const c of chunks(inds, 400)) {
    const rows = await trx.insertInto('indicators').values(c.map(({ rec: r }) => ({
      external_id: r.externalId, action_plan_id: mustId(apIds, r.actionPlan, 'action plan'), name: r.name, unit: r.unit, direction: r.direction,
      baseline_value: r.baselineValue, baseline_date: r.baselineDate, target_value: r.targetValue, target_date: r.targetDate, version: 1, created_at: now, updated_at: now,
    }))).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      action_plan_id: eb.ref('excluded.action_plan_id'), name: eb.ref('excluded.name'), unit: eb.ref('excluded.unit'), direction: eb.ref('excluded.direction'),
      baseline_value: eb.ref('excluded.baseline_value'), baseline_date: eb.ref('excluded.baseline_date'), target_value: eb.ref('excluded.target_value'),
      target_date: eb.ref('excluded.target_date'), updated_at: eb.ref('excluded.updated_at'), version: eb(eb.ref('indicators.version'), '+', 1),
    }))).returning(['id', 'external_id']).execute();
    for (const x of rows) if (x.external_id !== null) indIds.set(x.external_id, x.id);
  }
  await regionOfPlan(inds.map((it) => mustId(apIds, it.rec.actionPlan, 'action plan')));
  for (const it of inds) note('indicator', it, mustId(indIds, it.rec.externalId, 'indicator'), planRegion.get(mustId(apIds, it.rec.actionPlan, 'action plan')) ?? null);

  // Measurements
  const mss = changed(plan.measurements);
  const mIds = new Map<string, number>();
  for (const c of chunks(mss, 400)) {
    const rows = await trx.insertInto('measurements').values(c.map(({ rec: r }) => ({
      external_id: r.externalId, indicator_id: mustId(indIds, r.indicator, 'indicator'), value: r.value, date: r.date, source: r.source, note: r.note,
      version: 1, created_at: now, updated_at: now,
    }))).onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
      indicator_id: eb.ref('excluded.indicator_id'), value: eb.ref('excluded.value'), date: eb.ref('excluded.date'), source: eb.ref('excluded.source'),
      note: eb.ref('excluded.note'), updated_at: eb.ref('excluded.updated_at'), version: eb(eb.ref('measurements.version'), '+', 1),
    }))).returning(['id', 'external_id']).execute();
    for (const x of rows) if (x.external_id !== null) mIds.set(x.external_id, x.id);
  }
  for (const it of mss) note('measurement', it, mIds.get(it.rec.externalId) ?? 0, null);

  // Audit: one entry per record written, then one summary entry for the import.
  const entries = audit.map((a) => ({
    at: now, user_id: actor.id, user_email: actor.email, action: a.action, entity: a.entity, entity_id: String(a.id), region: a.region,
    before: a.before === undefined ? null : JSON.stringify(a.before), after: JSON.stringify(a.after),
  }));
  for (const c of chunks(entries, 500)) await trx.insertInto('audit').values(c).execute();
  const { totals, byType } = countPlan(plan);
  await trx.insertInto('audit').values({
    at: now, user_id: actor.id, user_email: actor.email, action: 'import', entity: 'import', entity_id: summary.type, region: null, before: null,
    after: JSON.stringify({ type: summary.type, file: summary.fileName, rows: summary.rows, ...totals, byType }),
  }).execute();
  // Caches are keyed by the data version: move it only when a record changed.
  if (totals.created + totals.updated > 0) await bumpDataVersion(trx);
}

/** Thrown inside the transaction to roll back when planning found problems. */
class PlanProblems extends Error {
  constructor(readonly plan: Plan) { super('import has problems'); }
}

export interface RunInput { type: ImportReport['type']; dryRun: boolean; rows: number; fileName: string; batch: Batch; problems: ImportIssue[]; warnings: ImportIssue[] }

/**
 * Plans the batch and, for a real run without problems, writes it all in ONE transaction. Planning of a
 * real run happens inside that transaction, so what was checked is what gets written.
 */
export async function runImport(db: Kysely<Database>, input: RunInput, ctx: RunContext): Promise<ImportReport> {
  const report = (plan: Plan, committed: boolean): ImportReport => {
    const { totals, byType } = countPlan(plan);
    const problems = [...input.problems, ...plan.problems].sort((a, b) => a.row - b.row);
    return { type: input.type, dryRun: input.dryRun, rows: input.rows, ...totals, byType, problems, warnings: input.warnings, committed };
  };
  if (input.dryRun || input.problems.length > 0) return report(await planBatch(db, input.batch, ctx.actor, ctx.today), false);
  try {
    const plan = await withRetry(db, async (trx) => {
      const p = await planBatch(trx, input.batch, ctx.actor, ctx.today);
      if (p.problems.length > 0) throw new PlanProblems(p);
      await applyPlan(trx, p, ctx, { type: input.type, fileName: input.fileName, rows: input.rows });
      return p;
    });
    return report(plan, true);
  } catch (e) {
    if (e instanceof PlanProblems) return report(e.plan, false);
    throw e;
  }
}

