/** Action plans: every signed-in user reads; admins create, edit and delete (editors only update milestones and measurements). */
import { actionPlan, actionPlanInput, actionPlanListQuery, actionPlanPage, actionPlanPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { assertRegion, signedIn } from '../http/scope.ts';
import { createActionPlan, deleteActionPlan, getActionPlan, listActionPlans, updateActionPlan } from '../queries/action-plans.ts';
import { historyOf } from '../queries/audit-log.ts';
import { orNotFound } from '../queries/records.ts';

const WHAT = 'The action plan';
const STATUSES = [400, 403, 404, 409, 412, 428] as const;

export const actionPlanEndpoints = [
  endpoint({
    method: 'get', path: '/action-plans', access: 'signed-in', scope: 'none', tag: 'action plans',
    summary: 'Action plans matching the filters, with mandates, outcomes, linked partnerships and computed status/progress; q searches titles.',
    query: actionPlanListQuery, response: actionPlanPage,
    handler: async ({ c, deps, query }) => c.json(await listActionPlans(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/action-plans/:id', access: 'signed-in', scope: 'none', tag: 'action plans', summary: 'One action plan; the ETag is its version.',
    params: idParams, response: actionPlan,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getActionPlan(deps, params.id), WHAT)),
  }),
  endpoint({
    method: 'get', path: '/action-plans/:id/history', access: 'signed-in', scope: 'none', tag: 'action plans', summary: 'Readable change history of one action plan.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'action_plan', params.id, (await getActionPlan(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/action-plans', access: ['admin'], scope: 'region', tag: 'action plans', summary: 'Create an action plan (admins).',
    body: actionPlanInput, response: actionPlan, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      await assertRegion(c, u, body.region, true);
      return withEtag(c, await createActionPlan(deps, u, body), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/action-plans/:id', access: ['admin'], scope: 'region', tag: 'action plans', summary: 'Update an action plan (admins; If-Match required).',
    params: idParams, body: actionPlanPatch, response: actionPlan, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getActionPlan(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      if (body.region !== undefined) await assertRegion(c, u, body.region, true);
      return withEtag(c, await versionedWrite(c, before, () => getActionPlan(deps, params.id), (v) => updateActionPlan(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/action-plans/:id', access: ['admin'], scope: 'region', tag: 'action plans', summary: 'Delete an action plan without milestones or indicators (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getActionPlan(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getActionPlan(deps, params.id), (v) => deleteActionPlan(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
