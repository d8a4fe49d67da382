/**
 * Pure shaping for the overview: API responses → tiles and drill-down links. The charts are the shared
 * definitions in @mm/shared/chart-config (the PDF of this view draws the same ones).
 * No fetching here, so every number shown can be tested.
 */
import { formatCount, formatPercent, formatUsd } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';
import { checkpointLabel } from '../../lib/i18n/reference.ts';
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
    { id: 'active-partnerships', label: m.tile_active(), value: formatCount(s.partnerships.active), detail: m.tile_active_detail({ total: formatCount(s.partnerships.total) }), href: drillHref('partnerships', scope, { status: ['active'] }) },
    { id: 'resources', label: m.tile_resources(), value: formatUsd(s.resourcesUsd), detail: m.tile_resources_detail({ total: formatCount(s.partnerships.total) }), href: drillHref('partnerships', scope) },
    { id: 'milestones-completed', label: m.tile_msCompleted(), value: formatCount(s.milestones.completed), detail: m.tile_msCompleted_detail({ percent: formatPercent(s.milestones.completionRate) }), href: drillHref('milestones', scope, { status: ['completed'] }) },
    { id: 'milestones-overdue', label: m.tile_msOverdue(), value: formatCount(s.milestones.overdue), detail: m.tile_msOverdue_detail({ total: formatCount(s.milestones.total) }), href: drillHref('milestones', scope, {}, 'overdue=true') },
    { id: 'indicators-on-track', label: m.tile_onTrack(), value: formatCount(ind.on_track + ind.achieved), detail: m.tile_onTrack_detail({ count: formatCount(ind.achieved) }), href: drillHref('indicators', scope, { status: ['achieved', 'on_track'] }) },
    { id: 'indicators-at-risk', label: m.tile_atRisk(), value: formatCount(ind.at_risk), detail: m.tile_atRisk_detail({ total: formatCount(measured) }), href: drillHref('indicators', scope, { status: ['at_risk'] }) },
    { id: 'indicators-off-track', label: m.tile_offTrack(), value: formatCount(ind.off_track), detail: m.tile_offTrack_detail({ count: formatCount(ind.no_data) }), href: drillHref('indicators', scope, { status: ['off_track'] }) },
    { id: 'forecast-met', label: m.tile_forecast(), value: formatPercent(s.forecastMet), detail: m.tile_forecast_detail(), href: drillHref('indicators', scope) },
  ];
}

/** The scorecard's KPI tile: % of criteria met or exceeded at the latest checkpoint assessed, linking to the scorecard. */
export function scorecardTile(v: ProgressScorecard, scope: Filters): Tile {
  const h = v.headline;
  const search = toSearch({ region: scope.region, country: scope.country, partnerType: scope.partnerType, ...(scope.asOf ? { asOf: scope.asOf } : {}) });
  return {
    id: 'scorecard',
    label: m.tile_scorecard(),
    value: h ? formatPercent(h.pctMetOrExceeded) : '–',
    detail: h
      ? (h.assessments === 1 ? m.tile_scorecard_detail_one : m.tile_scorecard_detail_other)({ checkpoint: checkpointLabel(h.checkpoint), count: formatCount(h.assessments) })
      : m.tile_scorecard_none(),
    href: `/scorecard${search}`,
  };
}
