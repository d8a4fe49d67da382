/** Query factories for record lists and details: key = resource + the filter/list objects from the URL. */
import type { ActionPlan, Indicator, Measurement, Milestone, Partnership } from '@mm/shared';
import type { Filters, ListState } from '../filters.ts';
import { getJson } from './client.ts';
import type { IndicatorStatus } from './progress.ts';
import { apiSearch } from './query.ts';

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }
export type ListResource = 'partnerships' | 'action-plans' | 'milestones' | 'indicators';

/** Indicators and action plans may carry their computed progress in list rows. */
export type IndicatorRow = Indicator & { status?: IndicatorStatus; attainment?: number | null; expected?: number | null; actionPlanTitle?: string; latestValue?: number | null; latestDate?: string | null };
export type ActionPlanRow = ActionPlan & { status?: IndicatorStatus; progress?: number | null };
export interface RowTypes { partnerships: Partnership; 'action-plans': ActionPlanRow; milestones: Milestone; indicators: IndicatorRow }

type Ctx = { signal: AbortSignal };

export function listQuery<R extends ListResource>(resource: R, f: Filters, l: ListState, extra: Record<string, string> = {}) {
  return {
    queryKey: [resource, 'list', f, l, extra] as const,
    queryFn: ({ signal }: Ctx) => getJson<Page<RowTypes[R]>>(`/${resource}${apiSearch(f, { ...extra, q: l.q, sort: l.sort, page: l.page, pageSize: l.pageSize })}`, signal),
  };
}

export function recordQuery<R extends ListResource>(resource: R, id: number) {
  return {
    queryKey: [resource, 'detail', id] as const,
    queryFn: ({ signal }: Ctx) => getJson<RowTypes[R]>(`/${resource}/${id}`, signal),
  };
}

export function measurementsQuery(indicatorId: number) {
  return {
    queryKey: ['measurements', 'list', indicatorId] as const,
    queryFn: ({ signal }: Ctx) => getJson<Page<Measurement>>(`/measurements?indicatorId=${indicatorId}&sort=date&pageSize=500`, signal),
  };
}
