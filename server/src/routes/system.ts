/** Health, reference data, and the API's own description. */
import {
  COUNTRIES, DIRECTIONS, health, INDICATOR_STATUS_LIST, INDICATOR_UNITS, LEVELS, MANDATES, MILESTONE_STATUS_LIST, MODALITIES,
  OBJECTIVES, OUTCOMES, PARTNER_ROLES, PARTNER_TYPES, PARTNERSHIP_STATUSES, REGIONS,
} from '@mm/shared';
import { endpoint } from '../http/endpoint.ts';

export const systemEndpoints = [
  endpoint({
    method: 'get', path: '/health', access: 'public', scope: 'none', tag: 'system', summary: 'Liveness and which database is in use.', response: health,
    handler: async ({ c, deps }) => {
      await deps.db.selectFrom('meta').select('key').limit(1).execute();
      return c.json({ status: 'ok', database: deps.dialect });
    },
  }),
  endpoint({
    method: 'get', path: '/reference', access: 'signed-in', scope: 'none', tag: 'system', summary: 'Reference lists: regions, countries, partner types, modalities, mandates, objectives, outcomes and status codes.',
    handler: ({ c }) => c.json({
      regions: REGIONS, countries: COUNTRIES, partnerTypes: PARTNER_TYPES, modalities: MODALITIES, levels: LEVELS, mandates: MANDATES,
      objectives: OBJECTIVES, outcomes: OUTCOMES, partnerRoles: PARTNER_ROLES, partnershipStatuses: PARTNERSHIP_STATUSES,
      milestoneStatuses: MILESTONE_STATUS_LIST, indicatorUnits: INDICATOR_UNITS, directions: DIRECTIONS, indicatorStatuses: INDICATOR_STATUS_LIST,
    }),
  }),
];
