/** Column definitions of the record lists: what each list shows and which API field it sorts by. */
import { formatDate, formatPercent, formatPercentValue, formatUsd } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';
import { countryLabel, milestoneStatusLabel, modalityLabel, partnershipStatusLabel, partnerTypeLabel, regionLabel } from '../../lib/i18n/reference.ts';
import type { Milestone, Partnership } from '@mm/shared';
import type { IndicatorStatus } from '../../lib/api/progress.ts';
import type { ActionPlanRow, IndicatorRow } from '../../lib/api/records.ts';
import { formatValue } from '../../lib/values.ts';

export interface Column<T> {
  key: string;
  label: string;
  /** API sort field, when the column is sortable. */
  sort?: string;
  num?: boolean;
  /** Keeps short values (dates, statuses) on one line when a long column takes the width. */
  nowrap?: boolean;
  value: (row: T) => string;
  /** Shows the value as an indicator-status badge instead of text. */
  status?: (row: T) => IndicatorStatus | undefined;
  /** Shows the value as a link (the first column links to the row's own page instead). */
  href?: (row: T) => string;
}

const region = (code: string) => regionLabel(code);
const country = (code: string | null) => (code ? countryLabel(code) : '—');

export const partnershipColumns: Column<Partnership>[] = [
  { key: 'title', label: m.col_partnership(), sort: 'title', value: (r) => r.title },
  { key: 'region', label: m.col_region(), sort: 'region', value: (r) => region(r.region) },
  { key: 'country', label: m.col_country(), sort: 'country', value: (r) => country(r.country) },
  { key: 'lead', label: m.col_leadPartnerType(), sort: 'leadPartnerType', value: (r) => (r.leadPartnerType ? partnerTypeLabel(r.leadPartnerType) : '—') },
  { key: 'modality', label: m.col_modality(), sort: 'modality', value: (r) => modalityLabel(r.modality) },
  { key: 'resources', label: m.col_resources(), sort: 'resourcesUsd', num: true, value: (r) => formatUsd(r.resourcesUsd) },
  { key: 'status', label: m.col_status(), sort: 'status', value: (r) => partnershipStatusLabel(r.status) },
  { key: 'end', label: m.col_ends(), sort: 'endDate', value: (r) => formatDate(r.endDate) },
];

export const actionPlanColumns: Column<ActionPlanRow>[] = [
  { key: 'title', label: m.col_actionPlan(), sort: 'title', value: (r) => r.title },
  { key: 'unit', label: m.col_owningUnit(), sort: 'owningUnit', value: (r) => r.owningUnit },
  { key: 'region', label: m.col_region(), sort: 'region', value: (r) => region(r.region) },
  { key: 'country', label: m.col_country(), sort: 'country', value: (r) => country(r.country) },
  { key: 'mandates', label: m.col_mandates(), value: (r) => r.mandates.join(', ') },
  { key: 'status', label: m.col_status(), sort: 'status', value: () => '—', status: (r) => r.status },
  { key: 'progress', label: m.col_progress(), sort: 'progress', num: true, value: (r) => formatPercent(r.progress) },
  { key: 'end', label: m.col_ends(), sort: 'endDate', value: (r) => formatDate(r.endDate) },
];

export const milestoneColumns: Column<Milestone>[] = [
  { key: 'title', label: m.col_milestone(), sort: 'title', value: (r) => r.title },
  { key: 'due', label: m.col_due(), sort: 'dueDate', nowrap: true, value: (r) => formatDate(r.dueDate) },
  { key: 'status', label: m.col_status(), sort: 'status', nowrap: true, value: (r) => milestoneStatusLabel(r.status) },
  { key: 'pct', label: m.col_complete(), sort: 'percentComplete', num: true, value: (r) => formatPercentValue(r.percentComplete) },
  { key: 'completed', label: m.col_completedOn(), sort: 'completedDate', nowrap: true, value: (r) => (r.completedDate ? formatDate(r.completedDate) : '—') },
  { key: 'region', label: m.col_region(), sort: 'region', value: (r) => region(r.region) },
  { key: 'plan', label: m.col_actionPlan(), value: (r) => r.actionPlanTitle, href: (r) => `/action-plans/${r.actionPlanId}` },
];

export const indicatorColumns: Column<IndicatorRow>[] = [
  { key: 'name', label: m.col_indicator(), sort: 'name', value: (r) => r.name },
  { key: 'region', label: m.col_region(), sort: 'region', value: (r) => region(r.region) },
  { key: 'status', label: m.col_status(), sort: 'status', value: () => '—', status: (r) => r.status },
  { key: 'attainment', label: m.col_attainment(), sort: 'attainment', num: true, value: (r) => formatPercent(r.attainment) },
  { key: 'baseline', label: m.col_baseline(), sort: 'baselineDate', num: true, value: (r) => `${formatValue(r.unit, r.baselineValue)} (${r.baselineDate.slice(0, 4)})` },
  { key: 'latest', label: m.col_latest(), num: true, value: (r) => (r.latestValue === null || r.latestValue === undefined ? '–' : `${formatValue(r.unit, r.latestValue)} (${(r.latestDate ?? '').slice(0, 4)})`) },
  { key: 'target', label: m.col_target(), sort: 'targetDate', num: true, value: (r) => `${formatValue(r.unit, r.targetValue)} (${r.targetDate.slice(0, 4)})` },
  { key: 'plan', label: m.col_actionPlan(), value: (r) => r.actionPlanTitle ?? `#${r.actionPlanId}` },
];
