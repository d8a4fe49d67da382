/** Pure shaping for the accounts page (admins): role descriptions, the list's order and filter, the form's checks. */
import type { UserPatch, UserRecord } from '@mm/shared';
import { type RegionCode, ROLES } from '@mm/shared/reference';
import { compareNames } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';
import { regionLabel, roleLabel as roleWord } from '../../lib/i18n/reference.ts';

export type Role = (typeof ROLES)[number];

/** What each role may do, as the server enforces it (server/src/routes/index.ts), in the page's language. */
export const ROLE_INFO: Record<Role, { does: string; regional: boolean }> = {
  viewer: { does: m.usr2_does_viewer(), regional: false },
  editor: { does: m.usr2_does_editor(), regional: true },
  reviewer: { does: m.usr2_does_reviewer(), regional: true },
  admin: { does: m.usr2_does_admin(), regional: false },
};

/** A role as a list or heading shows it: "Reviewer" / "Réviseur" / "Revisor" (lower case mid-sentence: reference.ts's roleLabel). */
export const roleLabel = (r: string): string => {
  const word = roleWord(r);
  return word.charAt(0).toLocaleUpperCase() + word.slice(1);
};

/** "Africa, Americas" — or what no regions means for the role. */
export function regionsText(u: Pick<UserRecord, 'role' | 'regions'>): string {
  if (u.role === 'admin') return m.usr2_everyRegion();
  if (u.regions.length === 0) return ROLE_INFO[u.role as Role]?.regional ? m.usr2_noRegionYet() : '—';
  return u.regions.map((r) => regionLabel(r)).join(', ');
}

/** Active accounts first, then by name (as the page's language orders names); `q` matches name or email, case-insensitively. */
export function visibleUsers(users: readonly UserRecord[], q: string, role: string): UserRecord[] {
  const needle = q.trim().toLowerCase();
  return users
    .filter((u) => (role === '' || u.role === role) && (needle === '' || u.name.toLowerCase().includes(needle) || u.email.toLowerCase().includes(needle)))
    .sort((a, b) => Number(a.disabled) - Number(b.disabled) || compareNames(a.name, b.name) || a.id - b.id);
}

export interface UserForm { email: string; name: string; role: Role; regions: RegionCode[]; disabled: boolean; password: string }

export const emptyForm = (): UserForm => ({ email: '', name: '', role: 'viewer', regions: [], disabled: false, password: '' });
export const formOf = (u: UserRecord): UserForm => ({ email: u.email, name: u.name, role: u.role as Role, regions: [...u.regions], disabled: u.disabled, password: '' });

/** Problems the form can tell before sending (the server checks the same and more). */
export function formProblems(f: UserForm, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (creating && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) out.email = m.usr2_needEmail();
  if (f.name.trim() === '') out.name = m.usr2_needName();
  if ((creating || f.password !== '') && f.password.length < 12) out.password = creating ? m.usr2_needFirstPassword() : m.usr2_needLongerPassword();
  return out;
}

/** Only the fields that changed, so a save says exactly what the admin did (and the audit shows that). */
export function patchOf(before: UserRecord, f: UserForm): UserPatch {
  const p: UserPatch = {};
  if (f.name.trim() !== before.name) p.name = f.name.trim();
  if (f.role !== before.role) p.role = f.role;
  const regions = f.role === 'admin' ? [] : [...f.regions].sort();
  if (regions.join() !== [...before.regions].sort().join()) p.regions = regions;
  if (f.disabled !== before.disabled) p.disabled = f.disabled;
  if (f.password !== '') p.password = f.password;
  return p;
}
