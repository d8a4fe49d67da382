/**
 * The shared filters (region, country, partnerType, modality, mandate, objective, outcome, from, to) as
 * id subqueries, so any list or aggregate composes them with `where(col, 'in', …)`, identically on both
 * databases. `status` is resource-specific and applied by each resource; `asOf` is applied by the progress code.
 *
 * Counting rules (also stated in API responses and docs):
 * - a partnership matches partnerType by its lead partner's type;
 * - an action plan matches partnerType / modality when any linked partnership's lead type / modality matches;
 * - mandates and outcomes match when any of the record's mandates / outcomes is selected;
 * - from/to select records whose period overlaps [from, to].
 */
import type { Filters } from '@mm/shared';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '../db/types.ts';

export type IdQuery = SelectQueryBuilder<Database, keyof Database, { id: number }>;

const has = (xs: readonly unknown[]) => xs.length > 0;

/** True when any filter other than status/asOf narrows the records. */
export function narrows(f: Filters): boolean {
  return has(f.region) || has(f.country) || has(f.partnerType) || has(f.modality) || has(f.mandate) || has(f.objective) || has(f.outcome) || f.from !== undefined || f.to !== undefined;
}

/** Ids of partnerships matching the filters, or null when nothing narrows them. */
export function partnershipIds(db: Db, f: Filters): IdQuery | null {
  if (!narrows(f)) return null;
  let q = db.selectFrom('partnerships').select('partnerships.id as id');
  if (has(f.region)) q = q.where('partnerships.region', 'in', f.region);
  if (has(f.country)) q = q.where('partnerships.country', 'in', f.country);
  if (has(f.partnerType)) q = q.where('partnerships.lead_partner_type', 'in', f.partnerType);
  if (has(f.modality)) q = q.where('partnerships.modality', 'in', f.modality);
  if (has(f.mandate)) q = q.where('partnerships.id', 'in', db.selectFrom('partnership_mandates').select('partnership_id').where('mandate', 'in', f.mandate));
  if (has(f.outcome)) q = q.where('partnerships.id', 'in', db.selectFrom('partnership_outcomes').select('partnership_id').where('outcome', 'in', f.outcome));
  if (has(f.objective)) q = q.where('partnerships.id', 'in', db.selectFrom('partnership_outcomes').select('partnership_id').where('objective', 'in', f.objective));
  if (f.from) q = q.where('partnerships.end_date', '>=', f.from);
  if (f.to) q = q.where('partnerships.start_date', '<=', f.to);
  return q as unknown as IdQuery;
}

/** Ids of action plans matching the filters, or null when nothing narrows them. */
export function actionPlanIds(db: Db, f: Filters): IdQuery | null {
  if (!narrows(f)) return null;
  let q = db.selectFrom('action_plans').select('action_plans.id as id');
  if (has(f.region)) q = q.where('action_plans.region', 'in', f.region);
  if (has(f.country)) q = q.where('action_plans.country', 'in', f.country);
  if (has(f.partnerType) || has(f.modality)) {
    let linked = db.selectFrom('action_plan_partnerships').innerJoin('partnerships', 'partnerships.id', 'action_plan_partnerships.partnership_id').select('action_plan_partnerships.action_plan_id');
    if (has(f.partnerType)) linked = linked.where('partnerships.lead_partner_type', 'in', f.partnerType);
    if (has(f.modality)) linked = linked.where('partnerships.modality', 'in', f.modality);
    q = q.where('action_plans.id', 'in', linked);
  }
  if (has(f.mandate)) q = q.where('action_plans.id', 'in', db.selectFrom('action_plan_mandates').select('action_plan_id').where('mandate', 'in', f.mandate));
  if (has(f.outcome)) q = q.where('action_plans.id', 'in', db.selectFrom('action_plan_outcomes').select('action_plan_id').where('outcome', 'in', f.outcome));
  if (has(f.objective)) q = q.where('action_plans.id', 'in', db.selectFrom('action_plan_outcomes').select('action_plan_id').where('objective', 'in', f.objective));
  if (f.from) q = q.where('action_plans.end_date', '>=', f.from);
  if (f.to) q = q.where('action_plans.start_date', '<=', f.to);
  return q as unknown as IdQuery;
}
