/**
 * Pure shaping for the reporting pages (issue 16): the status board (period × region), the words for a
 * (period, region)'s state, and a submission's changes as "field: before → after" lines for the reviewer.
 * The types here are only the fields these functions read, so they accept the API's records as they are.
 */
import type { ReportingState, TimelineEvent } from '@mm/shared';
import { REGIONS } from '@mm/shared/reference';
import { m } from '../../lib/i18n/locale.ts';
import { regionLabel } from '../../lib/i18n/reference.ts';

export type BoardState = ReportingState;

const STATE_LABELS: Record<BoardState, () => string> = {
  open: m.st_open, submitted: m.st_submitted, returned: m.st_returned, approved: m.st_approved, reopened: m.st_reopened,
};

/** What a (period, region)'s state says on the board and on its page. */
export function stateLabel(state: BoardState): string {
  return STATE_LABELS[state]();
}

interface PeriodIn { id: number; name: string; dueDate: string; regions: readonly { region: string; state: BoardState; overdue: boolean }[] }
export interface BoardCell { region: string; regionLabel: string; state: BoardState | null; overdue: boolean; href: string | null }
export interface BoardRow { id: number; name: string; dueDate: string; cells: BoardCell[]; overdue: number; approved: number }

/**
 * One row per period (latest due date first), one cell per region in the reference order; a region the
 * period has no entry for is an empty cell with no link.
 */
export function boardRows(periods: readonly PeriodIn[]): BoardRow[] {
  return [...periods]
    .sort((a, b) => (a.dueDate === b.dueDate ? b.id - a.id : a.dueDate < b.dueDate ? 1 : -1))
    .map((p) => {
      const byRegion = new Map(p.regions.map((r) => [r.region, r]));
      const cells = REGIONS.map(({ code }): BoardCell => {
        const r = byRegion.get(code);
        return { region: code, regionLabel: regionLabel(code), state: r?.state ?? null, overdue: r?.overdue ?? false, href: r ? `/reporting/${p.id}/${code}` : null };
      });
      return { id: p.id, name: p.name, dueDate: p.dueDate, cells, overdue: cells.filter((c) => c.overdue).length, approved: cells.filter((c) => c.state === 'approved').length };
    });
}

interface ChangeIn { at: string; by: string | null; action: string; entity: 'measurement' | 'milestone'; entityId: string | null; before: unknown; after: unknown }
export interface ChangeLine { at: string; by: string; what: string; fields: { field: string; before: string; after: string }[] }

