import { describeCadence, type Cadence, type Delivery, type SnapshotSchedule } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { parseFilters } from '../../lib/filters.ts';
import { cadenceOf, cadenceText, changeOf, deliveryReason, placeholderHelp, rebaseForm, deliverySummary, emptyForm, formatLocal, formOf, formProblems, inputOf, nextRuns, parseRecipients, timeZones, titleAt, viewCaveats, viewOf } from './data.ts';

const schedule = (over: Partial<SnapshotSchedule> = {}): SnapshotSchedule => ({
  id: 3, titlePattern: 'Board report {quarter}', note: null,
  filters: { region: ['AFR'], country: [], partnerType: [], modality: [], mandate: [], objective: [], outcome: [], status: [], figures: 'latest' },
  cadence: { every: 'quarter', day: 'last', time: '07:30' }, timeZone: 'Africa/Nairobi', recipients: ['a@example.org', 'b@example.org'], formats: ['pdf', 'xlsx'],
  active: true, description: '', nextRunAt: null, createdBy: { id: 1, name: 'A', email: 'a@example.org' }, createdAt: '', updatedAt: '', version: 4, lastDelivery: null, canEdit: true,
  ...over,
});

const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  id: 9, scheduleId: 3, trigger: 'manual', slotAt: '2015-06-30T06:00:00.000Z', status: 'sent', attempts: [{ attempt: 1, at: '2015-06-30T06:00:01.000Z', outcome: 'sent', error: null }],
  nextAttemptAt: null, snapshotId: 'x', title: 'Board report 2015 Q2', recipients: ['a@example.org'], formats: ['pdf'], error: null, createdAt: '2015-06-30T06:00:00.000Z', sentAt: '2015-06-30T06:00:02.000Z',
  ...over,
});

describe(nextRuns.name, () => {
  it.each([
    ['monthly on the 1st at 08:00 in Zurich (summer time: 06:00 UTC)', { every: 'month', day: 1, time: '08:00' } as const, 'Europe/Zurich', '2015-05-15T00:00:00Z', ['2015-06-01T06:00:00.000Z', '2015-07-01T06:00:00.000Z']],
    ['weekly on Monday at 09:15 UTC', { every: 'week', weekday: 'monday', time: '09:15' } as const, 'UTC', '2015-06-03T00:00:00Z', ['2015-06-08T09:15:00.000Z', '2015-06-15T09:15:00.000Z']],
    ['quarterly on the last day at 18:00 in New York', { every: 'quarter', day: 'last', time: '18:00' } as const, 'America/New_York', '2015-02-01T00:00:00Z', ['2015-01-31T23:00:00.000Z', '2015-04-30T22:00:00.000Z'].slice(1).concat('2015-07-31T22:00:00.000Z')],
    ['cron every day at 06:30 UTC', { every: 'cron', cron: '30 6 * * *' } as const, 'UTC', '2015-06-01T07:00:00Z', ['2015-06-02T06:30:00.000Z', '2015-06-03T06:30:00.000Z']],
  ])('%s', (_what, c, tz, after, expected) => {
    expect(nextRuns(c, tz, new Date(after), 2)?.map((d) => d.toISOString())).toEqual(expected);
  });
  it('is null for a cron expression croner cannot read', () => {
    expect(nextRuns({ every: 'cron', cron: '61 * * * *' }, 'UTC', new Date(), 1)).toBeNull();
  });
});

describe(titleAt.name, () => {
  it('expands the placeholders with the local date of the run (a run late on 30 June UTC is already July in Tokyo)', () => {
    expect(titleAt('Report {month} ({quarter}, {date})', new Date('2015-06-30T20:00:00Z'), 'Asia/Tokyo')).toBe('Report July 2015 (2015 Q3, 2015-07-01)');
    expect(titleAt('Report {month} ({quarter}, {date})', new Date('2015-06-30T20:00:00Z'), 'UTC')).toBe('Report June 2015 (2015 Q2, 2015-06-30)');
  });
});

describe(formatLocal.name, () => {
  it('writes the instant in the schedule\'s time zone on a 24-hour clock', () => {
    expect(formatLocal('2015-06-01T06:00:00.000Z', 'Europe/Zurich')).toBe('Mon, 1 Jun 2015, 08:00');
    expect(formatLocal('2015-06-01T06:00:00.000Z', 'UTC')).toBe('Mon, 1 Jun 2015, 06:00');
  });
});

