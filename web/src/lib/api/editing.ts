/**
 * Staff editing (issue 5): "My work", versioned milestone updates (If-Match / 412 with the current record),
 * measurements, and the readable history of a record.
 */
import type { AuditEntry, Indicator, Measurement, MeasurementInput, Milestone } from '@mm/shared';
import type { QueryClient } from '@tanstack/svelte-query';
import { ApiError, getJson, send } from './client.ts';

type Ctx = { signal: AbortSignal };

export type MyWorkIndicator = Indicator & { lastMeasurementDate: string | null };
export interface MyWork { asOf: string; regions: string[]; milestones: Milestone[]; indicators: MyWorkIndicator[] }

/** What staff may change on a milestone (the server refuses any other field from an editor). */
export interface MilestoneChange {
  status?: Milestone['status'];
  percentComplete?: number;
  completedDate?: string | null;
  evidenceNote?: string | null;
  evidenceUrl?: string | null;
}

export type HistoryEntity = 'milestones' | 'partnerships' | 'action-plans' | 'indicators' | 'measurements' | 'partners' | 'assessments';
export interface RecordHistory { entity: string; entityId: string; items: AuditEntry[] }

export const myWorkKey = ['my-work'] as const;

/** `regions` narrows the list (admins see every region otherwise; editors never see beyond theirs). */
export function myWorkQuery(regions: readonly string[] = []) {
  const search = regions.map((r) => `region=${encodeURIComponent(r)}`).join('&');
  return { queryKey: [...myWorkKey, regions] as const, queryFn: ({ signal }: Ctx) => getJson<MyWork>(`/my-work${search ? `?${search}` : ''}`, signal) };
}

export function historyQuery(entity: HistoryEntity, id: number) {
  return { queryKey: [entity, 'history', id] as const, queryFn: ({ signal }: Ctx) => getJson<RecordHistory>(`/${entity}/${id}/history`, signal) };
}

/** A 412 answer: someone saved the record after we read it; `current` is the record as it is now. */
export class Conflict<T> extends Error {
  readonly current: T;
  constructor(current: T) {
    super('Changed by someone else');
    this.name = 'Conflict';
    this.current = current;
  }
}

function isMilestone(v: unknown): v is Milestone {
  return typeof v === 'object' && v !== null && 'id' in v && typeof v.id === 'number' && 'version' in v && typeof v.version === 'number' && 'status' in v && 'title' in v;
}

/**
 * Saves a change to the milestone at the version the editor saw. A stale version throws Conflict with the
 * current record (never overwriting it); any other refusal throws the ApiError.
 */
export async function updateMilestone(id: number, version: number, change: MilestoneChange): Promise<Milestone> {
  try {
    return await send<Milestone>('PATCH', `/milestones/${id}`, { json: change, headers: { 'If-Match': `"${version}"` } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && 'current' in e.problem && isMilestone(e.problem.current)) throw new Conflict(e.problem.current);
    throw e;
  }
}

export function addMeasurement(input: MeasurementInput): Promise<Measurement> {
  return send<Measurement>('POST', '/measurements', { json: input });
}

/**
 * After a write every view of the data may have changed (overview numbers, lists, details, My work):
 * refetch what is on screen, mark the rest stale. Sign-in and reference queries are left alone.
 */
export function invalidateData(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ predicate: (q) => !['auth', 'demo-info'].includes(String(q.queryKey[0])) });
}
