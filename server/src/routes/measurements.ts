/** Measurements: every signed-in user reads; editors record and correct them for their regions' indicators; admins also delete. */
import { measurement, measurementInput, measurementListQuery, measurementPage, measurementPatch, recordHistory } from '@mm/shared';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { badRequest } from '../http/problem.ts';
import { assertRegion, signedIn } from '../http/scope.ts';
import { historyOf } from '../queries/audit-log.ts';
import { createMeasurement, deleteMeasurement, getMeasurement, indicatorRegion, listMeasurements, updateMeasurement } from '../queries/measurements.ts';
import { orNotFound } from '../queries/records.ts';

const WHAT = 'The measurement';
const STATUSES = [400, 403, 404, 412, 428] as const;

export const measurementEndpoints = [
  endpoint({
    method: 'get', path: '/measurements', access: 'signed-in', scope: 'none', tag: 'measurements',
    summary: 'Measurements matching the filters (through their indicator\'s action plan), newest first; indicatorId narrows to one indicator.',
    query: measurementListQuery, response: measurementPage,
    handler: async ({ c, deps, query }) => c.json(await listMeasurements(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/measurements/:id', access: 'signed-in', scope: 'none', tag: 'measurements', summary: 'One measurement; the ETag is its version.',
    params: idParams, response: measurement,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getMeasurement(deps, params.id), WHAT)),
  }),
  endpoint({
    method: 'get', path: '/measurements/:id/history', access: 'signed-in', scope: 'none', tag: 'measurements', summary: 'Readable change history of one measurement.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'measurement', params.id, (await getMeasurement(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/measurements', access: ['editor', 'admin'], scope: 'region', tag: 'measurements',
    summary: 'Record a measurement of an indicator (editors: indicators of their regions).',
    body: measurementInput, response: measurement, statuses: [201, 403],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      const region = await indicatorRegion(deps, body.indicatorId);
      if (!region) throw badRequest('The indicator does not exist.', [{ field: 'indicatorId', reason: 'no indicator with this id', value: body.indicatorId }]);
      await assertRegion(c, u, region);
      return withEtag(c, await createMeasurement(deps, u, body), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/measurements/:id', access: ['editor', 'admin'], scope: 'region', tag: 'measurements',
    summary: 'Correct a measurement (editors: their regions; If-Match required).',
    params: idParams, body: measurementPatch, response: measurement, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getMeasurement(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      return withEtag(c, await versionedWrite(c, before, () => getMeasurement(deps, params.id), (v) => updateMeasurement(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/measurements/:id', access: ['admin'], scope: 'region', tag: 'measurements', summary: 'Delete a measurement (admins; If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getMeasurement(deps, params.id), WHAT);
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getMeasurement(deps, params.id), (v) => deleteMeasurement(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
];
