/** Reads what the database already holds for the external ids of an import (in chunks, so 50,000 ids stay cheap). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import { chunks as sliced } from '../db/util.ts';

const CHUNK = 500;

/** `xs` in slices of the import's chunk size (or `size`). */
export function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  return sliced(xs, size);
}

async function byChunks<R>(ids: Iterable<string>, load: (chunk: string[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const c of chunks([...new Set(ids)])) out.push(...(await load(c)));
  return out;
}

async function byIdChunks<R>(ids: readonly number[], load: (chunk: number[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const c of chunks(ids)) out.push(...(await load(c)));
  return out;
}

type Db = Kysely<Database>;

export interface ExistingPartner { id: number; external_id: string; name: string; partner_type: string; hq_country: string | null; hq_region: string | null }
export interface ExistingPartnership {
  id: number; external_id: string; title: string; modality: string; level: string; region: string; country: string | null; start_date: string;
  end_date: string; resources_usd: number; status: string; lead_partner_type: string | null;
  links: { partner_id: number; role: string; lead: number }[]; mandates: string[]; outcomes: string[];
}
export interface ExistingActionPlan {
  id: number; external_id: string; title: string; owning_unit: string; region: string; country: string | null; start_date: string; end_date: string;
  mandates: string[]; outcomes: string[]; partnership_ids: number[];
}
export interface ExistingMilestone {
  id: number; external_id: string; action_plan_id: number; plan_region: string; title: string; due_date: string; status: string;
  percent_complete: number; completed_date: string | null; evidence_note: string | null; evidence_url: string | null;
}
export interface ExistingIndicator {
  id: number; external_id: string; action_plan_id: number; plan_region: string; name: string; unit: string; direction: string;
  baseline_value: number; baseline_date: string; target_value: number; target_date: string;
}
export interface ExistingMeasurement { id: number; external_id: string; indicator_id: number; plan_region: string; value: number; date: string; source: string | null; note: string | null }

const withExternalId = <T extends { external_id: string | null }>(rows: T[]) => rows.filter((r): r is T & { external_id: string } => r.external_id !== null);

export async function loadPartners(db: Db, ids: Iterable<string>): Promise<Map<string, ExistingPartner>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('partners').select(['id', 'external_id', 'name', 'partner_type', 'hq_country', 'hq_region']).where('external_id', 'in', c).execute());
  return new Map(withExternalId(rows).map((r) => [r.external_id, r]));
}

export async function loadPartnerships(db: Db, ids: Iterable<string>, withLinks: (externalId: string) => boolean): Promise<Map<string, ExistingPartnership>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('partnerships')
    .select(['id', 'external_id', 'title', 'modality', 'level', 'region', 'country', 'start_date', 'end_date', 'resources_usd', 'status', 'lead_partner_type'])
    .where('external_id', 'in', c).execute());
  const out = new Map<string, ExistingPartnership>();
  for (const r of withExternalId(rows)) out.set(r.external_id, { ...r, resources_usd: Number(r.resources_usd), links: [], mandates: [], outcomes: [] });
  const byId = new Map([...out.values()].filter((p) => withLinks(p.external_id)).map((p) => [p.id, p]));
  const ids2 = [...byId.keys()];
  for (const l of await byIdChunks(ids2, (c) => db.selectFrom('partnership_partners').select(['partnership_id', 'partner_id', 'role', 'lead']).where('partnership_id', 'in', c).execute())) byId.get(l.partnership_id)?.links.push(l);
  for (const m of await byIdChunks(ids2, (c) => db.selectFrom('partnership_mandates').select(['partnership_id', 'mandate']).where('partnership_id', 'in', c).execute())) byId.get(m.partnership_id)?.mandates.push(m.mandate);
  for (const o of await byIdChunks(ids2, (c) => db.selectFrom('partnership_outcomes').select(['partnership_id', 'outcome']).where('partnership_id', 'in', c).execute())) byId.get(o.partnership_id)?.outcomes.push(o.outcome);
  return out;
}

export async function loadActionPlans(db: Db, ids: Iterable<string>, withLinks: (externalId: string) => boolean): Promise<Map<string, ExistingActionPlan>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('action_plans')
    .select(['id', 'external_id', 'title', 'owning_unit', 'region', 'country', 'start_date', 'end_date'])
    .where('external_id', 'in', c).execute());
  const out = new Map<string, ExistingActionPlan>();
  for (const r of withExternalId(rows)) out.set(r.external_id, { ...r, mandates: [], outcomes: [], partnership_ids: [] });
  const byId = new Map([...out.values()].filter((p) => withLinks(p.external_id)).map((p) => [p.id, p]));
  const ids2 = [...byId.keys()];
  for (const m of await byIdChunks(ids2, (c) => db.selectFrom('action_plan_mandates').select(['action_plan_id', 'mandate']).where('action_plan_id', 'in', c).execute())) byId.get(m.action_plan_id)?.mandates.push(m.mandate);
  for (const o of await byIdChunks(ids2, (c) => db.selectFrom('action_plan_outcomes').select(['action_plan_id', 'outcome']).where('action_plan_id', 'in', c).execute())) byId.get(o.action_plan_id)?.outcomes.push(o.outcome);
  for (const l of await byIdChunks(ids2, (c) => db.selectFrom('action_plan_partnerships').select(['action_plan_id', 'partnership_id']).where('action_plan_id', 'in', c).execute())) byId.get(l.action_plan_id)?.partnership_ids.push(l.partnership_id);
  return out;
}

export async function loadMilestones(db: Db, ids: Iterable<string>): Promise<Map<string, ExistingMilestone>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('milestones').innerJoin('action_plans', 'action_plans.id', 'milestones.action_plan_id')
    .select(['milestones.id', 'milestones.external_id', 'milestones.action_plan_id', 'action_plans.region as plan_region', 'milestones.title', 'milestones.due_date',
      'milestones.status', 'milestones.percent_complete', 'milestones.completed_date', 'milestones.evidence_note', 'milestones.evidence_url'])
    .where('milestones.external_id', 'in', c).execute());
  return new Map(withExternalId(rows).map((r) => [r.external_id, r]));
}

export async function loadIndicators(db: Db, ids: Iterable<string>): Promise<Map<string, ExistingIndicator>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('indicators').innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id')
    .select(['indicators.id', 'indicators.external_id', 'indicators.action_plan_id', 'action_plans.region as plan_region', 'indicators.name', 'indicators.unit',
      'indicators.direction', 'indicators.baseline_value', 'indicators.baseline_date', 'indicators.target_value', 'indicators.target_date'])
    .where('indicators.external_id', 'in', c).execute());
  return new Map(withExternalId(rows).map((r) => [r.external_id, { ...r, baseline_value: Number(r.baseline_value), target_value: Number(r.target_value) }]));
}

export async function loadMeasurements(db: Db, ids: Iterable<string>): Promise<Map<string, ExistingMeasurement>> {
  const rows = await byChunks(ids, (c) => db.selectFrom('measurements')
    .innerJoin('indicators', 'indicators.id', 'measurements.indicator_id')
    .innerJoin('action_plans', 'action_plans.id', 'indicators.action_plan_id')
    .select(['measurements.id', 'measurements.external_id', 'measurements.indicator_id', 'action_plans.region as plan_region', 'measurements.value',
      'measurements.date', 'measurements.source', 'measurements.note'])
    .where('measurements.external_id', 'in', c).execute());
  return new Map(withExternalId(rows).map((r) => [r.external_id, { ...r, value: Number(r.value) }]));
}
