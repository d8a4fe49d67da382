/** The progress API as a manager checks it (issue 3, "Checked by"), on every test database. */
import { COUNTRIES, MANDATES, MODALITIES, OBJECTIVES, OUTCOMES, PARTNER_TYPES, PROGRESS_DIMENSIONS, REGIONS, type ProgressByDimension, type ProgressSummary } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const REFERENCE = { region: REGIONS, country: COUNTRIES, partnerType: PARTNER_TYPES, modality: MODALITIES, mandate: MANDATES, objective: OBJECTIVES, outcome: OUTCOMES } as const;
const STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'] as const;

type Figures = ProgressByDimension['unassigned'];

/** Sum of the groups plus the unassigned records, for the counts a partition must preserve. */
function totals(by: ProgressByDimension) {
  const all: Figures[] = [...by.groups, by.unassigned];
  const sum = (f: (g: Figures) => number) => all.reduce((s, g) => s + f(g), 0);
  return {
    partnerships: sum((g) => g.partnerships),
    resourcesUsd: sum((g) => g.resourcesUsd),
    milestones: { total: sum((g) => g.milestones.total), completed: sum((g) => g.milestones.completed), overdue: sum((g) => g.milestones.overdue) },
    indicators: Object.fromEntries(STATUSES.map((s) => [s, sum((g) => g.indicators[s])])),
  };
}

function summaryCounts(s: ProgressSummary) {
  return {
    partnerships: s.partnerships.total,
    resourcesUsd: s.resourcesUsd,
    milestones: { total: s.milestones.total, completed: s.milestones.completed, overdue: s.milestones.overdue },
    indicators: Object.fromEntries(STATUSES.map((st) => [st, s.indicators[st]])),
  };
}

