import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { chooseFilter } from './filter-bar.ts';

describe(chooseFilter.name, () => {
  it('sets one filter to several values and leaves the others alone', () => {
    const next = chooseFilter(parseFilters('?partnerType=un&asOf=2012-12-31'), 'region', ['AFR', 'ASP']);
    expect(next.region).toEqual(['AFR', 'ASP']);
    expect(next.partnerType).toEqual(['un']);
    expect(next.asOf).toBe('2012-12-31');
  });
  it('drops chosen countries outside every chosen region, keeps those inside any of them', () => {
    const next = chooseFilter(parseFilters('?country=KEN&country=IND&country=ALB'), 'region', ['AFR', 'ASP']);
    expect(next.country).toEqual(['KEN', 'IND']);
  });
  it('keeps every chosen country when the regions are cleared', () => {
    expect(chooseFilter(parseFilters('?region=AFR&country=KEN&country=IND'), 'region', []).country).toEqual(['KEN', 'IND']);
  });
  it('drops chosen outcomes outside every chosen objective', () => {
    const next = chooseFilter(parseFilters('?outcome=O1&outcome=O4&outcome=O9'), 'objective', ['EMP', 'SD']);
    expect(next.outcome).toEqual(['O1', 'O9']);
  });
  it('does not change the filters it was given', () => {
    const f = parseFilters('?country=ALB');
    chooseFilter(f, 'region', ['AFR']);
    expect(f.country).toEqual(['ALB']);
  });
});
