import { describe, expect, it } from 'vitest';
import {
  cadencePattern, DELIVERY_REASONS, describeCadence, expandTitle, readDeliveryReason, isTimeZone, localDate, scheduleInput, unknownPlaceholders, type Cadence,
} from './schedules.ts';

describe(cadencePattern.name, () => {
  it.each<[Cadence, string]>([
    [{ every: 'month', day: 1, time: '08:00' }, '0 8 1 * *'],
    [{ every: 'month', day: 'last', time: '17:30' }, '30 17 L * *'],
    [{ every: 'quarter', day: 5, time: '06:05' }, '5 6 5 1,4,7,10 *'],
    [{ every: 'week', weekday: 'monday', time: '09:15' }, '15 9 * * 1'],
    [{ every: 'week', weekday: 'saturday', time: '00:00' }, '0 0 * * 6'],
    [{ every: 'week', weekday: 'sunday', time: '23:59' }, '59 23 * * 0'],
    [{ every: 'cron', cron: '0 7 * * 1-5' }, '0 7 * * 1-5'],
  ])('%j runs at cron "%s"', (c, pattern) => expect(cadencePattern(c)).toBe(pattern));
});

describe(describeCadence.name, () => {
  it.each<[Cadence, string]>([
    [{ every: 'month', day: 1, time: '08:00' }, 'Every month on the 1st at 08:00 (Europe/Zurich)'],
    [{ every: 'month', day: 22, time: '08:00' }, 'Every month on the 22nd at 08:00 (Europe/Zurich)'],
    [{ every: 'month', day: 13, time: '08:00' }, 'Every month on the 13th at 08:00 (Europe/Zurich)'],
    [{ every: 'quarter', day: 'last', time: '10:00' }, 'Every quarter (January, April, July, October) on the last day at 10:00 (Europe/Zurich)'],
    [{ every: 'week', weekday: 'friday', time: '16:00' }, 'Every Friday at 16:00 (Europe/Zurich)'],
    [{ every: 'cron', cron: '0 7 * * 1-5' }, 'Cron "0 7 * * 1-5" (Europe/Zurich)'],
  ])('%j reads "%s"', (c, text) => expect(describeCadence(c, 'Europe/Zurich')).toBe(text));
});

describe(expandTitle.name, () => {
  it.each([
    ['Board report {date}', '2015-06-30', 'Board report 2015-06-30'],
    ['{month} partnerships', '2015-06-30', 'June 2015 partnerships'],
    ['Quarterly {quarter} ({year})', '2015-01-01', 'Quarterly 2015 Q1 (2015)'],
    ['Quarterly {quarter}', '2015-12-31', 'Quarterly 2015 Q4'],
    ['No placeholder', '2015-06-30', 'No placeholder'],
  ])('"%s" on %s is "%s"', (pattern, date, title) => expect(expandTitle(pattern, date)).toBe(title));
  it.each([
    ['fr', 'Rapport {month}, {quarter}', '2015-06-30', 'Rapport juin 2015, T2 2015'],
    ['es', 'Informe {month}, {quarter}', '2015-01-31', 'Informe enero de 2015, T1 2015'],
    ['en', 'Report {month}, {quarter}', '2015-01-31', 'Report January 2015, 2015 Q1'],
  ] as const)('in %s: "%s" on %s is "%s" (month and quarter in the author\'s language)', (locale, pattern, date, title) => expect(expandTitle(pattern, date, locale)).toBe(title));
});

describe(unknownPlaceholders.name, () => {
  it.each([
    ['Board report {date}', []],
    ['{day} and {Date} and {}', ['{day}', '{Date}', '{}']],
    ['{constructor}', ['{constructor}']],
    ['braces { alone', []],
  ])('"%s" has unknown %j', (pattern, unknown) => expect(unknownPlaceholders(pattern)).toEqual(unknown));
});

