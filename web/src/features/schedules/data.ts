/**
 * Scheduled snapshots page: pure shaping between the form, the API's schedules and deliveries, and what the page
 * says (next runs and titles in the schedule's time zone, delivery outcomes).
 */
import { cadencePattern, DELIVERY_FORMATS, expandTitle, localDate, unknownPlaceholders, type Cadence, type Delivery, type DeliveryFormat, type SnapshotSchedule, type Weekday } from '@mm/shared/schedules';
import { Cron } from 'croner';
import type { ScheduleBody, ScheduleChange } from '../../lib/api/schedules.ts';
import { MULTI_KEYS, type Filters, type MultiKey } from '../../lib/filters.ts';

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
  return { titlePattern: 'Monthly report, {month}', note: '', every: 'month', day: '1', weekday: 'monday', time: '08:00', cron: '0 8 1 * *', timeZone, recipients: '', formats: ['pdf'], active: true };
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
  if (f.asOf) out.push(`The view is as of ${f.asOf}; each scheduled run is as of its own date instead.`);
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
  if (!f.titlePattern.trim()) out.titlePattern = 'Give the snapshots a title.';
  else if (unknown.length > 0) out.titlePattern = `${unknown.join(', ')} is not a placeholder; use {date}, {year}, {month} or {quarter}.`;
  const r = parseRecipients(f.recipients);
  if (r.invalid.length > 0) out.recipients = `Not an e-mail address: ${r.invalid.join(', ')}.`;
  else if (r.addresses.length === 0) out.recipients = 'Add at least one e-mail address.';
  if (f.formats.length === 0) out.formats = 'Choose PDF, XLSX or both.';
  if (f.every === 'cron' && nextRuns(cadenceOf(f), f.timeZone, new Date(), 1) === null) out.cron = 'Not a cron expression this server can read (five fields: minute hour day-of-month month day-of-week).';
  if (f.every !== 'cron' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(f.time)) out.time = 'Give a time as HH:MM.';
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
  return expandTitle(pattern.trim(), localDate(at, timeZone));
}

/** "Mon, 1 Jun 2015, 08:00" in the time zone (24-hour clock). */
export function formatLocal(at: Date | string, timeZone: string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** The time zones to choose from (the runtime's IANA list, with UTC), and the one to preselect. */
export function timeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const STATUS_WORDS: Record<Delivery['status'], string> = { pending: 'Going out', retrying: 'Retrying', sent: 'Sent', failed: 'Failed' };

/** A delivery as the list shows it: its status word, what happened, and the attempts. */
export function deliverySummary(d: Delivery, timeZone: string): { status: string; detail: string; attempts: string } {
  const n = d.attempts.length;
  const attempts = `${n} attempt${n === 1 ? '' : 's'}`;
  if (d.status === 'sent') return { status: STATUS_WORDS.sent, detail: `to ${d.recipients.join(', ')} at ${formatLocal(d.sentAt ?? d.createdAt, timeZone)}`, attempts };
  if (d.status === 'failed') return { status: STATUS_WORDS.failed, detail: d.error ?? 'No reason was recorded.', attempts };
  if (d.status === 'retrying') return { status: STATUS_WORDS.retrying, detail: `${d.error ?? 'The last attempt failed.'} Next attempt ${d.nextAttemptAt ? formatLocal(d.nextAttemptAt, timeZone) : 'soon'}.`, attempts };
  return { status: STATUS_WORDS.pending, detail: d.nextAttemptAt ? `First attempt ${formatLocal(d.nextAttemptAt, timeZone)}.` : 'Being sent.', attempts };
}
