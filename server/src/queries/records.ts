/**
 * Helpers every record resource shares: case-insensitive search, whitelisted sorting, paging, today's date,
 * and the progress numbers shown in lists (indicator and action plan status).
 */
import { SORT_FIELDS, type Filters, type IndicatorStatus, type ListParams, type MilestoneStatus } from '@mm/shared';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AppDeps } from '../deps.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { listActionPlanProgress, listIndicatorProgress } from './progress.ts';

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

/**
 * `lower(col) LIKE '%q%'` with LIKE wildcards in q taken literally, case-insensitive on SQLite and
 * PostgreSQL alike (PostgreSQL's LIKE is case-sensitive, SQLite's is not, so both sides are lowered).
 */
export function contains(column: string, q: string): RawBuilder<SqlBool> {
  const pattern = `%${q.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}

export interface SortSpec { column: string; desc: boolean; text: boolean }

/** Indicator / action plan statuses in sorting order: the ones needing attention first, no data last. */
const STATUS_RANK: Record<IndicatorStatus, number> = { off_track: 0, at_risk: 1, on_track: 2, achieved: 3, no_data: 4 };

/** A sort by a figure computed at asOf (status, attainment, progress) rather than a stored column. */
export interface ComputedSort { field: string; desc: boolean }

/** The computed sort `sort` asks for, if it names one of `fields` (`-field` for descending); else undefined. */
export function computedSort(sort: string | undefined, fields: readonly string[]): ComputedSort | undefined {
  if (!sort) return undefined;
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  return fields.includes(field) ? { field, desc } : undefined;
}

/**
 * The ids of one page in the order of a computed figure: `ids` (every matching record) sorted by `value`
 * (statuses by {@link STATUS_RANK}; records without a value last in either direction; ties by id), then cut.
 */
export function pageByComputed(ids: readonly number[], value: (id: number) => number | string | null, s: ComputedSort, q: Pick<ListParams, 'page' | 'pageSize'>): number[] {
  const key = (id: number): number | null => {
    const v = value(id);
    if (v === null) return null;
    return typeof v === 'string' ? (STATUS_RANK[v as IndicatorStatus] ?? null) : v;
  };
  const keyed = ids.map((id) => ({ id, k: key(id) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.id - b.id : a.k === null ? 1 : -1;
    const d = s.desc ? b.k - a.k : a.k - b.k;
    return d !== 0 ? d : a.id - b.id;
  });
  const start = (q.page - 1) * q.pageSize;
  return keyed.slice(start, start + q.pageSize).map((x) => x.id);
}

/** The ids whose computed status is one of `wanted` (a list's status filter), as an `IN (…)` list: [-1] when none. */
export function idsWithStatus(progress: ReadonlyMap<number, { status: string }>, wanted: readonly string[]): number[] {
  const ids = [...progress].filter(([, p]) => wanted.includes(p.status)).map(([id]) => id);
  return ids.length > 0 ? ids : [-1];
}

/** `rows` (fetched by `IN (ids)`, so in any order) in the order of `ids`; an id without a row is skipped. */
export function inIdOrder<R extends { id: number }>(ids: readonly number[], rows: readonly R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => { const r = byId.get(id); return r ? [r] : []; });
}

/**
 * Resolves `sort` against the resource's whitelist (field → column); an unknown field is a 400 naming it.
 * Text columns sort case-insensitively so both databases agree.
 */
export function sortSpec(
  resource: keyof typeof SORT_FIELDS,
  sort: string | undefined,
  columns: Record<string, { column: string; text?: boolean }>,
  fallback: string,
): SortSpec {
  const raw = sort ?? fallback;
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw;
  const allowed: readonly string[] = SORT_FIELDS[resource];
  const col = columns[field];
  if (!allowed.includes(field) || !col) {
    throw badRequest(`Cannot sort by "${field}".`, [{ field: 'sort', reason: `unknown sort field "${field}"; sort by one of ${allowed.join(', ')}`, value: raw }]);
  }
  return { column: col.column, desc, text: col.text ?? false };
}

/** ORDER BY expression for a sort spec. */
export function orderExpr(s: SortSpec): RawBuilder<unknown> {
  return s.text ? sql`lower(${sql.ref(s.column)})` : sql`${sql.ref(s.column)}`;
}

export const offsetOf = (p: Pick<ListParams, 'page' | 'pageSize'>): number => (p.page - 1) * p.pageSize;

/** JSON text column → string array (mandates etc. are in link tables; this is for users.regions). */
export function parseJsonArray(s: string): string[] {
  const v: unknown = JSON.parse(s);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}


// ------------------------------------------------------------------------------------------------
// Progress numbers shown in record lists come from the progress service (one implementation of the math).

export interface IndicatorProgressRow { status: IndicatorStatus; attainment: number | null; expected: number | null; latest: { date: string; value: number } | null }
export interface ActionPlanProgressRow { status: IndicatorStatus; progress: number | null }

/** Status, attainment, expected and latest measurement at `f.asOf` of every indicator the filters select (f.status not applied). */
export async function indicatorProgressMap(deps: AppDeps, f: Filters): Promise<Map<number, IndicatorProgressRow>> {
  const all = await listIndicatorProgress(deps, { ...f, status: [] });
  return new Map([...all].map(([id, p]) => [id, {
    status: p.status, attainment: p.attainment === undefined || Number.isNaN(p.attainment) ? null : p.attainment, expected: p.expected,
    latest: p.latest ? { date: p.latest.date, value: p.latest.value } : null,
  }]));
}

/** Status and blended progress at `f.asOf` of every action plan the filters select (f.status not applied). */
export async function actionPlanProgressMap(deps: AppDeps, f: Filters): Promise<Map<number, ActionPlanProgressRow>> {
  const all = await listActionPlanProgress(deps, { ...f, status: [] });
  return new Map([...all].map(([id, p]) => [id, { status: p.status, progress: p.progress }]));
}

const MILESTONE_STATUSES: readonly MilestoneStatus[] = ['not_started', 'in_progress', 'completed', 'delayed', 'cancelled'];
export function milestoneStatusOf(s: string): MilestoneStatus {
  return MILESTONE_STATUSES.find((x) => x === s) ?? 'not_started';
}

/** Filters with nothing set (for progress of single records, narrowed by region). */
export function noFilters(over: Partial<Filters> = {}): Filters {
  return { region: [], country: [], partnerType: [], modality: [], mandate: [], objective: [], outcome: [], status: [], ...over };
}

/** The value, or a 404 naming what is missing. */
export function orNotFound<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw notFound(what);
  return v;
}
