/**
 * Pure shaping for the reporting pages (issue 16): the status board (period × region), the words for a
 * (period, region)'s state, and a submission's changes as "field: before → after" lines for the reviewer.
 * The types here are only the fields these functions read, so they accept the API's records as they are.
 */
import { REGIONS } from '@mm/shared/reference';

export type BoardState = 'open' | 'submitted' | 'returned' | 'approved' | 'reopened';

const STATE_LABELS: Record<BoardState, string> = {
  open: 'Open', submitted: 'Submitted, awaiting review', returned: 'Returned to editors', approved: 'Approved', reopened: 'Reopened',
};

/** What a (period, region)'s state says on the board and on its page. */
export function stateLabel(state: BoardState): string {
  return STATE_LABELS[state];
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
      const cells = REGIONS.map(({ code, label }): BoardCell => {
        const r = byRegion.get(code);
        return { region: code, regionLabel: label, state: r?.state ?? null, overdue: r?.overdue ?? false, href: r ? `/reporting/${p.id}/${code}` : null };
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
  const noun = c.entity === 'milestone' ? 'Milestone' : 'Measurement';
  return { at: c.at, by: c.by ?? 'unknown user', what: `${noun}${c.entityId ? ` ${c.entityId}` : ''} (${c.action})`, fields };
}
