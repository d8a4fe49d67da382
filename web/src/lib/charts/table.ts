/** The "show as table" alternative of a chart, built from the very data the chart draws. */

export interface ChartHit { index: number; datasetIndex: number }

export interface SeriesLike { label?: string | undefined; data: readonly unknown[] }
export interface ChartTable { columns: string[]; rows: { label: string; cells: string[] }[] }

function valueOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'object' && v !== null && 'y' in v && typeof v.y === 'number') return v.y;
  return null;
}

/** One row per category (x label), one column per series; `format` renders each number, '–' for none. */
export function tableFromChart(labels: readonly unknown[], series: readonly SeriesLike[], format: (n: number, seriesIndex: number) => string): ChartTable {
  return {
    columns: series.map((s, i) => s.label ?? `Series ${i + 1}`),
    rows: labels.map((l, r) => ({
      label: Array.isArray(l) ? l.join(' ') : String(l),
      cells: series.map((s, i) => {
        const v = valueOf(s.data[r]);
        return v === null ? '–' : format(v, i);
      }),
    })),
  };
}
