import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRatingCounts, buildScorecard, checkpointSortKey, countRatings, emptyRatingCounts, isDue, moveOf, movementBetween,
  orderCheckpoints, pctMetOrExceeded, scoreOf, type ScorecardAssessmentInput, type ScorecardCriterionInput, type ScorecardEntityInput,
} from './scorecard-math.ts';
import { entityKey, entityRegion, RATING_CODES, type ScorecardRating } from './scorecard.ts';
import { scorecardChart } from './chart-config.ts';

const rating = fc.constantFrom(...RATING_CODES);

describe(countRatings.name, () => {
  it('counts each rating', () => {
    expect(countRatings(['meets', 'meets', 'missing', 'not_applicable'])).toEqual({ missing: 1, approaches: 0, meets: 2, exceeds: 0, not_applicable: 1 });
  });
  it('counts nothing as zeros', () => expect(countRatings([])).toEqual(emptyRatingCounts()));
});

describe(addRatingCounts.name, () => {
  it('adds field by field, in place', () => {
    const a = countRatings(['meets', 'exceeds']);
    expect(addRatingCounts(a, countRatings(['exceeds', 'missing']))).toEqual({ missing: 1, approaches: 0, meets: 1, exceeds: 2, not_applicable: 0 });
    expect(a.exceeds).toBe(2);
  });
  it('property: adding the counts of two lists = counting their concatenation', () => {
    fc.assert(fc.property(fc.array(rating), fc.array(rating), (x, y) => {
      expect(addRatingCounts(countRatings(x), countRatings(y))).toEqual(countRatings([...x, ...y]));
    }));
  });
});

describe(pctMetOrExceeded.name, () => {
  it.each<[ScorecardRating[], number | null]>([
    [[], null],
    [['not_applicable', 'not_applicable'], null],
    [['missing'], 0],
    [['meets'], 1],
    [['exceeds', 'missing'], 0.5],
    [['meets', 'exceeds', 'approaches', 'not_applicable'], 0.666667],
    [['approaches', 'approaches', 'meets'], 0.333333],
  ])('%j → %s (n/a left out of the denominator)', (rs, pct) => expect(pctMetOrExceeded(countRatings(rs))).toBe(pct));

  it('property: between 0 and 1, null exactly when nothing but n/a is rated, and adding n/a changes nothing', () => {
    fc.assert(fc.property(fc.array(rating), fc.nat(5), (rs, extraNa) => {
      const p = pctMetOrExceeded(countRatings(rs));
      const ratedCount = rs.filter((r) => r !== 'not_applicable').length;
      if (ratedCount === 0) expect(p).toBeNull();
      else {
        expect(p).not.toBeNull();
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        const met = rs.filter((r) => r === 'meets' || r === 'exceeds').length;
        expect(Math.abs((p ?? -1) - met / ratedCount)).toBeLessThan(1e-6);
      }
      expect(pctMetOrExceeded(countRatings([...rs, ...Array<ScorecardRating>(extraNa).fill('not_applicable')]))).toBe(p);
    }));
  });
});

describe(scoreOf.name, () => {
  it('gives counts and the percentage together', () => {
    expect(scoreOf(['meets', 'missing'])).toEqual({ pctMetOrExceeded: 0.5, counts: { missing: 1, approaches: 0, meets: 1, exceeds: 0, not_applicable: 0 } });
  });
});

describe(moveOf.name, () => {
  it.each<[ScorecardRating | undefined, ScorecardRating | undefined, string | undefined]>([
    ['missing', 'approaches', 'improved'],
    ['meets', 'exceeds', 'improved'],
    ['meets', 'meets', 'held'],
    ['exceeds', 'missing', 'slipped'],
    ['not_applicable', 'meets', undefined],
    ['meets', 'not_applicable', undefined],
    [undefined, 'meets', undefined],
    ['meets', undefined, undefined],
  ])('%s → %s: %s', (a, b, m) => expect(moveOf(a, b)).toBe(m));

  it('property: swapping the two sides swaps improved and slipped', () => {
    fc.assert(fc.property(rating, rating, (a, b) => {
      const there = moveOf(a, b);
      const back = moveOf(b, a);
      expect(back).toBe(there === 'improved' ? 'slipped' : there === 'slipped' ? 'improved' : there);
    }));
  });
});