const shown = (v: unknown): string => (v === undefined || v === null || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const fieldsOf = (v: unknown): Map<string, unknown> => new Map(v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);

/** Bookkeeping fields that change on every write and tell a reviewer nothing. */
const QUIET = new Set(['version', 'updatedAt', 'createdAt', 'updatedBy', 'createdBy']);

/**
 * A change as the reviewer reads it: who, when, which record, and only the fields whose values differ
 * (a creation shows every field from "—", a deletion every field to "—").
 */
export function changeLine(c: ChangeIn): ChangeLine {
  const before = fieldsOf(c.before);
  const after = fieldsOf(c.after);
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter((k) => !QUIET.has(k)).sort();
  const fields = keys
    .map((field) => ({ field, before: shown(before.get(field)), after: shown(after.get(field)) }))
    .filter((f) => f.before !== f.after);
  const noun = c.entity === 'milestone' ? m.rg_milestone() : m.rg_measurement();
  return { at: c.at, by: c.by ?? m.rg_unknownUser(), what: `${noun}${c.entityId ? ` ${c.entityId}` : ''} (${c.action})`, fields };
}

// ------------------------------------------------------------------ who may act on a (period, region)

export type Action = 'submit' | 'approve' | 'return' | 'reopen';
interface UserIn { role: string; regions: readonly string[] }
export interface ActionChoice { action: Action; label: string; text: 'none' | 'optional-comment' | 'comment' | 'reason' }

/** The states each action may start from (the API's REPORTING_TRANSITIONS; kept here so the page chunk needs no zod). */
const FROM: Record<Action, readonly BoardState[]> = {
  submit: ['open', 'returned', 'reopened'], approve: ['submitted'], return: ['submitted'], reopen: ['approved'],
};
const CHOICES: Record<Action, ActionChoice> = {
  submit: { action: 'submit', label: m.rg_submit(), text: 'optional-comment' },
  approve: { action: 'approve', label: m.rg_approve(), text: 'optional-comment' },
  return: { action: 'return', label: m.rg_return(), text: 'comment' },
  reopen: { action: 'reopen', label: m.rg_reopen(), text: 'reason' },
};

/**
 * The actions this user may take on the region's cycle now, as the server decides them: editors of the
 * region submit, reviewers of the region approve or return, admins do any of these and alone reopen; each
 * only from a state it may start from.
 */
export function actionsFor(user: UserIn | undefined, region: string, state: BoardState): ActionChoice[] {
  if (!user) return [];
  const mine = user.regions.includes(region);
  const may = (a: Action): boolean => {
    if (user.role === 'admin') return true;
    if (!mine) return false;
    return a === 'submit' ? user.role === 'editor' : a === 'approve' || a === 'return' ? user.role === 'reviewer' : false;
  };
  return (Object.keys(FROM) as Action[]).filter((a) => FROM[a].includes(state) && may(a)).map((a) => CHOICES[a]);
}

/** What a refused transition or write says to the person: 403 = not theirs to do, 409 = the state does not allow it (now). */
export function refusalMessage(p: { status: number; title: string; detail?: string | undefined }): string {
  const detail = p.detail ? ` ${p.detail}` : '';
  if (p.status === 403) return `${m.rg_notAllowed()}${detail}`;
  if (p.status === 409) return `${m.rg_notPossible()}${detail} ${m.rg_nowShows()}`;
  return `${p.title}.${detail}`.replace(/\.\./g, '.');
}

// ------------------------------------------------------------------ timeline events

export type EventKind = TimelineEvent['kind'];
const EVENT_KIND_LABELS: Record<EventKind, () => string> = {
  ecosoc: m.ev2_kind_ecosoc, ceb: m.ev2_kind_ceb, general_assembly: m.ev2_kind_general_assembly, ilo: m.ev2_kind_ilo, ifi: m.ev2_kind_ifi, conference: m.ev2_kind_conference, initiative: m.ev2_kind_initiative,
};
export const EVENT_KINDS = Object.keys(EVENT_KIND_LABELS) as EventKind[];
/** What an event's kind says in the page's language ("IMF / World Bank", "FMI / Banque mondiale"). */
export function eventKindLabel(kind: EventKind): string {
  return EVENT_KIND_LABELS[kind]();
}

interface EventIn { date: string; title: string; kind: EventKind; url: string | null; mandates: readonly string[]; verified: boolean }
export interface EventDraft { date: string; title: string; kind: EventKind; url: string; mandates: string[]; verified: boolean }

/** A form's fields for an event (a new one: today's date left empty, kind conference, unverified). */
export function eventDraft(e?: EventIn): EventDraft {
  return e ? { date: e.date, title: e.title, kind: e.kind, url: e.url ?? '', mandates: [...e.mandates], verified: e.verified } : { date: '', title: '', kind: 'conference', url: '', mandates: [], verified: false };
}

export interface EventBody { date: string; title: string; kind: EventKind; url: string | null; mandates: string[]; verified: boolean }

/** A new event's request body: every field, the title trimmed, an empty link as none. */
export function eventBody(d: EventDraft): EventBody {
  return { date: d.date, title: d.title.trim(), kind: d.kind, url: d.url.trim() === '' ? null : d.url.trim(), mandates: [...d.mandates].sort(), verified: d.verified };
}

/** A change to an existing event: only the fields that differ from it. */
export function eventChange(d: EventDraft, before: EventIn): Partial<EventBody> {
  const full = eventBody(d);
  const out: Partial<EventBody> = {};
  if (full.date !== before.date) out.date = full.date;
  if (full.title !== before.title) out.title = full.title;
  if (full.kind !== before.kind) out.kind = full.kind;
  if (full.url !== before.url) out.url = full.url;
  if (full.mandates.join() !== [...before.mandates].sort().join()) out.mandates = full.mandates;
  if (full.verified !== before.verified) out.verified = full.verified;
  return out;
}

// ------------------------------------------------------------------ reporting periods

interface PeriodFieldsIn { name: string; startDate: string; endDate: string; dueDate: string }
export type PeriodDraft = PeriodFieldsIn;

export function periodDraft(p?: PeriodFieldsIn): PeriodDraft {
  return p ? { name: p.name, startDate: p.startDate, endDate: p.endDate, dueDate: p.dueDate } : { name: '', startDate: '', endDate: '', dueDate: '' };
}

/** A change to an existing period: only the fields that differ from it (the name trimmed). */
export function periodChange(d: PeriodDraft, before: PeriodFieldsIn): Partial<PeriodDraft> {
  const full = { ...d, name: d.name.trim() };
  return Object.fromEntries((Object.keys(full) as (keyof PeriodDraft)[]).filter((k) => full[k] !== before[k]).map((k) => [k, full[k]]));
}
