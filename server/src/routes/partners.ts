/** Partners: every signed-in user reads; partners have no region, so only admins write them. */
import { partner, partnerInput, partnerListQuery, partnerPage, partnerPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { signedIn } from '../http/scope.ts';
import { historyOf } from '../queries/audit-log.ts';
import { createPartner, deletePartner, getPartner, listPartners, updatePartner } from '../queries/partners.ts';
import { orNotFound } from '../queries/records.ts';

const WHAT = 'The partner';
const STATUSES = [400, 403, 404, 409, 412, 428] as const;

export const partnerEndpoints = [
  endpoint({
    method: 'get', path: '/partners', access: 'signed-in', scope: 'none', tag: 'partners',
    summary: 'Partners; partnerType is their own type, other filters keep partners of matching partnerships; q searches names.',
    query: partnerListQuery, response: partnerPage,
    handler: async ({ c, deps, query }) => c.json(await listPartners(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/partners/:id', access: 'signed-in', scope: 'none', tag: 'partners', summary: 'One partner; the ETag is its version.',
    params: idParams, response: partner,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getPartner(deps, params.id), WHAT)),
  }),
  endpoint({
    method: 'get', path: '/partners/:id/history', access: 'signed-in', scope: 'none', tag: 'partners', summary: 'Readable change history of one partner.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'partner', params.id, (await getPartner(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/partners', access: ['admin'], scope: 'none', tag: 'partners', summary: 'Create a partner (admins).',
    body: partnerInput, response: partner, statuses: [201],
    handler: async ({ c, deps, user, body }) => withEtag(c, await createPartner(deps, signedIn(user), body), 201),
  }),
  endpoint({
    method: 'patch', path: '/partners/:id', access: ['admin'], scope: 'none', tag: 'partners', summary: 'Update a partner (admins; If-Match required).',
    params: idParams, body: partnerPatch, response: partner, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getPartner(deps, params.id), WHAT);
      return withEtag(c, await versionedWrite(c, before, () => getPartner(deps, params.id), (v) => updatePartner(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/partners/:id', access: ['admin'], scope: 'none', tag: 'partners', summary: 'Delete a partner that takes part in no partnership (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getPartner(deps, params.id), WHAT);
      await versionedWrite(c, before, () => getPartner(deps, params.id), (v) => deletePartner(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
