/** Shared page-model plumbing: a signed-out browser page on the app, axe-core, and canvas inspection. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Viewport { width: number; height: number }
export const DESKTOP: Viewport = { width: 1366, height: 900 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A fresh context (no cookies) with reduced motion, so charts draw without animation. */
export async function newPage(browser: Browser, baseURL: string, viewport: Viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport, reducedMotion: 'reduce', deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw new Error(`page error: ${e.message}`); });
  return { context, page };
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: number }

/** Runs axe-core on the page; returns serious and critical violations only. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol rather than page.addScriptTag: the app's CSP (rightly) refuses
  // inline scripts, and the scan must run against the real CSP, not a bypassed one.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

/** How many pixels of a canvas are not transparent (0 = nothing drawn). */
export function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (el) => {
    if (!(el instanceof HTMLCanvasElement)) return -1;
    const ctx = el.getContext('2d');
    if (!ctx || el.width === 0 || el.height === 0) return 0;
    const d = ctx.getImageData(0, 0, el.width, el.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
    return n;
  });
}

/**
 * Centres (page coordinates) of the vertical bars painted in one solid colour, left to right: found by
 * scanning the canvas pixels, so the test clicks where a person would, without hooks in the app.
 */
export function barCentres(page: Page, selector: string, rgb: [number, number, number]): Promise<{ x: number; y: number }[]> {
  return page.$eval(selector, (el, colour) => {
    if (!(el instanceof HTMLCanvasElement)) return [];
    const ctx = el.getContext('2d');
    if (!ctx) return [];
    const { width, height } = el;
    const d = ctx.getImageData(0, 0, width, height).data;
    const match = (x: number, y: number) => {
      const i = (y * width + x) * 4;
      return Math.abs((d[i] ?? 0) - colour[0]) < 8 && Math.abs((d[i + 1] ?? 0) - colour[1]) < 8 && Math.abs((d[i + 2] ?? 0) - colour[2]) < 8 && (d[i + 3] ?? 0) > 200;
    };
    const runs: { x0: number; x1: number; top: number; bottom: number }[] = [];
    let cur: { x0: number; x1: number; top: number; bottom: number } | null = null;
    for (let x = 0; x < width; x++) {
      let top = -1;
      let bottom = -1;
      for (let y = 0; y < height; y++) if (match(x, y)) { if (top < 0) top = y; bottom = y; }
      if (top >= 0) {
        if (cur && x === cur.x1 + 1) { cur.x1 = x; cur.top = Math.min(cur.top, top); cur.bottom = Math.max(cur.bottom, bottom); }
        else { cur = { x0: x, x1: x, top, bottom }; runs.push(cur); }
      }
    }
    const box = el.getBoundingClientRect();
    const sx = box.width / width;
    const sy = box.height / height;
    // Legend swatches are small squares; bars are the taller runs.
    return runs.filter((r) => r.bottom - r.top > 3 && r.x1 - r.x0 > 3).map((r) => ({ x: box.left + ((r.x0 + r.x1) / 2) * sx, y: box.top + ((r.top + r.bottom) / 2) * sy }));
  }, rgb);
}

/** GET an API path with the page's session; a non-200 fails the test with the response body. */
export async function apiJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`/api/v1${path}`);
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  const body: T = await res.json();
  return body;
}

/** Fails the test with the list of serious or critical axe violations on the page, if any. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}
