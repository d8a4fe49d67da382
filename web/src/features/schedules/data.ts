/**
 * Scheduled snapshots page: pure shaping between the form, the API's schedules and deliveries, and what the page
 * says (next runs and titles in the schedule's time zone, delivery outcomes).
 */
import { cadencePattern, DELIVERY_FORMATS, expandTitle, localDate, readDeliveryReason, unknownPlaceholders, WEEKDAYS, type Cadence, type Delivery, type DeliveryFormat, type SnapshotSchedule, type TitlePlaceholder, type Weekday } from '@mm/shared/schedules';
import { Cron } from 'croner';
import type { ScheduleBody, ScheduleChange } from '../../lib/api/schedules.ts';
import { MULTI_KEYS, type Filters, type MultiKey } from '../../lib/filters.ts';
import { formatCount, formatDate, intlLocale } from '../../lib/i18n/format.ts';
import { locale, m } from '../../lib/i18n/locale.ts';

/** What the form holds: strings as typed, so a half-typed value is kept until it is sent. */
export interface ScheduleForm {
  titlePattern: string;
  note: string;
  every: Cadence['every'];
  /** '1'…'28' or 'last' (month and quarter). */
  day: string;
  weekday: Weekday;
  /** HH:MM. */
  time: string;
  cron: string;
  timeZone: string;
  /** Addresses separated by commas, semicolons, spaces or new lines. */
  recipients: string;
  formats: DeliveryFormat[];
  active: boolean;
}

export type ScheduleView = Partial<Record<MultiKey, string[]>> & { figures?: 'approved' };

/** A new schedule's form: monthly on the 1st at 08:00 in `timeZone`, PDF, the title naming the month. */
export function emptyForm(timeZone: string): ScheduleForm {
  return { titlePattern: m.sch2_defaultTitle({ month: '{month}' }), note: '', every: 'month', day: '1', weekday: 'monday', time: '08:00', cron: '0 8 1 * *', timeZone, recipients: '', formats: ['pdf'], active: true };
}

/** An existing schedule in the form. */
export function formOf(s: SnapshotSchedule): ScheduleForm {
  const f = emptyForm(s.timeZone);
  const c = s.cadence;
  return {
    ...f, titlePattern: s.titlePattern, note: s.note ?? '', every: c.every,
    ...(c.every === 'cron' ? { cron: c.cron } : { time: c.time }),
    ...(c.every === 'week' ? { weekday: c.weekday } : {}),
    ...(c.every === 'month' || c.every === 'quarter' ? { day: String(c.day) } : {}),
    recipients: s.recipients.join(', '), formats: [...s.formats], active: s.active,
  };
}

/** The form's cadence as the API takes it. */
export function cadenceOf(f: ScheduleForm): Cadence {
  if (f.every === 'cron') return { every: 'cron', cron: f.cron.trim() };
  if (f.every === 'week') return { every: 'week', weekday: f.weekday, time: f.time };
  return { every: f.every, day: f.day === 'last' ? 'last' : Number(f.day), time: f.time };
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** The addresses in the recipients field (lower-cased, each once) and those that are not e-mail addresses. */
export function parseRecipients(text: string): { addresses: string[]; invalid: string[] } {
  const parts = text.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unique = [...new Set(parts)];
  return { addresses: unique.filter((a) => EMAIL.test(a)), invalid: unique.filter((a) => !EMAIL.test(a)) };
}

/** The view a schedule freezes: the URL's list filters that are set and approved figures if chosen (each run is as of its own date). */
export function viewOf(f: Filters): ScheduleView {
  const out: ScheduleView = {};
  for (const k of MULTI_KEYS) if (f[k].length > 0) out[k] = [...f[k]];
  if (f.figures === 'approved') out.figures = 'approved';
  return out;
}

/** What of the current view a schedule cannot keep, in words for the page (none: empty list). */
export function viewCaveats(f: Filters): string[] {
  const out: string[] = [];
  if (f.asOf) out.push(m.sch2_caveatAsOf({ date: formatDate(f.asOf) }));
  return out;
}

/** The body of POST /snapshot-schedules. */
export function inputOf(f: ScheduleForm, view: ScheduleView): ScheduleBody {
  return {
    titlePattern: f.titlePattern.trim(), note: f.note.trim() || null, filters: view, cadence: cadenceOf(f), timeZone: f.timeZone,
    recipients: parseRecipients(f.recipients).addresses, formats: DELIVERY_FORMATS.filter((x) => f.formats.includes(x)), active: f.active,
  };
}

/**
 * What the person changed in the form since they opened `opened`: only those fields, so a save after someone
 * else's change (a 412, then saving again) applies these edits on top of theirs without undoing the rest.
 */
export function changeOf(opened: SnapshotSchedule, f: ScheduleForm): ScheduleChange {
  const now = inputOf(f, {});
  const before = inputOf(formOf(opened), {});
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    ...(same(now.titlePattern, before.titlePattern) ? {} : { titlePattern: now.titlePattern }),
    ...(same(now.note, before.note) ? {} : { note: now.note }),
    ...(same(now.cadence, before.cadence) ? {} : { cadence: now.cadence }),
    ...(same(now.timeZone, before.timeZone) ? {} : { timeZone: now.timeZone }),
    ...(same(now.recipients, before.recipients) ? {} : { recipients: now.recipients }),
    ...(same(now.formats, before.formats) ? {} : { formats: now.formats }),
    ...(same(now.active, before.active) ? {} : { active: now.active }),
  };
}

