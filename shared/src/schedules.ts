/**
 * Scheduled snapshots (issue 18): the API contract and the pure rules behind it. A schedule takes a frozen
 * snapshot of a view (filters) on a cadence in a time zone, renders it as PDF and/or XLSX and e-mails it to its
 * recipients; every run is a delivery with its attempts.
 */
import { z } from 'zod';
import { progressQuery } from './progress-api.ts';
import { id, type Locale } from './schemas.ts';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DELIVERY_FORMATS = ['pdf', 'xlsx'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

/** What a title pattern may contain, with what each stands for (dates in the schedule's time zone, at the run). */
export const TITLE_PLACEHOLDERS = {
  date: 'the date of the run, e.g. 2015-06-30',
  year: 'its year, e.g. 2015',
  month: 'its month, e.g. June 2015',
  quarter: 'its quarter, e.g. 2015 Q2',
} as const;
export type TitlePlaceholder = keyof typeof TITLE_PLACEHOLDERS;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (24-hour)').describe('Local time of day in the schedule\'s time zone.');
const monthDay = z.union([z.number().int().min(1, 'must be 1–28 or "last"').max(28, 'must be 1–28 or "last"'), z.literal('last')])
  .describe('Day of the month (1–28), or "last".');

/**
 * When a schedule runs. month: on a day of every month; quarter: on a day of the first month of each quarter
 * (January, April, July, October); week: on a weekday; cron: a five-field cron expression
 * (minute hour day-of-month month day-of-week), checked by the server.
 */
export const cadence = z.discriminatedUnion('every', [
  z.strictObject({ every: z.literal('month'), day: monthDay, time }),
  z.strictObject({ every: z.literal('quarter'), day: monthDay, time }),
  z.strictObject({ every: z.literal('week'), weekday: z.enum(WEEKDAYS), time }),
  z.strictObject({ every: z.literal('cron'), cron: z.string().trim().regex(/^\S+( \S+){4}$/, 'must be five cron fields: minute hour day-of-month month day-of-week').max(100) }),
]);
export type Cadence = z.infer<typeof cadence>;

/** True when `tz` is an IANA time zone name this runtime knows (e.g. Europe/Zurich, UTC). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The five-field cron expression of a cadence, read in the schedule's time zone. */
export function cadencePattern(c: Cadence): string {
  if (c.every === 'cron') return c.cron;
  const [h, m] = c.time.split(':').map(Number);
  const at = `${m} ${h}`;
  // Cron counts weekdays from Sunday = 0.
  if (c.every === 'week') return `${at} * * ${(WEEKDAYS.indexOf(c.weekday) + 1) % 7}`;
  const day = c.day === 'last' ? 'L' : String(c.day);
  return c.every === 'month' ? `${at} ${day} * *` : `${at} ${day} 1,4,7,10 *`;
}

const ordinal = (d: number | 'last'): string => {
  if (d === 'last') return 'the last day';
  const suffix = d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th';
  return `the ${d}${suffix}`;
};

/** A cadence as people read it: "Every month on the 1st at 08:00 (Europe/Zurich)". */
export function describeCadence(c: Cadence, timeZone: string): string {
  const tz = ` (${timeZone})`;
  if (c.every === 'cron') return `Cron "${c.cron}"${tz}`;
  if (c.every === 'week') return `Every ${c.weekday[0]?.toUpperCase()}${c.weekday.slice(1)} at ${c.time}${tz}`;
  if (c.every === 'month') return `Every month on ${ordinal(c.day)} at ${c.time}${tz}`;
  return `Every quarter (January, April, July, October) on ${ordinal(c.day)} at ${c.time}${tz}`;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The placeholders of a pattern that are not {@link TITLE_PLACEHOLDERS}, e.g. `["{day}"]`. */
export function unknownPlaceholders(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].filter((m) => !Object.hasOwn(TITLE_PLACEHOLDERS, m[1] ?? '')).map((m) => m[0]);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "June 2015" / "juin 2015" / "junio de 2015": the month as the title's language names it. */
function monthName(y: string, month: number, locale: Locale): string {
  if (locale === 'en' || !(month >= 1 && month <= 12)) return `${MONTHS[month - 1] ?? String(month)} ${y}`;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(y), month - 1, 15));
}

/**
 * The title of a run on local calendar date `date` (YYYY-MM-DD): each placeholder replaced by its value, the
 * month and quarter in `locale` (the schedule author's language: "June 2015" / "juin 2015"; "2015 Q2" / "T2 2015").
 */
export function expandTitle(pattern: string, date: string, locale: Locale = 'en'): string {
  const [y = '', mo = '01'] = date.split('-');
  const month = Number(mo);
  const quarter = Math.ceil(month / 3);
  const values: Record<TitlePlaceholder, string> = {
    date, year: y, month: monthName(y, month, locale), quarter: locale === 'en' ? `${y} Q${quarter}` : `T${quarter} ${y}`,
  };
  return pattern.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as TitlePlaceholder] : whole));
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const email = z.string().trim().toLowerCase().max(320).email('must be an email address');
const distinct = (xs: readonly string[]) => new Set(xs).size === xs.length;

