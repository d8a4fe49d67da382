/**
 * The shared chart definitions (shared/src/chart-config.ts, in English) in an export's language, as the web
 * app's web/src/lib/charts/localize.ts does on screen: titles, descriptions, series, category headings and
 * group labels from the catalogues, tick numbers through Intl for the language (Chart.js's `locale`). Group
 * labels are translated by their codes before the charts are built (localizeSources); a series the catalogue
 * does not know stays as the definition has it. English returns the definitions untouched.
 */
import {
  chartDescription, DIMENSION_TEXT, eventLabel, eventsOnChart, eventsSentence, SCORECARD_CHECKPOINTS, SCORECARD_PILLARS, STATUS_STYLE,
  type ChartConfig, type ChartEvent, type ChartId, type ChartSources, type EventLine, type ProgressByDimension, type TargetLine,
} from '@mm/shared';
import { INTL_TAG } from './format.ts';
import type { L10n, MessageKey } from './index.ts';

type Dimension = keyof typeof DIMENSION_TEXT;
const GROUP_TITLE: Readonly<Record<string, MessageKey>> = {
  partnerships: 'chart_group_partnerships', resources: 'chart_group_resources', attainment: 'chart_group_attainment',
  status: 'chart_group_status', milestones: 'chart_group_milestones',
};
const isDimension = (s: string): s is Dimension => Object.hasOwn(DIMENSION_TEXT, s);
function parse(id: string): { chart: string; dimension: Dimension } | undefined {
  const [, chart = '', dimension = ''] = /^(\w+)-by-(\w+)$/.exec(id) ?? [];
  return GROUP_TITLE[chart] && isDimension(dimension) ? { chart, dimension } : undefined;
}

export function chartTitleText(id: ChartId, t: L10n): string {
  if (id === 'trajectory') return t.m('chart_title_trajectory');
  if (id === 'burnup') return t.m('chart_title_burnup');
  if (id === 'scorecard') return t.m('chart_title_scorecard');
  const p = parse(id);
  const group = p ? GROUP_TITLE[p.chart] : undefined;
  return p && group ? t.m('chart_title_by', { chart: t.m(group), dimension: t.m(`dim_name_${p.dimension}`) }) : id;
}

/** The sentence under a chart's title. */
export function chartDescriptionText(id: ChartId, t: L10n): string {
  if (t.locale === 'en') return chartDescription(id);
  if (id === 'trajectory') return t.m('chart_desc_trajectory');
  if (id === 'burnup') return t.m('chart_desc_burnup');
  if (id === 'scorecard') return t.m('chart_desc_scorecard');
  const p = parse(id);
  if (!p) return '';
  const dimension = t.m(`dim_name_${p.dimension}`);
  switch (p.chart) {
    case 'partnerships': return p.dimension === 'region' ? t.m('chart_desc_partnerships_region') : t.m('chart_desc_partnerships', { dimension });
    case 'resources': return t.m('chart_desc_resources', { dimension });
    case 'attainment': return t.m('chart_desc_attainment');
    case 'status': return t.m('chart_desc_status');
    default: return t.m('chart_desc_milestones');
  }
}

/** "Events marked: 2012-06-20 Rio+20 …." in the language (dates formatted, the events' titles as entered). */
export function eventsText(config: ChartConfig | undefined, events: readonly ChartEvent[] | undefined, t: L10n): string {
  if (t.locale === 'en') return eventsSentence(config, events);
  const marked = config ? eventsOnChart(config.data.labels.map(String), events) : [];
  if (marked.length === 0) return '';
  const list = marked.map((e) => eventLabel(e).replace(e.date, t.f.date(e.date))).join('; ');
  return t.m(marked.some((e) => !e.verified) ? 'chart_eventsUnverified' : 'chart_events', { events: list });
}