describe(movementBetween.name, () => {
  it('counts over the given criteria only', () => {
    const a = new Map<number, ScorecardRating>([[1, 'missing'], [2, 'meets'], [3, 'exceeds'], [4, 'meets']]);
    const b = new Map<number, ScorecardRating>([[1, 'meets'], [2, 'meets'], [3, 'approaches'], [4, 'exceeds']]);
    expect(movementBetween(a, b, [1, 2, 3])).toEqual({ improved: 1, held: 1, slipped: 1 });
    expect(movementBetween(a, b, [4, 5])).toEqual({ improved: 1, held: 0, slipped: 0 });
  });
});

describe(isDue.name, () => {
  it.each([
    ['baseline', '2008-12-31', false], ['baseline', '2009-01-01', true],
    ['2010', '2010-12-31', false], ['2010', '2011-01-01', true],
    ['2015', '2015-06-30', false], ['2015', '2026-11-28', true],
    ['2012-06-30', '2026-11-28', false],
  ])('%s at %s: %s', (cp, asOf, due) => expect(isDue(cp, asOf)).toBe(due));
});

describe(checkpointSortKey.name, () => {
  it('puts baseline first and the named checkpoints at their due dates', () => {
    expect(checkpointSortKey('baseline') < checkpointSortKey('2009-03-01')).toBe(true);
    expect(checkpointSortKey('2010') < checkpointSortKey('2012-06-30')).toBe(true);
    expect(checkpointSortKey('2012-06-30') < checkpointSortKey('2015')).toBe(true);
  });
});

describe(orderCheckpoints.name, () => {
  it('always lists the three named checkpoints, with interim ones in date order between', () => {
    expect(orderCheckpoints([])).toEqual(['baseline', '2010', '2015']);
    expect(orderCheckpoints(['2013-01-01', '2009-06-30', '2013-01-01'])).toEqual(['baseline', '2009-06-30', '2010', '2013-01-01', '2015']);
  });
});

describe(entityKey.name, () => {
  it.each([
    [{ entityType: 'agency' as const, partnerId: 12 }, 'agency:12'],
    [{ entityType: 'country_team' as const, country: 'KEN' }, 'country_team:KEN'],
  ])('%j → %s', (e, k) => expect(entityKey(e)).toBe(k));
});

describe(entityRegion.name, () => {
  it.each([
    [{ entityType: 'country_team' as const, country: 'KEN' }, 'AFR'],
    [{ entityType: 'country_team' as const, country: 'VNM' }, 'ASP'],
    [{ entityType: 'agency' as const, hqRegion: 'ECA' as const }, 'ECA'],
    [{ entityType: 'agency' as const, hqRegion: null }, 'GLO'],
  ])('%j → %s', (e, r) => expect(entityRegion(e)).toBe(r));
});

// ------------------------------------------------------------ buildScorecard
const criteria: ScorecardCriterionInput[] = [
  { id: 1, code: 'EE1', text: 'a', pillar: 'employment', retired: false },
  { id: 2, code: 'SP1', text: 'b', pillar: 'social_protection', retired: false },
  { id: 3, code: 'SR1', text: 'c', pillar: 'standards', retired: false },
  { id: 4, code: 'GS1', text: 'd', pillar: 'governance', retired: true },
];
const ent = (key: string, over: Partial<ScorecardEntityInput> = {}): ScorecardEntityInput => ({
  entityType: 'agency', entityKey: key, partnerId: Number(key.split(':')[1]) || null, country: null, entityName: key, partnerType: 'un', region: 'GLO', ...over,
});
const rated = (...rs: [number, ScorecardRating][]) => new Map<number, ScorecardRating>(rs);

