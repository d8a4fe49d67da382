/** Milestones: every signed-in user reads; editors update progress fields of their regions' milestones; admins all. */
import type { AppDeps } from '../deps.ts';
import { milestone, milestoneInput, milestoneListQuery, milestonePage, milestonePatch, milestoneProgressPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { badRequest } from '../http/problem.ts';
import { assertEditorFields, assertRegion, signedIn } from '../http/scope.ts';
import { actionPlanRegion } from '../queries/action-plans.ts';
import { historyOf } from '../queries/audit-log.ts';
import { orNotFound } from '../queries/records.ts';
import { createMilestone, deleteMilestone, getMilestone, listMilestones, updateMilestone } from '../queries/milestones.ts';

/** The fields staff (editors) may change on a milestone; anything else in their PATCH is a 403 naming it. */
export const MILESTONE_PROGRESS_FIELDS = Object.keys(milestoneProgressPatch.shape);
const STATUSES = [400, 403, 404, 412, 428] as const;

async function planRegionOr400(deps: AppDeps, id: number): Promise<string> {
  const region = await actionPlanRegion(deps, id);
  if (!region) throw badRequest('The action plan does not exist.', [{ field: 'actionPlanId', reason: 'no action plan with this id', value: id }]);
  return region;
}

export const milestoneEndpoints = [
  endpoint({
    method: 'get', path: '/milestones', access: 'signed-in', scope: 'none', tag: 'milestones',
    summary: 'Milestones matching the filters, with region, action plan title and an overdue flag; q searches titles.',
    query: milestoneListQuery, response: milestonePage,
    handler: async ({ c, deps, query }) => c.json(await listMilestones(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/milestones/:id', access: 'signed-in', scope: 'none', tag: 'milestones', summary: 'One milestone; the ETag is its version.',
    params: idParams, response: milestone,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getMilestone(deps, params.id), 'The milestone')),
  }),
  endpoint({
    method: 'get', path: '/milestones/:id/history', access: 'signed-in', scope: 'none', tag: 'milestones', summary: 'Readable change history of one milestone.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'milestone', params.id, (await getMilestone(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/milestones', access: ['admin'], scope: 'region', tag: 'milestones', summary: 'Create a milestone (admins); records its first history entry.',
    body: milestoneInput, response: milestone, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      await assertRegion(c, u, await planRegionOr400(deps, body.actionPlanId), true);
      return withEtag(c, await createMilestone(deps, u, body), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/milestones/:id', access: ['editor', 'admin'], scope: 'region', tag: 'milestones',
    summary: 'Update a milestone (If-Match required). Editors: only status, percentComplete, completedDate, evidenceNote, evidenceUrl, in their regions.',
    params: idParams, body: milestonePatch, response: milestone, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getMilestone(deps, params.id), 'The milestone');
      await assertRegion(c, u, before.region);
      await assertEditorFields(c, u, body, MILESTONE_PROGRESS_FIELDS);
      if (body.actionPlanId !== undefined && body.actionPlanId !== before.actionPlanId) await assertRegion(c, u, await planRegionOr400(deps, body.actionPlanId), true);
      const after = await versionedWrite(c, before, () => getMilestone(deps, params.id), (v) => updateMilestone(deps, u, before, v, body));
      return withEtag(c, after);
    },
  }),
  endpoint({
    method: 'delete', path: '/milestones/:id', access: ['admin'], scope: 'region', tag: 'milestones', summary: 'Delete a milestone (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getMilestone(deps, params.id), 'The milestone');
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getMilestone(deps, params.id), (v) => deleteMilestone(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
