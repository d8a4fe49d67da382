/**
 * Partners (organisations). They have no region of their own, so only admins write them. Changing a partner's
 * type re-derives partnerships.lead_partner_type where it leads, in the same transaction.
 */
import { withRetry } from '../db/retry.ts';
import type { Partner, PartnerInput, PartnerListQuery } from '@mm/shared';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { StaleWrite } from '../http/etag.ts';
import { ProblemError } from '../http/problem.ts';
import { type AuditActor, writeAudit } from './audit.ts';
import { partnershipIds } from './filters.ts';
import { contains, offsetOf, orderExpr, sortSpec, type Page } from './records.ts';

const SORT = {
  name: { column: 'name', text: true }, partnerType: { column: 'partner_type' }, hqRegion: { column: 'hq_region' }, id: { column: 'id' }, updatedAt: { column: 'updated_at' },
};
interface Row { id: number; external_id: string | null; name: string; partner_type: string; hq_country: string | null; hq_region: string | null; version: number; created_at: string; updated_at: string }
const toPartner = (r: Row): Partner => ({
  id: r.id, externalId: r.external_id, name: r.name, partnerType: r.partner_type as Partner['partnerType'], hqCountry: r.hq_country as Partner['hqCountry'],
  hqRegion: r.hq_region as Partner['hqRegion'], version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
});

/** `partnerType` is the partner's own type; the other filters keep partners taking part in a matching partnership. */
export async function listPartners(deps: AppDeps, q: PartnerListQuery): Promise<Page<Partner>> {
  const sort = sortSpec('partners', q.sort, SORT, 'name');
  let b = deps.db.selectFrom('partners');
  if (q.partnerType.length > 0) b = b.where('partner_type', 'in', q.partnerType);
  const ps = partnershipIds(deps.db, { ...q, partnerType: [], status: [] });
  if (ps) b = b.where('id', 'in', deps.db.selectFrom('partnership_partners').select('partner_id').where('partnership_id', 'in', ps));
  if (q.q) b = b.where(contains('name', q.q));
  const [count, rows] = await Promise.all([
    b.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    b.selectAll().orderBy(orderExpr(sort), sort.desc ? 'desc' : 'asc').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute(),
  ]);
  return { items: rows.map(toPartner), total: num(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getPartner(deps: Pick<AppDeps, 'db'>, id: number, db: Db = deps.db): Promise<Partner | undefined> {
  const r = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toPartner(r) : undefined;
}

export async function createPartner(deps: AppDeps, actor: AuditActor, input: PartnerInput): Promise<Partner> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const { id } = await trx.insertInto('partners').values({
      external_id: input.externalId ?? null, name: input.name, partner_type: input.partnerType, hq_country: input.hqCountry ?? null, hq_region: input.hqRegion ?? null,
      version: 1, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    const p = await getPartner(deps, id, trx);
    if (!p) throw new Error('inserted partner not found');
    await writeAudit(trx, now, { actor, action: 'create', entity: 'partner', entityId: id, after: p });
    await bumpDataVersion(trx);
    return p;
  });
}

export async function updatePartner(deps: AppDeps, actor: AuditActor, before: Partner, expected: number, p: Partial<PartnerInput>): Promise<Partner> {
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('partners').set((eb) => ({
      ...(p.externalId !== undefined ? { external_id: p.externalId } : {}),
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.partnerType !== undefined ? { partner_type: p.partnerType } : {}),
      ...(p.hqCountry !== undefined ? { hq_country: p.hqCountry } : {}),
      ...(p.hqRegion !== undefined ? { hq_region: p.hqRegion } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    if (p.partnerType !== undefined && p.partnerType !== before.partnerType) {
      // The lead partner's type is denormalised onto its partnerships (filters and charts group by it); their
      // representation changes, so their version moves too and a stale partnership edit is caught.
      await trx.updateTable('partnerships').set((eb) => ({ lead_partner_type: p.partnerType, version: eb('version', '+', 1) }))
        .where('id', 'in', trx.selectFrom('partnership_partners').select('partnership_id').where('partner_id', '=', before.id).where('lead', '=', 1))
        .execute();
    }
    if (p.hqRegion !== undefined && p.hqRegion !== before.hqRegion) {
      // An agency's scorecard assessments take its headquarters region (GLO without one): derived on write, kept here.
      await trx.updateTable('assessments').set({ region: p.hqRegion ?? 'GLO' }).where('partner_id', '=', before.id).execute();
    }
    const after = await getPartner(deps, before.id, trx);
    if (!after) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'update', entity: 'partner', entityId: before.id, before, after });
    await bumpDataVersion(trx);
    return after;
  });
}

/** Refuses (409) while the partner takes part in partnerships. */
export async function deletePartner(deps: AppDeps, actor: AuditActor, before: Partner, expected: number): Promise<void> {
  const used = await deps.db.selectFrom('partnership_partners').select((eb) => eb.fn.countAll().as('n')).where('partner_id', '=', before.id).executeTakeFirstOrThrow();
  if (num(used.n) > 0) throw new ProblemError(409, 'Partner in use', `The partner takes part in ${num(used.n)} partnership(s); remove it from them first.`);
  const assessed = await deps.db.selectFrom('assessments').select((eb) => eb.fn.countAll().as('n')).where('partner_id', '=', before.id).executeTakeFirstOrThrow();
  if (num(assessed.n) > 0) throw new ProblemError(409, 'Partner in use', `The partner has ${num(assessed.n)} scorecard assessment(s); delete them first.`);
  const now = deps.clock().toISOString();
  await withRetry(deps.db, async (trx) => {
    const r = await trx.deleteFrom('partners').where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new StaleWrite();
    await writeAudit(trx, now, { actor, action: 'delete', entity: 'partner', entityId: before.id, before });
    await bumpDataVersion(trx);
  });
}
