/** Column definitions of the record lists: what each list shows and which API field it sorts by. */
import { formatPercent, formatUsd } from '@mm/shared/format';
import { COUNTRIES, labelOf, MILESTONE_STATUS_LIST, MODALITIES, PARTNER_TYPES, PARTNERSHIP_STATUSES, REGIONS } from '@mm/shared/reference';
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

const region = (code: string) => labelOf(REGIONS, code);
const country = (code: string | null) => (code ? labelOf(COUNTRIES, code) : '—');

export const partnershipColumns: Column<Partnership>[] = [
  { key: 'title', label: 'Partnership', sort: 'title', value: (r) => r.title },
  { key: 'region', label: 'Region', sort: 'region', value: (r) => region(r.region) },
  { key: 'country', label: 'Country', sort: 'country', value: (r) => country(r.country) },
  { key: 'lead', label: 'Lead partner type', sort: 'leadPartnerType', value: (r) => (r.leadPartnerType ? labelOf(PARTNER_TYPES, r.leadPartnerType) : '—') },
  { key: 'modality', label: 'Modality', sort: 'modality', value: (r) => labelOf(MODALITIES, r.modality) },
  { key: 'resources', label: 'Resources', sort: 'resourcesUsd', num: true, value: (r) => formatUsd(r.resourcesUsd) },
  { key: 'status', label: 'Status', sort: 'status', value: (r) => labelOf(PARTNERSHIP_STATUSES, r.status) },
  { key: 'end', label: 'Ends', sort: 'endDate', value: (r) => r.endDate },
];

export const actionPlanColumns: Column<ActionPlanRow>[] = [
  { key: 'title', label: 'Action plan', sort: 'title', value: (r) => r.title },
  { key: 'unit', label: 'Owning unit', sort: 'owningUnit', value: (r) => r.owningUnit },
  { key: 'region', label: 'Region', sort: 'region', value: (r) => region(r.region) },
  { key: 'country', label: 'Country', sort: 'country', value: (r) => country(r.country) },
  { key: 'mandates', label: 'Mandates', value: (r) => r.mandates.join(', ') },
  { key: 'status', label: 'Status', sort: 'status', value: () => '—', status: (r) => r.status },
  { key: 'progress', label: 'Progress', sort: 'progress', num: true, value: (r) => formatPercent(r.progress) },
  { key: 'end', label: 'Ends', sort: 'endDate', value: (r) => r.endDate },
];

export const milestoneColumns: Column<Milestone>[] = [
  { key: 'title', label: 'Milestone', sort: 'title', value: (r) => r.title },
  { key: 'due', label: 'Due', sort: 'dueDate', nowrap: true, value: (r) => r.dueDate },
  { key: 'status', label: 'Status', sort: 'status', nowrap: true, value: (r) => labelOf(MILESTONE_STATUS_LIST, r.status) },
  { key: 'pct', label: 'Complete', sort: 'percentComplete', num: true, value: (r) => `${r.percentComplete}%` },
  { key: 'completed', label: 'Completed on', sort: 'completedDate', nowrap: true, value: (r) => r.completedDate ?? '—' },
  { key: 'region', label: 'Region', sort: 'region', value: (r) => region(r.region) },
  { key: 'plan', label: 'Action plan', value: (r) => r.actionPlanTitle, href: (r) => `/action-plans/${r.actionPlanId}` },
];

export const indicatorColumns: Column<IndicatorRow>[] = [
  { key: 'name', label: 'Indicator', sort: 'name', value: (r) => r.name },
  { key: 'region', label: 'Region', sort: 'region', value: (r) => region(r.region) },
  { key: 'status', label: 'Status', sort: 'status', value: () => '—', status: (r) => r.status },
  { key: 'attainment', label: 'Attainment', sort: 'attainment', num: true, value: (r) => formatPercent(r.attainment) },
  { key: 'baseline', label: 'Baseline', sort: 'baselineDate', num: true, value: (r) => `${formatValue(r.unit, r.baselineValue)} (${r.baselineDate.slice(0, 4)})` },
  { key: 'latest', label: 'Latest', num: true, value: (r) => (r.latestValue === null || r.latestValue === undefined ? '–' : `${formatValue(r.unit, r.latestValue)} (${(r.latestDate ?? '').slice(0, 4)})`) },
  { key: 'target', label: 'Target', sort: 'targetDate', num: true, value: (r) => `${formatValue(r.unit, r.targetValue)} (${r.targetDate.slice(0, 4)})` },
  { key: 'plan', label: 'Action plan', value: (r) => r.actionPlanTitle ?? `#${r.actionPlanId}` },
];
