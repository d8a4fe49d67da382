/**
 * Staff editing in the browser (issue 5): an Africa editor updates a milestone from "My work" and the overview's
 * numbers change at once; two people save the same milestone, the second sees the conflict and re-applies.
 * Uses Africa milestones only (the dashboard tests compare the UI with the live API, so they are not disturbed).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MyWorkPage } from './pages/MyWorkPage.ts';
import { OverviewPage } from './pages/OverviewPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { apiJson, newPage, seriousViolations } from './pages/app.ts';
import { launchBrowser } from './server.ts';

interface Milestone { id: number; title: string; status: string; percentComplete: number; evidenceNote: string | null; version: number }
interface MyWork { milestones: Milestone[] }

const baseUrl = inject('baseUrl');
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signedIn(email: string): Promise<Page> {
  const { context, page } = await newPage(browser, baseUrl);
  contexts.push(context);
  await new SignInPage(page).goto();
  await new SignInPage(page).signIn(email);
  return page;
}

const api = apiJson;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('My work', () => {
  it('marks a milestone completed and the overview counts it at once', async () => {
    const page = await signedIn('staff.africa@demo.local');
    const overview = await new OverviewPage(page).goto();
    const before = Number((await overview.tileValue('milestones-completed')).replace(/,/g, ''));

    await page.getByRole('link', { name: 'My work' }).click();
    const myWork = new MyWorkPage(page);
    await page.locator('[data-milestone]').first().waitFor({ timeout: 20_000 });
    const work = await api<MyWork>(page, '/my-work');
    const target = work.milestones[0];
    if (!target) throw new Error('My work lists no milestones for the Africa editor');
    expect(await page.locator('#mw-milestones').innerText()).toContain(`(${work.milestones.length})`);

    const form = await myWork.openMilestone(target.id);
    await form.getByLabel('Status').selectOption({ label: 'Completed' });
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await myWork.statusMessage()).toContain(`“${target.title}” is Completed, 100% complete`);
    await myWork.milestone(target.id).waitFor({ state: 'detached' });

    // Client-side navigation: the overview shows the new count without a reload.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForFunction((n) => document.querySelector('[data-tile="milestones-completed"] .tile-value')?.textContent?.trim().replace(/,/g, '') === String(n), before + 1, { timeout: 10_000 });
    expect(Number((await overview.tileValue('milestones-completed')).replace(/,/g, ''))).toBe(before + 1);
  });

  it('records a measurement for an indicator with none in the last 12 months', async () => {
    const page = await signedIn('staff.africa@demo.local');
    const work: { indicators: { id: number; name: string }[] } = await api(page, '/my-work');
    const ind = work.indicators[0];
    if (!ind) throw new Error('My work lists no indicators for the Africa editor');
    const myWork = await new MyWorkPage(page).goto();
    const item = page.locator(`[data-indicator="${ind.id}"]`);
    await item.getByRole('button', { name: /^Add measurement/ }).click();
    const form = item.locator('form');
    await form.getByLabel(/^Value/).fill('abc');
    await form.getByRole('button', { name: 'Add measurement' }).click();
    expect(await form.locator('.field-error').first().innerText()).toContain('Enter a number');
    await form.getByLabel(/^Value/).fill('1,250');
    await form.getByLabel(/^Source/).fill('Labour force survey (e2e)');
    await form.getByRole('button', { name: 'Add measurement' }).click();
    expect(await myWork.statusMessage()).toContain(`Saved: 1,250 on `);
    // Measured today, so it no longer needs work.
    await item.waitFor({ state: 'detached' });
    const list: { items: { value: number; source: string | null }[] } = await api(page, `/measurements?indicatorId=${ind.id}&sort=-date`);
    expect(list.items[0]).toMatchObject({ value: 1250, source: 'Labour force survey (e2e)' });
  });

  it('shows a conflict when someone saved first, and re-applies the change on top', async () => {
    const mine = await signedIn('staff.africa@demo.local');
    const theirs = await signedIn('admin@demo.local');
    const work = await api<MyWork>(mine, '/my-work');
    const target = work.milestones.find((m) => m.status !== 'delayed' && m.percentComplete < 90);
    if (!target) throw new Error('no suitable milestone');

    // Both open the same milestone at the same version.
    const a = await new MyWorkPage(mine).goto();
    const formA = await a.openMilestone(target.id);
    const b = await new MyWorkPage(theirs).goto('?region=AFR');
    const formB = await b.openMilestone(target.id);

    // The admin saves first: percent complete.
    await formB.getByLabel('Percent complete').fill(String(target.percentComplete + 5));
    await formB.getByRole('button', { name: 'Save' }).click();
    expect(await b.statusMessage()).toContain('Saved');

    // The editor, still on the old version, changes status and evidence and saves: conflict.
    await formA.getByLabel('Status').selectOption({ label: 'Delayed' });
    await formA.getByLabel('Evidence note').fill('Waiting for the tripartite validation workshop');
    await formA.getByRole('button', { name: 'Save' }).click();
    const dialog = a.conflictDialog();
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('admin@demo.local');
    expect(text).toContain('You tried to save');
    const rows = await dialog.locator('tbody tr').allInnerTexts();
    expect(rows.find((r) => r.startsWith('Percent complete'))).toContain(`${target.percentComplete + 5}%`);
    expect(rows.find((r) => r.startsWith('Status'))).toContain('Delayed');
    expect(rows.find((r) => r.startsWith('Evidence note'))).toContain('Waiting for the tripartite validation workshop');
    expect(await seriousViolations(mine)).toEqual([]);

    await dialog.getByRole('button', { name: 'Re-apply my change on top' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await a.statusMessage()).toContain('re-applied');

    // Both changes are kept: theirs (percent) and mine (status, evidence).
    const now = await api<Milestone>(mine, `/milestones/${target.id}`);
    expect(now).toMatchObject({ status: 'delayed', percentComplete: target.percentComplete + 5, evidenceNote: 'Waiting for the tripartite validation workshop', version: target.version + 2 });

    // The readable history lists both saves, newest first, with who did what.
    await a.openMilestone(target.id);
    await a.milestone(target.id).getByRole('button', { name: /Show changes/ }).click();
    const entries = a.milestone(target.id).locator('.history ol.entries > li');
    await entries.first().waitFor();
    const history = await entries.allInnerTexts();
    expect(history[0]).toMatch(/^Changed by staff\.africa@demo\.local, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(history[0]).toContain('Status: ');
    expect(history[0]).toContain('→ delayed');
    expect(history[1]).toMatch(/^Changed by admin@demo\.local/);
    expect(history[1]).toContain(`Percent complete: ${target.percentComplete} → ${target.percentComplete + 5}`);
  });
});
