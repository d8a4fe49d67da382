/**
 * Issue 15, "the numbers recount": % met or exceeded recounted straight from the stored rating rows (plain SQL
 * rows and plain JS here, none of the shared scorecard math) equals the API's, on SQLite and PostgreSQL, for
 * several filter sets and as-of dates: overall, per region, per pillar, per partner type and per entity, and the
 * list of entities missing a due checkpoint.
 */
import { COUNTRIES } from '@mm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { getJson } from './record-fixtures.ts';

interface Figures { pctMetOrExceeded: number | null; counts: Record<string, number>; assessments: number }
interface View {
  checkpoints: { code: string; due: boolean }[];
  overall: Record<string, Figures>;
  entities: { entityKey: string; byCheckpoint: Record<string, { pctMetOrExceeded: number | null; status: string }> }[];
  entityTotal: number;
  byRegion: { key: string; byCheckpoint: Record<string, Figures> }[];
  byPillar: { key: string; byCheckpoint: Record<string, Figures> }[];
  byPartnerType: { key: string; byCheckpoint: Record<string, Figures> }[];
  missing: { entityKey: string; checkpoints: string[] }[];
}
interface Row { id: number; entity_key: string; entity_type: string; region: string; checkpoint: string; assessed_on: string; status: string; partner_type: string | null; hq_country: string | null; country: string | null; pillar: string; rating: string }

// In checkpoint order (an object would list the integer-like keys 2010 and 2015 before baseline).
const DUE: [string, string][] = [['baseline', '2008-12-31'], ['2010', '2010-12-31'], ['2015', '2015-12-31']];

/** met / rated over rows, n/a out of the denominator; null when nothing is rated. */
function pct(rows: readonly Row[]): number | null {
  const rated = rows.filter((r) => r.rating !== 'not_applicable');
  if (rated.length === 0) return null;
  return rated.filter((r) => r.rating === 'meets' || r.rating === 'exceeds').length / rated.length;
}
const close = (a: number | null | undefined, b: number | null) => (b === null ? a === null : a !== null && a !== undefined && Math.abs(a - b) < 1e-6);

