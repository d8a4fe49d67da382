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

export interface RenderOptions { width?: number; height?: number; scale?: number; format?: 'png' | 'jpeg' }

/** Renders a chart configuration to PNG (default) or JPEG bytes. */
export async function renderChartPng(config: ChartConfig, opts: RenderOptions = {}): Promise<Buffer> {
  const width = opts.width ?? 900;
  const height = opts.height ?? 480;
  const scale = opts.scale ?? 2;
  const canvas = createCanvas(width * scale, height * scale);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width * scale, height * scale);
  // The shared config is a structural subset of Chart.js's; the server adds only the rendering switches.
  const full = {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: scale, maintainAspectRatio: false },
  } as unknown as ChartConfiguration;
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, full);
  try {
    chart.resize(width, height);
    chart.update('none');
    // PDFs take JPEG: pdfkit embeds it as is, where a PNG is decoded and recompressed in JavaScript.
    return opts.format === 'jpeg' ? await canvas.encode('jpeg', 92) : await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
