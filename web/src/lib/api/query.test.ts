import { describe, expect, it } from 'vitest';
import { parseFilters } from '../filters.ts';
import { apiSearch, listSearch } from './query.ts';

describe(apiSearch.name, () => {
  it('passes figures=approved to progress and export queries', () => {
    expect(apiSearch(parseFilters('region=AFR&figures=approved'), { interval: 'quarter' })).toBe('?region=AFR&figures=approved&interval=quarter');
    expect(apiSearch(parseFilters('region=AFR'))).toBe('?region=AFR');
  });
});

describe(listSearch.name, () => {
  it('leaves figures out of list queries (lists show records, not figures)', () => {
    expect(listSearch(parseFilters('region=AFR&figures=approved'), { page: 2, pageSize: 25 })).toBe('?region=AFR&page=2&pageSize=25');
  });
});
