/**
 * Scheduled snapshots in headless Chromium (issue 18) against a real server process with SMTP_URL pointing at a
 * real SMTP server (smtp-server, test/api/smtp.ts): an Africa editor opens "Take snapshot" on the snapshots page
 * for the Africa view, follows "E-mail this view on a schedule", creates a monthly schedule in Europe/Zurich
 * (the form refuses a bad address first, and previews the next title and run times), clicks Run now, and the
 * mail arrives with the PDF; the deliveries list shows it sent. An edit after someone else's change gets 412:
 * the form keeps the edit and says so, and saving again applies it on top of theirs. A manager without snapshot
 * rights sees it but gets no buttons to change it. Pause and delete.
 * (Cadence maths, retries, failures and two processes are tested in test/api/snapshot-schedules.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, stopServer, waitHealthy, type ServerChild } from '../server-process.ts';
import { startSmtp, type TestSmtp } from '../api/smtp.ts';
import { apiJson, DESKTOP, expectAccessible, newPage, PHONE } from './pages/app.ts';
import { SchedulesPage } from './pages/SchedulesPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { SnapshotsPage } from './pages/SnapshotsPage.ts';
import { launchBrowser, ROOT } from './server.ts';

const SHOTS = path.join(ROOT, 'test-results/screenshots');
const TITLE = 'Africa board report {month}';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface ScheduleJson { id: number; version: number; titlePattern: string; filters: Record<string, string[]>; cadence: Record<string, unknown>; timeZone: string; recipients: string[]; formats: string[]; active: boolean }

let smtp: TestSmtp;
let server: ServerChild;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dir = '';

beforeAll(async () => {
  smtp = await startSmtp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-sched-'));
  server = await spawnServer(`sqlite:${path.join(dir, 'sched.sqlite')}`, { DEMO: '1', SMTP_URL: smtp.url, SMTP_FROM: 'Mainstream Monitor <monitor@example.org>' });
  await waitHealthy(server, { pollMs: 200 });
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, server.base));
  await (await new SignInPage(page).goto()).signIn('staff.africa@demo.local');
  fs.mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stopServer(server, 5000);
  await smtp?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Year and month of the instant in Zurich: what {month} stands for in a run's title. */
function zurichMonth(at: Date): { year: number; month: number; day: number; hour: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) };
}

async function schedulesJson(): Promise<ScheduleJson[]> {
  return (await apiJson<{ items: ScheduleJson[] }>(page, '/snapshot-schedules')).items;
}

