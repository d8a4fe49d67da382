/**
 * Reporting cycles and timeline events (issue 16). Periods: every signed-in user reads the status board;
 * admins define periods. Per (period, region): editors of the region submit, reviewers of the region
 * (role `reviewer`, scoped by their regions like editors) approve or return with a comment, admins do any of
 * these and alone reopen an approved period (with a reason). Events: everyone reads, admins edit.
 */
import {
  eventInput, eventList, eventListQuery, eventPatch, reopenBody, reportingPeriod, reportingPeriodInput, reportingPeriodList,
  reportingPeriodPatch, reportingRegionDetail, regionParams, returnBody, timelineEvent, transitionBody, type ReportingAction,
} from '@mm/shared';
import type { Context } from 'hono';
import { requireChanges, withEtag } from '../http/etag.ts';
import { endpoint, idParams, type AppEnv, type SessionUser } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { signedIn } from '../http/scope.ts';
import { recordRefusal } from '../queries/audit.ts';
import { orNotFound } from '../queries/records.ts';
import {
  createEvent, createPeriod, deleteEvent, getEvent, getPeriod, listEvents, listPeriods, regionDetail, transition, updateEvent, updatePeriod,
} from '../queries/reporting.ts';

const PERIOD = 'The reporting period';

/** Who may take `action` for `region`: admins always; editors submit for their regions; reviewers approve/return theirs. */
async function assertMayTransition(c: Context<AppEnv>, u: SessionUser, action: ReportingAction, region: string): Promise<void> {
  if (u.role === 'admin') return;
  const needs = action === 'submit' ? 'editor' : action === 'reopen' ? 'admin' : 'reviewer';
  const inRegion = (u.regions as readonly string[]).includes(region);
  if (u.role === needs && inRegion) return;
  const detail = u.role !== needs
    ? `Only ${needs === 'editor' ? 'editors' : needs === 'reviewer' ? 'reviewers' : 'admins'} of the region (or admins) may ${action} a reporting period.`
    : `You may ${action} reporting periods of your regions only (${u.regions.join(', ') || 'none'}); this is ${region}.`;
  await recordRefusal(c.get('deps'), u, `${c.req.method} ${c.req.path}`, detail);
  throw new ProblemError(403, 'Forbidden', detail, [{ field: 'region', reason: u.role !== needs ? 'your role may not do this' : 'outside your regions', value: region }]);
}

function transitionEndpoint(action: ReportingAction) {
  const access = action === 'submit' ? (['editor', 'admin'] as const) : action === 'reopen' ? (['admin'] as const) : (['reviewer', 'admin'] as const);
  const body = action === 'return' ? returnBody : action === 'reopen' ? reopenBody : transitionBody;
  return endpoint({
    method: 'post', path: `/reporting-periods/:id/regions/:region/${action}`, access: [...access], scope: 'region', tag: 'reporting',
    summary: {
      submit: 'Submit the region\'s updates for the period (editors of the region; from open, returned or reopened).',
      approve: 'Approve the submission (reviewers of the region); the period is then locked for the region.',
      return: 'Return the submission with a comment (reviewers of the region); the editors resubmit.',
      reopen: 'Reopen an approved period for the region with a reason (admins); unlocks it.',
    }[action],
    description: 'A transition not allowed from the current state (or beaten by a concurrent one) is 409 naming both states; it changes nothing.',
    params: regionParams, body, response: reportingRegionDetail, statuses: [403, 404, 409],
    handler: async ({ c, deps, user, params, body: b }) => {
      const u = signedIn(user);
      const period = orNotFound(await getPeriod(deps, params.id), PERIOD);
      await assertMayTransition(c, u, action, params.region);
      const text = 'reason' in b ? b.reason : 'comment' in b ? (b.comment ?? null) : null;
      await transition(deps, u, period, params.region, action, text === '' ? null : text);
      return c.json(await regionDetail(deps, orNotFound(await getPeriod(deps, params.id), PERIOD), params.region));
    },
  });
}

export const reportingEndpoints = [
  endpoint({
    method: 'get', path: '/reporting-periods', access: 'signed-in', scope: 'none', tag: 'reporting',
    summary: 'Reporting periods with the state of every region (the status board); overdue = due date passed and not submitted.',
    response: reportingPeriodList,
    handler: async ({ c, deps }) => c.json({ items: await listPeriods(deps) }),
  }),
  endpoint({
    method: 'post', path: '/reporting-periods', access: ['admin'], scope: 'none', tag: 'reporting', summary: 'Define a reporting period (admins); periods may not overlap (409).',
    body: reportingPeriodInput, response: reportingPeriod, statuses: [201, 409],
    handler: async ({ c, deps, user, body }) => c.json(await createPeriod(deps, signedIn(user), body), 201),
  }),
  endpoint({
    method: 'patch', path: '/reporting-periods/:id', access: ['admin'], scope: 'none', tag: 'reporting',
    summary: 'Change a reporting period (admins); its dates may not move while it is approved for a region (409).',
    params: idParams, body: reportingPeriodPatch, response: reportingPeriod, statuses: [404, 409, 422],
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const before = orNotFound(await getPeriod(deps, params.id), PERIOD);
      return c.json(await updatePeriod(deps, signedIn(user), before, body));
    },
  }),
  endpoint({
    method: 'get', path: '/reporting-periods/:id/regions/:region', access: 'signed-in', scope: 'none', tag: 'reporting',
    summary: 'One region\'s cycle for the period: state, what is still to report, the changes since the last approval (with who made them), and the transitions.',
    params: regionParams, response: reportingRegionDetail, statuses: [404],
    handler: async ({ c, deps, params }) => c.json(await regionDetail(deps, orNotFound(await getPeriod(deps, params.id), PERIOD), params.region)),
  }),
  transitionEndpoint('submit'),
  transitionEndpoint('approve'),
  transitionEndpoint('return'),
  transitionEndpoint('reopen'),
  endpoint({
    method: 'get', path: '/events', access: 'signed-in', scope: 'none', tag: 'reporting',
    summary: 'Timeline events (date order); from/to narrow by date, mandate (repeatable) to events related to any of them. verified=false marks a best-reading date.',
    query: eventListQuery, response: eventList,
    handler: async ({ c, deps, query }) => c.json({ items: await listEvents(deps.db, query) }),
  }),
  endpoint({
    method: 'post', path: '/events', access: ['admin'], scope: 'none', tag: 'reporting', summary: 'Add a timeline event (admins).',
    body: eventInput, response: timelineEvent, statuses: [201],
    handler: async ({ c, deps, user, body }) => withEtag(c, await createEvent(deps, signedIn(user), body), 201),
  }),
  endpoint({
    method: 'patch', path: '/events/:id', access: ['admin'], scope: 'none', tag: 'reporting', summary: 'Change a timeline event (admins).',
    params: idParams, body: eventPatch, response: timelineEvent, statuses: [404],
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const before = orNotFound(await getEvent(deps.db, params.id), 'The event');
      return withEtag(c, await updateEvent(deps, signedIn(user), before, body));
    },
  }),
  endpoint({
    method: 'delete', path: '/events/:id', access: ['admin'], scope: 'none', tag: 'reporting', summary: 'Delete a timeline event (admins); milestones that prepared it lose the link.',
    params: idParams, statuses: [404],
    handler: async ({ c, deps, user, params }) => {
      await deleteEvent(deps, signedIn(user), orNotFound(await getEvent(deps.db, params.id), 'The event'));
      return c.body(null, 204);
    },
  }),
];