describe.each(databases())('scorecard recount on %s', (kind) => {
  let t: TestApp;
  let viewer: string;
  let rows: Row[];
  let agencies: { id: number; partner_type: string; hq_region: string | null; hq_country: string | null }[];

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => new Date('2026-11-28T10:00:00.000Z') });
    viewer = await t.login('manager@demo.local');
    const db = t.handle.db;
    rows = (await db.selectFrom('assessments as a')
      .innerJoin('assessment_ratings as r', 'r.assessment_id', 'a.id')
      .innerJoin('scorecard_criteria as c', 'c.id', 'r.criterion_id')
      .leftJoin('partners as p', 'p.id', 'a.partner_id')
      .select(['a.id', 'a.entity_key', 'a.entity_type', 'a.region', 'a.checkpoint', 'a.assessed_on', 'a.status', 'p.partner_type', 'p.hq_country', 'a.country', 'c.pillar', 'r.rating'])
      .execute()) as Row[];
    agencies = await db.selectFrom('partners').select(['id', 'partner_type', 'hq_region', 'hq_country']).where('partner_type', 'in', ['un', 'ifi']).execute();
  });
  afterAll(async () => { await t?.close(); });

  it('the demo holds a plausible scorecard: hundreds of assessments of 20 criteria', () => {
    expect(new Set(rows.map((r) => r.id)).size).toBeGreaterThan(100);
    expect(new Set(rows.map((r) => r.pillar)).size).toBe(4);
  });

  const CASES: { name: string; query: string; asOf: string; keep: (r: Row) => boolean; entities: () => string[] }[] = [
    {
      name: 'everything today', query: '', asOf: '2026-11-28', keep: () => true,
      entities: () => [...agencies.map((a) => `agency:${a.id}`), ...COUNTRIES.map((c) => `country_team:${c.code}`)],
    },
    {
      name: 'Africa as of 2011-06-30', query: 'region=AFR', asOf: '2011-06-30', keep: (r) => r.region === 'AFR',
      entities: () => [...agencies.filter((a) => a.hq_region === 'AFR').map((a) => `agency:${a.id}`), ...COUNTRIES.filter((c) => c.region === 'AFR').map((c) => `country_team:${c.code}`)],
    },
    {
      name: 'IFIs as of 2015-12-31', query: 'partnerType=ifi', asOf: '2015-12-31', keep: (r) => r.partner_type === 'ifi',
      entities: () => agencies.filter((a) => a.partner_type === 'ifi').map((a) => `agency:${a.id}`),
    },
    {
      name: 'country teams of Asia and the Arab States as of 2009-06-30', query: 'entityType=country_team&region=ASP&region=ARB', asOf: '2009-06-30',
      keep: (r) => r.entity_type === 'country_team' && (r.region === 'ASP' || r.region === 'ARB'),
      entities: () => COUNTRIES.filter((c) => c.region === 'ASP' || c.region === 'ARB').map((c) => `country_team:${c.code}`),
    },
    {
      name: 'the social protection pillar, global agencies, as of 2013-01-01', query: 'pillar=social_protection&region=GLO&entityType=agency', asOf: '2013-01-01',
      keep: (r) => r.pillar === 'social_protection' && r.region === 'GLO' && r.entity_type === 'agency',
      entities: () => agencies.filter((a) => a.hq_region === null).map((a) => `agency:${a.id}`),
    },
  ];

  it.each(CASES)('$name: overall, per region, pillar, partner type and entity, and who is missing', async ({ query, asOf, keep, entities }) => {
    const view = await getJson<View>(t, `/progress/scorecard?${query}${query ? '&' : ''}asOf=${asOf}&pageSize=1000`, viewer);
    const counted = rows.filter((r) => r.assessed_on <= asOf && keep(r));
    const complete = counted.filter((r) => r.status === 'complete');
    const checkpoints = [...new Set(complete.map((r) => r.checkpoint))];
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const cp of checkpoints) {
      const at = complete.filter((r) => r.checkpoint === cp);
      expect(close(view.overall[cp]?.pctMetOrExceeded, pct(at)), `overall ${cp}`).toBe(true);
      expect(view.overall[cp]?.assessments).toBe(new Set(at.map((r) => r.id)).size);
      for (const g of view.byRegion) expect(close(g.byCheckpoint[cp]?.pctMetOrExceeded, pct(at.filter((r) => r.region === g.key))), `region ${g.key} ${cp}`).toBe(true);
      for (const g of view.byPillar) expect(close(g.byCheckpoint[cp]?.pctMetOrExceeded, pct(at.filter((r) => r.pillar === g.key))), `pillar ${g.key} ${cp}`).toBe(true);
      for (const g of view.byPartnerType) expect(close(g.byCheckpoint[cp]?.pctMetOrExceeded, pct(at.filter((r) => r.entity_type === 'agency' && r.partner_type === g.key))), `type ${g.key} ${cp}`).toBe(true);
    }
    // Every entity's cell, drafts included, recounts from its own rows.
    const keys = entities();
    expect(view.entityTotal).toBe(keys.length);
    for (const e of view.entities) {
      for (const [cp, cell] of Object.entries(e.byCheckpoint)) {
        const own = counted.filter((r) => r.entity_key === e.entityKey && r.checkpoint === cp);
        expect(close(cell.pctMetOrExceeded, pct(own)), `${e.entityKey} ${cp}`).toBe(true);
      }
    }
    // Missing: due checkpoints without a complete assessment assessed by asOf.
    const due = DUE.filter(([, d]) => asOf > d).map(([cp]) => cp);
    const expectedMissing = keys.map((k) => ({ k, cps: due.filter((cp) => !complete.some((r) => r.entity_key === k && r.checkpoint === cp)) })).filter((x) => x.cps.length > 0);
    expect(view.missing.map((m) => `${m.entityKey}:${m.checkpoints.join(',')}`).sort()).toEqual(expectedMissing.map((x) => `${x.k}:${x.cps.join(',')}`).sort());
    expect(view.checkpoints.filter((c) => c.due).map((c) => c.code)).toEqual(due);
  });

  it('% met or exceeded is null, not 0, where nothing is rated (before any assessment)', async () => {
    const view = await getJson<View>(t, '/progress/scorecard?asOf=2007-01-01&pageSize=5', viewer);
    expect(view.overall.baseline?.pctMetOrExceeded).toBeNull();
    expect(view.overall.baseline?.assessments).toBe(0);
    expect(view.entities.every((e) => Object.keys(e.byCheckpoint).length === 0)).toBe(true);
  });
});
