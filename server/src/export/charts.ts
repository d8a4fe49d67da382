/**
 * Server-side chart rendering: the shared chart configurations (shared/src/chart-config.ts, the ones the
 * web app draws) drawn by Chart.js on an @napi-rs/canvas canvas and encoded as PNG or JPEG. What a chart
 * says comes from the shared definition; this adds only what a file needs: the pattern hints painted on
 * this canvas (the same tiles as the browser's), a fixed size, no animation.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { paintPattern, PATTERN_TILE, withPatternFills, type ChartConfig, type Pattern } from '@mm/shared';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

// Chart.js keeps its registry on the class; registering is idempotent, so doing it once at load is safe.
Chart.register(...registerables, annotationPlugin);
Chart.defaults.font.family = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
Chart.defaults.color = '#333';

export interface RenderOptions {
  width?: number; height?: number; scale?: number; format?: 'png' | 'jpeg';
  /** Draw the title on the image (a PNG on its own); a PDF sets its own heading above the image instead. */
  title?: boolean;
  /** A line printed under the chart (source, as-of, demo notice), so a saved image says what it shows. */
  stamp?: string;
}
const STAMP_HEIGHT = 22;

/** A pattern hint as a fill on this canvas: the shared tile, repeated. */
export type PatternFill = (colour: string, pattern: Pattern) => CanvasPattern | string;

function canvasPatterns(ctx: SKRSContext2D): PatternFill {
  return (colour, pattern) => {
    const tile = createCanvas(PATTERN_TILE, PATTERN_TILE);
    paintPattern(tile.getContext('2d'), colour, pattern);
    return ctx.createPattern(tile, 'repeat') ?? colour;
  };
}

/**
 * The Chart.js configuration the server draws for a shared one: the same labels, series, numbers,
 * colours and axes, pattern hints turned into fills, and the rendering switches a file needs.
 */
export function forCanvas(config: ChartConfig, fill: PatternFill, opts: { scale: number; title: boolean }): ChartConfiguration {
  const { type, data, options } = config;
  return {
    type,
    data: {
      labels: data.labels,
      datasets: withPatternFills(data.datasets, fill),
    },
    options: {
      ...options,
      responsive: false, animation: false, maintainAspectRatio: false, devicePixelRatio: opts.scale,
      plugins: { ...options.plugins, title: { ...options.plugins.title, display: opts.title } },
    },
  };
}

/** Renders a chart configuration to PNG (default) or JPEG bytes. */
export async function renderChartPng(config: ChartConfig, opts: RenderOptions = {}): Promise<Buffer> {
  const width = opts.width ?? 900;
  const height = opts.height ?? 480;
  const scale = opts.scale ?? 2;
  const canvas = createCanvas(width * scale, height * scale);
  const ctx = canvas.getContext('2d');
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, forCanvas(config, canvasPatterns(ctx), { scale, title: opts.title ?? true }));
  try {
    chart.resize(width, height);
    chart.update('none');
    // Chart.js clears its canvas to transparent and owns its size: compose onto a white (JPEG has no
    // transparency) canvas, taller by the stamp line when there is one.
    const extra = opts.stamp ? STAMP_HEIGHT : 0;
    const out = createCanvas(width * scale, (height + extra) * scale);
    const o = out.getContext('2d');
    o.fillStyle = '#ffffff';
    o.fillRect(0, 0, out.width, out.height);
    o.drawImage(canvas, 0, 0);
    if (opts.stamp) {
      o.setTransform(scale, 0, 0, scale, 0, 0);
      o.fillStyle = '#555555';
      o.font = '11px "DejaVu Sans", "Liberation Sans", Arial, sans-serif';
      o.fillText(opts.stamp, 8, height + STAMP_HEIGHT - 7, width - 16);
    }
    // PDFs take JPEG: pdfkit embeds it as is, where a PNG is decoded and recompressed in JavaScript.
    return opts.format === 'jpeg' ? await out.encode('jpeg', 92) : await out.encode('png');
  } finally {
    chart.destroy();
  }
}
