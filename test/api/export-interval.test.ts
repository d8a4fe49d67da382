/**
 * A live PDF draws the trajectory with the points the screen shows (year by default, quarters when the
 * overview's toggle says so), and `interval` is validated like every other parameter; each chart carries
 * the sentence the screen shows under its title.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDeps } from '@mm/server';
import { DEFAULT_CONFIG, type AppDeps } from '@mm/server/deps';
import { liveDoc } from '@mm/server/export/live';
import { chartDescription, OVERVIEW_CHARTS, progressFilters } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

describe.each(databases())('the trajectory interval of a live PDF on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('manager@demo.local'); });
  afterAll(async () => { await t?.close(); });
  const deps = (): AppDeps => appDeps({ db: t.handle.db, dialect: t.handle.dialect, config: DEFAULT_CONFIG });
  const f = () => progressFilters.parse({ asOf: '2012-12-31' });

  it('draws years by default and quarters when asked, with the same numbers as the trajectory API', async () => {
    const byYear = (await liveDoc(deps(), f(), 'summary', 'pdf')).charts.find((c) => c.name === 'trajectory');
    expect(byYear?.config.data.labels?.every((l) => /^\d{4}$/.test(String(l)))).toBe(true);
    const quarters = (await liveDoc(deps(), f(), 'summary', 'pdf', 'quarter')).charts.find((c) => c.name === 'trajectory');
    const api = await (await t.request('GET', '/api/v1/progress/trajectory?interval=quarter&asOf=2012-12-31', { cookie })).json();
    expect(quarters?.config.data.labels).toEqual(api.points.map((p: { period: string }) => p.period));
    expect(quarters?.config.data.labels?.[0]).toMatch(/^\d{4}-Q[1-4]$/);
  });

  it('prints under each chart title the sentence the screen shows', async () => {
    const res = await t.request('GET', '/api/v1/export/summary?format=pdf&asOf=2012-12-31', { cookie });
    expect(res.status).toBe(200);
    const file = path.join(os.tmpdir(), `mm-desc-${process.pid}-${kind}.pdf`);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    try {
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      for (const id of OVERVIEW_CHARTS) expect(text, id).toContain(chartDescription(id));
    } finally {
      fs.rmSync(file, { force: true });
    }
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