/**
 * After a 412: the schedule as it is now (`current`) in the form, with the person's own edits (since they opened
 * `opened`) laid over it, so the form shows the other person's changes and keeps theirs.
 */
export function rebaseForm(opened: SnapshotSchedule, current: SnapshotSchedule, f: ScheduleForm): ScheduleForm {
  const mine = changeOf(opened, f);
  const out = formOf(current);
  if ('titlePattern' in mine) out.titlePattern = f.titlePattern;
  if ('note' in mine) out.note = f.note;
  if ('cadence' in mine) Object.assign(out, { every: f.every, day: f.day, weekday: f.weekday, time: f.time, cron: f.cron });
  if ('timeZone' in mine) out.timeZone = f.timeZone;
  if ('recipients' in mine) out.recipients = f.recipients;
  if ('formats' in mine) out.formats = [...f.formats];
  if ('active' in mine) out.active = f.active;
  return out;
}

/** Problems the page can tell before sending, by field (the server checks all of them again). */
export function formProblems(f: ScheduleForm): Partial<Record<'titlePattern' | 'recipients' | 'formats' | 'cron' | 'time', string>> {
  const out: Partial<Record<'titlePattern' | 'recipients' | 'formats' | 'cron' | 'time', string>> = {};
  const unknown = unknownPlaceholders(f.titlePattern);
  if (!f.titlePattern.trim()) out.titlePattern = m.sch2_errTitleEmpty();
  else if (unknown.length > 0) out.titlePattern = m.sch2_errPlaceholder({ unknown: unknown.join(', '), date: '{date}', year: '{year}', month: '{month}', quarter: '{quarter}' });
  const r = parseRecipients(f.recipients);
  if (r.invalid.length > 0) out.recipients = m.sch2_errNotEmail({ addresses: r.invalid.join(', ') });
  else if (r.addresses.length === 0) out.recipients = m.sch2_errNoRecipient();
  if (f.formats.length === 0) out.formats = m.sch2_errNoFormat();
  if (f.every === 'cron' && nextRuns(cadenceOf(f), f.timeZone, new Date(), 1) === null) out.cron = m.sch2_errCron();
  if (f.every !== 'cron' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(f.time)) out.time = m.sch2_errTime();
  return out;
}

/**
 * The next `n` run times (UTC instants) of a cadence in its time zone after `after`, computed as the server does
 * (croner, as a calculator); null when the cadence cannot be read.
 */
export function nextRuns(c: Cadence, timeZone: string, after: Date, n: number): Date[] | null {
  try {
    const runs = new Cron(cadencePattern(c), { timezone: timeZone, mode: '5-part' }).nextRuns(n, after);
    return runs.length > 0 ? runs : null;
  } catch {
    return null;
  }
}

/** A run's title: the pattern with the run's local date in the schedule's time zone. */
export function titleAt(pattern: string, at: Date, timeZone: string): string {
  return expandTitle(pattern.trim(), localDate(at, timeZone), locale);
}

