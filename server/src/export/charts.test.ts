import { loadImage, createCanvas } from '@napi-rs/canvas';
import {
  chartById, OKABE_ITO, OVERVIEW_CHARTS, progressByDimension, progressTimeline, progressTrajectory, snapshotChartSources, STATUS_ORDER, STATUS_STYLE,
  type ChartSources, type ProgressByDimension, type ProgressSummary, type SnapshotProgress,
} from '@mm/shared';
import { describe, expect, it } from 'vitest';
// Real API responses (the demo data as of 2012-12-31); web/src/features/overview/data.test.ts reads the same
// file and checks the screen draws these very numbers.
import demo from '../../../test/fixtures/charts/overview-demo-2012-12-31.json' with { type: 'json' };
import { forCanvas, renderChartPng } from './charts.ts';
import { chartFor, snapshotContent, viewChartIds } from './documents.ts';

const region = progressByDimension.parse(demo.byDimension.region);
const trajectory = progressTrajectory.parse(demo.trajectory);
const timeline = progressTimeline.parse(demo.timeline);
const sources: ChartSources = {
  byDimension: { region, modality: progressByDimension.parse(demo.byDimension.modality), partnerType: progressByDimension.parse(demo.byDimension.partnerType), mandate: progressByDimension.parse(demo.byDimension.mandate) },
  trajectory, timeline,
};
const empty = (dimension: ProgressByDimension['dimension']): ProgressByDimension => ({ ...region, dimension, groups: [] });
const summary: ProgressSummary = {
  asOf: '2012-12-31', partnerships: { total: 300, active: 120 }, resourcesUsd: 1, milestones: { total: 1, completed: 1, overdue: 0, completionRate: 1, onTimeRate: 1 },
  indicators: { achieved: 0, on_track: 1, at_risk: 0, off_track: 0, no_data: 0, total: 1 }, attainment: 0.4, expected: 0.5, forecastMet: 0.3, demo: true,
};
/** A snapshot frozen from the same responses. */
const frozen: SnapshotProgress = {
  summary,
  byDimension: { ...sources.byDimension, region, modality: progressByDimension.parse(demo.byDimension.modality), partnerType: progressByDimension.parse(demo.byDimension.partnerType), mandate: progressByDimension.parse(demo.byDimension.mandate), country: empty('country'), objective: empty('objective'), outcome: empty('outcome') },
  trajectory: { year: trajectory, quarter: { ...trajectory, interval: 'quarter' } },
  timeline,
};
const records = { partnerships: [], actionPlans: [], milestones: [], indicators: [] };

describe(viewChartIds.name, () => {
  it.each([
    [undefined, [...OVERVIEW_CHARTS, 'scorecard']],
    ['summary', [...OVERVIEW_CHARTS, 'scorecard']],
    ['scorecard', ['scorecard']],
    ['progress-by-region', ['attainment-by-region', 'status-by-region']],
    ['progress-by-country', ['attainment-by-country', 'status-by-country']],
    ['partnerships', []],
  ] as const)('%s: the charts the screen shows for it → %o', (view, ids) => {
    expect(viewChartIds(view)).toEqual(ids);
  });
});

describe(snapshotContent.name, () => {
  it('draws a snapshot\'s PDF from the shared definitions: the overview\'s charts, from the frozen data', () => {
    const c = snapshotContent({ progress: frozen, records }, undefined);
    expect(c.charts.map((x) => x.name)).toEqual([...OVERVIEW_CHARTS]);
    for (const x of c.charts) expect(x.config, x.name).toEqual(chartById(x.name, snapshotChartSources(frozen)));
  });
  it('gives a progress-by-region view that section of the overview', () => {
    const c = snapshotContent({ progress: frozen, records }, 'progress-by-region');
    expect(c.charts.map((x) => x.name)).toEqual(['attainment-by-region', 'status-by-region']);
  });
});

describe(chartFor.name, () => {
  it.each([
    ['by-region', 'status-by-region'], ['by-partner-type', 'status-by-partnerType'], ['by-mandate', 'status-by-mandate'], ['timeline', 'burnup'],
    ['status-by-region', 'status-by-region'], ['partnerships-by-region', 'partnerships-by-region'], ['trajectory', 'trajectory'],
  ])('the PNG name %s draws the overview chart %s', (name, id) => {
    expect(chartFor(name, sources)).toEqual(chartById(id, sources));
    expect(chartFor(name, sources)).toBeDefined();
  });
  it('knows no other chart', () => {
    expect(chartFor('pie', sources)).toBeUndefined();
  });
});

describe(forCanvas.name, () => {
  const status = chartById('status-by-region', sources);
  if (!status) throw new Error('no status-by-region from the fixture');
  const fill = (colour: string, pattern: string) => `${pattern} over ${colour}`;

  it('draws for /progress/by/region the numbers the screen draws: per region, each status count', () => {
    const c = forCanvas(status, fill, { scale: 2, title: false });
    expect(c.data.labels).toEqual(status.data.labels);
    expect(c.data.datasets.map((d) => d.data)).toEqual(STATUS_ORDER.map((s) => region.groups.map((g) => g.indicators[s])));
    // Africa, as the demo API answered it (the web test expects the same row).
    expect(c.data.datasets.map((d) => d.data[0])).toEqual([0, 55, 47, 28, 5]);
  });
  it('keeps the shared colours and turns the pattern hints into fills', () => {
    const c = forCanvas(status, fill, { scale: 2, title: false });
    expect(c.data.datasets.map((d) => [d.label, d.backgroundColor])).toEqual(STATUS_ORDER.map((s) => [
      `${STATUS_STYLE[s].symbol} ${STATUS_STYLE[s].label}`, STATUS_STYLE[s].pattern === 'solid' ? STATUS_STYLE[s].colour : `${STATUS_STYLE[s].pattern} over ${STATUS_STYLE[s].colour}`,
    ]));
  });
  it('changes only what a file needs: size, no animation, and the title on the image or not', () => {
    const { responsive, animation, devicePixelRatio, plugins, ...rest } = forCanvas(status, fill, { scale: 2, title: true }).options ?? {};
    expect([responsive, animation, devicePixelRatio, plugins?.title?.display]).toEqual([false, false, 2, true]);
    const { plugins: sharedPlugins, ...sharedRest } = status.options;
    expect({ ...rest, maintainAspectRatio: undefined }).toEqual({ ...sharedRest, maintainAspectRatio: undefined });
    expect({ ...plugins, title: undefined }).toEqual({ ...sharedPlugins, title: undefined });
  });
});

describe(renderChartPng.name, () => {
  it('paints the Okabe–Ito status colours, with patterns over them', async () => {
    const status = chartById('status-by-region', sources);
    if (!status) throw new Error('no status-by-region');
    const img = await loadImage(await renderChartPng(status, { width: 600, height: 320, scale: 1 }));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    const count = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) n++;
      return n;
    };
    for (const s of ['on_track', 'at_risk', 'off_track'] as const) expect(count(STATUS_STYLE[s].colour), s).toBeGreaterThan(200);
    // The at-risk bars are striped: the white lines over the orange lighten part of them.
    const orange = count(OKABE_ITO.orange);
    let lighter = 0;
    for (let i = 0; i < px.length; i += 4) if ((px[i] ?? 0) > 235 && (px[i + 1] ?? 0) > 190 && (px[i + 1] ?? 0) < 245 && (px[i + 2] ?? 0) > 60 && (px[i + 2] ?? 0) < 230) lighter++;
    expect(lighter).toBeGreaterThan(orange / 10);
  });
});
