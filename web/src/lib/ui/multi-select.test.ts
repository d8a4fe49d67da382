import { describe, expect, it } from 'vitest';
import { matchChoices, summarize, toggleChoice, type Choice } from './multi-select.ts';

const REGIONS: Choice[] = [
  { code: 'AFR', label: 'Africa' },
  { code: 'AME', label: 'Americas' },
  { code: 'ASP', label: 'Asia and the Pacific' },
  { code: 'ECA', label: 'Europe and Central Asia' },
];

describe(summarize.name, () => {
  it.each([
    { selected: [], expected: 'All regions' },
    { selected: ['AFR'], expected: 'Africa' },
    { selected: ['AFR', 'ASP'], expected: 'Africa, Asia and the Pacific' },
    { selected: ['AFR', 'ASP', 'ECA'], expected: '3 selected' },
    { selected: ['ASP', 'ECA'], expected: '2 selected' },
  ])('shows $expected for $selected', ({ selected, expected }) => {
    expect(summarize(selected, REGIONS, 'All regions')).toBe(expected);
  });
  it('lists several short labels when they fit', () => {
    expect(summarize(['AFR', 'AME'], REGIONS, 'All regions')).toBe('Africa, Americas');
  });
  it('uses the short label when a choice has one', () => {
    expect(summarize(['WSO-2005'], [{ code: 'WSO-2005', label: 'WSO-2005 — World Summit Outcome (GA res 60/1, para 47)', short: 'WSO-2005' }], 'All')).toBe('WSO-2005');
  });
  it('shows the code of a value that is not among the choices (a pasted URL)', () => {
    expect(summarize(['XXX'], REGIONS, 'All regions')).toBe('XXX');
  });
});

describe(matchChoices.name, () => {
  const countries: Choice[] = [
    { code: 'CIV', label: "Côte d'Ivoire" },
    { code: 'KEN', label: 'Kenya' },
    { code: 'TZA', label: 'United Republic of Tanzania' },
  ];
  it.each([
    { query: '', expected: ['CIV', 'KEN', 'TZA'] },
    { query: '   ', expected: ['CIV', 'KEN', 'TZA'] },
    { query: 'cote', expected: ['CIV'] },
    { query: 'KEN', expected: ['KEN'] },
    { query: 'tza', expected: ['TZA'] },
    { query: 'republic tanz', expected: ['TZA'] },
    { query: 'e', expected: ['CIV', 'KEN', 'TZA'] },
    { query: 'xyz', expected: [] },
  ])('"$query" matches $expected', ({ query, expected }) => {
    expect(matchChoices(countries, query).map((c) => c.code)).toEqual(expected);
  });
});

describe(toggleChoice.name, () => {
  it('adds a value in the choices order, whatever order it was clicked in', () => {
    expect(toggleChoice(['ASP'], 'AFR', REGIONS)).toEqual(['AFR', 'ASP']);
  });
  it('removes a chosen value', () => {
    expect(toggleChoice(['AFR', 'ASP'], 'AFR', REGIONS)).toEqual(['ASP']);
    expect(toggleChoice(['AFR'], 'AFR', REGIONS)).toEqual([]);
  });
  it('keeps chosen values that are not among the choices, at the end', () => {
    expect(toggleChoice(['ZZZ', 'ECA'], 'AFR', REGIONS)).toEqual(['AFR', 'ECA', 'ZZZ']);
  });
});
