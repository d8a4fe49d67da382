/** Progress aggregates and drill-downs: thin routes over queries/progress.ts, cached by data version. */
import {
  actionPlanProgressDetail, asOfQuery, DIMENSION_RULES, dimensionParams, indicatorProgressDetail, PROGRESS_DIMENSIONS, PROGRESS_RULES,
  FIGURES_RULES, progressByDimension, progressQuery, progressSummary, progressTimeline, progressTrajectory, trajectoryQuery,
} from '@mm/shared';
import { atVersion } from '../deps.ts';
import { queryKey } from '../http/cache.ts';
import { endpoint, idParams } from '../http/endpoint.ts';
import {
  asOfOf, getActionPlanProgress, getByDimension, getIndicatorProgress, getSummary, getTimeline, getTrajectory,
} from '../queries/progress.ts';

const FILTERS_DOC = `Filters: region, country, partnerType, modality, mandate, objective, outcome (repeatable), status (indicator statuses), from/to (period overlap), asOf. Unknown values are 400 problem+json naming the value.\n\nFigures: ${FIGURES_RULES}`;
const BY_DOC = PROGRESS_DIMENSIONS.map((d) => `- ${d}: ${DIMENSION_RULES[d].rule}`).join('\n');

/** Cache key: the route, its parsed query (defaults applied) and the resolved asOf, which moves with the clock. */
const key = (name: string, query: object, asOf: string) => `progress:${name}:${asOf}:${queryKey(query)}`;

export const progressEndpoints = [
  endpoint({
    method: 'get', path: '/progress/summary', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: 'Totals as of a date: partnerships (total, active), resources, milestones, indicators by status, mean attainment, expected, and share forecast to meet target.',
    description: `${PROGRESS_RULES}\n\n${FILTERS_DOC}`,
    query: progressQuery, response: progressSummary,
    handler: ({ c, deps, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, key('summary', query, asOf), (v) => getSummary(atVersion(deps, v), { ...query, asOf }));
    },
  }),
  endpoint({
    method: 'get', path: '/progress/by/:dimension', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: 'The summary figures per region, country, partner type, modality, mandate, objective or outcome; every reference value is a group (zeros where nothing matches).',
    description: `Counting rules per dimension (also in the response as \`partition\` and \`rule\`; records in no group are in \`unassigned\`; when the request filters the same dimension, only the selected values collect records):\n${BY_DOC}\n\n${PROGRESS_RULES}\n\n${FILTERS_DOC}`,
    params: dimensionParams, query: progressQuery, response: progressByDimension,
    handler: ({ c, deps, params, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, key(`by:${params.dimension}`, query, asOf), (v) => getByDimension(atVersion(deps, v), params.dimension, { ...query, asOf }));
    },
  }),
  endpoint({
    method: 'get', path: '/progress/trajectory', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: 'Mean attainment per year or quarter (`interval`) of the filtered indicators, the expected line, and the trend forecast to the target date.',
    description: `Per period from the earliest baseline to the latest target date: actual = mean of min(attainment, 1) over indicators with data at the period end (asOf inside the current period, null after it); expected = mean expected attainment of all the indicators; forecast = mean of min(projected attainment, 1) on each indicator's least-squares trend through its measurements up to asOf, from the asOf period to the target date; target = 1 at the latest target date.\n\n${PROGRESS_RULES}\n\n${FILTERS_DOC}`,
    query: trajectoryQuery, response: progressTrajectory,
    handler: ({ c, deps, query }) => {
      const asOf = asOfOf(deps, query);
      const { interval, ...f } = query;
      return deps.cache.json(c, key('trajectory', query, asOf), (v) => getTrajectory(atVersion(deps, v), { ...f, asOf }, interval));
    },
  }),
  endpoint({
    method: 'get', path: '/progress/timeline', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: 'Milestones due and completed per quarter with running totals (burn-up), as of a date.',
    description: `due = milestones due in the quarter and not cancelled at asOf; completed = milestones completed at asOf, in the quarter of their completion date; cumulative figures are running totals.\n\n${PROGRESS_RULES}\n\n${FILTERS_DOC}`,
    query: progressQuery, response: progressTimeline,
    handler: ({ c, deps, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, key('timeline', query, asOf), (v) => getTimeline(atVersion(deps, v), { ...query, asOf }));
    },
  }),
  endpoint({
    method: 'get', path: '/action-plans/:id/progress', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: "One action plan's progress as of a date: plan progress and status, milestone summary, and each indicator's status and attainment.",
    description: `Figures: ${FIGURES_RULES}\n\n` + 'progress = 0.5 × mean of min(attainment, 1) over indicators with data + 0.5 × milestone completion rate (either alone when the other is missing); status = the worst indicator status, or achieved when every indicator and milestone is.',
    params: idParams, query: asOfQuery, response: actionPlanProgressDetail,
    handler: ({ c, deps, params, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, key(`plan:${params.id}`, query, asOf), (v) => getActionPlanProgress(atVersion(deps, v), params.id, asOf, query.figures));
    },
  }),
  endpoint({
    method: 'get', path: '/indicators/:id/progress', access: 'signed-in', scope: 'none', tag: 'progress',
    summary: "One indicator's progress as of a date: measurements, baseline, target, expected path, status and trend forecast.",
    description: `Figures: ${FIGURES_RULES}\n\n` + 'Measurements after asOf are left out. attainment = (latest value − baseline) / (target − baseline), direction-aware, may exceed 1; expected = share of the baseline→target period elapsed; forecast = least-squares trend through the measurements projected to the target date (insufficient_data under two).',
    params: idParams, query: asOfQuery, response: indicatorProgressDetail,
    handler: ({ c, deps, params, query }) => {
      const asOf = asOfOf(deps, query);
      return deps.cache.json(c, key(`indicator:${params.id}`, query, asOf), (v) => getIndicatorProgress(atVersion(deps, v), params.id, asOf, query.figures));
    },
  }),
];