describe.each(databases())('progress API on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  const get = async (path: string) => t.request('GET', `/api/v1${path}`, { cookie });
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    cookie = await t.login('manager@demo.local');
  });
  afterAll(async () => { await t?.close(); });

  it('refuses the progress routes without a session', async () => {
    for (const p of ['/progress/summary', '/progress/by/region', '/progress/trajectory', '/progress/timeline', '/action-plans/1/progress', '/indicators/1/progress']) {
      expect((await t.request('GET', `/api/v1${p}`)).status).toBe(401);
    }
  });

  it('summarises the demo data: every partnership, milestone and indicator, flagged as demo', async () => {
    const s = await json<ProgressSummary>('/progress/summary');
    expect(s.demo).toBe(true);
    expect(s.partnerships.total).toBe(300);
    expect(s.milestones.total).toBe(1500);
    expect(s.indicators.total).toBe(400);
    expect(STATUSES.reduce((n, st) => n + s.indicators[st], 0)).toBe(400);
    expect(s.resourcesUsd).toBeGreaterThan(0);
    expect(s.milestones.completionRate).toBeGreaterThan(0);
    expect(s.milestones.completionRate).toBeLessThanOrEqual(1);
  });

  it.each(['outcome', 'objective'] as const)('counts each partnership once in every %s it has, and the rest as unassigned (recounted from the links), also when the request selects some', async (d) => {
    const asOf = '2013-03-31';
    const db = t.handle.db;
    const started = await db.selectFrom('partnerships').select(['id', 'resources_usd']).where('start_date', '<=', asOf).execute();
    const links = await db.selectFrom('partnership_outcomes').select(['partnership_id', d]).execute();
    const keysOf = new Map<number, Set<string>>();
    for (const l of links) {
      const set = keysOf.get(l.partnership_id) ?? new Set<string>();
      set.add(String(l[d]));
      keysOf.set(l.partnership_id, set);
    }
    const counted = [...new Set(links.map((l) => String(l[d])))].sort();
    // Everything, then two of the values: the filter keeps the partnerships with a selected value, and each
    // counts in the selected values it has (not in its others).
    for (const selected of [[], counted.slice(0, 2)]) {
      const by = await json<ProgressByDimension>(`/progress/by/${d}?asOf=${asOf}${selected.map((k) => `&${d}=${encodeURIComponent(k)}`).join('')}`);
      const want = new Map<string, { n: number; usd: number }>();
      const none = { n: 0, usd: 0 };
      for (const p of started) {
        const keys = [...(keysOf.get(p.id) ?? [])].filter((k) => selected.length === 0 || selected.includes(k));
        if (selected.length > 0 && keys.length === 0) continue;
        const group = (k: string) => {
          let g = want.get(k);
          if (!g) want.set(k, (g = { n: 0, usd: 0 }));
          return g;
        };
        for (const g of keys.length > 0 ? keys.map(group) : [none]) {
          g.n++;
          g.usd += Number(p.resources_usd);
        }
      }
      expect(want.size).toBe(selected.length || counted.length);
      for (const g of by.groups) {
        const w = want.get(g.key) ?? { n: 0, usd: 0 };
        expect({ key: g.key, n: g.partnerships, usd: g.resourcesUsd }).toEqual({ key: g.key, n: w.n, usd: expect.closeTo(w.usd, 2) });
      }
      expect(by.unassigned.partnerships).toBe(none.n);
      expect(by.unassigned.resourcesUsd).toBeCloseTo(none.usd, 2);
    }
  });

  it('lists all six regions, and every reference value for each dimension, in reference order', async () => {
    const byRegion = await json<ProgressByDimension>('/progress/by/region');
    expect(byRegion.groups.map((g) => g.key)).toEqual(['AFR', 'AME', 'ARB', 'ASP', 'ECA', 'GLO']);
    expect(byRegion.groups.map((g) => g.label)).toContain('Interregional / Global');
    expect(byRegion.partition).toBe(true);
    for (const d of PROGRESS_DIMENSIONS) {
      const by = await json<ProgressByDimension>(`/progress/by/${d}?asOf=2012-06-30`);
      expect(by.dimension).toBe(d);
      expect(by.groups.map((g) => g.key)).toEqual(REFERENCE[d].map((r) => r.code));
      expect(by.rule.length).toBeGreaterThan(20);
    }
  });

  it('changes the numbers when filtered by one partner type', async () => {
    const all = await json<ProgressSummary>('/progress/summary');
    const donor = await json<ProgressSummary>('/progress/summary?partnerType=donor');
    expect(donor.partnerships.total).toBeGreaterThan(0);
    expect(donor.partnerships.total).toBeLessThan(all.partnerships.total);
    expect(donor.resourcesUsd).toBeLessThan(all.resourcesUsd);
    expect(donor.milestones.total).toBeLessThan(all.milestones.total);
    expect(donor.indicators.total).toBeLessThan(all.indicators.total);
  });

  // status=off_track right after '': same plans in scope, so only the status selection tells their shared per-plan figures apart.
  it.each(['', 'status=off_track', 'partnerType=donor', 'partnerType=un&asOf=2011-06-30', 'mandate=MDG-1B-2008&status=on_track&status=at_risk'])(
    'region groups sum to the filtered summary in every count (%s)',
    async (q) => {
      const s = await json<ProgressSummary>(`/progress/summary?${q}`);
      const by = await json<ProgressByDimension>(`/progress/by/region?${q}`);
      expect(by.unassigned.partnerships + by.unassigned.milestones.total).toBe(0);
      expect(totals(by)).toEqual(summaryCounts(s));
    },
  );

  it('country groups plus the records without a country sum to the summary', async () => {
    const s = await json<ProgressSummary>('/progress/summary?region=AFR&region=ASP');
    const by = await json<ProgressByDimension>('/progress/by/country?region=AFR&region=ASP');
    expect(by.partition).toBe(true);
    expect(by.unassigned.partnerships).toBeGreaterThan(0);
    expect(totals(by)).toEqual(summaryCounts(s));
  });

  it('partner-type groups sum partnerships and resources to the summary; milestones may count under several types', async () => {
    for (const q of ['', 'region=AFR', 'asOf=2010-12-31']) {
      const s = await json<ProgressSummary>(`/progress/summary?${q}`);
      const by = await json<ProgressByDimension>(`/progress/by/partnerType?${q}`);
      expect(by.partition).toBe(false);
      const sum = totals(by);
      expect(sum.partnerships).toBe(s.partnerships.total);
      expect(sum.resourcesUsd).toBe(s.resourcesUsd);
      expect(sum.milestones.total).toBeGreaterThanOrEqual(s.milestones.total);
    }
  });

  it('counts only the selected values when the request filters the grouped dimension', async () => {
    const by = await json<ProgressByDimension>('/progress/by/partnerType?partnerType=donor');
    for (const g of by.groups.filter((x) => x.key !== 'donor')) expect(g.partnerships + g.milestones.total).toBe(0);
    const donor = by.groups.find((g) => g.key === 'donor');
    const s = await json<ProgressSummary>('/progress/summary?partnerType=donor');
    expect(donor?.partnerships).toBe(s.partnerships.total);
    expect(donor?.milestones.total).toBe(s.milestones.total);
  });

  it('shows lower milestone completion as of 2010-12-31 than today', async () => {
    const today = await json<ProgressSummary>('/progress/summary');
    const then = await json<ProgressSummary>('/progress/summary?asOf=2010-12-31');
    expect(then.asOf).toBe('2010-12-31');
    expect(then.milestones.completed).toBeLessThan(today.milestones.completed);
    expect(then.milestones.completionRate ?? 1).toBeLessThan(today.milestones.completionRate ?? 0);
    expect(then.partnerships.total).toBeLessThan(today.partnerships.total);
    expect(then.expected ?? 1).toBeLessThan(today.expected ?? 0);
  });

  it('narrows the indicator figures by status', async () => {
    const s = await json<ProgressSummary>('/progress/summary?asOf=2012-06-30&status=off_track');
    expect(s.indicators.total).toBe(s.indicators.off_track);
    expect(s.indicators.off_track).toBeGreaterThan(0);
    const all = await json<ProgressSummary>('/progress/summary?asOf=2012-06-30');
    expect(s.milestones).toEqual(all.milestones);
  });

  it.each([
    ['/progress/summary?region=XYZ', 'XYZ', 'region'],
    ['/progress/summary?region=AFR&partnerType=martian', 'martian', 'partnerType'],
    ['/progress/by/region?status=late', 'late', 'status'],
    ['/progress/by/galaxy', 'galaxy', 'dimension'],
    ['/progress/trajectory?interval=month', 'month', 'interval'],
    ['/progress/timeline?asOf=2012-02-30', '2012-02-30', 'asOf'],
    ['/progress/summary?colour=red', 'colour', ''],
  ])('answers %s with 400 problem+json naming the value', async (path, value, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = await res.json();
    expect(body.status).toBe(400);
    expect(JSON.stringify(body.errors)).toContain(value);
    expect(body.errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
  });

  it('draws a trajectory: actual up to asOf, expected throughout, forecast from asOf to the 2015 target', async () => {
    const tr = await json<{ interval: string; points: { period: string; date: string; actual: number | null; expected: number | null; forecast: number | null }[]; target: { date: string; attainment: number } }>('/progress/trajectory?asOf=2012-06-30&interval=quarter');
    expect(tr.interval).toBe('quarter');
    expect(tr.target).toEqual({ date: '2015-12-31', attainment: 1 });
    const last = tr.points.at(-1);
    expect(last?.period).toBe('2015-Q4');
    expect(last?.expected).toBe(1);
    const now = tr.points.find((p) => p.period === '2012-Q2');
    expect(now?.date).toBe('2012-06-30');
    expect(now?.actual).not.toBeNull();
    expect(now?.forecast).not.toBeNull();
    expect(tr.points.filter((p) => p.date > '2012-06-30').every((p) => p.actual === null && p.forecast !== null)).toBe(true);
    expect(tr.points.filter((p) => p.date < '2012-06-30').every((p) => p.forecast === null)).toBe(true);
    const s = await json<ProgressSummary>('/progress/summary?asOf=2012-06-30');
    expect(now?.actual).toBe(s.attainment);
    const years = await json<{ points: { period: string }[] }>('/progress/trajectory?asOf=2012-06-30');
    expect(years.points.map((p) => p.period)).toContain('2015');
  });

  it('builds a burn-up timeline whose totals match the summary', async () => {
    const tl = await json<{ quarters: { quarter: string; due: number; completed: number; cumulativeDue: number; cumulativeCompleted: number }[] }>('/progress/timeline?asOf=2012-06-30');
    const s = await json<ProgressSummary>('/progress/summary?asOf=2012-06-30');
    const last = tl.quarters.at(-1);
    expect(last?.cumulativeCompleted).toBe(s.milestones.completed);
    expect(tl.quarters.every((q, i) => i === 0 || q.cumulativeDue >= (tl.quarters[i - 1]?.cumulativeDue ?? 0))).toBe(true);
    expect(tl.quarters.filter((q) => q.quarter > '2012-Q2').every((q) => q.completed === 0)).toBe(true);
  });

  it('drills down into an action plan', async () => {
    const ap = await json<{ actionPlan: { id: number }; progress: { progress: number | null; status: string }; milestones: { total: number }; indicators: { id: number; status: string }[] }>('/action-plans/1/progress?asOf=2012-06-30');
    expect(ap.actionPlan.id).toBe(1);
    expect(ap.indicators.length).toBeGreaterThan(0);
    expect(ap.milestones.total).toBeGreaterThan(0);
    expect(ap.progress.progress).toBeGreaterThanOrEqual(0);
    expect(STATUSES).toContain(ap.progress.status);
    const res = await get('/action-plans/999999/progress');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('drills down into an indicator, leaving out measurements after asOf', async () => {
    const now = await json<{ measurements: { date: string }[]; baseline: { date: string }; target: { date: string }; expectedPath: { date: string; expected: number }[]; forecast: { kind: string }; forecastLine: unknown[] }>('/indicators/1/progress');
    const then = await json<{ asOf: string; measurements: { date: string }[]; status: string }>('/indicators/1/progress?asOf=2011-06-30');
    expect(then.measurements.length).toBeLessThan(now.measurements.length);
    expect(then.measurements.every((m) => m.date <= '2011-06-30')).toBe(true);
    expect(now.expectedPath[0]).toMatchObject({ date: now.baseline.date, expected: 0 });
    expect(now.expectedPath.at(-1)).toMatchObject({ date: now.target.date, expected: 1 });
    expect(now.forecast.kind).toBe('trend');
    expect(now.forecastLine).toHaveLength(2);
    expect((await get('/indicators/999999/progress')).status).toBe(404);
    expect((await get('/indicators/abc/progress')).status).toBe(400);
  });
});

describe.each(databases())('tile drill-downs on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('manager@demo.local'); });
  afterAll(async () => { await t?.close(); });

  it.each(['2010-12-31', '2012-12-31', undefined])('lists exactly the active partnerships the summary counts (asOf %s)', async (asOf) => {
    const qs = asOf ? `asOf=${asOf}` : '';
    const summary = await (await t.request('GET', `/api/v1/progress/summary?region=AFR&${qs}`, { cookie })).json();
    const list = await (await t.request('GET', `/api/v1/partnerships?region=AFR&status=active&pageSize=1&${qs}`, { cookie })).json();
    const all = await (await t.request('GET', `/api/v1/partnerships?region=AFR&pageSize=1&${qs}`, { cookie })).json();
    expect(list.total).toBe(summary.partnerships.active);
    expect(all.total).toBe(summary.partnerships.total);
  });
});

describe.each(databases())('milestone drill-downs as of a past date on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('manager@demo.local'); });
  afterAll(async () => { await t?.close(); });

  it.each(['2010-12-31', '2012-12-31'])('lists exactly the completed and overdue milestones the summary counts as of %s', async (asOf) => {
    const summary = await (await t.request('GET', `/api/v1/progress/summary?region=ASP&asOf=${asOf}`, { cookie })).json();
    const completed = await (await t.request('GET', `/api/v1/milestones?region=ASP&status=completed&pageSize=1&asOf=${asOf}`, { cookie })).json();
    const overdue = await (await t.request('GET', `/api/v1/milestones?region=ASP&overdue=true&pageSize=1&asOf=${asOf}`, { cookie })).json();
    expect(completed.total).toBe(summary.milestones.completed);
    expect(overdue.total).toBe(summary.milestones.overdue);
    expect(completed.total).toBeGreaterThan(0);
  });
});
