/**
 * The shared chart definitions (@mm/shared/chart-config, in English for the exports) in the page's language:
 * titles, descriptions, series, table headings and group labels from the catalogues, numbers on the axes and
 * in tooltips through Intl for the language (Chart.js's `locale`). Group labels are translated by their codes
 * before the charts are built (localizeSources); a series the catalogue does not know stays as the definition has it.
 */
import { DIMENSION_TEXT, STATUS_STYLE, type ChartConfig, type ChartId, type ChartSources, type EventLine, type TargetLine } from '@mm/shared/chart-config';
import { SCORECARD_CHECKPOINTS, SCORECARD_PILLARS } from '@mm/shared/scorecard-reference';
import type { ProgressByDimension } from '@mm/shared';
import { formatDate, intlLocale } from '../i18n/format.ts';
import { locale, m } from '../i18n/locale.ts';
import {
  checkpointLabel, countryLabel, indicatorStatusLabel, mandateLabel, modalityLabel, objectiveLabel, outcomeLabel, partnerTypeLabel, pillarLabel, regionLabel,
} from '../i18n/reference.ts';

type Dimension = keyof typeof DIMENSION_TEXT;

const NAME: Record<Dimension, () => string> = {
  region: m.dim_name_region, country: m.dim_name_country, partnerType: m.dim_name_partnerType, modality: m.dim_name_modality,
  mandate: m.dim_name_mandate, objective: m.dim_name_objective, outcome: m.dim_name_outcome,
};
const HEADING: Record<Dimension, () => string> = {
  region: m.dim_heading_region, country: m.dim_heading_country, partnerType: m.dim_heading_partnerType, modality: m.dim_heading_modality,
  mandate: m.dim_heading_mandate, objective: m.dim_heading_objective, outcome: m.dim_heading_outcome,
};
const GROUP_LABEL: Record<Dimension, (code: string) => string> = {
  region: regionLabel, country: countryLabel, partnerType: partnerTypeLabel, modality: modalityLabel,
  mandate: mandateLabel, objective: objectiveLabel, outcome: outcomeLabel,
};
const GROUP_TITLE: Record<string, () => string> = {
  partnerships: m.chart_group_partnerships, resources: m.chart_group_resources, attainment: m.chart_group_attainment,
  status: m.chart_group_status, milestones: m.chart_group_milestones,
};

const isDimension = (s: string): s is Dimension => Object.hasOwn(DIMENSION_TEXT, s);
function parse(id: string): { chart: string; dimension: Dimension } | undefined {
  const [, chart = '', dimension = ''] = /^(\w+)-by-(\w+)$/.exec(id) ?? [];
  return GROUP_TITLE[chart] && isDimension(dimension) ? { chart, dimension } : undefined;
}

const RULE: Partial<Record<Dimension, () => string>> = {
  partnerType: m.rule_partnerType, mandate: m.rule_mandate, objective: m.rule_objective, outcome: m.rule_outcome,
};
/** How a breakdown counts (the API's `rule`, in the page's language when it is the known one). */
export const dimensionRule = (d: Dimension, rule: string): string => (RULE[d]?.() ?? rule);

/** A dimension as a title names it ("partner type (lead partner)"). */
export const dimensionName = (d: Dimension): string => NAME[d]();
/** A dimension as a heading names it ("Partner type"). */
export const dimensionHeading = (d: Dimension): string => HEADING[d]();

export function chartTitleText(id: ChartId): string {
  if (id === 'trajectory') return m.chart_title_trajectory();
  if (id === 'burnup') return m.chart_title_burnup();
  if (id === 'scorecard') return m.chart_title_scorecard();
  const p = parse(id);
  return p ? m.chart_title_by({ chart: GROUP_TITLE[p.chart]?.() ?? p.chart, dimension: NAME[p.dimension]() }) : id;
}

export function chartDescriptionText(id: ChartId): string {
  if (id === 'trajectory') return m.chart_desc_trajectory();
  if (id === 'burnup') return m.chart_desc_burnup();
  if (id === 'scorecard') return m.chart_desc_scorecard();
  const p = parse(id);
  if (!p) return '';
  const dimension = NAME[p.dimension]();
  switch (p.chart) {
    case 'partnerships': return p.dimension === 'region' ? m.chart_desc_partnerships_region() : m.chart_desc_partnerships({ dimension });
    case 'resources': return m.chart_desc_resources({ dimension });
    case 'attainment': return m.chart_desc_attainment();
    case 'status': return m.chart_desc_status();
    default: return m.chart_desc_milestones();
  }
}

