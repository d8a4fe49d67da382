/**
 * An independent check of the progress API (issue 3, "Correctness"): a few aggregates recomputed here
 * from the raw table rows with plain loops and the formulas written out again, compared with the API on
 * every test database; and, when both databases are configured, byte-identical answers for the same seed.
 */
import { PROGRESS_DIMENSIONS, type ProgressByDimension, type ProgressSummary } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type DbKind, type TestApp } from './harness.ts';

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const AS_OF = ['2009-06-30', '2010-12-31', '2012-06-30', '2014-03-31', '2016-01-01'];

interface Raw {
  partnerships: { id: number; region: string; start_date: string; end_date: string; status: string; resources_usd: number }[];
  plans: Map<number, string>;
  milestones: { id: number; action_plan_id: number; due_date: string }[];
  history: Map<number, { id: number; status: string; completed_date: string | null; effective_date: string }[]>;
  indicators: { id: number; action_plan_id: number; direction: string; baseline_value: number; baseline_date: string; target_value: number; target_date: string }[];
  measurements: Map<number, { id: number; date: string; value: number }[]>;
}

async function readRaw(t: TestApp): Promise<Raw> {
  const db = t.handle.db;
  const history = new Map<number, { id: number; status: string; completed_date: string | null; effective_date: string }[]>();
  for (const h of await db.selectFrom('milestone_history').select(['id', 'milestone_id', 'status', 'completed_date', 'effective_date']).execute()) {
    history.set(h.milestone_id, [...(history.get(h.milestone_id) ?? []), h]);
  }
  const measurements = new Map<number, { id: number; date: string; value: number }[]>();
  for (const m of await db.selectFrom('measurements').select(['id', 'indicator_id', 'date', 'value']).execute()) {
    measurements.set(m.indicator_id, [...(measurements.get(m.indicator_id) ?? []), { id: m.id, date: m.date, value: Number(m.value) }]);
  }
  const partnerships = (await db.selectFrom('partnerships').select(['id', 'region', 'start_date', 'end_date', 'status', 'resources_usd']).execute())
    .map((p) => ({ ...p, resources_usd: Number(p.resources_usd) }));
  const plans = new Map((await db.selectFrom('action_plans').select(['id', 'region']).execute()).map((p) => [p.id, p.region]));
  const milestones = await db.selectFrom('milestones').select(['id', 'action_plan_id', 'due_date']).execute();
  const indicators = (await db.selectFrom('indicators').select(['id', 'action_plan_id', 'direction', 'baseline_value', 'baseline_date', 'target_value', 'target_date']).execute())
    .map((i) => ({ ...i, baseline_value: Number(i.baseline_value), target_value: Number(i.target_value) }));
  return { partnerships, plans, milestones, history, indicators, measurements };
}

/** Milestone figures at asOf, straight from the history rows, for milestones whose plan passes `keep`. */
function recountMilestones(raw: Raw, asOf: string, keep: (region: string) => boolean) {
  let total = 0, completed = 0, overdue = 0, due = 0, completedDue = 0;
  for (const m of raw.milestones) {
    if (!keep(raw.plans.get(m.action_plan_id) ?? '')) continue;
    let cur: { id: number; status: string; effective_date: string } | undefined;
    for (const h of raw.history.get(m.id) ?? []) {
      if (h.effective_date > asOf) continue;
      // The most recently recorded change effective on or before asOf (a later correction with an earlier date wins).
      if (!cur || h.id > cur.id) cur = h;
    }
    const status = cur?.status ?? 'not_started';
    total++;
    if (status === 'completed') completed++;
    if (m.due_date < asOf && status !== 'completed' && status !== 'cancelled') overdue++;
    if (m.due_date <= asOf && status !== 'cancelled') {
      due++;
      if (status === 'completed') completedDue++;
    }
  }
  return { total, completed, overdue, completionRate: due === 0 ? null : completedDue / due };
}

/** Indicator statuses, mean capped attainment and forecast share at asOf, with the formulas of issue 3 written out. */
function recountIndicators(raw: Raw, asOf: string, keep: (region: string) => boolean) {
  const counts = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 };
  let attSum = 0, withData = 0, forecasts = 0, meets = 0;
  for (const ind of raw.indicators) {
    if (!keep(raw.plans.get(ind.action_plan_id) ?? '')) continue;
    const ms = (raw.measurements.get(ind.id) ?? []).filter((m) => m.date <= asOf);
    let latest: { id: number; date: string; value: number } | undefined;
    for (const m of ms) if (!latest || m.date > latest.date || (m.date === latest.date && m.id > latest.id)) latest = m;
    const span = ind.target_value - ind.baseline_value;
    const att = (v: number) => (v - ind.baseline_value) / span;
    const total = day(ind.target_date) - day(ind.baseline_date);
    const elapsed = day(asOf) - day(ind.baseline_date);
    const expected = elapsed >= total ? 1 : elapsed <= 0 ? 0 : elapsed / total;
    if (!latest) counts.no_data++;
    else {
      const a = att(latest.value);
      attSum += Math.min(a, 1);
      withData++;
      if (a >= 1 - 1e-9) counts.achieved++;
      else if (a >= expected - 0.1 - 1e-9) counts.on_track++;
      else if (a >= expected - 0.25 - 1e-9) counts.at_risk++;
      else counts.off_track++;
    }
    // Ordinary least squares of value on day, projected to the target date.
    if (ms.length >= 2) {
      const xs = ms.map((m) => day(m.date));
      const mx = xs.reduce((s, x) => s + x, 0) / ms.length;
      const my = ms.reduce((s, m) => s + m.value, 0) / ms.length;
      let sxx = 0, sxy = 0;
      ms.forEach((m, i) => { const dx = (xs[i] ?? 0) - mx; sxx += dx * dx; sxy += dx * (m.value - my); });
      if (sxx > 0) {
        forecasts++;
        if (att(my + (sxy / sxx) * (day(ind.target_date) - mx)) >= 1 - 1e-9) meets++;
      }
    }
  }
  return { counts, attainment: withData === 0 ? null : attSum / withData, forecastMet: forecasts === 0 ? null : meets / forecasts };
}

