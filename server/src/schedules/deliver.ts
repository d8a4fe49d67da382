/**
 * One attempt of a scheduled snapshot's delivery: take the snapshot (first attempt only; retries send the same
 * one), render its PDF/XLSX with the export writers, e-mail them, and record the outcome. A failed attempt is
 * retried after retryBaseMs, then twice that, … up to maxAttempts; problems no retry can fix (the schedule's
 * author may no longer take snapshots, no SMTP configured) fail at once.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { cadence as cadenceSchema, DELIVERY_REASONS, describeCadence, expandTitle, localDate, progressQuery, role as roleSchema, type Delivery, type DeliveryFormat } from '@mm/shared';
import { num } from '../db/util.ts';
import type { AppDeps } from '../deps.ts';
import { snapshotDoc } from '../export/live.ts';
import { describeFigures, describeFilters, exportFilename, type ExportDoc } from '../export/model.ts';
import { writePdf } from '../export/pdf.ts';
import { CONTENT_TYPES } from '../export/respond.ts';
import { writeXlsx } from '../export/xlsx.ts';
import { l10n } from '../i18n/index.ts';
import { userLocale } from '../queries/users.ts';
import { createSnapshot, getSnapshot, mayTakeSnapshot } from '../snapshots/store.ts';
import { sendMail, type Attachment } from './mail.ts';
import { claimAttempt, getDeliveryRow, recordAttempt, scheduleRow, toDelivery } from './store.ts';

/** A failure that another attempt would meet again. */
class PermanentFailure extends Error {}

const viewFilters = progressQuery.omit({ asOf: true });

async function render(doc: ExportDoc, format: DeliveryFormat): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => { out.once('end', resolve); out.once('error', reject); });
  await (format === 'pdf' ? writePdf(doc, out) : writeXlsx(doc, out));
  out.end();
  await ended;
  return Buffer.concat(chunks);
}

/** The snapshot of this run: taken now (as of today in the schedule's time zone) unless an earlier attempt took it. */
async function snapshotOf(deps: AppDeps, d: Delivery, s: NonNullable<Awaited<ReturnType<typeof scheduleRow>>>): Promise<string> {
  if (d.snapshotId) return d.snapshotId;
  const author = s.created_by === null ? undefined
    : await deps.db.selectFrom('users').select(['id', 'email', 'name', 'role', 'disabled']).where('id', '=', num(s.created_by)).executeTakeFirst();
  if (!author || author.disabled === 1) throw new PermanentFailure(DELIVERY_REASONS.authorInactive({ email: s.created_by_email ?? 'unknown' }));
  const role = roleSchema.catch('viewer').parse(author.role);
  if (!(await mayTakeSnapshot(deps.db, role))) throw new PermanentFailure(DELIVERY_REASONS.authorMayNot({ email: author.email }));
  const asOf = localDate(deps.clock(), s.time_zone);
  // The title's month and quarter in the author's language, as the e-mail and its files are.
  const title = expandTitle(s.title_pattern, asOf, (await userLocale(deps.db, num(author.id))) ?? 'en');
  const cadence = cadenceSchema.parse(JSON.parse(s.cadence));
  const note = [`Taken by schedule #${num(s.id)} (${describeCadence(cadence, s.time_zone)}).`, s.note].filter(Boolean).join('\n');
  const snap = await createSnapshot(deps, { id: num(author.id), email: author.email, name: author.name, role }, { title, note, filters: { ...viewFilters.parse(JSON.parse(s.filters)), asOf } },
    async (trx, taken) => { await trx.updateTable('snapshot_deliveries').set({ snapshot_id: taken.id, title }).where('id', '=', d.id).execute(); });
  return snap.id;
}

/** The e-mail and its files are in the language of the schedule's author (their account's; else English). */
async function send(deps: AppDeps, d: Delivery, snapshotId: string, scheduleId: number, authorId: number | null): Promise<void> {
  const mail = deps.config.mail;
  if (!mail) throw new PermanentFailure(DELIVERY_REASONS.noMail());
  const s = await getSnapshot(deps.db, snapshotId);
  if (!s) throw new PermanentFailure(DELIVERY_REASONS.snapshotDeleted({ id: snapshotId }));
  const t = l10n((authorId === null ? null : await userLocale(deps.db, authorId)) ?? 'en');
  const attachments: Attachment[] = [];
  for (const format of d.formats) {
    const doc = snapshotDoc(deps, s, undefined, format, t.locale);
    attachments.push({ filename: exportFilename(doc.meta, undefined, format), content: await render(doc, format), contentType: CONTENT_TYPES[format] });
  }
  const text = [
    s.title, '',
    t.m('mail_taken', { title: s.title, id: s.id, takenAt: t.f.dateTime(s.createdAt), asOf: t.f.date(s.asOf), schedule: scheduleId }),
    t.m('mail_filters', { filters: describeFilters(s.filters, t) }),
    t.m('mail_figures', { figures: describeFigures(s.filters, t) }),
    ...(s.note ? ['', s.note] : []),
    '', t.m('mail_attached', { files: attachments.map((a) => a.filename).join(', ') }),
    ...(s.demo ? ['', t.m('meta_demoNotice')] : []),
  ].join('\n');
  await sendMail(mail, { to: d.recipients, subject: s.title, text, attachments });
}

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 1000);

/**
 * Runs the due attempt of delivery `id` if this caller wins its claim; returns the delivery as recorded after it,
 * or undefined when the attempt was not due or another process holds it.
 */
export async function attemptDelivery(deps: AppDeps, id: number): Promise<Delivery | undefined> {
  const owner = randomBytes(9).toString('base64url');
  if (!(await claimAttempt(deps, id, owner))) return undefined;
  const row = await getDeliveryRow(deps.db, id);
  if (!row) return undefined;
  const d = toDelivery(row);
  const n = d.attempts.length + 1;
  let error: string | null = null;
  let permanent = false;
  try {
    const s = await scheduleRow(deps.db, d.scheduleId);
    if (!s) throw new PermanentFailure(DELIVERY_REASONS.scheduleDeleted());
    await send(deps, d, await snapshotOf(deps, d, s), d.scheduleId, s.created_by === null ? null : num(s.created_by));
  } catch (e) {
    error = reasonOf(e);
    permanent = e instanceof PermanentFailure;
  }
  const now = deps.clock();
  const { maxAttempts, retryBaseMs } = deps.config.delivery;
  const status = error === null ? 'sent' : permanent || n >= maxAttempts ? 'failed' : 'retrying';
  deps.metrics.deliveries.inc({ outcome: status });
  const nextAttemptAt = status === 'retrying' ? new Date(now.getTime() + retryBaseMs * 2 ** (n - 1)).toISOString() : null;
  await recordAttempt(deps.db, id, owner, d.attempts, { status, nextAttemptAt, attempt: { attempt: n, at: now.toISOString(), outcome: error === null ? 'sent' : 'failed', error } });
  const after = await getDeliveryRow(deps.db, id);
  return after ? toDelivery(after) : undefined;
}
