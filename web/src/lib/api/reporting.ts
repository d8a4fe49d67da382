/**
 * Reporting cycles and timeline events (issue 16): the status board, one (period, region)'s cycle and its
 * transitions, the admins' periods, and the events the trajectory and burn-up charts are annotated with.
 */
import type { ReportingAction, ReportingPeriod, ReportingPeriodInput, ReportingRegionDetail, TimelineEvent } from '@mm/shared';
import { getJson, send } from './client.ts';

type Ctx = { signal: AbortSignal };

export const reportingKey = ['reporting'] as const;
export const eventsKey = ['events'] as const;

export const periodsQuery = {
  queryKey: [...reportingKey, 'periods'] as const,
  queryFn: ({ signal }: Ctx) => getJson<{ items: ReportingPeriod[] }>('/reporting-periods', signal),
};

export function regionDetailQuery(periodId: number, region: string) {
  return {
    queryKey: [...reportingKey, 'region', periodId, region] as const,
    queryFn: ({ signal }: Ctx) => getJson<ReportingRegionDetail>(`/reporting-periods/${periodId}/regions/${encodeURIComponent(region)}`, signal),
  };
}

/** Submit, approve, return (`text` = the comment, required) or reopen (`text` = the reason, required). */
export function transitionRegion(periodId: number, region: string, action: ReportingAction, text: string): Promise<ReportingRegionDetail> {
  const body = action === 'reopen' ? { reason: text } : text.trim() ? { comment: text } : {};
  return send<ReportingRegionDetail>('POST', `/reporting-periods/${periodId}/regions/${encodeURIComponent(region)}/${action}`, { json: body });
}

export function createPeriod(input: ReportingPeriodInput): Promise<ReportingPeriod> {
  return send<ReportingPeriod>('POST', '/reporting-periods', { json: input });
}

export function updatePeriod(id: number, change: Partial<ReportingPeriodInput>): Promise<ReportingPeriod> {
  return send<ReportingPeriod>('PATCH', `/reporting-periods/${id}`, { json: change });
}

/** Events, optionally narrowed to a date range and to events related to any of the mandates. */
export function eventsQuery(range: { from?: string | undefined; to?: string | undefined; mandate?: readonly string[] } = {}) {
  const p = new URLSearchParams();
  if (range.from) p.set('from', range.from);
  if (range.to) p.set('to', range.to);
  for (const m of range.mandate ?? []) p.append('mandate', m);
  const search = p.toString();
  return {
    queryKey: [...eventsKey, search] as const,
    queryFn: ({ signal }: Ctx) => getJson<{ items: TimelineEvent[] }>(`/events${search ? `?${search}` : ''}`, signal),
    staleTime: 5 * 60_000,
  };
}

/** An event's fields as a form sends them (the server checks the mandates and the kind). */
export interface EventFields { date: string; title: string; kind: TimelineEvent['kind']; url: string | null; mandates: string[]; verified: boolean }

export function createEvent(input: EventFields): Promise<TimelineEvent> {
  return send<TimelineEvent>('POST', '/events', { json: input });
}

export function updateEvent(id: number, change: Partial<EventFields>): Promise<TimelineEvent> {
  return send<TimelineEvent>('PATCH', `/events/${id}`, { json: change });
}

export function deleteEvent(id: number): Promise<void> {
  return send<void>('DELETE', `/events/${id}`);
}