describe('scheduled snapshots in the browser', () => {
  const schedules = () => new SchedulesPage(page);

  it('creates a monthly schedule of the Africa view from "Take snapshot", with a preview of the next title and runs', async () => {
    await new SnapshotsPage(page).goto('?region=AFR&asOf=2012-12-31');
    await page.getByRole('button', { name: 'Take snapshot' }).click();
    await page.getByRole('link', { name: 'E-mail this view on a schedule instead…' }).click();
    await schedules().heading().waitFor();
    expect(new URL(page.url()).search).toBe('?region=AFR&asOf=2012-12-31');
    await page.getByRole('button', { name: 'New schedule of this view' }).click();
    const form = schedules().form();
    await form.waitFor();
    // Focus moves into the form that opened.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New schedule');
    expect(await form.innerText()).toContain('Each run freezes Region: Africa as of the day it runs');
    expect(await form.innerText()).toContain('The view is as of 2012-12-31; each scheduled run is as of its own date instead.');

    await form.getByLabel('Title').fill(TITLE);
    await form.getByRole('radio', { name: 'Monthly' }).check();
    await form.getByLabel('Day of the month').selectOption('1');
    await form.getByLabel('Time', { exact: true }).fill('08:00');
    await form.getByLabel('Time zone').selectOption('Europe/Zurich');
    await form.getByLabel('Recipients').fill('board@example.org, not-an-address');
    await form.getByRole('checkbox', { name: 'PDF' }).check();

    // The next run: the 1st of the coming month at 08:00 in Zurich (this month's, before 08:00 on the 1st).
    const z = zurichMonth(new Date());
    const thisMonth = z.day === 1 && z.hour < 8;
    const nextMonth = thisMonth ? z.month : (z.month % 12) + 1;
    const nextYear = !thisMonth && z.month === 12 ? z.year + 1 : z.year;
    expect(await schedules().previewTitle()).toBe(`Africa board report ${MONTHS[nextMonth - 1]} ${nextYear}`);
    const runs = await schedules().previewRuns();
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatch(new RegExp(`^\\w{3}, 1 ${(MONTHS[nextMonth - 1] ?? '').slice(0, 3)} ${nextYear}, 08:00$`));

    await form.getByRole('button', { name: 'Create schedule' }).click();
    expect(await schedules().formProblem().innerText()).toBe('Check the fields marked below.');
    expect(await form.locator('#sf-recipients-err').innerText()).toBe('Not an e-mail address: not-an-address.');
    expect(await form.getByLabel('Recipients').getAttribute('aria-invalid')).toBe('true');
    expect(await schedulesJson()).toEqual([]);
    await expectAccessible(page, 'schedule form with a field error');

    await form.getByLabel('Recipients').fill('board@example.org');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await schedules().schedule(TITLE).waitFor();
    expect(await schedules().status().innerText()).toContain(`Schedule “${TITLE}” created: Every month on the 1st at 08:00 (Europe/Zurich).`);
    const [saved] = await schedulesJson();
    expect(saved).toMatchObject({
      titlePattern: TITLE, filters: { region: ['AFR'] }, cadence: { every: 'month', day: 1, time: '08:00' }, timeZone: 'Europe/Zurich',
      recipients: ['board@example.org'], formats: ['pdf'], active: true,
    });
  });

  it('runs it now: the SMTP server receives the mail with the PDF, and the deliveries list shows it sent', async () => {
    const card = schedules().schedule(TITLE);
    await card.getByRole('button', { name: /^Run now/ }).click();
    const [mail] = await smtp.waitFor(1);
    const z = zurichMonth(new Date());
    const title = `Africa board report ${MONTHS[z.month - 1]} ${z.year}`;
    expect(mail?.subject).toBe(title);
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('board@example.org');
    const pdf = mail?.attachments.find((a) => a.contentType === 'application/pdf');
    expect(pdf?.filename).toMatch(/\.pdf$/);
    expect(pdf?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(mail?.attachments).toHaveLength(1);

    await expect.poll(() => schedules().status().innerText()).toMatch(/^Run now: sent — to board@example\.org at /);
    const row = card.locator('tr[data-delivery]').first();
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('sent');
    expect(await row.innerText()).toContain('Sent');
    expect(await row.innerText()).toContain('1 attempt');
    expect(await row.getByRole('link').innerText()).toBe(title);
    await expectAccessible(page, 'schedules with a delivery');
    await page.screenshot({ path: path.join(SHOTS, 'schedules-desktop.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'schedules at phone width');
    await page.screenshot({ path: path.join(SHOTS, 'schedules-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  it('a manager (viewer, no snapshot rights here) sees the schedule and its deliveries but cannot create, run or change it', async () => {
    const other = await newPage(browser, server.base);
    try {
      await (await new SignInPage(other.page).goto()).signIn('manager@demo.local');
      const view = await new SchedulesPage(other.page).goto();
      const card = view.schedule(TITLE);
      await card.waitFor();
      expect(await other.page.getByRole('button', { name: 'New schedule of this view' }).count()).toBe(0);
      for (const name of [/^Run now/, /^Edit/, /^Pause/, /^Delete/]) expect(await card.getByRole('button', { name }).count()).toBe(0);
      await card.getByRole('button', { name: /^Deliveries/ }).click();
      expect(await card.locator('tr[data-delivery]').first().getAttribute('data-status')).toBe('sent');
    } finally {
      await other.context.close();
    }
  });

  it('an edit after someone else\'s change gets 412: the form keeps the edit and says so; saving again applies it on top', async () => {
    const card = schedules().schedule(TITLE);
    await card.getByRole('button', { name: /^Edit/ }).click();
    const form = schedules().form();
    await form.waitFor();
    // Meanwhile a colleague (same account, another tab) adds a recipient.
    const [before] = await schedulesJson();
    if (!before) throw new Error('no schedule');
    const other = await page.request.patch(`/api/v1/snapshot-schedules/${before.id}`, {
      headers: { 'If-Match': `"${before.version}"`, 'X-Requested-With': 'MainstreamMonitor', 'Content-Type': 'application/json' },
      data: { recipients: ['board@example.org', 'chair@example.org'] },
    });
    expect(other.status()).toBe(200);

    await form.getByLabel('Time', { exact: true }).fill('09:30');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await schedules().formProblem().waitFor();
    expect(await schedules().formProblem().innerText()).toContain('Someone else changed this schedule since you opened it (now: Every month on the 1st at 08:00 (Europe/Zurich), to board@example.org, chair@example.org)');
    expect(await form.getByLabel('Time', { exact: true }).inputValue()).toBe('09:30');
    expect(await form.getByLabel('Recipients').inputValue()).toBe('board@example.org, chair@example.org');
    let [now] = await schedulesJson();
    expect(now?.cadence).toEqual({ every: 'month', day: 1, time: '08:00' });
    await page.screenshot({ path: path.join(SHOTS, 'schedules-conflict.png'), fullPage: true });

    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => schedules().status().innerText()).toContain('saved: Every month on the 1st at 09:30 (Europe/Zurich)');
    [now] = await schedulesJson();
    expect(now).toMatchObject({ cadence: { every: 'month', day: 1, time: '09:30' }, recipients: ['board@example.org', 'chair@example.org'] });
  });

  it('pauses and deletes it', async () => {
    const card = schedules().schedule(TITLE);
    await card.getByRole('button', { name: /^Pause/ }).click();
    await card.getByText('Paused', { exact: true }).waitFor();
    expect(await card.innerText()).toContain('Next run: — (paused)');
    expect((await schedulesJson())[0]?.active).toBe(false);
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: /^Delete/ }).click();
    await page.getByText('No schedules yet.').waitFor();
    expect(await schedulesJson()).toEqual([]);
  });
});
