/**
 * The mainstreaming scorecard (issue 15): the scorecard view, assessments (read, create, versioned change) and
 * the criteria checklist. Keys are the filter objects, as for the other progress queries.
 */
import type { Assessment, AssessmentPatch, Criterion, Partner, ProgressScorecard } from '@mm/shared';
import type { Filters } from '../filters.ts';
import { ApiError, getJson, send } from './client.ts';
import { Conflict } from './editing.ts';
import type { Page } from './records.ts';

type Ctx = { signal: AbortSignal };

/** The scorecard's own view options, kept in the URL beside the shared filters. */
export interface ScorecardView { entityType: string[]; pillar: string[]; checkpoint?: string | undefined; page: number }

/** The shared filters the scorecard takes (region, country, partner type, as of) with its own options, as an API query string. */
export function scorecardSearch(f: Filters, v: Pick<ScorecardView, 'entityType' | 'pillar'> & { page?: number; pageSize?: number }): string {
  const p = new URLSearchParams();
  for (const k of ['region', 'country', 'partnerType'] as const) for (const x of f[k]) p.append(k, x);
  for (const x of v.entityType) p.append('entityType', x);
  for (const x of v.pillar) p.append('pillar', x);
  if (f.asOf) p.set('asOf', f.asOf);
  if (v.page && v.page > 1) p.set('page', String(v.page));
  if (v.pageSize) p.set('pageSize', String(v.pageSize));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function scorecardQuery(f: Filters, v: Pick<ScorecardView, 'entityType' | 'pillar'> & { page?: number; pageSize?: number }) {
  const search = scorecardSearch(f, v);
  return { queryKey: ['progress', 'scorecard', search] as const, queryFn: ({ signal }: Ctx) => getJson<ProgressScorecard>(`/progress/scorecard${search}`, signal) };
}

export function assessmentQuery(id: number) {
  return { queryKey: ['assessments', 'detail', id] as const, queryFn: ({ signal }: Ctx) => getJson<Assessment>(`/assessments/${id}`, signal) };
}

export const criteriaQuery = {
  queryKey: ['scorecard', 'criteria'] as const,
  queryFn: ({ signal }: Ctx) => getJson<Page<Criterion>>('/scorecard/criteria?pageSize=500', signal),
};

/** The agencies that self-assess: partners of type un or ifi. */
export const agenciesQuery = {
  queryKey: ['partners', 'agencies'] as const,
  queryFn: ({ signal }: Ctx) => getJson<Page<Partner>>('/partners?partnerType=un&partnerType=ifi&pageSize=500&sort=name', signal),
};

/** A new assessment as the form has it (the server validates the entity, checkpoint and dates and answers what is wrong). */
export interface NewAssessment {
  entityType: 'agency' | 'country_team'; partnerId?: number; country?: string; checkpoint: string; assessedOn: string; status: 'draft' | 'complete'; ratings: [];
}

export function createAssessment(input: NewAssessment): Promise<Assessment> {
  return send<Assessment>('POST', '/assessments', { json: input });
}

function isAssessment(v: unknown): v is Assessment {
  return typeof v === 'object' && v !== null && 'id' in v && 'version' in v && typeof v.version === 'number' && 'ratings' in v && Array.isArray(v.ratings);
}

/** Saves a change at the version the editor saw; a stale version throws Conflict with the assessment as it is now. */
export async function updateAssessment(id: number, version: number, change: AssessmentPatch): Promise<Assessment> {
  try {
    return await send<Assessment>('PATCH', `/assessments/${id}`, { json: change, headers: { 'If-Match': `"${version}"` } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && 'current' in e.problem && isAssessment(e.problem.current)) throw new Conflict(e.problem.current);
    throw e;
  }
}

/** Every criterion, retired ones too (the admins' view of the checklist). */
export const allCriteriaQuery = {
  queryKey: ['scorecard', 'criteria', 'all'] as const,
  queryFn: ({ signal }: Ctx) => getJson<Page<Criterion>>('/scorecard/criteria?pageSize=500&includeRetired=true', signal),
};

export interface CriterionFields { code: string; text: string; pillar: string; retired: boolean }

export function createCriterion(input: CriterionFields): Promise<Criterion> {
  return send<Criterion>('POST', '/scorecard/criteria', { json: input });
}

/** Changes a criterion at the version the admin saw (a new criterion version); a stale version throws Conflict. */
export async function updateCriterion(id: number, version: number, change: Partial<CriterionFields>): Promise<Criterion> {
  try {
    return await send<Criterion>('PATCH', `/scorecard/criteria/${id}`, { json: change, headers: { 'If-Match': `"${version}"` } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 412 && 'current' in e.problem && typeof e.problem.current === 'object' && e.problem.current !== null) throw new Conflict(e.problem.current);
    throw e;
  }
}