describe(parseRecipients.name, () => {
  it.each([
    ['a@example.org, B@Example.org;c@example.org\nd@example.org', ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'], []],
    ['a@example.org a@example.org', ['a@example.org'], []],
    ['a@example.org, not-an-address, x@y', ['a@example.org'], ['not-an-address', 'x@y']],
    ['  ', [], []],
  ])('%j', (text, addresses, invalid) => {
    expect(parseRecipients(text)).toEqual({ addresses, invalid });
  });
});

describe(formProblems.name, () => {
  const ok = { ...emptyForm('UTC'), recipients: 'a@example.org' };
  it('finds nothing in a complete form', () => {
    expect(formProblems(ok)).toEqual({});
  });
  it.each([
    [{ titlePattern: 'Report {day}' }, 'titlePattern', '{day} is not a placeholder; use {date}, {year}, {month} or {quarter}.'],
    [{ titlePattern: '  ' }, 'titlePattern', 'Give the snapshots a title.'],
    [{ recipients: 'a@example.org, bob' }, 'recipients', 'Not an e-mail address: bob.'],
    [{ recipients: '' }, 'recipients', 'Add at least one e-mail address.'],
    [{ formats: [] }, 'formats', 'Choose PDF, XLSX or both.'],
    [{ every: 'cron', cron: 'every day' }, 'cron', 'Not a cron expression this server can read (five fields: minute hour day-of-month month day-of-week).'],
    [{ time: '8am' }, 'time', 'Give a time as HH:MM.'],
  ] as const)('%o → %s', (change, field, message) => {
    expect(formProblems({ ...ok, ...change, formats: 'formats' in change ? [] : ok.formats })[field]).toBe(message);
  });
});

describe(formOf.name, () => {
  it('reads a schedule back into the form, and the form gives the same cadence and input', () => {
    const f = formOf(schedule());
    expect(f).toMatchObject({ every: 'quarter', day: 'last', time: '07:30', timeZone: 'Africa/Nairobi', recipients: 'a@example.org, b@example.org', formats: ['pdf', 'xlsx'] });
    expect(cadenceOf(f)).toEqual({ every: 'quarter', day: 'last', time: '07:30' });
    expect(cadenceOf(formOf(schedule({ cadence: { every: 'week', weekday: 'friday', time: '16:00' } })))).toEqual({ every: 'week', weekday: 'friday', time: '16:00' });
    expect(cadenceOf(formOf(schedule({ cadence: { every: 'cron', cron: '0 7 * * 1-5' } })))).toEqual({ every: 'cron', cron: '0 7 * * 1-5' });
    expect(cadenceOf(formOf(schedule({ cadence: { every: 'month', day: 15, time: '08:00' } })))).toEqual({ every: 'month', day: 15, time: '08:00' });
  });
});

describe(inputOf.name, () => {
  it('sends the view, the cadence and the cleaned recipients (formats in a fixed order)', () => {
    const f = { ...emptyForm('Europe/Zurich'), recipients: 'A@example.org; b@example.org', formats: ['xlsx', 'pdf'] as ('pdf' | 'xlsx')[], note: '  ' };
    expect(inputOf(f, { region: ['AFR'] })).toEqual({
      titlePattern: 'Monthly report, {month}', note: null, filters: { region: ['AFR'] }, cadence: { every: 'month', day: 1, time: '08:00' }, timeZone: 'Europe/Zurich',
      recipients: ['a@example.org', 'b@example.org'], formats: ['pdf', 'xlsx'], active: true,
    });
  });
});

describe(viewOf.name, () => {
  it('keeps the list filters that are set and approved figures, and leaves out asOf', () => {
    expect(viewOf(parseFilters('?region=AFR&partnerType=un&asOf=2012-12-31&figures=approved'))).toEqual({ region: ['AFR'], partnerType: ['un'], figures: 'approved' });
    expect(viewOf(parseFilters('?region=AFR'))).toEqual({ region: ['AFR'] });
    expect(viewOf(parseFilters(''))).toEqual({});
  });
});

describe(viewCaveats.name, () => {
  it('says what a schedule cannot keep of the view', () => {
    expect(viewCaveats(parseFilters('?asOf=2012-12-31&figures=approved'))).toEqual([
      'The view is as of 2012-12-31; each scheduled run is as of its own date instead.',
    ]);
    expect(viewCaveats(parseFilters('?region=AFR'))).toEqual([]);
  });
});

describe(deliverySummary.name, () => {
  it.each([
    [delivery(), { status: 'Sent', detail: 'to a@example.org at Tue, 30 Jun 2015, 06:00', attempts: '1 attempt' }],
    [delivery({ status: 'failed', error: '550 mailbox unavailable', sentAt: null, attempts: [1, 2, 3, 4].map((n) => ({ attempt: n, at: '', outcome: 'failed' as const, error: '550' })) }), { status: 'Failed', detail: '550 mailbox unavailable', attempts: '4 attempts' }],
    [delivery({ status: 'retrying', error: '451 try later', sentAt: null, nextAttemptAt: '2015-06-30T06:02:00.000Z' }), { status: 'Retrying', detail: '451 try later Next attempt Tue, 30 Jun 2015, 06:02.', attempts: '1 attempt' }],
  ])('%#', (d, expected) => {
    expect(deliverySummary(d, 'UTC')).toEqual(expected);
  });
});

describe(timeZones.name, () => {
  it('lists IANA names including UTC', () => {
    const zones = timeZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Zurich');
  });
});

describe(changeOf.name, () => {
  it('is empty when nothing was touched', () => {
    expect(changeOf(schedule(), formOf(schedule()))).toEqual({});
  });
  it('holds only the fields the person changed, so saving after a 412 keeps the other person\'s edits', () => {
    const f = { ...formOf(schedule()), time: '09:00', formats: ['pdf'] as ('pdf' | 'xlsx')[] };
    expect(changeOf(schedule(), f)).toEqual({ cadence: { every: 'quarter', day: 'last', time: '09:00' }, formats: ['pdf'] });
    expect(changeOf(schedule(), { ...formOf(schedule()), recipients: 'b@example.org,a@example.org', active: false })).toEqual({ recipients: ['b@example.org', 'a@example.org'], active: false });
  });
});

describe(rebaseForm.name, () => {
  it('shows the other person\'s version with this person\'s edits laid over it', () => {
    const opened = schedule();
    const theirs = schedule({ version: 5, recipients: ['a@example.org', 'b@example.org', 'c@example.org'], titlePattern: 'Quarterly board report {quarter}' });
    const mine = { ...formOf(opened), time: '09:00', note: 'For the board' };
    const rebased = rebaseForm(opened, theirs, mine);
    expect(rebased).toMatchObject({ titlePattern: 'Quarterly board report {quarter}', recipients: 'a@example.org, b@example.org, c@example.org', time: '09:00', note: 'For the board' });
    expect(changeOf(theirs, rebased)).toEqual({ cadence: { every: 'quarter', day: 'last', time: '09:00' }, note: 'For the board' });
  });
});

describe(cadenceText.name, () => {
  it.each([
    { every: 'month', day: 1, time: '08:00' }, { every: 'month', day: 2, time: '08:00' }, { every: 'month', day: 3, time: '08:00' }, { every: 'month', day: 11, time: '08:00' },
    { every: 'month', day: 12, time: '08:00' }, { every: 'month', day: 13, time: '08:00' }, { every: 'month', day: 21, time: '08:00' }, { every: 'month', day: 22, time: '08:00' },
    { every: 'month', day: 23, time: '08:00' }, { every: 'month', day: 'last', time: '23:30' }, { every: 'quarter', day: 'last', time: '07:30' }, { every: 'quarter', day: 15, time: '07:30' },
    { every: 'week', weekday: 'monday', time: '09:15' }, { every: 'week', weekday: 'sunday', time: '09:15' }, { every: 'cron', cron: '0 7 * * 1-5' },
  ] as Cadence[])('says %o in English as the server does', (c) => {
    expect(cadenceText(c, 'Europe/Zurich')).toBe(describeCadence(c, 'Europe/Zurich'));
  });
});

describe(deliveryReason.name, () => {
  it.each([
    'E-mail is not configured on this server (SMTP_URL is unset).', 'The schedule was deleted.', 'The snapshot abc123 of this run was deleted before it could be sent.',
    'The schedule\'s author (a@example.org) no longer has an active account; an admin may delete the schedule or create it again.',
    'The schedule\'s author (a@example.org) may no longer take snapshots.', '550 mailbox unavailable',
  ])('reads %s in English as the server wrote it', (reason) => {
    expect(deliveryReason(reason)).toBe(reason);
  });
});

describe(placeholderHelp.name, () => {
  it('gives each placeholder with an example as the server expands it', () => {
    expect(placeholderHelp().map((p) => `{${p.key}} ${p.text}`).join('; ')).toBe('{date} the date of the run, e.g. 2015-06-30; {year} its year, e.g. 2015; {month} its month, e.g. June 2015; {quarter} its quarter, e.g. 2015 Q2');
  });
});
