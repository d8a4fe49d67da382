/** Pure shaping for the accounts page (admins): role descriptions, the list's order and filter, the form's checks. */
import type { UserPatch, UserRecord } from '@mm/shared';
import { labelOf, REGIONS, type RegionCode, ROLES } from '@mm/shared/reference';

export type Role = (typeof ROLES)[number];

/** What each role may do, as the server enforces it (server/src/routes/index.ts). */
export const ROLE_INFO: Record<Role, { label: string; does: string; regional: boolean }> = {
  viewer: { label: 'Viewer', does: 'Reads the dashboard, lists and records; takes and shares snapshots.', regional: false },
  editor: { label: 'Editor', does: 'Updates milestones, records indicator values and assessments, imports and submits reporting periods for their regions.', regional: true },
  reviewer: { label: 'Reviewer', does: 'Approves or returns the reporting submissions of their regions.', regional: true },
  admin: { label: 'Admin', does: 'Everything: records of every region, accounts, reporting periods, events and the scorecard checklist.', regional: false },
};

export const roleLabel = (r: string): string => (ROLE_INFO as Record<string, { label: string } | undefined>)[r]?.label ?? r;

/** "Africa, Americas" — or what no regions means for the role. */
export function regionsText(u: Pick<UserRecord, 'role' | 'regions'>): string {
  if (u.role === 'admin') return 'Every region';
  if (u.regions.length === 0) return ROLE_INFO[u.role as Role]?.regional ? 'No region yet (can change nothing)' : '—';
  return u.regions.map((r) => labelOf(REGIONS, r)).join(', ');
}

/** Active accounts first, then by name; `q` matches name or email, case-insensitively. */
export function visibleUsers(users: readonly UserRecord[], q: string, role: string): UserRecord[] {
  const needle = q.trim().toLowerCase();
  return users
    .filter((u) => (role === '' || u.role === role) && (needle === '' || u.name.toLowerCase().includes(needle) || u.email.toLowerCase().includes(needle)))
    .sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.name.localeCompare(b.name) || a.id - b.id);
}

export interface UserForm { email: string; name: string; role: Role; regions: RegionCode[]; disabled: boolean; password: string }

export const emptyForm = (): UserForm => ({ email: '', name: '', role: 'viewer', regions: [], disabled: false, password: '' });
export const formOf = (u: UserRecord): UserForm => ({ email: u.email, name: u.name, role: u.role as Role, regions: [...u.regions], disabled: u.disabled, password: '' });

/** Problems the form can tell before sending (the server checks the same and more). */
export function formProblems(f: UserForm, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (creating && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) out.email = 'Enter an email address.';
  if (f.name.trim() === '') out.name = 'Enter a name.';
  if ((creating || f.password !== '') && f.password.length < 12) out.password = creating ? 'Give a first password of at least 12 characters.' : 'A new password needs at least 12 characters.';
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
