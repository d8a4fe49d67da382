/** The app's pages: path patterns → page name (+ id). Pure, so it is tested without a browser. */

export type RouteName = 'overview' | 'partnerships' | 'partnership' | 'actionPlans' | 'actionPlan' | 'milestones' | 'milestone' | 'indicators' | 'indicator' | 'notFound'
  | 'myWork' | 'import' | 'snapshots' | 'snapshot' | 'snapshotCompare' | 'scorecard' | 'assessment' | 'assessmentNew' | 'scorecardCriteria'
  | 'users' | 'snapshotSchedules' | 'reporting' | 'reportingRegion' | 'reportingPeriods' | 'events';
/** `key` carries a non-numeric id (a snapshot's 22-character id). */
export interface Route { name: RouteName; id?: number; key?: string }

/** Staff pages (issues 5–7): fixed paths, and /snapshots/<22-character id>. */
const STAFF: Record<string, RouteName> = { 'my-work': 'myWork', import: 'import', snapshots: 'snapshots', users: 'users' };

function staffRoute(parts: string[]): Route | undefined {
  const page = STAFF[parts[0] ?? ''];
  if (!page) return undefined;
  if (parts.length === 1) return { name: page };
  if (page === 'snapshots' && parts.length === 2 && parts[1] === 'compare') return { name: 'snapshotCompare' };
  if (page === 'snapshots' && parts.length === 2 && parts[1] === 'schedules') return { name: 'snapshotSchedules' };
  if (page === 'snapshots' && parts.length === 2 && /^[A-Za-z0-9_-]{22}$/.test(parts[1] ?? '')) return { name: 'snapshot', key: parts[1] ?? '' };
  return { name: 'notFound' };
}

/** The scorecard (issue 15): /scorecard, /scorecard/criteria, /scorecard/assessments/new, /scorecard/assessments/<id>. */
function scorecardRoute(parts: string[]): Route {
  if (parts.length === 1) return { name: 'scorecard' };
  if (parts.length === 2 && parts[1] === 'criteria') return { name: 'scorecardCriteria' };
  if (parts.length === 3 && parts[1] === 'assessments' && parts[2] === 'new') return { name: 'assessmentNew' };
  if (parts.length === 3 && parts[1] === 'assessments' && /^[1-9]\d{0,9}$/.test(parts[2] ?? '')) return { name: 'assessment', id: Number(parts[2]) };
  return { name: 'notFound' };
}

/**
 * Reporting cycles (issue 16): /reporting (the status board), /reporting/<period id>/<region code>,
 * /reporting/periods (admins define periods) and /reporting/events (the timeline events).
 */
function reportingRoute(parts: string[]): Route {
  if (parts.length === 1) return { name: 'reporting' };
  if (parts.length === 2 && parts[1] === 'periods') return { name: 'reportingPeriods' };
  if (parts.length === 2 && parts[1] === 'events') return { name: 'events' };
  if (parts.length === 3 && /^[1-9]\d{0,9}$/.test(parts[1] ?? '') && /^[A-Z]{3}$/.test(parts[2] ?? '')) return { name: 'reportingRegion', id: Number(parts[1]), key: parts[2] ?? '' };
  return { name: 'notFound' };
}

const LISTS: Record<string, [RouteName, RouteName]> = {
  partnerships: ['partnerships', 'partnership'],
  'action-plans': ['actionPlans', 'actionPlan'],
  milestones: ['milestones', 'milestone'],
  indicators: ['indicators', 'indicator'],
};

/** Matches a pathname to a route; ids must be positive integers. */
export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'overview' };
  const staff = staffRoute(parts);
  if (staff) return staff;
  if (parts[0] === 'scorecard') return scorecardRoute(parts);
  if (parts[0] === 'reporting') return reportingRoute(parts);
  const entry = LISTS[parts[0] ?? ''];
  if (!entry) return { name: 'notFound' };
  if (parts.length === 1) return { name: entry[0] };
  const id = Number(parts[1]);
  if (parts.length === 2 && /^[1-9]\d{0,9}$/.test(parts[1] ?? '')) return { name: entry[1], id };
  return { name: 'notFound' };
}
