/**
 * A reporting cycle in a real browser (issue 16), on a server of its own (approving locks data other browser
 * tests edit): an Asia-Pacific editor submits 2010-H1, the reviewer approves it, and the manager switches the
 * overview to approved figures — the trajectory's table changes to what GET /progress/trajectory?figures=approved
 * says, and approving moved those approved figures. The agenda's events are drawn on the trajectory chart (the
 * annotation plugin's lines, in their colour) and listed under it, and the overview's PDF lists them too.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPercent } from '@mm/shared/format';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, stopServer, waitHealthy, type ServerChild } from '../server-process.ts';
import { apiJson, expectAccessible, newPage } from './pages/app.ts';
import { OverviewPage } from './pages/OverviewPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { launchBrowser, ROOT } from './server.ts';

const SHOTS = path.join(ROOT, 'test-results/screenshots');
interface Trajectory { points: { period: string; actual: number | null }[] }
interface Period { id: number; name: string }

let server: ServerChild;
let browser: Browser;
let dir = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-reporting-'));
  server = await spawnServer(`sqlite:${path.join(dir, 'reporting.sqlite')}`, { DEMO: '1' });
  await waitHealthy(server, { pollMs: 200 });
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopServer(server, 5000);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function signedIn(email: string): Promise<Page> {
  const { page } = await newPage(browser, server.base);
  await (await new SignInPage(page).goto()).signIn(email);
  return page;
}

/** Runs a transition from the region's cycle page and waits for its confirmation. */
async function transition(page: Page, url: string, button: string, done: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: button }).click();
  await page.getByText(done).waitFor({ timeout: 15_000 });
}

/** Pixels of the trajectory canvas close to the events' colour (Okabe–Ito reddish purple, #CC79A7). */
function eventPixels(page: Page): Promise<number> {
  return page.locator('[data-chart="trajectory"] canvas').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs((data[i] ?? 0) - 204) < 24 && Math.abs((data[i + 1] ?? 0) - 121) < 24 && Math.abs((data[i + 2] ?? 0) - 167) < 24) n++;
    return n;
  });
}

describe('a reporting cycle, then approved figures on the overview', () => {
  it('editor submits, reviewer approves, manager switches to approved figures and the charts change; events on the chart and in the PDF', async () => {
    const manager = await signedIn('manager@demo.local');
    const periods = (await apiJson<{ items: Period[] }>(manager, '/reporting-periods')).items;
    const period = periods.find((p) => p.name === '2010-H1');
    if (!period) throw new Error('no 2010-H1 period in the demo data');
    const url = `/reporting/${period.id}/ASP`;
    const approvedBefore = await apiJson<Trajectory>(manager, '/progress/trajectory?figures=approved');

    const editor = await signedIn('staff.asia@demo.local');
    await transition(editor, url, 'Submit for review', 'Submitted for review.');
    const reviewer = await signedIn('reviewer@demo.local');
    await transition(reviewer, url, 'Approve and lock', 'Approved: the period is locked for the region.');
    await expect(reviewer.getByText('approved', { exact: false }).first().isVisible()).resolves.toBe(true);

    // Approving moved the approved figures (Asia-Pacific's 2010-H1 measurements now count).
    const approved = await apiJson<Trajectory>(manager, '/progress/trajectory?figures=approved');
    const latest = await apiJson<Trajectory>(manager, '/progress/trajectory');
    expect(approved.points).not.toEqual(approvedBefore.points);
    expect(approved.points).not.toEqual(latest.points);

    const overview = await new OverviewPage(manager).goto();
    await overview.waitForChart('trajectory');
    const latestTable = await overview.table('trajectory');
    const latestPicture = await overview.picture('trajectory');
    await manager.getByRole('radio', { name: 'Approved' }).check();
    await manager.waitForURL(/figures=approved/);
    await overview.waitForChart('trajectory');
    const approvedPicture = await overview.picture('trajectory');
    const approvedTable = await overview.table('trajectory');
    expect(approvedPicture).not.toBe(latestPicture);
    expect(approvedTable.rows).not.toEqual(latestTable.rows);
    // The table's Actual column reads the approved API's values, period by period.
    const actual = approvedTable.columns.indexOf('Actual');
    expect(actual).toBeGreaterThanOrEqual(0);
    expect(approvedTable.rows.map((r) => [r.label, r.cells[actual]])).toEqual(approved.points.map((p) => [p.period, formatPercent(p.actual)]));
    await expect(manager.locator('[data-chart="trajectory"] .as-of').innerText()).resolves.toContain('approved figures');

    // The events: drawn as lines in their colour and listed under the chart.
    const events = (await apiJson<{ items: { title: string; date: string }[] }>(manager, '/events')).items;
    const rio = events.find((e) => e.title.startsWith('Rio+20'));
    expect(rio).toBeDefined();
    expect(await eventPixels(manager)).toBeGreaterThan(100);
    await expect(manager.locator('[data-chart="trajectory"]').innerText()).resolves.toMatch(/Events marked[^:]*: .*2012-06-22 Rio\+20/);
    await manager.screenshot({ path: path.join(SHOTS, 'overview-approved-events.png'), fullPage: false });
    await expectAccessible(manager, 'overview with approved figures');

    // The overview's PDF lists the same events under its trajectory chart and says which figures it shows.
    const pdf = await manager.request.get('/api/v1/export/summary?format=pdf&figures=approved');
    expect(pdf.status()).toBe(200);
    const file = path.join(dir, 'overview.pdf');
    fs.writeFileSync(file, await pdf.body());
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Trajectory toward 2015');
    expect(text).toMatch(/Events marked[^:]*: .*2012-06-22 Rio\+20/);
    expect(text).toMatch(/Figures:? approved/);
  });
});
