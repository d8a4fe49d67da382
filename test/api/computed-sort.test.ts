/**
 * Lists sorted by figures computed at the as-of date (indicator status and attainment, action plan status
 * and progress): the order holds across pages, records without a value come last either way, and filters
 * and totals still apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';

const RANK: Record<string, number> = { off_track: 0, at_risk: 1, on_track: 2, achieved: 3, no_data: 4 };
const AS_OF = '2012-12-31';

function expectOrdered(values: (number | null)[], desc: boolean): void {
  const firstNull = values.indexOf(null);
  const present = (firstNull === -1 ? values : values.slice(0, firstNull)) as number[];
  if (firstNull !== -1) expect(values.slice(firstNull).every((v) => v === null), 'nulls come last').toBe(true);
  for (let i = 1; i < present.length; i++) {
    const [a, b] = [present[i - 1] ?? 0, present[i] ?? 0];
    expect(desc ? a >= b : a <= b, `position ${i}: ${a} then ${b}`).toBe(true);
  }
}

describe.each(databases())('sorting lists by computed figures on %s', (kind) => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => { t = await startTestApp(kind); cookie = await t.login('manager@demo.local'); });
  afterAll(async () => { await t?.close(); });
  const get = async (path: string) => {
    const r = await t.request('GET', `/api/v1${path}`, { cookie });
    expect(r.status, path).toBe(200);
    return r.json();
  };

  it('indicators by status: those needing attention first, no data last, and pages continue each other', async () => {
    const all = await get(`/indicators?sort=status&pageSize=200&asOf=${AS_OF}`);
    expect(all.total).toBeGreaterThan(100);
    const ranks = all.items.map((x: { status: string }) => RANK[x.status] ?? 9);
    expectOrdered(ranks, false);
    expect(all.items[0].status).toBe('off_track');
    const p1 = await get(`/indicators?sort=status&pageSize=50&page=1&asOf=${AS_OF}`);
    const p2 = await get(`/indicators?sort=status&pageSize=50&page=2&asOf=${AS_OF}`);
    expect([...p1.items, ...p2.items].map((x: { id: number }) => x.id)).toEqual(all.items.slice(0, 100).map((x: { id: number }) => x.id));
    expect(p1.total).toBe(all.total);
    const desc = await get(`/indicators?sort=-status&pageSize=200&asOf=${AS_OF}`);
    expectOrdered(desc.items.filter((x: { status: string }) => x.status !== 'no_data').map((x: { status: string }) => RANK[x.status] ?? 9), true);
  });

  it('indicators by attainment, highest first, without data last; filters still apply', async () => {
    const r = await get(`/indicators?sort=-attainment&pageSize=200&region=AFR&asOf=${AS_OF}`);
    expectOrdered(r.items.map((x: { attainment: number | null }) => x.attainment), true);
    expect(r.items.every((x: { region: string }) => x.region === 'AFR')).toBe(true);
    const atRisk = await get(`/indicators?sort=attainment&status=at_risk&pageSize=200&asOf=${AS_OF}`);
    expect(atRisk.items.length).toBeGreaterThan(0);
    expect(atRisk.items.every((x: { status: string }) => x.status === 'at_risk')).toBe(true);
    expectOrdered(atRisk.items.map((x: { attainment: number | null }) => x.attainment), false);
    const plain = await get(`/indicators?status=at_risk&pageSize=1&asOf=${AS_OF}`);
    expect(atRisk.total).toBe(plain.total);
  });

  it('action plans by progress and by status', async () => {
    const byProgress = await get(`/action-plans?sort=progress&pageSize=200&asOf=${AS_OF}`);
    expectOrdered(byProgress.items.map((x: { progress: number | null }) => x.progress), false);
    const plain = await get(`/action-plans?pageSize=1&asOf=${AS_OF}`);
    expect(byProgress.total).toBe(plain.total);
    const byStatus = await get(`/action-plans?sort=status&pageSize=200&asOf=${AS_OF}`);
    expectOrdered(byStatus.items.map((x: { status: string }) => RANK[x.status] ?? 9), false);
  });

  it('still refuses an unknown sort field with a 400 naming it', async () => {
    const r = await t.request('GET', '/api/v1/indicators?sort=-colour', { cookie });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toContain('colour');
  });
});
