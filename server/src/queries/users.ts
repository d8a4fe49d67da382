/** Users: creation and listing. Passwords are stored only as scrypt hashes. */
import type { RegionCode, Role, User } from '@mm/shared';
import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/types.ts';
import { type AuditActor, writeAudit } from './audit.ts';

export interface NewUser { email: string; name: string; role: Role; regions: RegionCode[]; password: string }

export async function createUser(deps: { db: Db; clock: () => Date }, actor: AuditActor | null, u: NewUser): Promise<User> {
  const hash = await hashPassword(u.password);
  const now = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('users').values({
      email: u.email.trim().toLowerCase(), name: u.name, role: u.role, regions: JSON.stringify(u.regions), password_hash: hash,
      disabled: 0, created_at: now, updated_at: now, version: 1,
    }).returning('id').executeTakeFirstOrThrow();
    const user: User = { id: row.id, email: u.email.trim().toLowerCase(), name: u.name, role: u.role, regions: u.regions, disabled: false };
    await writeAudit(trx, now, { actor, action: 'create', entity: 'user', entityId: row.id, after: user });
    return user;
  });
}
