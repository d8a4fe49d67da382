/**
 * Pure shaping for the overview: API responses → tiles and drill-down links. The charts are the shared
 * definitions in @mm/shared/chart-config (the PDF of this view draws the same ones).
 * No fetching here, so every number shown can be tested.
 */
import { formatCount, formatPercent, formatUsd } from '@mm/shared/format';
import { toSearch, type Filters, type MultiKey } from '../../lib/filters.ts';
import type { ProgressScorecard } from '@mm/shared';
import type { ProgressSummary } from '../../lib/api/progress.ts';

/** The list behind a bar: the current scope, narrowed to the bar's group (and status, if given). */
export function drillHref(list: 'partnerships' | 'indicators' | 'milestones' | 'action-plans', scope: Filters, narrow: Partial<Record<MultiKey, string[]>> = {}, extra = ''): string {
  const search = toSearch({ ...scope, status: [], ...narrow });
  const tail = extra ? (search ? `&${extra}` : `?${extra}`) : '';
  return `/${list}${search}${tail}`;
}

export interface Tile { id: string; label: string; value: string; detail?: string; href: string }

/** The headline tiles, each linking to the list behind it. */
export function tiles(s: ProgressSummary, scope: Filters): Tile[] {
  const ind = s.indicators;
  const measured = ind.achieved + ind.on_track + ind.at_risk + ind.off_track + ind.no_data;
  return [
    { id: 'active-partnerships', label: 'Active partnerships', value: formatCount(s.partnerships.active), detail: `of ${formatCount(s.partnerships.total)} in total`, href: drillHref('partnerships', scope, { status: ['active'] }) },
    { id: 'resources', label: 'Resources committed', value: formatUsd(s.resourcesUsd), detail: `across ${formatCount(s.partnerships.total)} partnerships`, href: drillHref('partnerships', scope) },
    { id: 'milestones-completed', label: 'Milestones completed', value: formatCount(s.milestones.completed), detail: `${formatPercent(s.milestones.completionRate)} of those due`, href: drillHref('milestones', scope, { status: ['completed'] }) },
    { id: 'milestones-overdue', label: 'Milestones overdue', value: formatCount(s.milestones.overdue), detail: `of ${formatCount(s.milestones.total)} milestones`, href: drillHref('milestones', scope, {}, 'overdue=true') },
    { id: 'indicators-on-track', label: 'Indicators on track', value: formatCount(ind.on_track + ind.achieved), detail: `${formatCount(ind.achieved)} already achieved`, href: drillHref('indicators', scope, { status: ['achieved', 'on_track'] }) },
    { id: 'indicators-at-risk', label: 'Indicators at risk', value: formatCount(ind.at_risk), detail: `of ${formatCount(measured)} indicators`, href: drillHref('indicators', scope, { status: ['at_risk'] }) },
    { id: 'indicators-off-track', label: 'Indicators off track', value: formatCount(ind.off_track), detail: `${formatCount(ind.no_data)} with no data`, href: drillHref('indicators', scope, { status: ['off_track'] }) },
    { id: 'forecast-met', label: 'Targets forecast to be met', value: formatPercent(s.forecastMet), detail: 'by their target date', href: drillHref('indicators', scope) },
  ];
}

/** The scorecard's KPI tile: % of criteria met or exceeded at the latest checkpoint assessed, linking to the scorecard. */
export function scorecardTile(v: ProgressScorecard, scope: Filters): Tile {
  const h = v.headline;
  const search = toSearch({ region: scope.region, country: scope.country, partnerType: scope.partnerType, ...(scope.asOf ? { asOf: scope.asOf } : {}) });
  return {
    id: 'scorecard',
    label: 'Criteria met or exceeded',
    value: h ? formatPercent(h.pctMetOrExceeded) : '–',
    detail: h ? `${h.label} checkpoint, ${formatCount(h.assessments)} assessment${h.assessments === 1 ? '' : 's'}` : 'no complete assessment yet',
    href: `/scorecard${search}`,
  };
}
