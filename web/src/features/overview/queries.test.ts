import { describe, expect, it } from 'vitest';
import { overviewQueries } from './queries.ts';

describe('the overview queries (the page\'s, which the shell starts early)', () => {
  it('take the interval and the filters from the query string', () => {
    const v = overviewQueries('?interval=quarter&region=africa');
    expect(v.interval).toBe('quarter');
    expect(v.queries.trajectory.queryKey).toEqual(['progress', 'trajectory', 'quarter', v.filters]);
    expect(v.filters.region).toEqual(['africa']);
    expect(overviewQueries('').interval).toBe('year');
  });
});
