/**
 * The overview page in headless Chromium: time from navigation until every chart on it is drawn, and the
 * JavaScript (gzip) the browser loaded before that moment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CSRF, DEMO_PASSWORD } from './http.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OverviewRun {
  /** ms from navigation start until every chart card shows a painted canvas (or its "nothing matches" state). */
  drawnMs: number;
  charts: number;
  /** gzip bytes of the scripts loaded before the charts were drawn, and how many files. */
  jsGzipBytes: number;
  jsFiles: number;
}

/**
 * One visit with a fresh profile (no HTTP cache), in `locale`: sign in, open `/`, wait until every `[data-chart]` card is
 * no longer busy and its canvas has pixels. `beforeNavigate` runs just before the navigation (a write, so
 * the server's read cache cannot answer).
 */
export async function overviewVisit(base: string, email: string, beforeNavigate: () => Promise<void>, timeoutMs = 60_000, locale: 'en' | 'fr' | 'es' = 'en'): Promise<OverviewRun> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 900 } });
  try {
    // The language as this browser chose it (the demo accounts have none of their own): the server serves that build.
    if (locale !== 'en') await context.addCookies([{ name: 'mm_locale', value: locale, url: base }]);
    const login = await context.request.post(`${base}/api/v1/auth/login`, { data: { email, password: DEMO_PASSWORD }, headers: { ...CSRF } });
    if (login.status() !== 200) throw new Error(`browser sign-in failed: ${login.status()}`);
    const page = context.pages()[0] ?? (await context.newPage());
    const scripts: { url: string; at: number; bytes: Promise<Buffer> }[] = [];
    const t0 = Date.now();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script' && r.ok()) scripts.push({ url: r.url(), at: Date.now() - t0, bytes: r.body() });
    });
    await beforeNavigate();
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    // No named helpers inside: tsx's transform would wrap them in a `__name` call the page does not have
    // (and the app's CSP forbids evaluating a string instead).
    const handle = await page.waitForFunction(() => {
      const cards = [...document.querySelectorAll('[data-chart]')];
      if (cards.length === 0) return false;
      for (const card of cards) {
        if (card.getAttribute('aria-busy') === 'true') return false;
        if (card.querySelector('[role="alert"]')) throw new Error(`chart ${card.getAttribute('data-chart') ?? '?'} failed to load`);
        if (card.querySelector('.state.empty')) continue;
        const canvas = card.querySelector('canvas');
        if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        if (!data) return false;
        let painted = false;
        for (let i = 3; i < data.length && !painted; i += 16) painted = (data[i] ?? 0) > 0;
        if (!painted) return false;
      }
      return { at: performance.now(), charts: cards.length };
    }, undefined, { polling: 20, timeout: timeoutMs }).catch(async (e: unknown) => {
      // Say which charts were still missing: that is the useful part of a timeout.
      const state = await page.evaluate(() => [...document.querySelectorAll('[data-chart]')].map((c) => `${c.getAttribute('data-chart') ?? '?'}:${c.getAttribute('aria-busy') === 'true' ? 'busy' : c.querySelector('canvas') ? 'canvas' : 'other'}`).join(', ')).catch(() => 'page gone');
      throw new Error(`not every chart drawn within ${timeoutMs / 1000} s (${state || 'no chart cards on the page'})`, { cause: e });
    });
    const done: unknown = await handle.jsonValue();
    const at = typeof done === 'object' && done !== null ? Number(Reflect.get(done, 'at')) : Number.NaN;
    const charts = typeof done === 'object' && done !== null ? Number(Reflect.get(done, 'charts')) : 0;
    if (!Number.isFinite(at)) throw new Error('overview never drew');
    const doneWall = Date.now() - t0;
    let jsGzipBytes = 0;
    let jsFiles = 0;
    for (const s of scripts) {
      if (s.at > doneWall) continue;
      jsGzipBytes += gzipSync(await s.bytes).byteLength;
      jsFiles++;
    }
    return { drawnMs: at, charts, jsGzipBytes, jsFiles };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
