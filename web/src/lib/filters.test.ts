import { describe, expect, it } from 'vitest';
import { figuresLabel, isFiltered, parseFilters, parseList, toSearch, withFigures, withFilter } from './filters.ts';

describe(parseFilters.name, () => {
  it('reads repeatable filters and the as-of date', () => {
    const f = parseFilters('?region=AFR&region=ASP&partnerType=un&asOf=2012-12-31');
    expect(f.region).toEqual(['AFR', 'ASP']);
    expect(f.partnerType).toEqual(['un']);
    expect(f.asOf).toBe('2012-12-31');
    expect(f.country).toEqual([]);
  });
  it('drops empty values, duplicates and malformed dates', () => {
    const f = parseFilters('region=&region=AFR&region=AFR&asOf=yesterday');
    expect(f.region).toEqual(['AFR']);
    expect(f.asOf).toBeUndefined();
  });
});

describe(toSearch.name, () => {
  it('writes filters in one canonical order so equal views have equal URLs', () => {
    const a = toSearch(parseFilters('asOf=2012-12-31&partnerType=un&region=AFR'));
    const b = toSearch(parseFilters('region=AFR&partnerType=un&asOf=2012-12-31'));
    expect(a).toBe('?region=AFR&partnerType=un&asOf=2012-12-31');
    expect(a).toBe(b);
  });
  it('returns an empty string when nothing is set', () => {
    expect(toSearch(parseFilters(''))).toBe('');
  });
  it('adds list state, leaving defaults out', () => {
    expect(toSearch(parseFilters('region=ARB'), { q: 'jobs', sort: '-dueDate', page: 2, pageSize: 25 })).toBe('?region=ARB&q=jobs&sort=-dueDate&page=2');
  });
  it('round-trips through parseFilters', () => {
    const s = '?region=ARB&status=off_track&asOf=2010-12-31';
    expect(toSearch(parseFilters(s))).toBe(s);
  });
});

describe(parseList.name, () => {
  it('falls back to page 1 of 25 for missing or invalid values', () => {
    expect(parseList('?page=0&pageSize=7')).toEqual({ page: 1, pageSize: 25 });
    expect(parseList('?q=%20decent%20&sort=-title&page=3&pageSize=50')).toEqual({ q: 'decent', sort: '-title', page: 3, pageSize: 50 });
  });
  it('rejects sort values that are not field names', () => {
    expect(parseList('?sort=title;drop').sort).toBeUndefined();
  });
});

describe(withFilter.name, () => {
  it('sets one key and leaves the others', () => {
    const f = withFilter(parseFilters('region=AFR&partnerType=un'), 'region', ['ARB']);
    expect(f.region).toEqual(['ARB']);
    expect(f.partnerType).toEqual(['un']);
    expect(isFiltered(withFilter(f, 'region', []))).toBe(true);
    expect(isFiltered(parseFilters(''))).toBe(false);
  });
});

describe('figures in the URL', () => {
  it('reads figures=approved and ignores anything else (latest is the default and stays out of the URL)', () => {
    expect(parseFilters('?figures=approved').figures).toBe('approved');
    expect(parseFilters('?figures=latest').figures).toBeUndefined();
    expect(parseFilters('?figures=APPROVED').figures).toBeUndefined();
  });
  it('round-trips after the as-of date', () => {
    const s = '?region=AFR&asOf=2012-12-31&figures=approved';
    expect(toSearch(parseFilters(s))).toBe(s);
  });
});

describe(withFigures.name, () => {
  it('switches between approved and latest, leaving the other filters', () => {
    const f = parseFilters('region=AFR');
    const approved = withFigures(f, 'approved');
    expect(toSearch(approved)).toBe('?region=AFR&figures=approved');
    expect(toSearch(withFigures(approved, 'latest'))).toBe('?region=AFR');
  });
});

describe(figuresLabel.name, () => {
  it('names the figures a stamp shows', () => {
    expect(figuresLabel(parseFilters('figures=approved'))).toBe('approved figures');
    expect(figuresLabel(parseFilters(''))).toBe('latest figures');
  });
});