function recountPartnerships(raw: Raw, asOf: string, keep: (region: string) => boolean) {
  let total = 0, active = 0, usd = 0;
  for (const p of raw.partnerships) {
    if (!keep(p.region) || p.start_date > asOf) continue;
    total++;
    usd += p.resources_usd;
    if (p.end_date >= asOf && p.status !== 'pipeline' && p.status !== 'suspended') active++;
  }
  return { total, active, usd };
}

describe.each(databases())('independent recount on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  let raw: Raw;
  const json = async <T>(path: string): Promise<T> => {
    const res = await t.request('GET', `/api/v1${path}`, { cookie });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    cookie = await t.login('manager@demo.local');
    raw = await readRaw(t);
  });
  afterAll(async () => { await t?.close(); });

  it.each(AS_OF)('summary milestones and partnerships match a recount from the rows as of %s', async (asOf) => {
    const s = await json<ProgressSummary>(`/progress/summary?asOf=${asOf}`);
    const ms = recountMilestones(raw, asOf, () => true);
    expect({ total: s.milestones.total, completed: s.milestones.completed, overdue: s.milestones.overdue }).toEqual({ total: ms.total, completed: ms.completed, overdue: ms.overdue });
    expect(s.milestones.completionRate).toBeCloseTo(ms.completionRate ?? Number.NaN, 5);
    const ps = recountPartnerships(raw, asOf, () => true);
    expect(s.partnerships).toEqual({ total: ps.total, active: ps.active });
    expect(s.resourcesUsd).toBe(ps.usd);
  });

  it.each(AS_OF)('indicator statuses, attainment and forecasts for Africa match a recount as of %s', async (asOf) => {
    const s = await json<ProgressSummary>(`/progress/summary?asOf=${asOf}&region=AFR`);
    const r = recountIndicators(raw, asOf, (region) => region === 'AFR');
    const { total, ...counts } = s.indicators;
    expect(counts).toEqual(r.counts);
    expect(total).toBe(Object.values(r.counts).reduce((a, b) => a + b, 0));
    expect(s.attainment ?? Number.NaN).toBeCloseTo(r.attainment ?? Number.NaN, 5);
    expect(s.forecastMet ?? Number.NaN).toBeCloseTo(r.forecastMet ?? Number.NaN, 5);
  });

  it.each(['2011-06-30', '2015-12-31'])('resources, milestones and indicators per region match a recount as of %s', async (asOf) => {
    const by = await json<ProgressByDimension>(`/progress/by/region?asOf=${asOf}`);
    for (const g of by.groups) {
      const keep = (region: string) => region === g.key;
      const ps = recountPartnerships(raw, asOf, keep);
      expect({ region: g.key, partnerships: g.partnerships, usd: g.resourcesUsd }).toEqual({ region: g.key, partnerships: ps.total, usd: ps.usd });
      const ms = recountMilestones(raw, asOf, keep);
      expect({ region: g.key, completed: g.milestones.completed, overdue: g.milestones.overdue }).toEqual({ region: g.key, completed: ms.completed, overdue: ms.overdue });
      expect({ region: g.key, ...g.indicators }).toEqual({ region: g.key, ...recountIndicators(raw, asOf, keep).counts });
    }
  });
});

const both = databases().length === 2;
describe.skipIf(!both)('SQLite and PostgreSQL give identical progress answers for the same seed', () => {
  const apps = new Map<DbKind, { t: TestApp; cookie: string }>();
  beforeAll(async () => {
    for (const kind of ['sqlite', 'postgres'] as const) {
      const t = await startTestApp(kind);
      apps.set(kind, { t, cookie: await t.login('manager@demo.local') });
    }
  });
  afterAll(async () => { for (const a of apps.values()) await a.t.close(); });

  const paths = [
    '/progress/summary', '/progress/summary?asOf=2012-06-30', '/progress/summary?asOf=2010-12-31&partnerType=donor&status=at_risk',
    ...PROGRESS_DIMENSIONS.map((d) => `/progress/by/${d}?asOf=2013-03-31`),
    '/progress/by/region?region=AFR&modality=earmarked',
    '/progress/trajectory?asOf=2012-06-30', '/progress/trajectory?asOf=2011-09-30&interval=quarter', '/progress/trajectory',
    '/progress/timeline', '/progress/timeline?asOf=2012-06-30&region=ASP',
    '/action-plans/1/progress?asOf=2012-06-30', '/action-plans/7/progress', '/indicators/1/progress?asOf=2012-06-30', '/indicators/5/progress',
  ];
  it.each(paths)('%s', async (path) => {
    const bodies: string[] = [];
    for (const { t, cookie } of apps.values()) {
      const res = await t.request('GET', `/api/v1${path}`, { cookie });
      expect(res.status).toBe(200);
      bodies.push(await res.text());
    }
    expect(bodies[1]).toBe(bodies[0]);
  });
});
