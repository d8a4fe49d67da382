/**
 * Query factories for the progress API (issue 3). Keys are the filter objects, so two views with the same
 * filters share one cache entry, and a filter change is a new key (previous data kept while it loads).
 */
import type {
  ActionPlanProgressDetail, IndicatorProgressDetail, ProgressByDimension, ProgressDimension, ProgressSummary, ProgressTimeline, ProgressTrajectory,
} from '@mm/shared';
import type { Filters } from '../filters.ts';
import { getJson } from './client.ts';
import { apiSearch } from './query.ts';

export type { ProgressSummary, ProgressTimeline as Timeline, ProgressTrajectory as Trajectory, ActionPlanProgressDetail, IndicatorProgressDetail };
export type ProgressBy = ProgressByDimension;
export type Dimension = ProgressDimension;
export type IndicatorStatus = 'achieved' | 'on_track' | 'at_risk' | 'off_track' | 'no_data';

type Ctx = { signal: AbortSignal };

export function summaryQuery(f: Filters) {
  return { queryKey: ['progress', 'summary', f] as const, queryFn: ({ signal }: Ctx) => getJson<ProgressSummary>(`/progress/summary${apiSearch(f)}`, signal) };
}

export function byQuery(dimension: Dimension, f: Filters) {
  return { queryKey: ['progress', 'by', dimension, f] as const, queryFn: ({ signal }: Ctx) => getJson<ProgressByDimension>(`/progress/by/${dimension}${apiSearch(f)}`, signal) };
}

export function trajectoryQuery(f: Filters, interval: 'year' | 'quarter' = 'year') {
  return { queryKey: ['progress', 'trajectory', interval, f] as const, queryFn: ({ signal }: Ctx) => getJson<ProgressTrajectory>(`/progress/trajectory${apiSearch(f, { interval })}`, signal) };
}

export function timelineQuery(f: Filters) {
  return { queryKey: ['progress', 'timeline', f] as const, queryFn: ({ signal }: Ctx) => getJson<ProgressTimeline>(`/progress/timeline${apiSearch(f)}`, signal) };
}

export function actionPlanProgressQuery(id: number, asOf?: string) {
  return { queryKey: ['progress', 'action-plan', id, asOf ?? null] as const, queryFn: ({ signal }: Ctx) => getJson<ActionPlanProgressDetail>(`/action-plans/${id}/progress${apiSearch({ ...(asOf ? { asOf } : {}) })}`, signal) };
}

export function indicatorProgressQuery(id: number, asOf?: string) {
  return { queryKey: ['progress', 'indicator', id, asOf ?? null] as const, queryFn: ({ signal }: Ctx) => getJson<IndicatorProgressDetail>(`/indicators/${id}/progress${apiSearch({ ...(asOf ? { asOf } : {}) })}`, signal) };
}
