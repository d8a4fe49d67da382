/**
 * Partnerships with their partners (name, type, role, lead), mandates, outcomes and linked action plans.
 * lead_partner_type is denormalised from the lead partner and set on every create/update, in the same
 * transaction as the versioned write and its audit entry.
 */
import { withRetry } from '../db/retry.ts';
import {
  OUTCOMES, partnershipInput, type Partnership, type PartnershipInput, type PartnershipListQuery, type partnershipPatch,
} from '@mm/shared';
import type { z } from 'zod';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { groupBy, num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { badRequest, fieldErrors } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { partnershipIds } from './filters.ts';
import { asOfOf } from './progress.ts';
import { contains, offsetOf, orderExpr, sortSpec, type Page } from './records.ts';

type PartnershipPatch = z.infer<typeof partnershipPatch>;
const objectiveOf = new Map<string, string>(OUTCOMES.map((o) => [o.code, o.objective]));

const SORT = {
  title: { column: 'title', text: true }, region: { column: 'region' }, country: { column: 'country' }, modality: { column: 'modality' },
  level: { column: 'level' }, status: { column: 'status' }, startDate: { column: 'start_date' }, endDate: { column: 'end_date' },
  resourcesUsd: { column: 'resources_usd' }, leadPartnerType: { column: 'lead_partner_type' }, id: { column: 'id' }, updatedAt: { column: 'updated_at' },
};

interface Row {
  id: number; external_id: string | null; title: string; modality: string; level: string; region: string; country: string | null;
  start_date: string; end_date: string; resources_usd: number; status: string; lead_partner_type: string | null; version: number; created_at: string; updated_at: string;
}

async function hydrate(db: Db, rows: readonly Row[]): Promise<Partnership[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [partners, mandates, outcomes, plans] = await Promise.all([
    db.selectFrom('partnership_partners').innerJoin('partners', 'partners.id', 'partnership_partners.partner_id')
      .select(['partnership_partners.partnership_id', 'partnership_partners.partner_id', 'partnership_partners.role', 'partnership_partners.lead', 'partners.name', 'partners.partner_type'])
      .where('partnership_partners.partnership_id', 'in', ids).orderBy('partnership_partners.lead', 'desc').orderBy('partners.name').orderBy('partners.id').execute(),
    db.selectFrom('partnership_mandates').select(['partnership_id', 'mandate']).where('partnership_id', 'in', ids).orderBy('mandate').execute(),
    db.selectFrom('partnership_outcomes').select(['partnership_id', 'outcome']).where('partnership_id', 'in', ids).execute(),
    db.selectFrom('action_plan_partnerships').select(['partnership_id', 'action_plan_id']).where('partnership_id', 'in', ids).orderBy('action_plan_id').execute(),
  ]);
  const p = groupBy(partners, (x) => x.partnership_id);
  const m = groupBy(mandates, (x) => x.partnership_id);
  const o = groupBy(outcomes, (x) => x.partnership_id);
  const a = groupBy(plans, (x) => x.partnership_id);
  const byOutcome = (x: string, y: string) => Number(x.slice(1)) - Number(y.slice(1));
  return rows.map((r) => ({
    id: r.id, externalId: r.external_id, title: r.title, modality: r.modality as Partnership['modality'], level: r.level as Partnership['level'],
    region: r.region as Partnership['region'], country: r.country as Partnership['country'],
    mandates: (m.get(r.id) ?? []).map((x) => x.mandate as Partnership['mandates'][number]),
    outcomes: (o.get(r.id) ?? []).map((x) => x.outcome).sort(byOutcome) as Partnership['outcomes'],
    startDate: r.start_date, endDate: r.end_date, resourcesUsd: num(r.resources_usd), status: r.status as Partnership['status'],
    leadPartnerType: r.lead_partner_type as Partnership['leadPartnerType'],
    partners: (p.get(r.id) ?? []).map((x) => ({ partnerId: x.partner_id, role: x.role as Partnership['partners'][number]['role'], lead: x.lead === 1, name: x.name, partnerType: x.partner_type as Partnership['partners'][number]['partnerType'] })),
    actionPlanIds: (a.get(r.id) ?? []).map((x) => x.action_plan_id),
    version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
  } satisfies Partnership));
}

export async function listPartnerships(deps: AppDeps, q: PartnershipListQuery): Promise<Page<Partnership>> {
  const sort = sortSpec('partnerships', q.sort, SORT, 'title');
  let b = deps.db.selectFrom('partnerships');
  const ids = partnershipIds(deps.db, { ...q, status: [] });
  if (ids) b = b.where('id', 'in', ids);
  // As the progress summary counts them: with an as-of date, only partnerships started by then; "active" means
  // running at the as-of date (default today) and neither pipeline nor suspended, so a tile's drill-down lists
  // exactly the partnerships it counted. Other statuses match the recorded status.
  const asOf = asOfOf(deps, q);
  if (q.asOf) b = b.where('start_date', '<=', q.asOf);
  if (q.status.length > 0) {
    const recorded = q.status.filter((st) => st !== 'active');
    const active = q.status.includes('active');
    b = b.where((eb) => eb.or([
      ...(recorded.length > 0 ? [eb('status', 'in', recorded)] : []),
      ...(active ? [eb.and([eb('start_date', '<=', asOf), eb('end_date', '>=', asOf), eb('status', 'not in', ['pipeline', 'suspended'])])] : []),
    ]));
  }
  if (q.q) b = b.where(contains('title', q.q));
  if (q.partnerId !== undefined) b = b.where('id', 'in', deps.db.selectFrom('partnership_partners').select('partnership_id').where('partner_id', '=', q.partnerId));
  if (q.actionPlanId !== undefined) b = b.where('id', 'in', deps.db.selectFrom('action_plan_partnerships').select('partnership_id').where('action_plan_id', '=', q.actionPlanId));
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.selectAll().orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: await hydrate(deps.db, rows), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getPartnership(deps: Pick<AppDeps, 'db'>, id: number, db: Db = deps.db): Promise<Partnership | undefined> {
  const r = await db.selectFrom('partnerships').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const [p] = await hydrate(db, [r]);
  return p;
}

/** Every partner must exist; returns the lead partner's type (what lead_partner_type is derived from). */
async function leadTypeOf(db: Db, partners: PartnershipInput['partners']): Promise<string> {
  const ids = partners.map((p) => p.partnerId);
  const found = new Map((await db.selectFrom('partners').select(['id', 'partner_type']).where('id', 'in', ids).execute()).map((r) => [r.id, r.partner_type]));
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length > 0) throw badRequest('Some partners do not exist.', [{ field: 'partners', reason: `no partner with id ${missing.join(', ')}` }]);
  const lead = partners.find((p) => p.lead);
  const type = lead ? found.get(lead.partnerId) : undefined;
  if (!type) throw badRequest('The partnership needs a lead partner.', [{ field: 'partners', reason: 'exactly one partner must be the lead partner' }]);
  return type;
}

async function writeLinks(trx: Db, id: number, v: { mandates?: readonly string[]; outcomes?: readonly string[]; partners?: PartnershipInput['partners'] }): Promise<void> {
  if (v.mandates) {
    await trx.deleteFrom('partnership_mandates').where('partnership_id', '=', id).execute();
    const rows = [...new Set(v.mandates)].map((mandate) => ({ partnership_id: id, mandate }));
    if (rows.length > 0) await trx.insertInto('partnership_mandates').values(rows).execute();
  }
  if (v.outcomes) {
    await trx.deleteFrom('partnership_outcomes').where('partnership_id', '=', id).execute();
    const rows = [...new Set(v.outcomes)].map((outcome) => ({ partnership_id: id, outcome, objective: objectiveOf.get(outcome) ?? '' }));
    if (rows.length > 0) await trx.insertInto('partnership_outcomes').values(rows).execute();
  }
  if (v.partners) {
    await trx.deleteFrom('partnership_partners').where('partnership_id', '=', id).execute();
    const rows = v.partners.map((p) => ({ partnership_id: id, partner_id: p.partnerId, role: p.role, lead: p.lead ? 1 : 0 }));
    if (rows.length > 0) await trx.insertInto('partnership_partners').values(rows).execute();
  }
}

export async function createPartnership(deps: AppDeps, actor: AuditActor, input: PartnershipInput): Promise<Partnership> {
  const leadType = await leadTypeOf(deps.db, input.partners);
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('partnerships').values({
      external_id: input.externalId ?? null, title: input.title, modality: input.modality, level: input.level, region: input.region, country: input.country ?? null,
      start_date: input.startDate, end_date: input.endDate, resources_usd: input.resourcesUsd, status: input.status, lead_partner_type: leadType,
      version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await writeLinks(trx, id, input);
    const after = await getPartnership(deps, id, trx);
    if (!after) throw new Error('inserted partnership not found');
    await writeAudit(trx, now, { actor, action: 'create', entity: 'partnership', entityId: id, region: after.region, after });
    await bumpDataVersion(trx);
    return after;
  });
}

export async function updatePartnership(deps: AppDeps, actor: AuditActor, before: Partnership, expected: number, p: PartnershipPatch): Promise<Partnership> {
  // Cross-field rules (date order, exactly one lead, each partner once) hold for the merged record.
  const merged = {
    title: p.title ?? before.title, modality: p.modality ?? before.modality, level: p.level ?? before.level, region: p.region ?? before.region,
    country: p.country !== undefined ? p.country : before.country, mandates: p.mandates ?? before.mandates, outcomes: p.outcomes ?? before.outcomes,
    startDate: p.startDate ?? before.startDate, endDate: p.endDate ?? before.endDate, resourcesUsd: p.resourcesUsd ?? before.resourcesUsd,
    status: p.status ?? before.status, partners: p.partners ?? before.partners.map((x) => ({ partnerId: x.partnerId, role: x.role, lead: x.lead })),
  };
  const checked = partnershipInput.safeParse(merged);
  if (!checked.success) throw badRequest('The partnership would not be valid after this change.', fieldErrors(checked.error, merged));
  const leadType = await leadTypeOf(deps.db, merged.partners);
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('partnerships').set((eb) => ({
      ...(p.externalId !== undefined ? { external_id: p.externalId } : {}),
      title: merged.title, modality: merged.modality, level: merged.level, region: merged.region, country: merged.country ?? null,
      start_date: merged.startDate, end_date: merged.endDate, resources_usd: merged.resourcesUsd, status: merged.status, lead_partner_type: leadType,
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    await writeLinks(trx, before.id, p);
    const after = await getPartnership(deps, before.id, trx);
    if (!after) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'update', entity: 'partnership', entityId: before.id, region: after.region, before, after });
    await bumpDataVersion(trx);
    return after;
  });
}

/** Deletes the partnership with its partner, mandate, outcome and action-plan links (the audit entry keeps them in `before`). */
export async function deletePartnership(deps: AppDeps, actor: AuditActor, before: Partnership, expected: number): Promise<void> {
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.deleteFrom('partnerships').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'partnership', entityId: before.id, region: before.region, before });
    await bumpDataVersion(trx);
  });
}
