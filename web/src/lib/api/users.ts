/** Accounts (admins): the list, create, and versioned changes (If-Match; a 412 carries the account as it is now). */
import type { UserCreateInput, UserPatch, UserRecord } from '@mm/shared';
import { ApiError, getJson, send } from './client.ts';
import { Conflict } from './editing.ts';

type Ctx = { signal: AbortSignal };

export const usersQuery = {
  queryKey: ['users'] as const,
  queryFn: ({ signal }: Ctx) => getJson<{ items: UserRecord[]; total: number }>('/users', signal),
};

export function createUser(input: UserCreateInput): Promise<UserRecord> {
  return send<UserRecord>('POST', '/users', { json: input });
}

function isUser(v: unknown): v is UserRecord {
  return typeof v === 'object' && v !== null && 'id' in v && 'email' in v && 'version' in v && typeof v.version === 'number';
}

/** Changes an account at the version the admin saw; a stale version throws Conflict with the current account. */
export async function updateUser(id: number, version: number, change: UserPatch): Promise<UserRecord> {
  try {
    return await send<UserRecord>('PATCH', `/users/${id}`, { json: change, headers: { 'If-Match': `"${version}"` } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && 'current' in e.problem && isUser(e.problem.current)) throw new Conflict(e.problem.current);
    throw e;
  }
}
