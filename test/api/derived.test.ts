/**
 * The trigger-kept tables the fast progress reads use (milestone_counts, indicator_stats) must equal a
 * recount from the records after any mix of writes: API edits, creates and deletes, a plan change, a
 * cascade delete of an action plan, measurement edits — and the summary read through them must equal the
 * one computed by replaying history (an as-of date one day later forces the other code path).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { csv, upload } from './import-helpers.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

async function countsFromTable(t: TestApp): Promise<string[]> {
  const rows = await t.handle.db.selectFrom('milestone_counts').select(['action_plan_id', 'status', 'on_time', 'n']).where('n', '<>', 0).execute();
  return rows.map((r) => `${r.action_plan_id}|${r.status}|${Number(r.on_time)}|${Number(r.n)}`).sort();
}

async function countsRecounted(t: TestApp): Promise<string[]> {
  const r = await sql<{ action_plan_id: number; status: string; ot: number; n: number }>`
    SELECT action_plan_id, status, ot, COUNT(*) AS n FROM (SELECT action_plan_id, status,
      CASE WHEN completed_date IS NOT NULL AND completed_date <= due_date THEN 1 ELSE 0 END AS ot FROM milestones) x
    GROUP BY action_plan_id, status, ot`.execute(t.handle.db);
  return r.rows.map((x) => `${x.action_plan_id}|${x.status}|${Number(x.ot)}|${Number(x.n)}`).sort();
}

async function quartersFromTable(t: TestApp): Promise<string[]> {
  const rows = await t.handle.db.selectFrom('milestone_quarters').select(['due_quarter', 'status', 'done_quarter', 'n']).where('n', '<>', 0).execute();
  return rows.map((r) => `${r.due_quarter}|${r.status}|${r.done_quarter}|${Number(r.n)}`).sort();
}

/** Milestones per due quarter, status and completion quarter (completion date, else the day of the last update), recounted in JS. */
async function quartersRecounted(t: TestApp): Promise<string[]> {
  const quarter = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) + 2) / 3)}`;
  const ms = await t.handle.db.selectFrom('milestones').select(['due_date', 'status', 'completed_date', 'updated_at']).execute();
  const n = new Map<string, number>();
  for (const m of ms) {
    const k = `${quarter(m.due_date)}|${m.status}|${m.status === 'completed' ? quarter(m.completed_date ?? m.updated_at.slice(0, 10)) : ''}`;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return [...n].map(([k, v]) => `${k}|${v}`).sort();
}

async function statsFromTable(t: TestApp): Promise<string[]> {
  const rows = await t.handle.db.selectFrom('indicator_stats').select(['indicator_id', 'n', 'sy', 'latest_id', 'max_date', 'latest_value']).where('n', '>', 0).execute();
  return rows.map((r) => `${r.indicator_id}|${Number(r.n)}|${Number(r.sy).toFixed(6)}|${r.latest_id}|${r.max_date}|${Number(r.latest_value).toFixed(6)}`).sort();
}

async function statsRecounted(t: TestApp): Promise<string[]> {
  const ms = await t.handle.db.selectFrom('measurements').select(['id', 'indicator_id', 'value', 'date']).orderBy('indicator_id').orderBy('date').orderBy('id').execute();
  const by = new Map<number, { n: number; sy: number; latest: { id: number; date: string; value: number } }>();
  for (const m of ms) {
    const cur = by.get(m.indicator_id);
    const latest = { id: m.id, date: m.date, value: Number(m.value) };
    if (cur) { cur.n++; cur.sy += Number(m.value); cur.latest = latest; } else by.set(m.indicator_id, { n: 1, sy: Number(m.value), latest });
  }
  return [...by].map(([id, v]) => `${id}|${v.n}|${v.sy.toFixed(6)}|${v.latest.id}|${v.latest.date}|${v.latest.value.toFixed(6)}`).sort();
}

async function periodsFromTable(t: TestApp): Promise<string[]> {
  const rows = await t.handle.db.selectFrom('indicator_periods').select(['kind', 'indicator_id', 'period', 'measurement_id', 'value']).execute();
  return rows.map((r) => `${r.kind}:${r.indicator_id}|${r.period}|${r.measurement_id}|${Number(r.value).toFixed(6)}`).sort();
}

/** The latest measurement (date, then id) per indicator and year / quarter, recounted in JS. */
async function periodsRecounted(t: TestApp): Promise<string[]> {
  const ms = await t.handle.db.selectFrom('measurements').select(['id', 'indicator_id', 'value', 'date']).orderBy('indicator_id').orderBy('date').orderBy('id').execute();
  const latest = new Map<string, { id: number; value: number }>();
  for (const m of ms) {
    const quarter = `${m.date.slice(0, 4)}-Q${Math.floor((Number(m.date.slice(5, 7)) + 2) / 3)}`;
    latest.set(`year:${m.indicator_id}|${m.date.slice(0, 4)}`, { id: m.id, value: Number(m.value) });
    latest.set(`quarter:${m.indicator_id}|${quarter}`, { id: m.id, value: Number(m.value) });
  }
  return [...latest].map(([k, v]) => `${k}|${v.id}|${v.value.toFixed(6)}`).sort();
}

describe.each(databases())('trigger-kept progress tables on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => { t = await startTestApp(kind, { clock: () => NOW }); admin = await t.login('admin@demo.local'); });
  afterAll(async () => { await t?.close(); });

  const etag = async (path: string) => (await t.request('GET', `/api/v1${path}`, { cookie: admin })).headers.get('etag') ?? '';

  it('start equal to a recount of the seeded records', async () => {
    expect(await countsFromTable(t)).toEqual(await countsRecounted(t));
    expect(await quartersFromTable(t)).toEqual(await quartersRecounted(t));
    expect(await statsFromTable(t)).toEqual(await statsRecounted(t));
    expect(await periodsFromTable(t)).toEqual(await periodsRecounted(t));
    expect((await countsFromTable(t)).length).toBeGreaterThan(10);
    expect((await quartersFromTable(t)).length).toBeGreaterThan(10);
    expect((await periodsFromTable(t)).length).toBeGreaterThan(10);
  });

  it('stay equal after edits, creates, a plan move, deletes, a cascade and measurement changes', async () => {
    const list = await (await t.request('GET', '/api/v1/milestones?pageSize=6&status=in_progress&region=AFR&region=ASP', { cookie: admin })).json();
    const [a, b, c, d] = list.items as { id: number; actionPlanId: number; dueDate: string }[];
    if (!a || !b || !c || !d) throw new Error('need four in-progress milestones');
    // Completed late, completed on time, moved to another plan, deleted.
    expect((await t.request('PATCH', `/api/v1/milestones/${a.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/milestones/${a.id}`) }, body: { status: 'completed', completedDate: '2026-03-01' } })).status).toBe(200);
    expect((await t.request('PATCH', `/api/v1/milestones/${b.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/milestones/${b.id}`) }, body: { status: 'completed', completedDate: b.dueDate } })).status).toBe(200);
    expect((await t.request('PATCH', `/api/v1/milestones/${c.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/milestones/${c.id}`) }, body: { actionPlanId: d.actionPlanId } })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/milestones/${d.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/milestones/${d.id}`) } })).status).toBe(204);
    // Created, due in the future (so the as-of correction has something to move).
    const created = await t.request('POST', '/api/v1/milestones', { cookie: admin, body: { actionPlanId: a.actionPlanId, title: 'Derived-table check', dueDate: '2027-06-30', status: 'in_progress', percentComplete: 10 } });
    expect(created.status).toBe(201);
    // A measurement added, one edited, one deleted.
    const ms = await (await t.request('GET', '/api/v1/measurements?pageSize=2&region=AFR&region=ASP', { cookie: admin })).json();
    const [m1, m2] = ms.items as { id: number; indicatorId: number }[];
    if (!m1 || !m2) throw new Error('need two measurements');
    expect((await t.request('POST', '/api/v1/measurements', { cookie: admin, body: { indicatorId: m1.indicatorId, value: 12.5, date: '2026-02-01', source: 'check' } })).status).toBe(201);
    expect((await t.request('PATCH', `/api/v1/measurements/${m1.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/measurements/${m1.id}`) }, body: { value: 99 } })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/measurements/${m2.id}`, { cookie: admin, headers: { 'If-Match': await etag(`/measurements/${m2.id}`) } })).status).toBe(204);
    // An import: two new milestones, then one of them completed on time and the other moved to another plan.
    const header = ['externalId', 'actionPlan', 'title', 'dueDate', 'status', 'percentComplete', 'completedDate'];
    const first = await upload(t, admin, '/api/v1/imports/milestones?dryRun=false', csv([header,
      ['DERIVED-M-1', 'DEMO-AP-2', 'Derived check one', '2014-06-30', 'in_progress', '40', ''],
      ['DERIVED-M-2', 'DEMO-AP-2', 'Derived check two', '2026-03-02', 'not_started', '0', '']]));
    expect(await first.json()).toMatchObject({ created: 2, committed: true });
    const second = await upload(t, admin, '/api/v1/imports/milestones?dryRun=false', csv([header,
      ['DERIVED-M-1', 'DEMO-AP-2', 'Derived check one', '2014-06-30', 'completed', '', '2014-06-20'],
      ['DERIVED-M-2', 'DEMO-AP-3', 'Derived check two', '2026-03-02', 'not_started', '0', '']]));
    expect(await second.json()).toMatchObject({ updated: 2, committed: true });
    // The completion was backdated to 2014-06-20 after an in-progress entry recorded today: the later statement
    // wins from its effective date on, so "as of today" is the record's current state, and before it the old one.
    // (The list's status filter uses the status at asOf.)
    const completedAt = async (asOf: string) => {
      const r = await (await t.request('GET', `/api/v1/milestones?q=${encodeURIComponent('Derived check one')}&status=completed&asOf=${asOf}`, { cookie: admin })).json();
      return r.total;
    };
    expect(await completedAt('2026-03-02')).toBe(1);
    expect(await completedAt('2015-01-01')).toBe(1);
    expect(await completedAt('2014-06-19')).toBe(0);
    // An action plan removed in the database: its milestones and indicators go by cascade.
    const plan = await t.handle.db.selectFrom('action_plans').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.handle.db.deleteFrom('action_plans').where('id', '=', plan.id).execute();

    expect(await countsFromTable(t)).toEqual(await countsRecounted(t));
    expect(await quartersFromTable(t)).toEqual(await quartersRecounted(t));
    expect(await statsFromTable(t)).toEqual(await statsRecounted(t));
    expect(await periodsFromTable(t)).toEqual(await periodsRecounted(t));
  });

  it('stay exact when two transactions write measurements of one indicator at the same time', async () => {
    // T1 writes and holds its transaction open; T2 writes the same indicator meanwhile and commits after T1.
    // Each trigger must count the other's measurement (on SQLite writers queue, so this holds trivially).
    const ind = await t.handle.db.selectFrom('indicators').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const row = (value: number, date: string) => ({ indicator_id: ind.id, value, date, source: 'race', note: null, version: 1, created_at: NOW.toISOString(), updated_at: NOW.toISOString() });
    let t1Inserted!: () => void;
    const inserted = new Promise<void>((r) => { t1Inserted = r; });
    const t1 = t.handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('measurements').values(row(41, '2013-05-01')).execute();
      t1Inserted();
      await new Promise((r) => setTimeout(r, 300));
    });
    await inserted;
    const t2 = t.handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('measurements').values(row(42, '2013-06-01')).execute();
    });
    await Promise.all([t1, t2]);
    expect(await statsFromTable(t)).toEqual(await statsRecounted(t));
    expect(await periodsFromTable(t)).toEqual(await periodsRecounted(t));
  });

  it('give the same summary as replaying history', async () => {
    // As of today the counts table answers; as of tomorrow (after every change) too; as of a day before
    // today's edits the history is replayed. Compare today's answer with the replay of the same state:
    // the history rows written today are dated today, so "as of today" through the replay = through the counts.
    const fast = await (await t.request('GET', '/api/v1/progress/by/region?asOf=2026-03-02', { cookie: admin })).json();
    const fastTrajectory = await (await t.request('GET', '/api/v1/progress/trajectory?interval=quarter&asOf=2026-03-02', { cookie: admin })).json();
    const fastTimeline = await (await t.request('GET', '/api/v1/progress/timeline?asOf=2026-03-02', { cookie: admin })).json();
    // A filtered timeline does not use the table: the same rule over the same rows.
    const filteredTimeline = await (await t.request('GET', '/api/v1/progress/timeline?asOf=2026-03-02&region=AFR', { cookie: admin })).json();
    // Force the replay: a history row dated in the future makes every as-of date before it "unsettled".
    const any = await t.handle.db.selectFrom('milestones').select(['id', 'status', 'percent_complete', 'completed_date', 'version']).orderBy('id').executeTakeFirstOrThrow();
    await t.handle.db.insertInto('milestone_history').values({
      milestone_id: any.id, status: any.status, percent_complete: any.percent_complete, completed_date: any.completed_date,
      effective_date: '2030-01-01', changed_at: '2030-01-01T00:00:00.000Z', changed_by: null, version: any.version,
    }).execute();
    await t.handle.db.updateTable('meta').set({ value: sql`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` }).where('key', '=', 'data_version').execute();
    const replayed = await (await t.request('GET', '/api/v1/progress/by/region?asOf=2026-03-02', { cookie: admin })).json();
    expect(replayed.groups).toEqual(fast.groups);
    expect(replayed.unassigned).toEqual(fast.unassigned);
    const replayedTimeline = await (await t.request('GET', '/api/v1/progress/timeline?asOf=2026-03-02', { cookie: admin })).json();
    expect(replayedTimeline).toEqual(fastTimeline);
    expect(await (await t.request('GET', '/api/v1/progress/timeline?asOf=2026-03-02&region=AFR', { cookie: admin })).json()).toEqual(filteredTimeline);
    expect(fastTimeline.quarters.at(-1).cumulativeCompleted).toBeGreaterThan(filteredTimeline.quarters.at(-1).cumulativeCompleted);
    // The same for the trajectory: a measurement dated after every other makes the periods table unusable before it.
    const ind = await t.handle.db.selectFrom('indicators').select('id').orderBy('id').executeTakeFirstOrThrow();
    await t.handle.db.insertInto('measurements').values({ indicator_id: ind.id, value: 1, date: '2030-06-30', source: 'future', note: null, version: 1, created_at: NOW.toISOString(), updated_at: NOW.toISOString() }).execute();
    await t.handle.db.updateTable('meta').set({ value: sql`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` }).where('key', '=', 'data_version').execute();
    const replayedTrajectory = await (await t.request('GET', '/api/v1/progress/trajectory?interval=quarter&asOf=2026-03-02', { cookie: admin })).json();
    expect(replayedTrajectory).toEqual(fastTrajectory);
    expect(fastTrajectory.points.filter((p: { actual: number | null }) => p.actual !== null).length).toBeGreaterThan(4);
    expect(fast.groups.reduce((s: number, g: { milestones: { total: number } }) => s + g.milestones.total, 0)).toBeGreaterThan(0);
  });
});
