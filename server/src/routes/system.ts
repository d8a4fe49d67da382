/** Health, reference data, and the API's own description. */
import {
  COUNTRIES, DIRECTIONS, health, readiness, INDICATOR_STATUS_LIST, INDICATOR_UNITS, LEVELS, MANDATES, MILESTONE_STATUS_LIST, MODALITIES,
  OBJECTIVES, OUTCOMES, PARTNER_ROLES, PARTNER_TYPES, PARTNERSHIP_STATUSES, REGIONS,
} from '@mm/shared';
import { sql } from 'kysely';
import type { AppDeps } from '../deps.ts';
import { endpoint } from '../http/endpoint.ts';
import { ProblemError } from '../http/problem.ts';

const READY_TIMEOUT_MS = 2_000;

/** Null when `select 1` comes back within {@link READY_TIMEOUT_MS}, else why not (no credentials in it). */
async function databaseAnswers(deps: AppDeps): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`no answer within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS); });
  try {
    return await Promise.race([sql`select 1`.execute(deps.db).then(() => null, (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 200)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function notReady(detail: string): never {
  throw new ProblemError(503, 'Not ready', detail, undefined, undefined, { 'Retry-After': '5', 'Cache-Control': 'no-store' });
}

export const systemEndpoints = [
  endpoint({
    method: 'get', path: '/health', access: 'public', scope: 'none', tag: 'system',
    summary: 'Liveness: the process is up and answering (it does not touch the database; see /ready).', response: health,
    handler: ({ c, deps }) => c.json({ status: 'ok', database: deps.dialect }),
  }),
  endpoint({
    method: 'get', path: '/ready', access: 'public', scope: 'none', tag: 'system',
    summary: 'Readiness: 200 when this process can serve requests; 503 (with Retry-After) while migrations run or when the database does not answer within 2 s.',
    response: readiness, statuses: [200, 503],
    handler: async ({ c, deps }) => {
      if (deps.readiness() !== 'ready') return notReady('The database is being migrated.');
      const error = await databaseAnswers(deps);
      if (error) return notReady(`The database does not answer: ${error}`);
      return c.json({ status: 'ready', database: deps.dialect });
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
