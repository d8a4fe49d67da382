/** Partnerships: every signed-in user reads; admins create, edit and delete. */
import { partnership, partnershipInput, partnershipListQuery, partnershipPage, partnershipPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { assertRegion, signedIn } from '../http/scope.ts';
import { createPartnership, deletePartnership, getPartnership, listPartnerships, updatePartnership } from '../queries/partnerships.ts';
import { historyOf } from '../queries/audit-log.ts';
import { orNotFound } from '../queries/records.ts';

const WHAT = 'The partnership';
const STATUSES = [400, 403, 404, 412, 428] as const;

export const partnershipEndpoints = [
  endpoint({
    method: 'get', path: '/partnerships', access: 'signed-in', scope: 'none', tag: 'partnerships',
    summary: 'Partnerships matching the filters (status: partnership status), with partners, mandates, outcomes and linked action plans; q searches titles.',
    query: partnershipListQuery, response: partnershipPage,
    handler: async ({ c, deps, query }) => c.json(await listPartnerships(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/partnerships/:id', access: 'signed-in', scope: 'none', tag: 'partnerships', summary: 'One partnership; the ETag is its version.',
    params: idParams, response: partnership,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getPartnership(deps, params.id), WHAT)),
  }),
  endpoint({
    method: 'get', path: '/partnerships/:id/history', access: 'signed-in', scope: 'none', tag: 'partnerships', summary: 'Readable change history of one partnership.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'partnership', params.id, (await getPartnership(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/partnerships', access: ['admin'], scope: 'region', tag: 'partnerships', summary: 'Create a partnership (admins).',
    body: partnershipInput, response: partnership, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      await assertRegion(c, u, body.region, true);
      return withEtag(c, await createPartnership(deps, u, body), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/partnerships/:id', access: ['admin'], scope: 'region', tag: 'partnerships', summary: 'Update a partnership (admins; If-Match required).',
    params: idParams, body: partnershipPatch, response: partnership, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getPartnership(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      if (body.region !== undefined) await assertRegion(c, u, body.region, true);
      return withEtag(c, await versionedWrite(c, before, () => getPartnership(deps, params.id), (v) => updatePartnership(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/partnerships/:id', access: ['admin'], scope: 'region', tag: 'partnerships', summary: 'Delete a partnership and its links (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getPartnership(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getPartnership(deps, params.id), (v) => deletePartnership(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
