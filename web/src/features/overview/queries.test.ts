import type { QueryClient } from '@tanstack/svelte-query';
import { describe, expect, it } from 'vitest';
import { overviewQueries, prefetchOverview } from './queries.ts';

describe('the overview queries the shell starts early', () => {
  it('are every query the page shows, with the same keys (filters and interval from the URL)', () => {
    for (const search of ['', '?region=africa&partnerType=un', '?interval=quarter&mandate=MDG-1B-2008', '?status=off_track&region=asia']) {
      const started: unknown[] = [];
      const client = { prefetchQuery: (opts: { queryKey: unknown }) => { started.push(opts.queryKey); return Promise.resolve(); } } as unknown as QueryClient;
      prefetchOverview(client, search);
      const page = Object.values(overviewQueries(search).queries).map((q) => q.queryKey);
      expect(started).toEqual(page);
    }
  });

  it('take the interval and the filters from the query string', () => {
    const v = overviewQueries('?interval=quarter&region=africa');
    expect(v.interval).toBe('quarter');
    expect(v.queries.trajectory.queryKey).toEqual(['progress', 'trajectory', 'quarter', v.filters]);
    expect(v.filters.region).toEqual(['africa']);
    expect(overviewQueries('').interval).toBe('year');
  });
});
