/**
 * Screenshots of the staff pages at desktop (1366×900) and phone (390×844) width, for people to look at:
 * My work (a milestone open), the conflict dialog, an import report with a problem row, and a snapshot compare.
 * `node --import tsx test/e2e/staff-screenshots.ts [outDir]` after `pnpm build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ImportPage } from './pages/ImportPage.ts';
import { MyWorkPage } from './pages/MyWorkPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { SnapshotsPage } from './pages/SnapshotsPage.ts';
import { DESKTOP, newPage, PHONE } from './pages/app.ts';
import { launchBrowser, ROOT, startServer } from './server.ts';

interface Milestone { id: number; version: number; percentComplete: number; externalId: string; actionPlanId: number; title: string; dueDate: string }

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-results/screenshots'));
fs.mkdirSync(out, { recursive: true });
const server = await startServer();
const browser = await launchBrowser();

async function shot(page: Page, name: string, full = false): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: full });
}

try {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    const { context, page } = await newPage(browser, server.url, viewport);
    await new SignInPage(page).goto();
    await new SignInPage(page).signIn('staff.africa@demo.local');
    const work: { milestones: Milestone[] } = await (await page.request.get('/api/v1/my-work')).json();
    const target = work.milestones[size === 'desktop' ? 1 : 2];
    if (!target) throw new Error('no milestones');

    // My work with one milestone open.
    const myWork = await new MyWorkPage(page).goto();
    if (size === 'phone') await page.getByRole('button', { name: 'Menu' }).click();
    await shot(page, `my-work-${size}-nav`);
    const form = await myWork.openMilestone(target.id);
    await form.scrollIntoViewIfNeeded();
    await shot(page, `my-work-${size}`);

    // The conflict: someone else saves first (through the API), then this editor saves.
    const res = await page.request.patch(`/api/v1/milestones/${target.id}`, { data: { percentComplete: Math.min(100, target.percentComplete + 10), evidenceNote: 'Draft report received' }, headers: { 'If-Match': `"${target.version}"`, 'X-Requested-With': 'MainstreamMonitor' } });
    if (res.status() !== 200) throw new Error(`setup patch: ${res.status()}`);
    await form.getByLabel('Status').selectOption({ label: 'Completed' });
    await form.getByLabel('Evidence note').fill('Validation workshop held; report filed');
    await form.getByRole('button', { name: 'Save' }).click();
    await myWork.conflictDialog().waitFor();
    await shot(page, `conflict-${size}`);
    await myWork.conflictDialog().getByRole('button', { name: 'Discard mine' }).click();

    // An import report with a problem row.
    const rows = work.milestones.slice(-3).map((m, i) => [m.externalId, `DEMO-AP-${m.actionPlanId}`, `"${m.title.replace(/"/g, '""')}"`, m.dueDate, 'completed', '100', i === 1 ? '01/12/2015' : '2015-12-01', '', 'Report', ''].join(','));
    const csv = ['externalId,actionPlan,title,dueDate,status,percentComplete,completedDate,statusDate,evidenceNote,evidenceUrl', ...rows].join('\n');
    const imp = await new ImportPage(page).goto();
    await imp.check('Milestones', 'milestones.csv', csv);
    await imp.report().scrollIntoViewIfNeeded();
    await shot(page, `import-report-${size}`);

    // A snapshot, a change, and the comparison with today.
    await page.goto('/?region=AFR');
    await page.locator('[data-chart="partnerships-by-region"] canvas').waitFor();
    await shot(page, `overview-actions-${size}`);
    const snaps = await new SnapshotsPage(page).goto('?region=AFR');
    await snaps.take(`Africa before updates (${size})`);
    await page.goto('/snapshots');
    await page.locator('[data-snapshot]').first().waitFor();
    await shot(page, `snapshots-list-${size}`, true);
    await page.locator('[data-snapshot] a').first().click();
    await snaps.banner().waitFor();
    await shot(page, `snapshot-${size}`);
    const m = work.milestones[size === 'desktop' ? 5 : 6];
    if (m) await page.request.patch(`/api/v1/milestones/${m.id}`, { data: { status: 'completed' }, headers: { 'If-Match': `"${m.version}"`, 'X-Requested-With': 'MainstreamMonitor' } });
    await snaps.compareWithToday();
    await page.locator('[data-chart="compare-chart"] canvas').waitFor();
    await shot(page, `compare-${size}`, true);
    await context.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
