/** The app's pages: path patterns → page name (+ id). Pure, so it is tested without a browser. */

export type RouteName = 'overview' | 'partnerships' | 'partnership' | 'actionPlans' | 'actionPlan' | 'milestones' | 'indicators' | 'indicator' | 'notFound';
export interface Route { name: RouteName; id?: number }

const LISTS: Record<string, [RouteName, RouteName | null]> = {
  partnerships: ['partnerships', 'partnership'],
  'action-plans': ['actionPlans', 'actionPlan'],
  milestones: ['milestones', null],
  indicators: ['indicators', 'indicator'],
};

/** Matches a pathname to a route; ids must be positive integers. */
export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'overview' };
  const entry = LISTS[parts[0] ?? ''];
  if (!entry) return { name: 'notFound' };
  if (parts.length === 1) return { name: entry[0] };
  const id = Number(parts[1]);
  if (parts.length === 2 && entry[1] && /^[1-9]\d{0,9}$/.test(parts[1] ?? '')) return { name: entry[1], id };
  return { name: 'notFound' };
}