const scheduleFields = {
  titlePattern: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')
    .refine((p) => unknownPlaceholders(p).length === 0, { message: `may use only the placeholders ${Object.keys(TITLE_PLACEHOLDERS).map((k) => `{${k}}`).join(', ')}` })
    .describe(`The snapshot's title and the e-mail's subject; placeholders: ${Object.entries(TITLE_PLACEHOLDERS).map(([k, v]) => `{${k}} ${v}`).join('; ')}.`),
  note: z.string().trim().max(4000, 'must be at most 4000 characters').nullable().optional().describe('Kept with each snapshot and written in the e-mail.'),
  /** The view: the progress filters without asOf (each run is as of its own date). */
  filters: progressQuery.omit({ asOf: true }),
  cadence,
  timeZone: z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Zurich or UTC' }),
  recipients: z.array(email).min(1, 'must list at least one address').max(50, 'at most 50 addresses').refine(distinct, { message: 'lists an address twice' }),
  formats: z.array(z.enum(DELIVERY_FORMATS)).min(1, 'must include pdf or xlsx (or both)').max(2).refine(distinct, { message: 'lists a format twice' }),
  active: z.boolean().describe('Paused schedules do not run (a run-now still does).'),
};
export const scheduleInput = z.strictObject({ ...scheduleFields, filters: scheduleFields.filters.default({ region: [], country: [], partnerType: [], modality: [], mandate: [], objective: [], outcome: [], status: [], figures: 'latest' }), active: scheduleFields.active.default(true) });
export type ScheduleInput = z.input<typeof scheduleInput>;
export const schedulePatch = z.strictObject(scheduleFields).partial();
export type SchedulePatch = z.infer<typeof schedulePatch>;

/**
 * Why the server gave up on a delivery (stored as the delivery's error, in English): each reason's wording in one
 * place, so the page can read it back (readDeliveryReason) and say it in its own language. Anything else stored
 * there is a mail server's answer, shown as it came.
 */
export const DELIVERY_REASONS = {
  noMail: () => 'E-mail is not configured on this server (SMTP_URL is unset).',
  scheduleDeleted: () => 'The schedule was deleted.',
  snapshotDeleted: (p: { id: string }) => `The snapshot ${p.id} of this run was deleted before it could be sent.`,
  authorInactive: (p: { email: string }) => `The schedule's author (${p.email}) no longer has an active account; an admin may delete the schedule or create it again.`,
  authorMayNot: (p: { email: string }) => `The schedule's author (${p.email}) may no longer take snapshots.`,
} as const;
export type DeliveryReasonKey = keyof typeof DELIVERY_REASONS;
export type DeliveryReason = { [K in DeliveryReasonKey]: { key: K; params: Parameters<(typeof DELIVERY_REASONS)[K]>[0] } }[DeliveryReasonKey];

/** Each reason as a pattern: its wording, parameters as capture groups (made from DELIVERY_REASONS, so the two cannot drift). */
const REASON_PATTERNS = (Object.keys(DELIVERY_REASONS) as DeliveryReasonKey[]).map((key) => {
  const mark = { id: '\uE000', email: '\uE001' };
  const text = (DELIVERY_REASONS[key] as (p: typeof mark) => string)(mark);
  const names = [...text.matchAll(/[\uE000\uE001]/g)].map((x) => (x[0] === mark.id ? 'id' : 'email'));
  const source = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\uE000\uE001]/g, '(.+?)');
  return { key, re: new RegExp(`^${source}$`, 's'), names };
});

/** The server's reason behind a stored delivery error, with its parameters; null for anything else (a mail server's answer). */
export function readDeliveryReason(error: string): DeliveryReason | null {
  for (const { key, re, names } of REASON_PATTERNS) {
    const m = re.exec(error);
    if (m) return { key, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) } as DeliveryReason;
  }
  return null;
}

export const DELIVERY_STATUSES = ['pending', 'retrying', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryAttempt = z.object({
  attempt: z.number().int(), at: z.string(), outcome: z.enum(['sent', 'failed']), error: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

export const delivery = z.object({
  id, scheduleId: z.number().int(),
  trigger: z.enum(['schedule', 'manual']).describe('schedule: a due slot; manual: run now.'),
  slotAt: z.string().describe('The slot this run is for (a missed slot runs once, later).'),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(deliveryAttempt),
  nextAttemptAt: z.string().nullable().describe('When the next attempt is due (pending or retrying).'),
  snapshotId: z.string().nullable(), title: z.string().nullable(),
  recipients: z.array(z.string()), formats: z.array(z.enum(DELIVERY_FORMATS)),
  error: z.string().nullable().describe('Why the last attempt failed.'),
  createdAt: z.string(), sentAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof delivery>;
export const deliveryList = z.object({ items: z.array(delivery) });

export const snapshotSchedule = z.object({
  id, titlePattern: z.string(), note: z.string().nullable(), filters: progressQuery.omit({ asOf: true }), cadence, timeZone: z.string(),
  recipients: z.array(z.string()), formats: z.array(z.enum(DELIVERY_FORMATS)), active: z.boolean(),
  description: z.string().describe('The cadence in words.'),
  nextRunAt: z.string().nullable().describe('The next slot (UTC); null while paused.'),
  createdBy: z.object({ id: z.number().int().nullable(), name: z.string().nullable(), email: z.string().nullable() }),
  createdAt: z.string(), updatedAt: z.string(), version: z.number().int(),
  lastDelivery: delivery.pick({ id: true, status: true, createdAt: true, sentAt: true, error: true }).nullable(),
  canEdit: z.boolean().describe('Whether you may change, run or delete it (admins and its author).'),
});
export type SnapshotSchedule = z.infer<typeof snapshotSchedule>;
export const scheduleList = z.object({
  items: z.array(snapshotSchedule),
  canCreate: z.boolean(),
  mailConfigured: z.boolean().describe('False when the server has no SMTP_URL: runs then fail with that reason.'),
});
export type ScheduleList = z.infer<typeof scheduleList>;
