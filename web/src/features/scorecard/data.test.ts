import { progressScorecard, type Assessment, type ProgressScorecard } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { parseFilters } from '../../lib/filters.ts';
import { scorecardTile } from '../overview/data.ts';
import { figureRows, gridCheckpoint, gridRows, mayAssess, parseView, ratingDrafts, ratingsToSend, viewSearch } from './data.ts';

const counts = (m: number, a: number, me: number, e: number, na: number) => ({ missing: m, approaches: a, meets: me, exceeds: e, not_applicable: na });
const figures = (pct: number | null, n: number) => ({ pctMetOrExceeded: pct, counts: counts(1, 1, 1, 1, 0), assessments: n });
const group = (key: string, label: string, base: number | null) => ({ key, label, byCheckpoint: { baseline: figures(base, base === null ? 0 : 2) } });

/** A small scorecard as the API answers it (parsed by the shared schema, so the fixture cannot drift from the contract). */
const view: ProgressScorecard = progressScorecard.parse({
  asOf: '2011-06-30',
  checkpoints: [
    { code: 'baseline', label: 'Baseline', dueDate: '2008-12-31', due: true },
    { code: '2010', label: '2010', dueDate: '2010-12-31', due: true },
    { code: '2015', label: '2015', dueDate: '2015-12-31', due: false },
  ],
  criteria: [
    { id: 1, code: 'EE1', text: 'a', pillar: 'employment', retired: false },
    { id: 2, code: 'SP1', text: 'b', pillar: 'social_protection', retired: false },
  ],
  overall: { baseline: figures(0.25, 3), 2010: figures(0.5, 2) },
  headline: { checkpoint: '2010', label: '2010', pctMetOrExceeded: 0.5, assessments: 2 },
  entities: [
    {
      entityType: 'country_team', entityKey: 'country_team:KEN', partnerId: null, country: 'KEN', entityName: 'Kenya', partnerType: null, region: 'AFR',
      byCheckpoint: {
        baseline: { assessmentId: 7, status: 'complete', assessedOn: '2008-05-01', ratings: ['meets', null], pctMetOrExceeded: 1, counts: counts(0, 0, 1, 0, 0) },
        2010: { assessmentId: 9, status: 'draft', assessedOn: '2010-05-01', ratings: ['exceeds', 'missing'], pctMetOrExceeded: 0.5, counts: counts(1, 0, 0, 1, 0) },
      },
      movement: [], missingCheckpoints: ['2010'],
    },
    {
      entityType: 'agency', entityKey: 'agency:3', partnerId: 3, country: null, entityName: 'UNDP', partnerType: 'un', region: 'GLO',
      byCheckpoint: {}, movement: [], missingCheckpoints: ['baseline', '2010'],
    },
  ],
  entityTotal: 2, page: 1, pageSize: 100,
  byPillar: [group('employment', 'Employment and enterprise', 0.5)],
  byPartnerType: [], byEntityType: [], byRegion: [group('AFR', 'Africa', 0.25), group('ASP', 'Asia and the Pacific', null)],
  byCriterion: [], movement: [], missing: [], demo: true,
});

describe(parseView.name, () => {
  it.each([
    ['', { entityType: [], pillar: [], checkpoint: undefined, page: 1 }],
    ['?entityType=agency&entityType=agency&pillar=standards&checkpoint=2010&page=3', { entityType: ['agency'], pillar: ['standards'], checkpoint: '2010', page: 3 }],
    ['?entityType=ngo&pillar=nope&checkpoint=2011&page=-1', { entityType: [], pillar: [], checkpoint: undefined, page: 1 }],
    ['?checkpoint=2012-06-30', { entityType: [], pillar: [], checkpoint: '2012-06-30', page: 1 }],
  ])('%s', (search, expected) => {
    expect(parseView(search)).toEqual(expected);
  });

  it('round-trips through viewSearch after the filters', () => {
    const s = viewSearch('?region=AFR', { entityType: ['country_team'], pillar: [], checkpoint: 'baseline', page: 2 });
    expect(s).toBe('?region=AFR&entityType=country_team&checkpoint=baseline&page=2');
    expect(parseView(s)).toEqual({ entityType: ['country_team'], pillar: [], checkpoint: 'baseline', page: 2 });
  });
});

