/**
 * Snapshots, share links and the snapshot setting: data access. A snapshot is written once (a copy of the
 * view's progress numbers and record rows) and never updated; only an admin deletes it, with an audit row.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  progressQuery as filtersSchema, SHARE_TOKEN, SNAPSHOT_ID, snapshotData,
  type Figures, type ProgressFilters, type Settings, type Snapshot, type SnapshotData, type SnapshotSummary, type User,
} from '@mm/shared';
import type { Selectable, Transaction } from 'kysely';
import { withRetry } from '../db/retry.ts';
import { bumpDataVersion, isDemo } from '../db/seed.ts';
import type { Database, Db, SnapshotsTable } from '../db/types.ts';
import type { AppDeps } from '../deps.ts';
import { writeAudit } from '../queries/audit.ts';
import { asOfOf } from '../queries/progress.ts';
import { collectRecords } from './records.ts';
import { progressViews } from './views.ts';

/** A view's filters and which figures it counts (latest when not said). */
type Filters = ProgressFilters & { figures?: Figures };

export interface Actor { id: number; email: string; name: string; role: User['role'] }

/** The filters with their as-of date made explicit, so a snapshot never depends on when it is read. */
export function withAsOf(deps: AppDeps, f: Filters): Filters & { asOf: string; figures: Figures } {
  return { ...f, asOf: asOfOf(deps, f), figures: f.figures ?? 'latest' };
}

/** Everything needed to draw the view again: the progress API's answers and the record rows behind them. */
export async function buildViewData(deps: AppDeps, f: Filters & { asOf: string }): Promise<SnapshotData> {
  const [progress, records] = await Promise.all([progressViews(deps, f), collectRecords(deps.db, f, f.asOf)]);
  return { progress, records };
}

function newSnapshotId(): string {
  return randomBytes(16).toString('base64url');
}

const summaryColumns = ['id', 'title', 'note', 'filters', 'as_of', 'created_by', 'created_by_name', 'created_by_email', 'created_at', 'counts', 'demo'] as const;

function toSummary(r: Omit<Selectable<SnapshotsTable>, 'data'>): SnapshotSummary {
  const counts = JSON.parse(r.counts) as SnapshotSummary['counts'];
  return {
    id: r.id, title: r.title, note: r.note, filters: filtersSchema.parse(JSON.parse(r.filters)), asOf: r.as_of,
    createdBy: { id: r.created_by, name: r.created_by_name, email: r.created_by_email },
    createdAt: r.created_at, demo: r.demo === 1, counts,
  };
}

/** Takes a snapshot; `within` runs in the same transaction (a scheduled run records which snapshot it took). */
export async function createSnapshot(
  deps: AppDeps, actor: Actor, input: { title: string; note?: string | null; filters: Filters },
  within?: (trx: Transaction<Database>, s: SnapshotSummary) => Promise<void>,
): Promise<SnapshotSummary> {
  const f = withAsOf(deps, input.filters);
  const id = newSnapshotId();
  const at = deps.clock().toISOString();
  // Read the view inside one transaction so the copy is consistent even while others write. On PostgreSQL a write
  // committed meanwhile to a row this one updates (the data version, bumped by every write) makes it a
  // serialization failure: taken again, from the start (two snapshots taken at once both succeed).
  return withRetry(deps.db, async (trx) => {
    const data = await buildViewData({ ...deps, db: trx }, f);
    const demo = await isDemo(trx);
    const counts = { partnerships: data.records.partnerships.length, actionPlans: data.records.actionPlans.length, milestones: data.records.milestones.length, indicators: data.records.indicators.length };
    const row = {
      id, title: input.title, note: input.note ?? null, filters: JSON.stringify(f), as_of: f.asOf, created_by: actor.id,
      created_by_name: actor.name, created_by_email: actor.email, created_at: at, counts: JSON.stringify(counts), data: JSON.stringify(data), demo: demo ? 1 : 0,
    };
    await trx.insertInto('snapshots').values(row).execute();
    await writeAudit(trx, at, { actor, action: 'create', entity: 'snapshot', entityId: id, after: { title: input.title, asOf: f.asOf, filters: f } });
    await bumpDataVersion(trx);
    const summary = toSummary(row);
    await within?.(trx, summary);
    return summary;
  }, { isolation: deps.dialect === 'postgres' ? 'repeatable read' : 'serializable' });
}

export async function listSnapshots(db: Db): Promise<SnapshotSummary[]> {
  const rows = await db.selectFrom('snapshots').select(summaryColumns).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toSummary);
}

