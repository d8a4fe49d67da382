import type { Milestone } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { changeOf, conflictRows, draftOf, dueLabel, historyLine, historyValue, mayEditMilestone, measurementProblems } from './data.ts';

const base: Milestone = {
  id: 7, externalId: null, actionPlanId: 2, title: 'Validate plan', dueDate: '2014-06-30', status: 'in_progress', percentComplete: 40,
  completedDate: null, evidenceNote: null, evidenceUrl: null, region: 'AFR', eventId: null, actionPlanTitle: 'Plan', overdue: false, version: 3,
  createdAt: '2014-01-01T00:00:00.000Z', updatedAt: '2014-01-01T00:00:00.000Z',
};

describe(changeOf.name, () => {
  it('sends nothing when nothing changed', () => {
    expect(changeOf(base, draftOf(base))).toEqual({});
  });
  it('sends only the changed fields, blank text as null, trimmed', () => {
    expect(changeOf(base, { ...draftOf(base), status: 'completed', evidenceNote: '  Report filed ', evidenceUrl: ' ' })).toEqual({ status: 'completed', evidenceNote: 'Report filed' });
    expect(changeOf({ ...base, evidenceNote: 'x' }, { ...draftOf(base), evidenceNote: '' })).toEqual({ evidenceNote: null });
  });
});

describe(conflictRows.name, () => {
  it('lists fields either side changed, marking the ones both changed differently', () => {
    const now = { ...base, percentComplete: 60, status: 'delayed' as const, version: 4 };
    const rows = conflictRows(base, { status: 'completed', evidenceNote: 'Signed' }, now);
    expect(rows).toEqual([
      { field: 'status', label: 'Status', before: 'In progress', mine: 'Completed', now: 'Delayed', theyChanged: true, clash: true },
      { field: 'percentComplete', label: 'Percent complete', before: '40%', mine: '40%', now: '60%', theyChanged: true, clash: false },
      { field: 'evidenceNote', label: 'Evidence note', before: '—', mine: 'Signed', now: '—', theyChanged: false, clash: false },
    ]);
  });
  it('does not call it a clash when both saved the same value', () => {
    expect(conflictRows(base, { status: 'delayed' }, { ...base, status: 'delayed' })[0]?.clash).toBe(false);
  });
});

describe(mayEditMilestone.name, () => {
  it.each([
    ['an admin, any region', { role: 'admin', regions: [] }, 'AFR', true],
    ['an editor of the region', { role: 'editor', regions: ['ASP', 'AFR'] }, 'AFR', true],
    ['an editor of another region', { role: 'editor', regions: ['ASP'] }, 'AFR', false],
    ['a viewer, even of the region', { role: 'viewer', regions: ['AFR'] }, 'AFR', false],
  ] as const)('%s → %s', (_who, user, region, may) => {
    expect(mayEditMilestone({ role: user.role, regions: [...user.regions] }, region)).toBe(may);
  });

  it('is false while nobody is known to be signed in', () => {
    expect(mayEditMilestone(undefined, 'AFR')).toBe(false);
  });
});

describe(dueLabel.name, () => {
  it.each([
    ['2026-11-28', '2026-11-28', 'Due today', false],
    ['2026-11-29', '2026-11-28', 'Due in 1 day', false],
    ['2027-01-27', '2026-11-28', 'Due in 60 days', false],
    ['2027-02-27', '2026-11-28', 'Due in 2 months', false],
    ['2026-11-27', '2026-11-28', 'Overdue by 1 day', true],
    ['2008-03-14', '2026-11-28', 'Overdue by 18 years', true],
  ])('%s as of %s → %s', (due, today, text, overdue) => {
    expect(dueLabel(due, today)).toEqual({ text, overdue });
  });
});

describe(measurementProblems.name, () => {
  it('accepts numbers with thousands separators and past dates', () => {
    expect(measurementProblems({ value: '1,250.5', date: '2014-12-31' }, '2026-11-28')).toEqual({});
  });
  it('names the field and the fix', () => {
    expect(measurementProblems({ value: 'abc', date: '2030-01-01' }, '2026-11-28')).toEqual({ value: 'Enter a number, e.g. 42 or 12.5', date: 'The date cannot be in the future' });
    expect(measurementProblems({ value: '', date: '31/12/2014' }, '2026-11-28')).toEqual({ value: 'Enter a number, e.g. 42 or 12.5', date: 'Enter a date as YYYY-MM-DD' });
  });
});

describe(historyLine.name, () => {
  it('reads like the audit summary: what, who, when, and each field from → to', () => {
    expect(historyLine({
      at: '2026-11-28T10:04:31.000Z', userEmail: 'staff.africa@demo.local', action: 'update',
      changes: [{ field: 'status', from: 'in_progress', to: 'completed' }, { field: 'completedDate', from: null, to: '2026-11-28' }, { field: 'evidenceUrl', from: null, to: 'https://example.org/r' }],
    })).toEqual({
      head: 'Changed by staff.africa@demo.local, 2026-11-28 10:04 UTC',
      changes: ['Status: in progress → completed', 'Completed date: — → 2026-11-28', 'Evidence URL: — → https://example.org/r'],
    });
  });
  it('names creations without a user as the system', () => {
    expect(historyLine({ at: '2026-01-01T00:00:00Z', userEmail: null, action: 'create', changes: [] }).head).toBe('Created by the system, 2026-01-01 00:00 UTC');
  });
});

describe(historyValue.name, () => {
  it.each([[null, '—'], [[], '—'], [['AFR', 'ASP'], 'AFR, ASP'], ['on_track', 'on track'], ['Plan', 'Plan'], [45, '45'], [{ a: 1 }, '{"a":1}']])('%o → %s', (v, s) => {
    expect(historyValue(v)).toBe(s);
  });
});
