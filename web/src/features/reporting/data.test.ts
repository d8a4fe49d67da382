import { EVENT_KINDS as API_EVENT_KINDS, REPORTING_STATES, REPORTING_TRANSITIONS, nextState } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { actionsFor, boardRows, changeLine, EVENT_KINDS, eventBody, eventChange, eventDraft, periodChange, periodDraft, refusalMessage, stateLabel } from './data.ts';

describe(boardRows.name, () => {
  const periods = [
    { id: 1, name: '2013 annual report', dueDate: '2014-01-31', regions: [{ region: 'AFR', state: 'approved' as const, overdue: false }, { region: 'ASP', state: 'open' as const, overdue: true }] },
    { id: 2, name: '2014 annual report', dueDate: '2015-01-31', regions: [{ region: 'AFR', state: 'submitted' as const, overdue: false }] },
  ];
  it('puts the latest due date first and one cell per region in reference order', () => {
    const rows = boardRows(periods);
    expect(rows.map((r) => r.name)).toEqual(['2014 annual report', '2013 annual report']);
    expect(rows[1]?.cells.map((c) => c.region)).toEqual(['AFR', 'AME', 'ARB', 'ASP', 'ECA', 'GLO']);
  });
  it('links each reported region to its page, counts overdue and approved, and leaves absent regions empty', () => {
    const older = boardRows(periods)[1];
    expect(older?.cells[0]).toEqual({ region: 'AFR', regionLabel: 'Africa', state: 'approved', overdue: false, href: '/reporting/1/AFR' });
    expect(older?.cells[3]).toMatchObject({ region: 'ASP', state: 'open', overdue: true });
    expect(older?.cells[1]).toEqual({ region: 'AME', regionLabel: 'Americas', state: null, overdue: false, href: null });
    expect(older).toMatchObject({ overdue: 1, approved: 1 });
  });
  it('returns no rows for no periods', () => {
    expect(boardRows([])).toEqual([]);
  });
});

describe(stateLabel.name, () => {
  it.each([
    ['open', 'Open'], ['submitted', 'Submitted, awaiting review'], ['returned', 'Returned to editors'], ['approved', 'Approved'], ['reopened', 'Reopened'],
  ] as const)('%s → %s', (state, label) => {
    expect(stateLabel(state)).toBe(label);
  });
});

describe(changeLine.name, () => {
  const base = { at: '2014-01-10T09:00:00.000Z', by: 'Africa staff', entity: 'milestone' as const, entityId: '42' };
  it('shows only the fields that changed, leaving out bookkeeping', () => {
    const l = changeLine({ ...base, action: 'update', before: { status: 'on_track', title: 'Pact', version: 3 }, after: { status: 'completed', title: 'Pact', version: 4 } });
    expect(l).toEqual({ at: base.at, by: 'Africa staff', what: 'Milestone 42 (update)', fields: [{ field: 'status', before: 'on_track', after: 'completed' }] });
  });
  it('shows a creation from nothing and an unknown author', () => {
    const l = changeLine({ ...base, by: null, entity: 'measurement', action: 'create', before: null, after: { value: 12.5, date: '2013-12-31' } });
    expect(l.what).toBe('Measurement 42 (create)');
    expect(l.by).toBe('unknown user');
    expect(l.fields).toEqual([{ field: 'date', before: '—', after: '2013-12-31' }, { field: 'value', before: '—', after: '12.5' }]);
  });
});

