/** Pure shaping of one indicator's progress into its chart: measurements against baseline, expected path, forecast and target. */
import type { ChartData } from 'chart.js';
import type { IndicatorProgressDetail } from '../../lib/api/progress.ts';
import { OKABE_ITO } from '@mm/shared/chart-config';
import { yearFraction } from '../../lib/values.ts';
import { m } from '../../lib/i18n/locale.ts';

type Pt = { x: number; y: number };

export function indicatorChart(d: IndicatorProgressDetail): ChartData<'line', Pt[]> {
  const pts = (xs: readonly { date: string; value: number }[]): Pt[] => xs.map((m) => ({ x: yearFraction(m.date), y: m.value }));
  return {
    datasets: [
      { label: m.ind_measured(), data: pts(d.measurements), borderColor: OKABE_ITO.blue, backgroundColor: OKABE_ITO.blue, pointStyle: 'circle', pointRadius: 3.5 },
      { label: m.ind_expectedPath(), data: pts(d.expectedPath), borderColor: OKABE_ITO.black, backgroundColor: OKABE_ITO.black, borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
      { label: m.series_forecast(), data: pts(d.forecastLine), borderColor: OKABE_ITO.vermillion, backgroundColor: OKABE_ITO.vermillion, borderDash: [6, 4], pointRadius: 0, pointStyle: 'triangle' },
      { label: m.ind_baselineTarget(), data: pts([d.baseline, d.target]), borderColor: 'transparent', backgroundColor: OKABE_ITO.green, showLine: false, pointStyle: 'rectRot', pointRadius: 6 },
    ],
  };
}

/** The x-axis range: from the baseline year to the target year (whole years). */
export function yearRange(d: IndicatorProgressDetail): { min: number; max: number } {
  return { min: Math.floor(yearFraction(d.baseline.date)), max: Math.ceil(yearFraction(d.target.date)) };
}
