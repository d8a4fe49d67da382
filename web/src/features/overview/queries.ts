/**
 * The overview's data, defined once for the page and for the shell, which starts these requests as soon as
 * it knows who is signed in, while the page's own code is still loading (they are what the page waits for:
 * after a write the server computes every chart's figures). Same keys, so the page's queries pick up the
 * requests already under way instead of sending their own.
 */
import type { FetchQueryOptions, QueryClient } from '@tanstack/svelte-query';
import { byQuery, summaryQuery, timelineQuery, trajectoryQuery } from '../../lib/api/progress.ts';
import { scorecardQuery } from '../../lib/api/scorecard.ts';
import { parseFilters, scopeOf } from '../../lib/filters.ts';

/** Year or quarter points: a view option, kept in the URL beside the filters (`interval=quarter`). */
export function intervalOf(search: string): 'year' | 'quarter' {
  return new URLSearchParams(search).get('interval') === 'quarter' ? 'quarter' : 'year';
}

/** Every query the overview shows for a query string (filters and view options). */
export function overviewQueries(search: string) {
  const filters = scopeOf(parseFilters(search));
  const interval = intervalOf(search);
  return {
    filters,
    interval,
    queries: {
      summary: summaryQuery(filters),
      byRegion: byQuery('region', filters),
      byPartnerType: byQuery('partnerType', filters),
      byMandate: byQuery('mandate', filters),
      byModality: byQuery('modality', filters),
      trajectory: trajectoryQuery(filters, interval),
      timeline: timelineQuery(filters),
      // The scorecard's KPI tile: one entity row is enough, the headline covers every selected entity.
      scorecard: scorecardQuery(filters, { entityType: [], pillar: [], pageSize: 1 }),
    },
  };
}

/** Starts the overview's requests (a query already cached and fresh is not asked again). */
export function prefetchOverview(client: QueryClient, search: string): void {
  // Each query's own result type is not needed to start it.
  for (const q of Object.values(overviewQueries(search).queries) as FetchQueryOptions[]) void client.prefetchQuery(q);
}
