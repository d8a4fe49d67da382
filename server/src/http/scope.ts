/**
 * Object-level authorization (the `scope: 'region'` rule of the route table): editors write only records whose
 * region is among theirs, may not move a record out of their regions, and may change only the fields their
 * role allows. Every refusal is a 403 that names the reason (and the field), and is written to the audit trail.
 */
import type { RegionCode } from '@mm/shared';
import type { Context } from 'hono';
import { recordRefusal } from '../queries/audit.ts';
import type { AppEnv, SessionUser } from './endpoint.ts';
import { ProblemError, type FieldError } from './problem.ts';

/** Whether the user may write records of this region (admins: every region; editors: theirs; viewers: none). */
export function mayWriteRegion(user: SessionUser, region: string): boolean {
  if (user.role === 'admin') return true;
  if (user.role !== 'editor') return false;
  return (user.regions as readonly string[]).includes(region);
}

/** Regions whose records the user may write or see restricted data of; null means all regions. */
export function scopeRegions(user: SessionUser): readonly RegionCode[] | null {
  return user.role === 'admin' ? null : user.regions;
}

async function refuse(c: Context<AppEnv>, user: SessionUser, detail: string, errors?: FieldError[]): Promise<never> {
  await recordRefusal(c.get('deps'), user, `${c.req.method} ${c.req.path}`, detail);
  throw new ProblemError(403, 'Forbidden', detail, errors);
}

/** 403 unless the user may write a record of `region`; `moving` words the refusal for a change of region. */
export async function assertRegion(c: Context<AppEnv>, user: SessionUser, region: string, moving = false): Promise<void> {
  if (mayWriteRegion(user, region)) return;
  const yours = user.regions.length > 0 ? user.regions.join(', ') : 'none';
  await refuse(c, user, moving
    ? `You may not move a record into region ${region}; your regions: ${yours}.`
    : `This record belongs to region ${region}; you may change records of your regions only (${yours}).`,
  [{ field: 'region', reason: moving ? 'outside your regions' : 'record is outside your regions', value: region }]);
}

/**
 * For editors: 403 naming every field of `body` outside `allowed` (rejected, not ignored). Admins pass.
 * `allowed = []` means editors may not make this change at all.
 */
export async function assertEditorFields(c: Context<AppEnv>, user: SessionUser, body: object, allowed: readonly string[]): Promise<void> {
  if (user.role === 'admin') return;
  const bad = Object.keys(body).filter((k) => !allowed.includes(k));
  if (bad.length === 0) return;
  await refuse(c, user, `Your role may not change ${bad.map((f) => `"${f}"`).join(', ')}${allowed.length > 0 ? `; editors may change only ${allowed.join(', ')}` : ''}.`,
    bad.map((field) => ({ field, reason: 'your role may not change this field' })));
}

/** The signed-in user of a non-public route (mount.ts has already answered 401 without one). */
export function signedIn(user: SessionUser | null): SessionUser {
  if (!user) throw new ProblemError(401, 'Sign-in required', 'Sign in to use this route.');
  return user;
}