describe(buildScorecard.name, () => {
  const entities = [
    ent('agency:1', { entityName: 'Alpha', partnerType: 'un', region: 'GLO' }),
    ent('agency:2', { entityName: 'Beta', partnerType: 'ifi', region: 'AFR' }),
    ent('country_team:KEN', { entityType: 'country_team', partnerId: null, country: 'KEN', entityName: 'Kenya', partnerType: null, region: 'AFR' }),
  ];
  const assessments: ScorecardAssessmentInput[] = [
    { id: 10, entityKey: 'agency:1', checkpoint: 'baseline', assessedOn: '2008-05-01', status: 'complete', ratings: rated([1, 'missing'], [2, 'meets'], [3, 'not_applicable']) },
    { id: 11, entityKey: 'agency:1', checkpoint: '2010', assessedOn: '2010-10-01', status: 'complete', ratings: rated([1, 'meets'], [2, 'approaches'], [3, 'meets']) },
    { id: 12, entityKey: 'agency:2', checkpoint: 'baseline', assessedOn: '2008-06-01', status: 'complete', ratings: rated([1, 'exceeds'], [2, 'exceeds'], [3, 'exceeds']) },
    { id: 13, entityKey: 'agency:2', checkpoint: '2010', assessedOn: '2010-06-01', status: 'draft', ratings: rated([1, 'missing']) },
    { id: 14, entityKey: 'country_team:KEN', checkpoint: '2012-06-30', assessedOn: '2012-06-30', status: 'complete', ratings: rated([1, 'meets'], [2, 'missing']) },
  ];
  const view = buildScorecard({ asOf: '2011-06-30', criteria, entities, assessments, page: 1, pageSize: 10 });

  it('lists the named checkpoints and the interim ones assessed, and which are due', () => {
    expect(view.checkpoints.map((c) => [c.code, c.due])).toEqual([['baseline', true], ['2010', true], ['2012-06-30', false], ['2015', false]]);
  });
  it('headlines the latest named checkpoint with a complete assessment', () => {
    expect(view.headline).toEqual({ checkpoint: '2010', label: '2010', pctMetOrExceeded: 0.666667, assessments: 1 });
    expect(buildScorecard({ asOf: '2007-01-01', criteria, entities, assessments: [], page: 1, pageSize: 10 }).headline).toBeNull();
  });
  it('draws the scorecard chart: all criteria and each pillar, one series per named checkpoint', () => {
    const chart = scorecardChart({ ...view, demo: false });
    expect(chart.data.labels).toEqual(['All criteria', 'Employment and enterprise', 'Social protection', 'Standards and rights', 'Governance and social dialogue']);
    expect(chart.data.datasets.map((d) => d.label)).toEqual(['Baseline', '2010', '2015']);
    expect(chart.data.datasets[0]?.data).toEqual([0.8, 0.5, 1, 1, null]);
    expect(chart.format).toBe('percent');
  });
  it('leaves out retired criteria nobody rated', () => expect(view.criteria.map((c) => c.code)).toEqual(['EE1', 'SP1', 'SR1']));
  it('counts complete assessments only in the headline, n/a out of the denominator', () => {
    // baseline: agency 1 → 1 met of 2 rated (n/a out); agency 2 → 3 of 3: 4 of 5.
    expect(view.overall.baseline).toMatchObject({ pctMetOrExceeded: 0.8, assessments: 2 });
    // 2010: only agency 1 is complete (2 of 3); the draft does not count.
    expect(view.overall['2010']).toMatchObject({ pctMetOrExceeded: 0.666667, assessments: 1 });
    expect(view.overall['2015']).toEqual({ pctMetOrExceeded: null, counts: emptyRatingCounts(), assessments: 0 });
  });
  it('shows drafts in the grid, flagged, with ratings aligned with the criteria', () => {
    const beta = view.entities.find((e) => e.entityKey === 'agency:2');
    expect(beta?.byCheckpoint['2010']).toMatchObject({ assessmentId: 13, status: 'draft', ratings: ['missing', null, null], pctMetOrExceeded: 0 });
  });
  it('reports movement per entity and in total', () => {
    const alpha = view.entities.find((e) => e.entityKey === 'agency:1');
    expect(alpha?.movement[0]).toEqual({ from: 'baseline', to: '2010', improved: 1, held: 0, slipped: 1 });
    expect(view.movement[0]).toEqual({ from: 'baseline', to: '2010', improved: 1, held: 0, slipped: 1 });
    expect(view.byCriterion.find((c) => c.criterionId === 1)?.movement[0]).toMatchObject({ improved: 1, slipped: 0 });
  });
  it('lists entities missing a due checkpoint (a draft is not an assessment yet)', () => {
    expect(view.missing.map((m) => [m.entityKey, m.checkpoints])).toEqual([['agency:2', ['2010']], ['country_team:KEN', ['baseline', '2010']]]);
  });
  it('groups by pillar, partner type, entity type and region', () => {
    expect(view.byPillar.find((g) => g.key === 'employment')?.byCheckpoint.baseline?.pctMetOrExceeded).toBe(0.5);
    expect(view.byPartnerType.map((g) => [g.key, g.byCheckpoint.baseline?.pctMetOrExceeded])).toEqual([['un', 0.5], ['ifi', 1]]);
    expect(view.byRegion.find((g) => g.key === 'AFR')?.byCheckpoint['2012-06-30']?.pctMetOrExceeded).toBe(0.5);
    expect(view.byEntityType.find((g) => g.key === 'country_team')?.byCheckpoint['2012-06-30']?.assessments).toBe(1);
  });
  it('pages the entities, agencies first then by name, aggregates over all', () => {
    const p2 = buildScorecard({ asOf: '2011-06-30', criteria, entities, assessments, page: 2, pageSize: 2 });
    expect(p2.entities.map((e) => e.entityKey)).toEqual(['country_team:KEN']);
    expect(p2.entityTotal).toBe(3);
    expect(p2.overall).toEqual(view.overall);
  });

  it('property: the headline equals a direct recount of the complete assessments\' ratings', () => {
    const assessmentArb = fc.record({
      entity: fc.integer({ min: 0, max: 2 }),
      checkpoint: fc.constantFrom('baseline', '2010', '2015'),
      status: fc.constantFrom('draft', 'complete' as const),
      ratings: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), rating), { maxLength: 6 }),
    });
    fc.assert(fc.property(fc.array(assessmentArb, { maxLength: 12 }), (raw) => {
      const seen = new Set<string>();
      const list: ScorecardAssessmentInput[] = [];
      raw.forEach((a, i) => {
        const key = entities[a.entity]?.entityKey ?? '';
        if (seen.has(`${key}|${a.checkpoint}`)) return;
        seen.add(`${key}|${a.checkpoint}`);
        list.push({ id: i + 1, entityKey: key, checkpoint: a.checkpoint, assessedOn: '2009-01-01', status: a.status as 'draft' | 'complete', ratings: new Map(a.ratings) });
      });
      const v = buildScorecard({ asOf: '2016-01-01', criteria, entities, assessments: list, page: 1, pageSize: 10 });
      for (const cp of ['baseline', '2010', '2015']) {
        let met = 0; let denom = 0;
        for (const a of list) {
          if (a.status !== 'complete' || a.checkpoint !== cp) continue;
          for (const [cid, r] of a.ratings) {
            if (cid === 4 && ![...list].some((x) => x.ratings.has(4))) continue;
            if (r === 'not_applicable') continue;
            denom++;
            if (r === 'meets' || r === 'exceeds') met++;
          }
        }
        const got = v.overall[cp]?.pctMetOrExceeded ?? null;
        if (denom === 0) expect(got).toBeNull();
        else expect(Math.abs((got ?? -1) - met / denom)).toBeLessThan(1e-6);
        // The pillar groups partition the criteria: their counts add up to the headline's.
        const sum = emptyRatingCounts();
        for (const g of v.byPillar) addRatingCounts(sum, g.byCheckpoint[cp]?.counts ?? emptyRatingCounts());
        expect(sum).toEqual(v.overall[cp]?.counts);
        // Entity types partition the entities.
        const byType = emptyRatingCounts();
        for (const g of v.byEntityType) addRatingCounts(byType, g.byCheckpoint[cp]?.counts ?? emptyRatingCounts());
        expect(byType).toEqual(v.overall[cp]?.counts);
      }
    }));
  });
});
