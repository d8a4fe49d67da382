/**
 * Pure shaping for staff editing: what an edit form changed, the side-by-side rows of a conflict, and
 * how far a due date is. No fetching here, so each rule is tested.
 */
import { formatDateTime } from '../../lib/i18n/format.ts';
import { locale, m } from '../../lib/i18n/locale.ts';
import type { Milestone, User } from '@mm/shared';
import { MILESTONE_STATUS_LIST } from '@mm/shared/reference';
import type { MilestoneChange } from '../../lib/api/editing.ts';

/** Whether this user may update the milestone's progress: admins any, editors those of their regions (as the server decides). */
export function mayEditMilestone(user: Pick<User, 'role' | 'regions'> | undefined, region: Milestone['region']): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'editor' && user.regions.includes(region));
}

/** The editable fields of a milestone, in form order, with the words users read. */
export const MILESTONE_FIELDS = [
  { key: 'status', label: m.ed_status() },
  { key: 'percentComplete', label: m.ed_percentComplete() },
  { key: 'completedDate', label: m.ed_completedDate() },
  { key: 'evidenceNote', label: m.ed_evidenceNote() },
  { key: 'evidenceUrl', label: m.ed_evidenceUrl() },
] as const;
export type MilestoneField = (typeof MILESTONE_FIELDS)[number]['key'];

/** What the form holds: text inputs give strings ('' = empty). */
export interface MilestoneDraft { status: Milestone['status']; percentComplete: number; completedDate: string; evidenceNote: string; evidenceUrl: string }

export function draftOf(m: Milestone): MilestoneDraft {
  return { status: m.status, percentComplete: m.percentComplete, completedDate: m.completedDate ?? '', evidenceNote: m.evidenceNote ?? '', evidenceUrl: m.evidenceUrl ?? '' };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** Only the fields the editor actually changed (so re-applying on top of someone else's save keeps theirs). */
export function changeOf(m: Milestone, d: MilestoneDraft): MilestoneChange {
  const c: MilestoneChange = {};
  if (d.status !== m.status) c.status = d.status;
  if (d.percentComplete !== m.percentComplete) c.percentComplete = d.percentComplete;
  if (orNull(d.completedDate) !== m.completedDate) c.completedDate = orNull(d.completedDate);
  if (orNull(d.evidenceNote) !== m.evidenceNote) c.evidenceNote = orNull(d.evidenceNote);
  if (orNull(d.evidenceUrl) !== m.evidenceUrl) c.evidenceUrl = orNull(d.evidenceUrl);
  return c;
}

const STATUS_LABEL: Record<string, string> = Object.fromEntries(MILESTONE_STATUS_LIST.map((s) => [s.code, s.label]));

/** A field's value as a person reads it: status labels, percentages, "—" for empty. */
export function showField(field: MilestoneField, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (field === 'status') return STATUS_LABEL[String(v)] ?? String(v);
  if (field === 'percentComplete') return `${String(v)}%`;
  return String(v);
}

export interface ConflictRow { field: MilestoneField; label: string; before: string; mine: string; now: string; theyChanged: boolean; clash: boolean }

/**
 * The rows of a conflict, for every field either side changed: what it was when the editor started,
 * what they tried to save, and what is saved now. `clash` marks fields both changed to different values
 * (re-applying would overwrite theirs there).
 */
export function conflictRows(base: Milestone, mine: MilestoneChange, now: Milestone): ConflictRow[] {
  const rows: ConflictRow[] = [];
  for (const { key, label } of MILESTONE_FIELDS) {
    const mineChanged = key in mine;
    const theyChanged = base[key] !== now[key];
    if (!mineChanged && !theyChanged) continue;
    const mineValue = mineChanged ? mine[key] : base[key];
    rows.push({
      field: key, label, before: showField(key, base[key]), mine: showField(key, mineValue), now: showField(key, now[key]), theyChanged,
      clash: mineChanged && theyChanged && mineValue !== now[key],
    });
  }
  return rows;
}

const DAY = 86_400_000;

/** 12 → "12 days", 75 → "2 months", 800 → "2 years": the unit a person would say. */
function span(days: number): string {
  const [n, one, other] = days <= 60 ? [days, m.ed_day_one, m.ed_day_other] : days < 730 ? [Math.floor(days / 30.44), m.ed_month_one, m.ed_month_other] : [Math.floor(days / 365.25), m.ed_year_one, m.ed_year_other];
  return (n === 1 ? one : other)({ count: n });
}

/** "Overdue by 12 days", "Due today", "Due in 3 months", from ISO dates. */
export function dueLabel(dueDate: string, today: string): { text: string; overdue: boolean } {
  const days = Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY);
  if (days < 0) return { text: m.ed_overdueBy({ span: span(-days) }), overdue: true };
  if (days === 0) return { text: m.ed_dueToday(), overdue: false };
  return { text: m.ed_dueIn({ span: span(days) }), overdue: false };
}

/** Checks a measurement form; returns field → message for each problem (empty when it may be sent). */
export function measurementProblems(d: { value: string; date: string }, today: string): Partial<Record<'value' | 'date', string>> {
  const p: Partial<Record<'value' | 'date', string>> = {};
  const v = d.value.trim().replace(/,/g, '');
  if (v === '' || !Number.isFinite(Number(v))) p.value = m.ed_enterNumber();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) p.date = m.ed_enterDate();
  else if (d.date > today) p.date = m.ed_noFuture();
  return p;
}

/** `percentComplete` → "Percent complete"; `evidenceUrl` → "Evidence URL". */
const FIELD: Record<string, () => string> = {
  status: m.ed_status, percentComplete: m.ed_percentComplete, completedDate: m.ed_completedDate, evidenceNote: m.ed_evidenceNote, evidenceUrl: m.ed_evidenceUrl,
  title: m.ed_field_title, dueDate: m.ed_field_dueDate, value: m.ed_field_value, date: m.ed_field_date, note: m.ed_field_note, source: m.ed_field_source, eventId: m.ed_field_eventId,
};

export function fieldName(field: string): string {
  // French and Spanish name the fields people edit; English (and any other field) spells out the API's name.
  const known = locale === 'en' ? undefined : FIELD[field];
  if (known) return known();
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase().replace(/\b(url|usd|id|iati)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value in a history line: codes in words (`in_progress` → "in progress"), lists joined, empty as "—". */
export function historyValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(historyValue).join(', ');
  if (typeof v === 'string') return /^[a-z]+(_[a-z]+)+$/.test(v) ? v.replace(/_/g, ' ') : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const ACTIONS: Record<string, () => string> = { create: m.ed_created, update: m.ed_changed, delete: m.ed_deleted, import: m.ed_imported };

/** One audit entry as a person reads it: what happened, who, when (UTC), and each field's before → after. */
export function historyLine(e: { at: string; userEmail: string | null; action: string; changes: { field: string; from: unknown; to: unknown }[] }): { head: string; changes: string[] } {
  const who = e.userEmail ?? m.ed_theSystem();
  const when = formatDateTime(e.at);
  return {
    head: m.ed_historyHead({ action: ACTIONS[e.action]?.() ?? fieldName(e.action), who, when }),
    changes: e.changes.map((c) => `${fieldName(c.field)}: ${historyValue(c.from)} → ${historyValue(c.to)}`),
  };
}
