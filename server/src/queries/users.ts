/** Users: creation, listing and admin changes. Passwords are stored only as scrypt hashes and never audited. */
import { withRetry } from '../db/retry.ts';
import { locale as localeCode, region, role, type Locale, type RegionCode, type Role, type User, type UserPatch, type UserRecord } from '@mm/shared';
import { z } from 'zod';
import { hashPassword, NO_PASSWORD } from '../auth/passwords.ts';
import { bumpDataVersion } from '../db/seed.ts';
import type { Db } from '../db/types.ts';
import { num } from '../db/util.ts';
import { StaleWrite } from '../http/etag.ts';
import { type AuditActor, writeAudit } from './audit.ts';

/** `password: null`: an account that signs in only through single sign-on (no password can match it). */
export interface NewUser { email: string; name: string; role: Role; regions: RegionCode[]; password: string | null }
type Deps = { db: Db; clock: () => Date };

export async function createUser(deps: Deps, actor: AuditActor | null, u: NewUser): Promise<User> {
  const hash = u.password === null ? NO_PASSWORD : await hashPassword(u.password);
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const row = await trx.insertInto('users').values({
      email: u.email.trim().toLowerCase(), name: u.name, role: u.role, regions: JSON.stringify(u.regions), password_hash: hash,
      disabled: 0, created_at: now, updated_at: now, version: 1,
    }).returning('id').executeTakeFirstOrThrow();
    const user: User = { id: row.id, email: u.email.trim().toLowerCase(), name: u.name, role: u.role, regions: u.regions, disabled: false };
    await writeAudit(trx, now, { actor, action: 'create', entity: 'user', entityId: row.id, after: user });
    await bumpDataVersion(trx);
    return user;
  });
}

interface Row { id: number; email: string; name: string; role: string; regions: string; disabled: number; version: number; created_at: string; updated_at: string }
const regionList = z.array(region);
const toRecord = (r: Row): UserRecord => ({
  id: r.id, email: r.email, name: r.name, role: role.parse(r.role), regions: regionList.parse(JSON.parse(r.regions)), disabled: r.disabled === 1,
  version: num(r.version), createdAt: r.created_at, updatedAt: r.updated_at,
});
const COLUMNS = ['id', 'email', 'name', 'role', 'regions', 'disabled', 'version', 'created_at', 'updated_at'] as const;

export async function listUsers(db: Db): Promise<UserRecord[]> {
  return (await db.selectFrom('users').select([...COLUMNS]).orderBy('email').execute()).map(toRecord);
}

export async function getUser(db: Db, id: number): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').select([...COLUMNS]).where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst()) !== undefined;
}

const auditView = ({ version: _v, createdAt: _c, updatedAt: _u, ...u }: UserRecord) => u;

/**
 * Versioned admin change of an account. Disabling deletes the user's sessions in the same transaction, so they
 * are signed out at once; a password reset also ends their sessions (whoever knew the old one is out).
 */
export async function updateUser(deps: Deps, actor: AuditActor, before: UserRecord, expected: number, p: UserPatch): Promise<UserRecord> {
  const hash = p.password !== undefined ? await hashPassword(p.password) : undefined;
  const now = deps.clock().toISOString();
  return withRetry(deps.db, async (trx) => {
    const r = await trx.updateTable('users').set((eb) => ({
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.role !== undefined ? { role: p.role } : {}),
      ...(p.regions !== undefined ? { regions: JSON.stringify([...new Set(p.regions)]) } : {}),
      ...(p.disabled !== undefined ? { disabled: p.disabled ? 1 : 0 } : {}),
      ...(hash !== undefined ? { password_hash: hash } : {}),
      updated_at: now, version: eb('version', '+', 1),
    })).where('id', '=', before.id).where('version', '=', expected).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new StaleWrite();
    if (p.disabled === true || hash !== undefined) await trx.deleteFrom('sessions').where('user_id', '=', before.id).execute();
    const after = await getUser(trx, before.id);
    if (!after) throw new StaleWrite();
    await writeAudit(trx, now, {
      actor, action: 'update', entity: 'user', entityId: before.id, before: auditView(before),
      after: { ...auditView(after), ...(hash !== undefined ? { passwordReset: true } : {}) },
    });
    await bumpDataVersion(trx);
    return after;
  });
}

/** A stored locale as one of ours (anything else reads as not chosen). */
export function localeOf(stored: string | null | undefined): Locale | null {
  const parsed = localeCode.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** A person's chosen language, or null when they have not chosen one. */
export async function userLocale(db: Db, userId: number): Promise<Locale | null> {
  const row = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return localeOf(row?.locale);
}
