/** Records for API tests, made through the API as an admin (so every fixture passes the same validation users do). */
import { expect } from 'vitest';
import type { TestApp } from './harness.ts';

export type Region = 'AFR' | 'ASP';
export type Resource = 'partners' | 'partnerships' | 'action-plans' | 'milestones' | 'indicators' | 'measurements';

let seq = 0;
const unique = (s: string) => `${s} ${Date.now().toString(36)}-${++seq}`;

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** GET as JSON, expecting 200. */
export async function getJson<T = Record<string, unknown>>(t: TestApp, path: string, cookie: string): Promise<T> {
  const res = await t.request('GET', `/api/v1${path}`, { cookie });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return json<T>(res);
}

/** The ETag of a record (read fresh). */
export async function etagOf(t: TestApp, path: string, cookie: string): Promise<string> {
  const res = await t.request('GET', `/api/v1${path}`, { cookie });
  expect(res.status, `GET ${path}`).toBe(200);
  const tag = res.headers.get('etag');
  if (!tag) throw new Error(`no ETag on ${path}`);
  return tag;
}

/** Ids of an action plan / indicator in the region (demo data has plenty of both). */
export async function planIn(t: TestApp, cookie: string, region: Region): Promise<number> {
  const page = await getJson<{ items: { id: number }[] }>(t, `/action-plans?region=${region}&pageSize=1`, cookie);
  const first = page.items[0];
  if (!first) throw new Error(`no action plan in ${region}`);
  return first.id;
}

export async function firstId(t: TestApp, cookie: string, path: string): Promise<number> {
  const page = await getJson<{ items: { id: number }[] }>(t, path, cookie);
  const first = page.items[0];
  if (!first) throw new Error(`nothing at ${path}`);
  return first.id;
}

/** A valid creation body for the resource in the region; `missingParent` points its parent at a record that does not exist. */
export async function createBody(t: TestApp, admin: string, resource: Resource, region: Region, missingParent = false): Promise<Record<string, unknown>> {
  switch (resource) {
    case 'partners':
      return { name: unique('Test partner'), partnerType: 'academia', hqRegion: region };
    case 'partnerships':
      return {
        title: unique('Test partnership'), modality: 'earmarked', level: 'national', region, mandates: ['WSO-2005'], outcomes: ['O19'],
        startDate: '2010-01-01', endDate: '2015-12-31', resourcesUsd: 250000, status: 'active',
        partners: [{ partnerId: missingParent ? 999999 : 1, role: 'funding', lead: true }],
      };
    case 'action-plans':
      return {
        title: unique('Test action plan'), owningUnit: 'Partnerships Department', region, mandates: ['ECOSOC-MD-2006'], outcomes: ['O19'],
        partnershipIds: missingParent ? [999999] : [], startDate: '2008-01-01', endDate: '2015-12-31',
      };
    case 'milestones':
      return { actionPlanId: missingParent ? 999999 : await planIn(t, admin, region), title: unique('Test milestone'), dueDate: '2014-06-30', status: 'in_progress', percentComplete: 10 };
    case 'indicators':
      return {
        actionPlanId: missingParent ? 999999 : await planIn(t, admin, region), name: unique('Test indicator'), unit: 'number', direction: 'increase',
        baselineValue: 0, baselineDate: '2010-01-01', targetValue: 10,
      };
    case 'measurements':
      return { indicatorId: missingParent ? 999999 : await firstId(t, admin, `/indicators?region=${region}&pageSize=1`), value: 3, date: '2012-06-30', source: 'Test survey' };
  }
}

/** Creates a record through the API as admin; returns its id. */
export async function makeRecord(t: TestApp, admin: string, resource: Resource, region: Region): Promise<number> {
  const res = await t.request('POST', `/api/v1/${resource}`, { cookie: admin, body: await createBody(t, admin, resource, region) });
  if (res.status !== 201) throw new Error(`create ${resource}: ${res.status} ${await res.text()}`);
  return (await json<{ id: number }>(res)).id;
}
