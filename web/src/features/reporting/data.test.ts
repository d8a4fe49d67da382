import { describe, expect, it } from 'vitest';
import { boardRows, changeLine, stateLabel } from './data.ts';

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
