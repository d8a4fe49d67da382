/**
 * The progress service functions called in-process (the denominator of the overhead ratio), through a
 * Kysely instance that records every query, so a missed target can be explained with the database's plan.
 */
import { appDeps } from '@mm/server';
import { DEFAULT_CONFIG, type AppDeps } from '@mm/server/deps';
import { progressFilters, scorecardQuery, type ProgressDimension, type ProgressFilters } from '@mm/shared';
import { openDatabase, SERVER_POOL_SIZE } from '@mm/server/db/connect';
import { CompiledQuery, type LogEvent } from 'kysely';
import type { BenchDb } from './db.ts';

type Fn = (...args: unknown[]) => unknown;
const isFn = (x: unknown): x is Fn => typeof x === 'function';

export interface ProgressService {
  /** Resolves the default asOf the way the routes do (today), so in-process calls compute the same answer. */
  asOfOf?: Fn;
  getSummary?: Fn;
  getByDimension?: Fn;
  getTrajectory?: Fn;
  getTimeline?: Fn;
  /** The scorecard view (queries/scorecard-view.ts). */
  getScorecard?: Fn;
}

/** The progress module if it exists yet (other work lands it); missing functions stay undefined. */
export async function loadProgressService(): Promise<ProgressService | null> {
  const spec = '@mm/server/queries/progress';
  let mod: unknown;
  try {
    mod = await import(spec);
  } catch {
    return null;
  }
  if (!mod || typeof mod !== 'object') return null;
  const pick = (name: string): Fn | undefined => {
    const f: unknown = Reflect.get(mod, name);
    return isFn(f) ? f : undefined;
  };
  let scorecard: unknown;
  try {
    scorecard = await import('@mm/server/queries/scorecard-view');
  } catch {
    scorecard = undefined;
  }
  const getScorecard: unknown = scorecard && typeof scorecard === 'object' ? Reflect.get(scorecard, 'getScorecard') : undefined;
  return {
    asOfOf: pick('asOfOf'), getSummary: pick('getSummary'), getByDimension: pick('getByDimension'), getTrajectory: pick('getTrajectory'), getTimeline: pick('getTimeline'),
    getScorecard: isFn(getScorecard) ? getScorecard : undefined,
  };
}

/** What an endpoint computes, as an in-process call ready to run; undefined when the function is missing. */
export type ServiceCall = (svc: ProgressService, deps: AppDeps) => (() => Promise<unknown>) | undefined;

export const NO_FILTERS: ProgressFilters = progressFilters.parse({});
export const filtersOf = (query: Record<string, string[]>): ProgressFilters => progressFilters.parse(query);

/** The filters as the route hands them over: asOf resolved. */
function routeFilters(s: ProgressService, d: AppDeps, f: ProgressFilters): ProgressFilters {
  const asOf: unknown = s.asOfOf?.(d, f);
  return typeof asOf === 'string' ? { ...f, asOf } : f;
}

const bind = (fn: Fn | undefined, args: (s: ProgressService, d: AppDeps) => unknown[]): ServiceCall => (s, d) => {
  if (!fn) return undefined;
  return async () => fn(...args(s, d));
};

export const summaryCall = (f: ProgressFilters): ServiceCall => (s, d) => bind(s.getSummary, () => [d, routeFilters(s, d, f)])(s, d);
export const byCall = (dim: ProgressDimension, f: ProgressFilters): ServiceCall => (s, d) => bind(s.getByDimension, () => [d, dim, routeFilters(s, d, f)])(s, d);
export const trajectoryCall = (f: ProgressFilters): ServiceCall => (s, d) => bind(s.getTrajectory, () => [d, routeFilters(s, d, f), 'year'])(s, d);
export const timelineCall = (f: ProgressFilters): ServiceCall => (s, d) => bind(s.getTimeline, () => [d, routeFilters(s, d, f)])(s, d);
/** GET /progress/scorecard with its default query (first page of 100 entities, today). */
/** The scorecard as its page asks for it: 50 entities a page (the aggregates cover every entity). */
export const scorecardCall = (): ServiceCall => (s, d) => {
  const q = scorecardQuery.parse({ pageSize: '50' });
  return bind(s.getScorecard, () => [d, { ...q, asOf: routeFilters(s, d, NO_FILTERS).asOf ?? new Date().toISOString().slice(0, 10) }])(s, d);
};

export interface QueryRecord { sql: string; parameters: readonly unknown[]; ms: number }

export interface Traced {
  deps: AppDeps;
  /** Runs `work`, returning the queries it issued. */
  record<T>(work: () => Promise<T>): Promise<{ result: T; queries: QueryRecord[] }>;
  /** The database's plan for a recorded query (PostgreSQL: EXPLAIN ANALYZE with buffers; SQLite: EXPLAIN QUERY PLAN). */
  explain(q: QueryRecord): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The in-process side opens its own connection (SQLite) or pool (PostgreSQL) through the server's
 * openDatabase, sized like the server's: the same statement cache and prepared statements, and, like the
 * server process, a reader that did not make the write before a cold sample. (The bench's own connection
 * made that write: its page cache stays warm, while every other SQLite connection drops its cache on
 * another's commit. Timing in-process calls there made the in-process side 1–3 ms faster than any reader
 * could be, and charged that difference to HTTP.)
 */
export function traced(db: BenchDb): Traced {
  let sink: QueryRecord[] | null = null;
  const log = (e: LogEvent) => {
    if (sink && e.level === 'query') sink.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
  };
  const handle = openDatabase(db.url, { poolSize: SERVER_POOL_SIZE, log });
  const kysely = handle.db;
  const deps: AppDeps = appDeps({ db: kysely, dialect: handle.dialect, config: DEFAULT_CONFIG, changeStamp: handle.changeStamp });
  return {
    deps,
    record: async (work) => {
      const queries: QueryRecord[] = [];
      sink = queries;
      try {
        return { result: await work(), queries };
      } finally {
        sink = null;
      }
    },
    explain: async (q) => {
      const prefix = db.dialect === 'postgres' ? 'EXPLAIN (ANALYZE, BUFFERS) ' : 'EXPLAIN QUERY PLAN ';
      const r = await kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
      if (db.dialect === 'postgres') return r.rows.map((row) => String(row['QUERY PLAN'] ?? ''));
      // SQLite gives (id, parent, detail) rows: indent each under its parent.
      const depth = new Map<number, number>();
      return r.rows.map((row) => {
        const d = (depth.get(Number(row.parent)) ?? -1) + 1;
        depth.set(Number(row.id), d);
        return `${'  '.repeat(d)}${String(row.detail ?? '')}`;
      });
    },
    close: () => handle.close(),
  };
}
