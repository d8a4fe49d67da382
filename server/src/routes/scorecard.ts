/**
 * The mainstreaming scorecard: the criteria framework (admins), assessments (editors of the entity's region;
 * admins all) and the scorecard view, cached by data version like the other progress routes.
 */
import {
  assessment, assessmentInput, assessmentListQuery, assessmentPage, assessmentPatch, criteriaPage, criteriaQuery, criterion,
  criterionInput, criterionPatch, progressScorecard, recordHistory, scorecardQuery,
} from '@mm/shared';
import { atVersion } from '../deps.ts';
import { queryKey } from '../http/cache.ts';
import { requireChanges, versionedWrite, withEtag } from '../http/etag.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import { assertRegion, signedIn } from '../http/scope.ts';
import { historyOf } from '../queries/audit-log.ts';
import { asOfOf } from '../queries/progress.ts';
import { orNotFound } from '../queries/records.ts';
import {
  createAssessment, createCriterion, deleteAssessment, getAssessment, getCriterion, listAssessments, listCriteria, resolveEntity, updateAssessment, updateCriterion,
} from '../queries/scorecard.ts';
import { getScorecard } from '../queries/scorecard-view.ts';

const STATUSES = [400, 403, 404, 412, 422, 428] as const;
const RULES = 'Counts complete assessments assessed on or before asOf (default today); % met or exceeded = (meets + exceeds) / (ratings other than not_applicable), null with nothing rated. Drafts appear in the entity grid only. A checkpoint is due once asOf is past its due date (baseline 2008-12-31, 2010 2010-12-31, 2015 2015-12-31; illustrative); `missing` lists entities without a complete assessment of a due checkpoint. Movement compares two checkpoints\' ratings of the same criterion (missing < approaches < meets < exceeds; not_applicable not compared).';

export const scorecardEndpoints = [
  endpoint({
    method: 'get', path: '/scorecard/criteria', access: 'signed-in', scope: 'none', tag: 'scorecard',
    summary: 'The CEB Toolkit checklist: criteria in pillar and code order (retired ones with includeRetired=true).',
    query: criteriaQuery, response: criteriaPage,
    handler: async ({ c, deps, query }) => c.json(await listCriteria(deps.db, query)),
  }),
  endpoint({
    method: 'post', path: '/scorecard/criteria', access: ['admin'], scope: 'none', tag: 'scorecard', summary: 'Add a criterion (admins); its first version.',
    body: criterionInput, response: criterion, statuses: [201, 409],
    handler: async ({ c, deps, user, body }) => withEtag(c, await createCriterion(deps, signedIn(user), body), 201),
  }),
  endpoint({
    method: 'patch', path: '/scorecard/criteria/:id', access: ['admin'], scope: 'none', tag: 'scorecard',
    summary: 'Change a criterion (admins; If-Match required). Each change is a new version; assessments keep showing the version they rated.',
    params: idParams, body: criterionPatch, response: criterion, statuses: [400, 404, 409, 412, 428],
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const before = orNotFound(await getCriterion(deps.db, params.id), 'The criterion');
      return withEtag(c, await versionedWrite(c, before, () => getCriterion(deps.db, params.id), (v) => updateCriterion(deps, signedIn(user), before, v, body)));
    },
  }),
  endpoint({
    method: 'get', path: '/assessments', access: 'signed-in', scope: 'none', tag: 'scorecard',
    summary: 'Assessments matching the filters, each with its % met or exceeded and rating counts (ratings on the single record).',
    query: assessmentListQuery, response: assessmentPage,
    handler: async ({ c, deps, query }) => c.json(await listAssessments(deps, query)),
  }),
  endpoint({
    method: 'get', path: '/assessments/:id', access: 'signed-in', scope: 'none', tag: 'scorecard',
    summary: 'One assessment with every rating, its justification and evidence, and the criteria as they stood when rated; the ETag is its version.',
    params: idParams, response: assessment,
    handler: async ({ c, deps, params }) => withEtag(c, orNotFound(await getAssessment(deps, params.id), 'The assessment')),
  }),
  endpoint({
    method: 'get', path: '/assessments/:id/history', access: 'signed-in', scope: 'none', tag: 'scorecard', summary: 'Readable change history of one assessment.',
    params: idParams, response: recordHistory,
    handler: async ({ c, deps, params }) => c.json(await historyOf(deps.db, 'assessment', params.id, (await getAssessment(deps, params.id)) !== undefined)),
  }),
  endpoint({
    method: 'post', path: '/assessments', access: ['editor', 'admin'], scope: 'region', tag: 'scorecard',
    summary: "Create an assessment of an agency or a UN country team for a checkpoint (editors: of their regions' entities; a global agency needs GLO).",
    description: 'One assessment per (entity, checkpoint): a second is 422 naming checkpoint. Ratings naming an unknown or retired criterion are 422; status complete needs a rating of every current criterion (422 naming each missing one).',
    body: assessmentInput, response: assessment, statuses: [201, 403, 422],
    handler: async ({ c, deps, user, body }) => {
      const u = signedIn(user);
      const entity = await resolveEntity(deps.db, body);
      await assertRegion(c, u, entity.region);
      return withEtag(c, await createAssessment(deps, u, body, entity), 201);
    },
  }),
  endpoint({
    method: 'patch', path: '/assessments/:id', access: ['editor', 'admin'], scope: 'region', tag: 'scorecard',
    summary: 'Change an assessment (If-Match required): checkpoint, assessedOn, status, ratings (merged by criterion).',
    params: idParams, body: assessmentPatch, response: assessment, statuses: STATUSES,
    handler: async ({ c, deps, user, params, body }) => {
      requireChanges(body);
      const u = signedIn(user);
      const before = orNotFound(await getAssessment(deps, params.id), 'The assessment');
      await assertRegion(c, u, before.region);
      return withEtag(c, await versionedWrite(c, before, () => getAssessment(deps, params.id), (v) => updateAssessment(deps, u, before, v, body)));
    },
  }),
  endpoint({
    method: 'delete', path: '/assessments/:id', access: ['editor', 'admin'], scope: 'region', tag: 'scorecard', summary: 'Delete an assessment and its ratings (If-Match required).',
    params: idParams, statuses: STATUSES,
    handler: async ({ c, deps, user, params }) => {
      const u = signedIn(user);
      const before = orNotFound(await getAssessment(deps, params.id), 'The assessment');
      await assertRegion(c, u, before.region);
      await versionedWrite(c, before, () => getAssessment(deps, params.id), (v) => deleteAssessment(deps, u, before, v));
      return c.body(null, 204);
    },
  }),
  endpoint({
    method: 'get', path: '/progress/scorecard', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: 'The mainstreaming scorecard as of a date: every entity\'s rating per criterion at each checkpoint, % met or exceeded overall, per entity, pillar, partner type, entity type, region and criterion, movement between checkpoints, and who has not assessed a due checkpoint.',
    description: `${RULES}\n\nFilters: region, country (country teams of those countries and agencies headquartered there), partnerType (agencies of those types only), entityType, pillar (narrows the criteria counted), asOf; entities are paged (page, pageSize), the aggregates cover all.`,
    query: scorecardQuery, response: progressScorecard,
    handler: ({ c, deps, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, `progress:scorecard:${asOf}:${queryKey(query)}`, (v) => getScorecard(atVersion(deps, v), { ...query, asOf }));
    },
  }),
];
