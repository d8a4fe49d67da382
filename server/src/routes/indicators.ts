/** Indicators: every signed-in user reads (with computed status); admins create, edit and delete. */
import { indicator, indicatorInput, indicatorListQuery, indicatorPage, indicatorPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { badRequest } from '../http/problem.ts';
import { assertRegion, signedIn } from '../http/scope.ts';
import { actionPlanRegion } from '../queries/action-plans.ts';
import { historyOf } from '../queries/audit-log.ts';
import { createIndicator, deleteIndicator, getIndicator, listIndicators, updateIndicator } from '../queries/indicators.ts';
import { orNotFound } from '../queries/records.ts';
import type { AppDeps } from '../deps.ts';

const WHAT = 'The indicator';
const STATUSES = [400, 403, 404, 412, 428] as const;

async function planRegionOr400(deps: AppDeps, id: number): Promise<string> {
  const region = await actionPlanRegion(deps, id);
  if (!region) throw badRequest('The action plan does not exist.', [{ field: 'actionPlanId', reason: 'no action plan with this id', value: id }]);
  return region;
}

export const indicatorEndpoints = [
  endpoint({
    method: 'get', path: '/indicators', access: 'signed-in', scope: 'none', tag: 'indicators',
    summary: 'Indicators matching the filters, with region, action plan and computed status/attainment (as of asOf); q searches names.',
    query: indicatorListQuery, response: indicatorPage,
    handler: async ({ c, deps, query }) => c.json(await listIndicators(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/indicators/:id', access: 'signed-in', scope: 'none', tag: 'indicators', summary: 'One indicator; the ETag is its version.',
    params: idParams, response: indicator,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getIndicator(deps, params.id), WHAT)),
  }),
  endpoint({
    method: 'get', path: '/indicators/:id/history', access: 'signed-in', scope: 'none', tag: 'indicators', summary: 'Readable change history of one indicator.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'indicator', params.id, (await getIndicator(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/indicators', access: ['admin'], scope: 'region', tag: 'indicators', summary: 'Create an indicator (admins).',
    body: indicatorInput, response: indicator, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      await assertRegion(c, u, await planRegionOr400(deps, body.actionPlanId), true);
      return withEtag(c, await createIndicator(deps, u, body), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/indicators/:id', access: ['admin'], scope: 'region', tag: 'indicators', summary: 'Update an indicator (admins; If-Match required).',
    params: idParams, body: indicatorPatch, response: indicator, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getIndicator(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      if (body.actionPlanId !== undefined && body.actionPlanId !== before.actionPlanId) await assertRegion(c, u, await planRegionOr400(deps, body.actionPlanId), true);
      return withEtag(c, await versionedWrite(c, before, () => getIndicator(deps, params.id), (v) => updateIndicator(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/indicators/:id', access: ['admin'], scope: 'region', tag: 'indicators', summary: 'Delete an indicator and its measurements (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getIndicator(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getIndicator(deps, params.id), (v) => deleteIndicator(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
