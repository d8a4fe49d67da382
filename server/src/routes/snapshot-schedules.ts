/**
 * Scheduled snapshots (issue 18): everyone signed in reads the schedules and their deliveries; whoever may take
 * snapshots (editors, admins; viewers when the admin setting allows) creates one; its author or an admin changes,
 * runs or deletes it (If-Match like every record, audited).
 */
import { delivery, deliveryList, scheduleInput, scheduleList, schedulePatch, snapshotSchedule, type SnapshotSchedule } from '@mm/shared';
import type { Context } from 'hono';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams, type AppEnv, type SessionUser } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { signedIn } from '../http/scope.ts';
import { recordRefusal } from '../queries/audit.ts';
import { orNotFound } from '../queries/records.ts';
import { attemptDelivery } from '../schedules/deliver.ts';
import {
  createManualDelivery, createSchedule, deleteSchedule, getDeliveryRow, getSchedule, listDeliveries, listSchedules, toDelivery, updateSchedule,
} from '../schedules/store.ts';
import { mayTakeSnapshot } from '../snapshots/store.ts';

const SCHEDULE = 'The snapshot schedule';
const STATUSES = [400, 403, 404, 412, 428] as const;

async function refuse(c: Context<AppEnv>, u: SessionUser, detail: string): Promise<never> {
  await recordRefusal(c.get('deps'), u, `${c.req.method} ${c.req.path}`, detail);
  throw new ProblemError(403, 'Forbidden', detail);
}

async function assertMayEdit(c: Context<AppEnv>, u: SessionUser, s: SnapshotSchedule): Promise<void> {
  if (!s.canEdit) await refuse(c, u, 'Only an admin or the author of this schedule may change, run or delete it.');
}

export const snapshotScheduleEndpoints = [
  endpoint({
    method: 'get', path: '/snapshot-schedules', access: 'signed-in', scope: 'none', tag: 'snapshots',
    summary: 'Every snapshot schedule with its next run and last delivery; `canCreate` says whether you may add one, `mailConfigured` whether the server can send e-mail.',
    response: scheduleList,
    handler: async ({ c, deps, user }) => {
      const u = signedIn(user);
      return c.json({ items: await listSchedules(deps.db, u), canCreate: await mayTakeSnapshot(deps.db, u.role), mailConfigured: deps.config.mail !== undefined });
    },
  }),
  endpoint({
    method: 'post', path: '/snapshot-schedules', access: 'signed-in', scope: 'none', tag: 'snapshots',
    summary: 'Schedule a snapshot of a view, e-mailed as PDF and/or XLSX on a cadence in a time zone (whoever may take snapshots).',
    description: 'Bad input is 400 naming the field: an unreadable cron expression (`cadence.cron`), an unknown time zone, a bad address, no format, an unknown placeholder in the title pattern.',
    body: scheduleInput, response: snapshotSchedule, statuses: [201, 400, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      if (!(await mayTakeSnapshot(deps.db, u.role))) await refuse(c, u, 'Viewers may schedule snapshots only when an admin allows them to take snapshots (Settings).');
      const s = await createSchedule(deps, u, body);
      c.header('Location', `/api/v1/snapshot-schedules/${s.id}`);
      return withEtag(c, s, 201);
    },
  }),
  endpoint({
    method: 'get', path: '/snapshot-schedules/:id', access: 'signed-in', scope: 'none', tag: 'snapshots', summary: 'One snapshot schedule; the ETag is its version.',
    params: idParams, response: snapshotSchedule, statuses: [404],
    handler: async ({ c, deps, user, params }) => withEtag(c, orNotFound(await getSchedule(deps.db, params.id, signedIn(user)), SCHEDULE)),
  }),
  endpoint({
    method: 'patch', path: '/snapshot-schedules/:id', access: 'signed-in', scope: 'owner', tag: 'snapshots',
    summary: 'Change a snapshot schedule (its author or an admin; If-Match required). A new cadence, time zone or resuming it moves the next run to the first slot after now.',
    params: idParams, body: schedulePatch, response: snapshotSchedule, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getSchedule(deps.db, params.id, u), SCHEDULE);
      await assertMayEdit(c, u, before);
      return withEtag(c, await versionedWrite(c, before, () => getSchedule(deps.db, params.id, u), (v) => updateSchedule(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/snapshot-schedules/:id', access: 'signed-in', scope: 'owner', tag: 'snapshots',
    summary: 'Delete a snapshot schedule and its delivery records (its author or an admin; If-Match required); the snapshots it took stay.',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getSchedule(deps.db, params.id, u), SCHEDULE);
      await assertMayEdit(c, u, before);
      await versionedWrite(c, before, () => getSchedule(deps.db, params.id, u), (v) => deleteSchedule(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: 'get', path: '/snapshot-schedules/:id/deliveries', access: 'signed-in', scope: 'none', tag: 'snapshots',
    summary: 'The schedule\'s deliveries, newest first (the last 100): status, every attempt with its outcome and reason, the snapshot taken.',
    params: idParams, response: deliveryList, statuses: [404],
    handler: async ({ c, deps, params }) => {
      orNotFound(await getSchedule(deps.db, params.id), SCHEDULE);
      return c.json({ items: await listDeliveries(deps.db, params.id) });
    },
  }),
  endpoint({
    method: 'post', path: '/snapshot-schedules/:id/run', access: 'signed-in', scope: 'owner', tag: 'snapshots',
    summary: 'Run the schedule now (its author or an admin): takes the snapshot and sends it at once; a failed attempt is retried like a scheduled one.',
    params: idParams, bodyKind: 'none', response: delivery, statuses: [201, 403, 404],
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const s = orNotFound(await getSchedule(deps.db, params.id, u), SCHEDULE);
      await assertMayEdit(c, u, s);
      const id = await createManualDelivery(deps, u, s);
      const d = (await attemptDelivery(deps, id)) ?? toDelivery(orNotFound(await getDeliveryRow(deps.db, id), 'The delivery'));
      return c.json(d, 201);
    },
  }),
];