describe(isTimeZone.name, () => {
  it.each([['Europe/Zurich', true], ['UTC', true], ['America/Argentina/Buenos_Aires', true], ['Europe/Geneva', false], ['Mars/Base', false], ['', false], ['../etc', false]])(
    '%s → %s', (tz, ok) => expect(isTimeZone(tz)).toBe(ok));
});

describe(localDate.name, () => {
  it.each([
    ['2015-06-30T23:30:00Z', 'UTC', '2015-06-30'],
    ['2015-06-30T23:30:00Z', 'Europe/Zurich', '2015-07-01'],
    ['2015-07-01T03:00:00Z', 'America/New_York', '2015-06-30'],
    ['2015-06-30T13:00:00Z', 'Pacific/Auckland', '2015-07-01'],
  ])('%s in %s is %s', (at, tz, date) => expect(localDate(new Date(at), tz)).toBe(date));
});

describe('scheduleInput', () => {
  const valid = { titlePattern: 'Board report {date}', cadence: { every: 'month', day: 1, time: '08:00' }, timeZone: 'Europe/Zurich', recipients: ['Board@Example.org'], formats: ['pdf'] };
  it('accepts a minimal schedule, lower-cases addresses and defaults to active with no filters', () => {
    const s = scheduleInput.parse(valid);
    expect(s.recipients).toEqual(['board@example.org']);
    expect(s.active).toBe(true);
    expect(s.filters.region).toEqual([]);
  });
  it.each([
    ['cadence.time', { cadence: { every: 'month', day: 1, time: '25:00' } }],
    ['cadence.day', { cadence: { every: 'month', day: 31, time: '08:00' } }],
    ['cadence.weekday', { cadence: { every: 'week', weekday: 'funday', time: '08:00' } }],
    ['cadence.cron', { cadence: { every: 'cron', cron: '0 8 1 *' } }],
    ['timeZone', { timeZone: 'Europe/Geneva' }],
    ['recipients.0', { recipients: ['not an address'] }],
    ['recipients', { recipients: [] }],
    ['recipients', { recipients: ['a@example.org', 'A@example.org'] }],
    ['formats', { formats: [] }],
    ['formats.0', { formats: ['csv'] }],
    ['titlePattern', { titlePattern: 'Report {day}' }],
    ['filters.asOf', { filters: { asOf: '2015-01-01' } }],
  ])('refuses a bad %s', (field, over) => {
    const r = scheduleInput.safeParse({ ...valid, ...over });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths.some((p) => p === field || (field === 'filters.asOf' && p === 'filters'))).toBe(true);
  });
});

describe(readDeliveryReason.name, () => {
  it('reads back each reason the server stores, with its parameters (an e-mail with dots and parentheses too)', () => {
    expect(readDeliveryReason(DELIVERY_REASONS.noMail())).toEqual({ key: 'noMail', params: {} });
    expect(readDeliveryReason(DELIVERY_REASONS.scheduleDeleted())).toEqual({ key: 'scheduleDeleted', params: {} });
    expect(readDeliveryReason(DELIVERY_REASONS.snapshotDeleted({ id: 'xS54Fk5Wm9jPWofgGl1bag' }))).toEqual({ key: 'snapshotDeleted', params: { id: 'xS54Fk5Wm9jPWofgGl1bag' } });
    expect(readDeliveryReason(DELIVERY_REASONS.authorInactive({ email: 'a.b+(x)@example.org' }))).toEqual({ key: 'authorInactive', params: { email: 'a.b+(x)@example.org' } });
    expect(readDeliveryReason(DELIVERY_REASONS.authorMayNot({ email: 'c@example.org' }))).toEqual({ key: 'authorMayNot', params: { email: 'c@example.org' } });
  });
  it('leaves anything else alone: a mail server\'s answer, or a reason with more around it', () => {
    expect(readDeliveryReason('550 mailbox unavailable')).toBeNull();
    expect(readDeliveryReason(`Note: ${DELIVERY_REASONS.noMail()}`)).toBeNull();
    expect(readDeliveryReason('The schedule was deleted')).toBeNull();
  });
});