/** The snapshot with its payload, or undefined. Ids not shaped like ours never reach the query. */
export async function getSnapshot(db: Db, id: string): Promise<Snapshot | undefined> {
  if (!SNAPSHOT_ID.test(id)) return undefined;
  const r = await db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || r.id !== id) return undefined;
  return { ...toSummary(r), data: snapshotData.parse(JSON.parse(r.data)) };
}

export async function deleteSnapshot(deps: AppDeps, actor: Actor, id: string): Promise<boolean> {
  if (!SNAPSHOT_ID.test(id)) return false;
  const at = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('snapshots').select(summaryColumns).where('id', '=', id).executeTakeFirst();
    if (!r) return false;
    await trx.deleteFrom('share_links').where('snapshot_id', '=', id).execute();
    await trx.deleteFrom('snapshots').where('id', '=', id).execute();
    const s = toSummary(r);
    await writeAudit(trx, at, { actor, action: 'delete', entity: 'snapshot', entityId: id, before: { title: s.title, asOf: s.asOf, filters: s.filters, createdBy: s.createdBy, createdAt: s.createdAt } });
    await bumpDataVersion(trx);
    return true;
  });
}

// ------------------------------------------------------------------ share links
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createShareLink(deps: AppDeps, actor: Actor, snapshotId: string, expiresInDays: number): Promise<{ id: number; token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + expiresInDays * 86_400_000).toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.insertInto('share_links').values({
      token_hash: hashToken(token), snapshot_id: snapshotId, created_by: actor.id, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, now.toISOString(), { actor, action: 'create', entity: 'share_link', entityId: r.id, after: { snapshotId, expiresAt } });
    await bumpDataVersion(trx);
    return { id: r.id, token, expiresAt };
  });
}

export async function listShareLinks(db: Db, snapshotId: string) {
  const rows = await db.selectFrom('share_links').select(['id', 'created_at', 'expires_at', 'revoked_at', 'created_by']).where('snapshot_id', '=', snapshotId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, createdBy: r.created_by }));
}

export async function revokeShareLink(deps: AppDeps, actor: Actor, snapshotId: string, linkId: number): Promise<boolean> {
  const at = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('share_links').set({ revoked_at: at })
      .where('id', '=', linkId).where('snapshot_id', '=', snapshotId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await writeAudit(trx, at, { actor, action: 'revoke', entity: 'share_link', entityId: linkId, after: { snapshotId } });
    await bumpDataVersion(trx);
    return true;
  });
}

/** The snapshot a share token opens, or undefined for any unknown, malformed, expired or revoked token. */
export async function snapshotIdForToken(deps: AppDeps, token: string): Promise<string | undefined> {
  if (!SHARE_TOKEN.test(token)) return undefined;
  const r = await deps.db.selectFrom('share_links').select(['snapshot_id', 'expires_at', 'revoked_at', 'token_hash'])
    .where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!r || r.token_hash !== hashToken(token) || r.revoked_at !== null) return undefined;
  if (r.expires_at <= deps.clock().toISOString()) return undefined;
  return r.snapshot_id;
}

// ------------------------------------------------------------------ the snapshot setting
const VIEWERS_KEY = 'viewers_may_take_snapshots';

export async function getSettings(db: Db): Promise<Settings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', VIEWERS_KEY).executeTakeFirst();
  return { viewersMayTakeSnapshots: r ? JSON.parse(r.value) === true : false };
}

export async function putSettings(deps: AppDeps, actor: Actor, s: Settings): Promise<Settings> {
  const at = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const before = await getSettings(trx);
    const value = JSON.stringify(s.viewersMayTakeSnapshots);
    const u = await trx.updateTable('settings').set({ value, updated_at: at, updated_by: actor.id }).where('key', '=', VIEWERS_KEY).executeTakeFirst();
    if (Number(u.numUpdatedRows) === 0) await trx.insertInto('settings').values({ key: VIEWERS_KEY, value, updated_at: at, updated_by: actor.id }).execute();
    await writeAudit(trx, at, { actor, action: 'update', entity: 'settings', entityId: VIEWERS_KEY, before, after: s });
    await bumpDataVersion(trx);
    return s;
  });
}

/** Editors and admins may take snapshots; viewers when the admin setting allows. */
export async function mayTakeSnapshot(db: Db, role: User['role']): Promise<boolean> {
  if (role === 'admin' || role === 'editor') return true;
  return (await getSettings(db)).viewersMayTakeSnapshots;
}