describe(actionsFor.name, () => {
  const editor = { role: 'editor', regions: ['AFR'] };
  const reviewer = { role: 'reviewer', regions: ['AFR', 'ASP'] };
  const admin = { role: 'admin', regions: [] };
  const viewer = { role: 'viewer', regions: ['AFR'] };
  const names = (u: { role: string; regions: string[] } | undefined, region: string, state: (typeof REPORTING_STATES)[number]) => actionsFor(u, region, state).map((a) => a.action);
  it.each([
    ['editor of the region, open', editor, 'AFR', 'open', ['submit']],
    ['editor of the region, returned', editor, 'AFR', 'returned', ['submit']],
    ['editor of the region, submitted', editor, 'AFR', 'submitted', []],
    ['editor of another region', editor, 'ASP', 'open', []],
    ['reviewer of the region, submitted', reviewer, 'ASP', 'submitted', ['approve', 'return']],
    ['reviewer of the region, open', reviewer, 'AFR', 'open', []],
    ['reviewer of another region', reviewer, 'AME', 'submitted', []],
    ['reviewer, approved (only admins reopen)', reviewer, 'AFR', 'approved', []],
    ['admin, approved', admin, 'GLO', 'approved', ['reopen']],
    ['admin, submitted', admin, 'GLO', 'submitted', ['approve', 'return']],
    ['admin, reopened', admin, 'GLO', 'reopened', ['submit']],
    ['viewer', viewer, 'AFR', 'open', []],
    ['signed out', undefined, 'AFR', 'open', []],
  ] as const)('%s → %o', (_name, user, region, state, expected) => {
    expect(names(user && { ...user, regions: [...user.regions] }, region, state)).toEqual(expected);
  });
  it('offers from each state exactly the actions the API allows there', () => {
    for (const state of REPORTING_STATES) {
      const allowed = (Object.keys(REPORTING_TRANSITIONS) as (keyof typeof REPORTING_TRANSITIONS)[]).filter((a) => nextState(a, state) !== null);
      expect(names(admin, 'AFR', state)).toEqual(allowed);
    }
  });
  it('asks for a comment to return and a reason to reopen', () => {
    expect(actionsFor(reviewer, 'AFR', 'submitted').find((a) => a.action === 'return')?.text).toBe('comment');
    expect(actionsFor(admin, 'AFR', 'approved')[0]?.text).toBe('reason');
  });
});

describe(refusalMessage.name, () => {
  it.each([
    [{ status: 403, title: 'Forbidden', detail: 'Only reviewers of the region (or admins) may approve a reporting period.' }, 'Not allowed. Only reviewers of the region (or admins) may approve a reporting period.'],
    [{ status: 409, title: 'Conflict', detail: 'The period is approved, not submitted.' }, 'Not possible in the current state. The period is approved, not submitted. The page now shows the state as it is.'],
    [{ status: 400, title: 'Invalid request', detail: 'comment: a returned submission needs a comment' }, 'Invalid request. comment: a returned submission needs a comment'],
    [{ status: 500, title: 'Server error.' }, 'Server error.'],
  ])('%o', (p, text) => {
    expect(refusalMessage(p)).toBe(text);
  });
});

describe(eventBody.name, () => {
  it('sends every field for a new event, an empty link as none', () => {
    expect(eventBody({ ...eventDraft(), date: '2013-01-01', title: ' QCPR ', mandates: ['QCPR-2012'] })).toEqual({ date: '2013-01-01', title: 'QCPR', kind: 'conference', url: null, mandates: ['QCPR-2012'], verified: false });
  });
  it('knows every kind the API knows', () => {
    expect([...EVENT_KINDS].sort()).toEqual([...API_EVENT_KINDS].sort());
  });
});

describe(eventChange.name, () => {
  const rio = { date: '2012-06-22', title: 'Rio+20', kind: 'conference' as const, url: null, mandates: ['RIO20-2012'], verified: false };
  it('sends only what changed on an existing event', () => {
    expect(eventChange(eventDraft(rio), rio)).toEqual({});
    expect(eventChange({ ...eventDraft(rio), verified: true, url: 'https://example.org/rio' }, rio)).toEqual({ verified: true, url: 'https://example.org/rio' });
    expect(eventChange({ ...eventDraft(rio), mandates: ['RIO20-2012', 'GJP-2009'] }, rio)).toEqual({ mandates: ['GJP-2009', 'RIO20-2012'] });
    expect(eventChange({ ...eventDraft(rio), url: '  ' }, { ...rio, url: 'https://example.org' })).toEqual({ url: null });
  });
});

describe(periodChange.name, () => {
  const p = { name: '2013-H1', startDate: '2013-01-01', endDate: '2013-06-30', dueDate: '2013-08-31' };
  it('sends only the changed fields of an existing period', () => {
    expect(periodChange({ ...periodDraft(p), dueDate: '2013-09-30' }, p)).toEqual({ dueDate: '2013-09-30' });
    expect(periodChange({ ...periodDraft(p), name: ' 2013-H1 ' }, p)).toEqual({});
    expect(periodChange({ ...periodDraft(), ...p, name: '2013 first half' }, p)).toEqual({ name: '2013 first half' });
  });
});
