/**
 * A live PDF draws the trajectory with the points the screen shows (year by default, quarters when the
 * overview's toggle says so), and `interval` is validated like every other parameter.
 */
import { ReadCache } from '@mm/server/http/cache';
import { DEFAULT_CONFIG, type AppDeps } from '@mm/server/deps';
import { liveDoc } from '@mm/server/export/live';
import { progressFilters } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe.each(databases())('the trajectory interval of a live PDF on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('manager@demo.local'); });
  afterAll(async () => { await t?.close(); });
  const deps = (): AppDeps => ({ db: t.handle.db, dialect: t.handle.dialect, clock: () => new Date(), config: DEFAULT_CONFIG, cache: new ReadCache() });
  const f = () => progressFilters.parse({ asOf: '2012-12-31' });

  it('draws years by default and quarters when asked, with the same numbers as the trajectory API', async () => {
    const byYear = (await liveDoc(deps(), f(), 'summary', 'pdf')).charts.find((c) => c.name === 'trajectory');
    expect(byYear?.config.data.labels?.every((l) => /^\d{4}$/.test(String(l)))).toBe(true);
    const quarters = (await liveDoc(deps(), f(), 'summary', 'pdf', 'quarter')).charts.find((c) => c.name === 'trajectory');
    const api = await (await t.request('GET', '/api/v1/progress/trajectory?interval=quarter&asOf=2012-12-31', { cookie })).json();
    expect(quarters?.config.data.labels).toEqual(api.points.map((p: { period: string }) => p.period));
    expect(quarters?.config.data.labels?.[0]).toMatch(/^\d{4}-Q[1-4]$/);
  });

  it('answers a PDF for interval=quarter and refuses an unknown interval with a 400 naming it', async () => {
    const ok = await t.request('GET', '/api/v1/export/summary?format=pdf&interval=quarter&asOf=2012-12-31', { cookie });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/pdf');
    const bad = await t.request('GET', '/api/v1/export/summary?format=pdf&interval=week', { cookie });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('interval');
  });
});