function localizeBy<T extends ProgressByDimension | undefined>(by: T): T {
  if (!by || locale === 'en') return by;
  const label = GROUP_LABEL[by.dimension as Dimension];
  return label ? { ...by, groups: by.groups.map((g) => ({ ...g, label: label(g.key) })) } : by;
}

/** A group's label in the page's language by its code (the API's English label when the code is not a reference one). */
export function groupLabel(dimension: string, key: string, label: string): string {
  const fn = isDimension(dimension) ? GROUP_LABEL[dimension] : undefined;
  const l = fn ? fn(key) : key;
  return l === key ? label : l;
}

/** The charts' sources with every group labelled in the page's language (by its code). */
export function localizeSources(s: ChartSources): ChartSources {
  if (locale === 'en') return s;
  const byDimension = Object.fromEntries(Object.entries(s.byDimension).map(([d, by]) => [d, localizeBy(by)]));
  return { ...s, byDimension };
}

const STATUS_SERIES = new Map(Object.entries(STATUS_STYLE).map(([code, st]) => [`${st.symbol} ${st.label}`, () => `${st.symbol} ${indicatorStatusLabel(code)}`]));
const SERIES = new Map<string, () => string>([
  ['Partnerships', m.series_partnerships], ['Resources committed (US$)', m.series_resources], ['Attainment', m.series_attainment],
  ['Expected by now', m.series_expectedByNow], ['Completed (share of due)', m.series_completedShare], ['Actual', m.series_actual],
  ['Expected', m.series_expected], ['Forecast', m.series_forecast], ['Due (cumulative)', m.series_dueCumulative],
  ['Completed (cumulative)', m.series_completedCumulative], ['Milestones completed (change)', m.series_milestonesChange],
  ['▲ Indicators improved', m.series_improved], ['▼ Indicators worsened', m.series_worsened],
  ...STATUS_SERIES,
  ...SCORECARD_CHECKPOINTS.map((c) => [c.label, () => checkpointLabel(c.code)] as [string, () => string]),
]);
const CATEGORY = new Map<string, () => string>([
  ['Period', m.category_period], ['Quarter', m.category_quarter], ['Pillar', m.category_pillar],
  ...Object.entries(DIMENSION_TEXT).map(([d, t]) => [t.heading, () => dimensionHeading(d as Dimension)] as [string, () => string]),
]);
const LABELS = new Map<string, () => string>([
  ['All criteria', m.chart_allCriteria],
  ...SCORECARD_PILLARS.map((p) => [p.label, () => pillarLabel(p.code)] as [string, () => string]),
]);

/** A chart definition in the page's language (English as it is). */
export function localizeChart(config: ChartConfig): ChartConfig {
  if (locale === 'en') return config;
  const tr = (map: Map<string, () => string>, s: string): string => map.get(s)?.() ?? s;
  const annotations = config.options.plugins.annotation?.annotations;
  return {
    ...config,
    category: tr(CATEGORY, config.category),
    data: {
      labels: config.data.labels.map((l) => (typeof l === 'string' ? tr(LABELS, l) : l)),
      datasets: config.data.datasets.map((d) => ({ ...d, label: tr(SERIES, d.label) })),
    },
    options: {
      ...config.options,
      locale: intlLocale,
      plugins: {
        ...config.options.plugins,
        ...(annotations ? {
          annotation: {
            annotations: Object.fromEntries(Object.entries(annotations).map(([k, a]): [string, TargetLine | EventLine] => {
              // The target line's label carries its date; event lines keep the events' own titles.
              const date = 'yMin' in a ? /by (\d{4}-\d{2}-\d{2})/.exec(a.label.content)?.[1] : undefined;
              return [k, date && 'yMin' in a ? { ...a, label: { ...a.label, content: String(m.chart_target({ date: formatDate(date) })) } } : a];
            })),
          },
        } : {}),
      },
    },
  };
}
