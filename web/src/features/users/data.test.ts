import type { UserRecord } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { emptyForm, formOf, formProblems, patchOf, regionsText, visibleUsers } from './data.ts';

const user = (over: Partial<UserRecord>): UserRecord => ({
  id: 1, email: 'a@x.org', name: 'A', role: 'viewer', regions: [], disabled: false, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...over,
});

describe('accounts page shaping', () => {
  it('says where a user may act: region names, every region for admins, a warning for a regional role without regions', () => {
    expect(regionsText(user({ role: 'editor', regions: ['AFR', 'ASP'] }))).toBe('Africa, Asia and the Pacific');
    expect(regionsText(user({ role: 'admin' }))).toBe('Every region');
    expect(regionsText(user({ role: 'reviewer' }))).toBe('No region yet (can change nothing)');
    expect(regionsText(user({ role: 'viewer' }))).toBe('—');
  });

  it('lists active accounts first, then by name, and finds by name or email whatever the case', () => {
    const list = [user({ id: 1, name: 'Zoe' }), user({ id: 2, name: 'Adam', disabled: true }), user({ id: 3, name: 'Béa', email: 'bea@ilo.org', role: 'editor' })];
    expect(visibleUsers(list, '', '').map((u) => u.id)).toEqual([3, 1, 2]);
    expect(visibleUsers(list, 'ILO.ORG', '').map((u) => u.id)).toEqual([3]);
    expect(visibleUsers(list, '', 'viewer').map((u) => u.id)).toEqual([1, 2]);
  });

  it('checks the form before sending: an email and a 12-character first password for a new account, a name always', () => {
    expect(Object.keys(formProblems({ ...emptyForm(), email: 'nope', name: ' ', password: 'short' }, true)).sort()).toEqual(['email', 'name', 'password']);
    expect(formProblems({ ...emptyForm(), email: 'a@b.org', name: 'A', password: 'long-enough-pw' }, true)).toEqual({});
    // Editing: an empty password keeps the old one; a short new one is refused.
    expect(formProblems({ ...formOf(user({})), password: '' }, false)).toEqual({});
    expect(Object.keys(formProblems({ ...formOf(user({})), password: 'abc' }, false))).toEqual(['password']);
  });

  it('sends only what changed, and drops regions when the account becomes an admin', () => {
    const before = user({ role: 'editor', regions: ['ASP', 'AFR'], name: 'Ama' });
    expect(patchOf(before, formOf(before))).toEqual({});
    expect(patchOf(before, { ...formOf(before), regions: ['AFR', 'ASP'] })).toEqual({});
    expect(patchOf(before, { ...formOf(before), role: 'reviewer', regions: ['AFR'] })).toEqual({ role: 'reviewer', regions: ['AFR'] });
    expect(patchOf(before, { ...formOf(before), role: 'admin' })).toEqual({ role: 'admin', regions: [] });
    expect(patchOf(before, { ...formOf(before), disabled: true, password: 'a-new-password-1' })).toEqual({ disabled: true, password: 'a-new-password-1' });
  });
});
