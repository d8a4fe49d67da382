/**
 * Server-side chart rendering: the shared Chart.js configurations (shared/src/chart-config.ts) drawn on an
 * @napi-rs/canvas canvas, with animation and responsiveness off, encoded as PNG.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { ChartConfig } from '@mm/shared';
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

// Chart.js keeps its registry on the class; registering is idempotent, so doing it once at load is safe.
Chart.register(...registerables, annotationPlugin);
Chart.defaults.font.family = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

export interface RenderOptions {
  width?: number; height?: number; scale?: number; format?: 'png' | 'jpeg';
  /** A line printed under the chart (source, as-of, demo notice), so a saved image says what it shows. */
  stamp?: string;
}
const STAMP_HEIGHT = 22;

/** Renders a chart configuration to PNG (default) or JPEG bytes. */
export async function renderChartPng(config: ChartConfig, opts: RenderOptions = {}): Promise<Buffer> {
  const width = opts.width ?? 900;
  const height = opts.height ?? 480;
  const scale = opts.scale ?? 2;
  const canvas = createCanvas(width * scale, height * scale);
  const ctx = canvas.getContext('2d');
  // The shared config is a structural subset of Chart.js's; the server adds only the rendering switches.
  const full = {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: scale, maintainAspectRatio: false },
  } as unknown as ChartConfiguration;
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, full);
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