/** "Mon, 1 Jun 2015, 08:00" / "lun. 1 juin 2015, 08:00" / "lun, 1 jun 2015, 08:00" in the time zone (24-hour clock). */
export function formatLocal(at: Date | string, timeZone: string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : intlLocale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** The time zones to choose from (the runtime's IANA list, with UTC), and the one to preselect. */
export function timeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const STATUS_WORDS: Record<Delivery['status'], () => string> = { pending: m.sch2_status_pending, retrying: m.sch2_status_retrying, sent: m.sch2_status_sent, failed: m.sch2_status_failed };
/** A delivery's status after "Last:" in the list ("sent", "failed"…). */
const LAST_WORDS: Record<Delivery['status'], () => string> = { pending: m.sch2_last_pending, retrying: m.sch2_last_retrying, sent: m.sch2_last_sent, failed: m.sch2_last_failed };
const OUTCOME_WORDS: Record<Delivery['attempts'][number]['outcome'], () => string> = { sent: m.sch2_outcome_sent, failed: m.sch2_outcome_failed };

export const lastStatusWord = (s: Delivery['status']): string => LAST_WORDS[s]();
export const outcomeWord = (o: Delivery['attempts'][number]['outcome']): string => OUTCOME_WORDS[o]();

const plurals = new Intl.PluralRules(intlLocale);
const ordinals = new Intl.PluralRules(intlLocale, { type: 'ordinal' });
type Counted = (p: { count: string }) => string;
/** The singular or the plural of the page's language (French: 0 and 1 are singular). */
const plural = (n: number, one: Counted, other: Counted): string => (plurals.select(n) === 'one' ? one : other)({ count: formatCount(n) });

/**
 * Why an attempt failed, in the page's language when it is one of the server's own reasons (DELIVERY_REASONS in
 * @mm/shared); anything else (the mail server's answer) as the server recorded it.
 */
export function deliveryReason(error: string): string {
  const r = readDeliveryReason(error);
  if (!r) return error;
  switch (r.key) {
    case 'noMail': return m.sch2_reason_noMail();
    case 'scheduleDeleted': return m.sch2_reason_scheduleDeleted();
    case 'snapshotDeleted': return m.sch2_reason_snapshotDeleted(r.params);
    case 'authorInactive': return m.sch2_reason_authorInactive(r.params);
    case 'authorMayNot': return m.sch2_reason_authorMayNot(r.params);
  }
}

/** A delivery as the list shows it: its status word, what happened, and the attempts. */
export function deliverySummary(d: Delivery, timeZone: string): { status: string; detail: string; attempts: string } {
  const attempts = plural(d.attempts.length, m.sch2_attempts_one, m.sch2_attempts_other);
  const status = STATUS_WORDS[d.status]();
  if (d.status === 'sent') return { status, detail: m.sch2_sentDetail({ recipients: d.recipients.join(', '), when: formatLocal(d.sentAt ?? d.createdAt, timeZone) }), attempts };
  if (d.status === 'failed') return { status, detail: d.error ? deliveryReason(d.error) : m.sch2_noReason(), attempts };
  if (d.status === 'retrying') return { status, detail: m.sch2_retryDetail({ error: d.error ? deliveryReason(d.error) : m.sch2_lastFailed(), when: d.nextAttemptAt ? formatLocal(d.nextAttemptAt, timeZone) : m.sch2_soon() }), attempts };
  return { status, detail: d.nextAttemptAt ? m.sch2_firstAttempt({ when: formatLocal(d.nextAttemptAt, timeZone) }) : m.sch2_beingSent(), attempts };
}

const weekdayFmt = new Intl.DateTimeFormat(intlLocale, { weekday: 'long', timeZone: 'UTC' });
/** A weekday's name in the page's language: "Monday" / "lundi" / "lunes" (2015-06-01 was a Monday). */
export function weekdayName(d: Weekday): string {
  return weekdayFmt.format(Date.UTC(2015, 5, 1 + WEEKDAYS.indexOf(d)));
}

/** The same, capitalised, as a choice in a list: "Monday" / "Lundi" / "Lunes". */
export function weekdayOption(d: Weekday): string {
  const name = weekdayName(d);
  return name.charAt(0).toLocaleUpperCase(intlLocale) + name.slice(1);
}

const ORDINAL: Record<Intl.LDMLPluralRule, (p: { day: string }) => string> = { zero: m.sch2_day_other, one: m.sch2_day_one, two: m.sch2_day_two, few: m.sch2_day_few, many: m.sch2_day_other, other: m.sch2_day_other };

/**
 * A cadence as people read it, in the page's language: "Every month on the 1st at 08:00 (Europe/Zurich)" (in English
 * the same words as describeCadence in @mm/shared, which the server's e-mails use).
 */
export function cadenceText(c: Cadence, timeZone: string): string {
  if (c.every === 'cron') return m.sch2_cadenceCron({ cron: c.cron, timeZone });
  if (c.every === 'week') return m.sch2_cadenceWeek({ weekday: weekdayName(c.weekday), time: c.time, timeZone });
  const day = c.day === 'last' ? m.sch2_lastDay() : ORDINAL[ordinals.select(c.day)]({ day: String(c.day) });
  return (c.every === 'month' ? m.sch2_cadenceMonth : m.sch2_cadenceQuarter)({ day, time: c.time, timeZone });
}

const PLACEHOLDER_TEXT: Record<TitlePlaceholder, (p: { example: string }) => string> = { date: m.sch2_ph_date, year: m.sch2_ph_year, month: m.sch2_ph_month, quarter: m.sch2_ph_quarter };
/** What each title placeholder stands for, with an example as the server writes it (a run on 30 June 2015). */
export function placeholderHelp(): { key: TitlePlaceholder; text: string }[] {
  return (Object.keys(PLACEHOLDER_TEXT) as TitlePlaceholder[]).map((key) => ({ key, text: PLACEHOLDER_TEXT[key]({ example: expandTitle(`{${key}}`, '2015-06-30', locale) }) }));
}