describe(gridCheckpoint.name, () => {
  it.each([
    [undefined, '2010'],
    ['baseline', 'baseline'],
    ['2012-01-01', '2010'],
  ])('chosen %s → %s', (chosen, expected) => {
    expect(gridCheckpoint(view, chosen)).toBe(expected);
  });
});

describe(gridRows.name, () => {
  it('shows each entity’s ratings at the checkpoint, linked to its assessment, blank where it has none', () => {
    const [kenya, undp] = gridRows(view, 'baseline');
    expect(kenya).toMatchObject({ name: 'Kenya', kind: 'UN country team', region: 'Africa', assessmentId: 7, draft: false, pct: '100.0%' });
    expect(kenya?.cells.map((c) => [c.short, c.label])).toEqual([['Me', 'EE1: Meets requirements'], ['', 'SP1: Not rated']]);
    expect(undp).toMatchObject({ name: 'UNDP', assessmentId: null, pct: '—' });
    expect(undp?.cells.every((c) => c.rating === null)).toBe(true);
  });

  it('marks a draft', () => {
    expect(gridRows(view, '2010')[0]).toMatchObject({ assessmentId: 9, draft: true, pct: '50.0%' });
  });
});

describe(figureRows.name, () => {
  it('gives % met or exceeded with the assessments counted, a dash where none counted', () => {
    expect(figureRows(view.byRegion, ['baseline', '2010'])).toEqual([
      { key: 'AFR', label: 'Africa', values: ['25.0% (2)', '—'] },
      { key: 'ASP', label: 'Asia and the Pacific', values: ['—', '—'] },
    ]);
  });
});

describe(scorecardTile.name, () => {
  it('shows the headline KPI and links to the scorecard with the filters it takes', () => {
    const t = scorecardTile(view, parseFilters('?region=AFR&modality=ppp&asOf=2011-06-30'));
    expect(t).toEqual({ id: 'scorecard', label: 'Criteria met or exceeded', value: '50.0%', detail: '2010 checkpoint, 2 assessments', href: '/scorecard?region=AFR&asOf=2011-06-30' });
  });

  it('says so when nothing is assessed yet', () => {
    expect(scorecardTile({ ...view, headline: null }, parseFilters(''))).toMatchObject({ value: '–', detail: 'no complete assessment yet' });
  });
});

describe(ratingDrafts.name, () => {
  const a = {
    ratings: [{ criterionId: 2, criterionVersion: 1, code: 'SP1', text: 'old text', pillar: 'social_protection', rating: 'meets', note: 'why', evidenceUrl: null }],
  } as const satisfies Pick<Assessment, 'ratings'>;
  const criteria = [
    { id: 1, code: 'EE1', text: 'a', pillar: 'employment', retired: false },
    { id: 2, code: 'SP1', text: 'new text', pillar: 'social_protection', retired: false },
    { id: 3, code: 'EE9', text: 'gone', pillar: 'employment', retired: true },
  ];

  it('keeps rated criteria as rated (their text then), adds current unrated ones, in checklist order', () => {
    const d = ratingDrafts({ ...a } as unknown as Assessment, criteria);
    expect(d.map((x) => [x.code, x.text, x.rating, x.note])).toEqual([['EE1', 'a', '', ''], ['SP1', 'old text', 'meets', 'why']]);
  });

  it('sends only chosen ratings, empty note and link as null', () => {
    const d = ratingDrafts({ ...a } as unknown as Assessment, criteria);
    expect(ratingsToSend(d)).toEqual([{ criterionId: 2, rating: 'meets', note: 'why', evidenceUrl: null }]);
  });
});

describe(mayAssess.name, () => {
  it.each([
    [undefined, 'AFR', false],
    [{ role: 'viewer', regions: ['AFR'] }, 'AFR', false],
    [{ role: 'editor', regions: ['AFR'] }, 'AFR', true],
    [{ role: 'editor', regions: ['AFR'] }, 'GLO', false],
    [{ role: 'admin', regions: [] }, 'GLO', true],
  ])('%o in %s → %s', (user, region, expected) => {
    expect(mayAssess(user, region)).toBe(expected);
  });
});
