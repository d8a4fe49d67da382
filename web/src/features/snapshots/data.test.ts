import type { CompareRow } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { compareCsv, defaultTitle, filtersText, movedFacts, pointsChange, scorecardCheckpointLabel, signed, transitionsText, unchanged } from './data.ts';

const row = (over: Partial<CompareRow> = {}): CompareRow => ({
  key: 'AFR', label: 'Africa',
  milestonesCompleted: { from: 366, to: 369, delta: 3 },
  indicators: { improved: 14, worsened: 2, unchanged: 119, added: 0, removed: 0, transitions: [{ from: 'off_track', to: 'at_risk', count: 2 }, { from: 'at_risk', to: 'on_track', count: 12 }] },
  resourcesUsd: { from: 155_830_000, to: 157_080_000, delta: 1_250_000, added: 1_250_000, removed: 0 },
  partnerships: { from: 128, to: 129, added: 1, removed: 0 },
  ...over,
});
const still = row({
  milestonesCompleted: { from: 5, to: 5, delta: 0 }, indicators: { improved: 0, worsened: 0, unchanged: 9, added: 0, removed: 0, transitions: [] },
  resourcesUsd: { from: 1, to: 1, delta: 0, added: 0, removed: 0 }, partnerships: { from: 2, to: 2, added: 0, removed: 0 },
});

describe(filtersText.name, () => {
  it('says "All data" without filters', () => {
    expect(filtersText({ region: [], asOf: '2012-12-31' })).toBe('All data');
  });
  it('names each filter with its labels (mandates by code)', () => {
    expect(filtersText({ region: ['AFR', 'ASP'], partnerType: ['un'], mandate: ['MDG-1B-2008'] })).toBe('Region: Africa, Asia and the Pacific · Partner type: UN fund, programme or agency · Mandate: MDG-1B-2008');
  });
});

describe(defaultTitle.name, () => {
  it.each([
    [{}, 'Overview, as of 2012-12-31'],
    [{ region: ['AFR'] }, 'Overview, Africa, as of 2012-12-31'],
    [{ region: ['AFR'], modality: ['ppp'] }, 'Overview, Africa, Public-private partnership, as of 2012-12-31'],
  ])('%o → %s', (f, title) => {
    expect(defaultTitle(f, '2012-12-31')).toBe(title);
  });
});

describe(signed.name, () => {
  it.each([[3, '+3'], [-2, '−2'], [0, '0'], [1250, '+1,250']])('%d → %s', (n, s) => {
    expect(signed(n)).toBe(s);
  });
});

describe(transitionsText.name, () => {
  it('puts the largest move first, in words', () => {
    expect(transitionsText(row().indicators.transitions)).toEqual(['12 moved from at risk to on track', '2 moved from off track to at risk']);
  });
});

describe(movedFacts.name, () => {
  it('gives the headline changes with their from → to', () => {
    expect(movedFacts(row()).map((f) => [f.label, f.value, f.detail])).toEqual([
      ['Milestones completed', '+3', '366 → 369'],
      ['Indicators improved', '14', '2 worsened, 119 unchanged'],
      ['Resources committed', '+US$1.3m', 'US$155.8m → US$157.1m'],
      ['Partnerships', '+1', '1 added, 0 removed'],
    ]);
  });
});

describe(unchanged.name, () => {
  it('is true only when nothing moved', () => {
    expect(unchanged(still)).toBe(true);
    expect(unchanged(row())).toBe(false);
  });
});

describe(compareCsv.name, () => {
  it('writes a header and a line per group', () => {
    const lines = compareCsv([row()], 'Region').split('\r\n');
    expect(lines[0]).toBe('\uFEFFRegion,Milestones completed (from),Milestones completed (to),Change,Indicators improved,Indicators worsened,Indicators unchanged,Status moves,Resources from (USD),Resources to (USD),Partnerships added,Partnerships removed');
    expect(lines[1]).toBe('Africa,366,369,3,14,2,119,12 moved from at risk to on track; 2 moved from off track to at risk,155830000,157080000,1,0');
  });
});

describe(pointsChange.name, () => {
  it.each([
    [0.042, '+4.2 pts'],
    [-0.1, '−10.0 pts'],
    [0, '±0.0 pts'],
    [null, '–'],
  ])('%s → %s', (delta, text) => {
    expect(pointsChange(delta)).toBe(text);
  });
});

describe(scorecardCheckpointLabel.name, () => {
  it.each([['baseline', 'Baseline'], ['2010', '2010'], ['2012-06-30', 'Interim 2012-06-30']])('%s → %s', (code, label) => {
    expect(scorecardCheckpointLabel(code)).toBe(label);
  });
});
