/** The audit trail: append-only, written in the same transaction as the change it records. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import type { AppDeps } from '../deps.ts';

export interface AuditActor { id: number; email: string }
export interface AuditEntry {
  actor: AuditActor | null;
  action: 'create' | 'update' | 'delete' | 'login_failed' | 'forbidden' | 'login' | 'logout' | 'import' | string;
  entity: string;
  entityId?: string | number | null;
  region?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(db: Kysely<Database>, at: string, e: AuditEntry): Promise<void> {
  await db.insertInto('audit').values({
    at,
    user_id: e.actor?.id ?? null,
    user_email: e.actor?.email ?? null,
    action: e.action,
    entity: e.entity,
    entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    region: e.region ?? null,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
  }).execute();
}

/** Records a refused authorization; never lets a logging failure turn a 403 into a 500. */
export async function recordRefusal(deps: AppDeps, user: AuditActor | null, route: string, reason: string): Promise<void> {
  try {
    await writeAudit(deps.db, deps.clock().toISOString(), { actor: user, action: 'forbidden', entity: 'route', entityId: route, after: { reason } });
  } catch {
    // The refusal itself stands; the audit write is best effort here.
  }
}
