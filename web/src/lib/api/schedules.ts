/** Scheduled snapshots (issue 18): list, create, change with If-Match (412 → Conflict), pause, delete, run now, deliveries. */
import type { Delivery, ScheduleInput, ScheduleList, SnapshotSchedule } from '@mm/shared';
import { ApiError, getJson, send } from './client.ts';
import { Conflict } from './editing.ts';

type Ctx = { signal: AbortSignal };

/** What is sent: the view as the URL's codes (the server validates each against the reference lists). */
export type ScheduleBody = Omit<ScheduleInput, 'filters'> & { filters: Partial<Record<string, string[] | string>> };
/** A change to a schedule (its view stays as it was). */
export type ScheduleChange = Partial<Omit<ScheduleBody, 'filters'>>;

export const schedulesKey = ['snapshot-schedules'] as const;

export function schedulesQuery() {
  return { queryKey: [...schedulesKey, 'list'] as const, queryFn: ({ signal }: Ctx) => getJson<ScheduleList>('/snapshot-schedules', signal) };
}

/** The deliveries of a schedule, newest first; while one is still going out, asked again every few seconds. */
export function deliveriesQuery(id: number) {
  return {
    queryKey: [...schedulesKey, 'deliveries', id] as const,
    queryFn: ({ signal }: Ctx) => getJson<{ items: Delivery[] }>(`/snapshot-schedules/${id}/deliveries`, signal),
    refetchInterval: (q: { state: { data?: { items: Delivery[] } } }) => (q.state.data?.items.some((d) => d.status === 'pending' || d.status === 'retrying') ? 5_000 : false),
  };
}

export function createSchedule(input: ScheduleBody): Promise<SnapshotSchedule> {
  return send<SnapshotSchedule>('POST', '/snapshot-schedules', { json: input });
}

function isSchedule(v: unknown): v is SnapshotSchedule {
  return typeof v === 'object' && v !== null && 'id' in v && typeof v.id === 'number' && 'version' in v && typeof v.version === 'number' && 'cadence' in v && 'titlePattern' in v;
}

/** A 412 becomes Conflict carrying the schedule as it is now; nothing was written. */
async function versioned<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && 'current' in e.problem && isSchedule(e.problem.current)) throw new Conflict(e.problem.current);
    throw e;
  }
}

/** Saves a change at the version the person saw (If-Match). */
export function updateSchedule(id: number, version: number, change: ScheduleChange): Promise<SnapshotSchedule> {
  return versioned(() => send<SnapshotSchedule>('PATCH', `/snapshot-schedules/${id}`, { json: change, headers: { 'If-Match': `"${version}"` } }));
}

export function deleteSchedule(id: number, version: number): Promise<void> {
  return versioned(() => send<void>('DELETE', `/snapshot-schedules/${id}`, { headers: { 'If-Match': `"${version}"` } }));
}

/** Takes the snapshot and sends it now; answers the delivery (sent, or failed/retrying with the reason). */
export function runSchedule(id: number): Promise<Delivery> {
  return send<Delivery>('POST', `/snapshot-schedules/${id}/run`);
}