function localizeBy<T extends ProgressByDimension | undefined>(by: T, t: L10n): T {
  if (!by) return by;
  const d = by.dimension as Dimension;
  return { ...by, groups: by.groups.map((g) => ({ ...g, label: d === 'country' ? t.country(g.key, g.label) : t.ref(d, g.key, g.label) })) };
}

/** The charts' sources with every group labelled in the language (by its code). */
export function localizeSources(s: ChartSources, t: L10n): ChartSources {
  if (t.locale === 'en') return s;
  return { ...s, byDimension: Object.fromEntries(Object.entries(s.byDimension).map(([d, by]) => [d, localizeBy(by, t)])) };
}

function lookups(t: L10n) {
  const series = new Map<string, string>([
    ['Partnerships', t.m('series_partnerships')], ['Resources committed (US$)', t.m('series_resources')], ['Attainment', t.m('series_attainment')],
    ['Expected by now', t.m('series_expectedByNow')], ['Completed (share of due)', t.m('series_completedShare')], ['Actual', t.m('series_actual')],
    ['Expected', t.m('series_expected')], ['Forecast', t.m('series_forecast')], ['Due (cumulative)', t.m('series_dueCumulative')],
    ['Completed (cumulative)', t.m('series_completedCumulative')], ['Milestones completed (change)', t.m('series_milestonesChange')],
    ['▲ Indicators improved', t.m('series_improved')], ['▼ Indicators worsened', t.m('series_worsened')],
    ...Object.entries(STATUS_STYLE).map(([code, st]): [string, string] => [`${st.symbol} ${st.label}`, `${st.symbol} ${t.ref('indicatorStatus', code)}`]),
    ...SCORECARD_CHECKPOINTS.map((c): [string, string] => [c.label, t.ref('checkpoint', c.code)]),
  ]);
  const category = new Map<string, string>([
    ['Period', t.m('category_period')], ['Quarter', t.m('category_quarter')], ['Pillar', t.m('category_pillar')],
    ...Object.keys(DIMENSION_TEXT).map((d): [string, string] => [DIMENSION_TEXT[d as Dimension].heading, t.m(`dim_heading_${d as Dimension}`)]),
  ]);
  const labels = new Map<string, string>([
    ['All criteria', t.m('chart_allCriteria')],
    ...SCORECARD_PILLARS.map((p): [string, string] => [p.label, t.ref('pillar', p.code)]),
  ]);
  return { series, category, labels };
}
const LOOKUPS = new Map<string, ReturnType<typeof lookups>>();

/** A chart definition in the language (English as it is). */
export function localizeChart(config: ChartConfig, id: ChartId, t: L10n): ChartConfig {
  if (t.locale === 'en') return config;
  const maps = LOOKUPS.get(t.locale) ?? lookups(t);
  LOOKUPS.set(t.locale, maps);
  const tr = (map: Map<string, string>, s: string): string => map.get(s) ?? s;
  const annotations = config.options.plugins.annotation?.annotations;
  return {
    ...config,
    category: tr(maps.category, config.category),
    data: {
      labels: config.data.labels.map((l) => (typeof l === 'string' ? tr(maps.labels, l) : l)),
      datasets: config.data.datasets.map((d) => ({ ...d, label: tr(maps.series, d.label) })),
    },
    options: {
      ...config.options,
      locale: INTL_TAG[t.locale],
      plugins: {
        ...config.options.plugins,
        title: { ...config.options.plugins.title, text: chartTitleText(id, t) },
        ...(annotations ? {
          annotation: {
            annotations: Object.fromEntries(Object.entries(annotations).map(([k, a]): [string, TargetLine | EventLine] => {
              // The target line's label carries its date; event lines keep the events' own titles.
              const date = 'yMin' in a ? /by (\d{4}-\d{2}-\d{2})/.exec(a.label.content)?.[1] : undefined;
              return [k, date && 'yMin' in a ? { ...a, label: { ...a.label, content: t.m('chart_target', { date: t.f.date(date) }) } } : a];
            })),
          },
        } : {}),
      },
    },
  };
}
