/** Admin user management: list, create, change role/regions/name, disable (ends sessions at once), reset password. */
import { userCreateInput, userList, userPatch, userRecord } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';
import { signedIn } from '../http/scope.ts';
import { orNotFound } from '../queries/records.ts';
import { createUser, emailTaken, getUser, listUsers, updateUser } from '../queries/users.ts';

const WHAT = 'The user';

export const userEndpoints = [
  endpoint({
    method: 'get', path: '/users', access: ['admin'], scope: 'none', tag: 'users', summary: 'Every account (admins).', response: userList,
    handler: async ({ c, deps }) => {
      const items = await listUsers(deps.db);
      return c.json({ items, total: items.length });
    },
  }),
  endpoint({
    method: 'get', path: '/users/:id', access: ['admin'], scope: 'none', tag: 'users', summary: 'One account (admins); the ETag is its version.',
    params: idParams, response: userRecord,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getUser(deps.db, params.id), WHAT)),
  }),
  endpoint({
    method: 'post', path: '/users', access: ['admin'], scope: 'none', tag: 'users', summary: 'Create an account (admins).',
    body: userCreateInput, response: userRecord, statuses: [201, 409],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      if (await emailTaken(deps.db, body.email)) throw new ProblemError(409, 'Email in use', 'An account with this email already exists.', [{ field: 'email', reason: 'already in use', value: body.email }]);
      const created = await createUser(deps, u, body);
      return withEtag(c, orNotFound(await getUser(deps.db, created.id), WHAT), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/users/:id', access: ['admin'], scope: 'none', tag: 'users',
    summary: 'Change an account (admins; If-Match required): role, regions, name, disabled (ends their sessions at once), password (reset).',
    params: idParams, body: userPatch, response: userRecord, statuses: [404, 409, 412, 428],
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getUser(deps.db, params.id), WHAT);
      // An admin cannot lock themselves out; another admin can.
      if (before.id === u.id && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
        throw new ProblemError(409, 'Would lock you out', 'You cannot disable your own account or remove your own admin role; ask another admin.');
      }
      return withEtag(c, await versionedWrite(c, before, () => getUser(deps.db, params.id), (v) => updateUser(deps, u, before, v, body)));
    },
  }),
];
