/**
 * The managers' dashboard in headless Chromium against the real server with demo data: sign in, see
 * every overview chart drawn with the API's numbers, filter through the UI and through a pasted URL,
 * drill down from a bar to its list, open an action plan and an indicator, and scan each page with axe.
 */
import { chartTitle } from '@mm/shared/chart-config';
import { formatCount, formatUsd } from '@mm/shared/format';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DetailPage } from './pages/DetailPage.ts';
import { ListPage } from './pages/ListPage.ts';
import { OVERVIEW_CHARTS, OverviewPage } from './pages/OverviewPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { apiJson, expectAccessible, newPage } from './pages/app.ts';
import { launchBrowser } from './server.ts';

interface Group { key: string; label: string; partnerships: number; indicators: Record<string, number> }
interface ByDimension { asOf: string; groups: Group[] }

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let page: Page;

const api = <T>(path: string): Promise<T> => apiJson<T>(page, path);

beforeAll(async () => {
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, baseUrl));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('sign-in', () => {
  it('lists the demo accounts, labels the demo data, and passes axe', async () => {
    const signIn = await new SignInPage(page).goto();
    expect(await signIn.demoAccounts()).toEqual(['admin@demo.local', 'manager@demo.local', 'staff.africa@demo.local', 'staff.asia@demo.local', 'reviewer@demo.local']);
    expect(await signIn.demoBanner()).toContain('Illustrative demo data');
    await expectAccessible(page, 'sign-in page');
  });

  it('shows the problem title when the password is wrong', async () => {
    const signIn = new SignInPage(page);
    await page.getByLabel('Email').fill('manager@demo.local');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await signIn.errorText()).toContain('Sign-in failed');
  });

  it('signs the manager in to the overview', async () => {
    await new SignInPage(page).signIn('manager@demo.local');
    expect(await page.locator('h1').innerText()).toBe('Overview');
    expect(await page.locator('.demo-banner').innerText()).toContain('not real ILO figures');
  });
});

describe('overview', () => {
  it('draws partnerships by region with the numbers of /progress/by/region', async () => {
    const overview = await new OverviewPage(page).goto();
    expect(await overview.painted('partnerships-by-region')).toBeGreaterThan(2000);
    const byRegion = await api<ByDimension>('/progress/by/region');
    const table = await overview.table('partnerships-by-region');
    expect(table.rows.map((r) => r.label)).toEqual(byRegion.groups.map((g) => g.label));
    expect(table.rows.map((r) => r.cells[0])).toEqual(byRegion.groups.map((g) => formatCount(g.partnerships)));
    expect(byRegion.groups.reduce((s, g) => s + g.partnerships, 0)).toBeGreaterThan(0);
  });

  it('draws every overview chart', async () => {
    const overview = new OverviewPage(page);
    for (const id of OVERVIEW_CHARTS) {
      await overview.waitForChart(id);
      expect(await overview.painted(id), id).toBeGreaterThan(1000);
      // The shared definition's title: the PDF of this view puts the same one over the same chart.
      expect(await overview.title(id)).toBe(chartTitle(id));
    }
    expect(await page.locator('[data-chart]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-chart')))).toEqual([...OVERVIEW_CHARTS]);
    // The stacked status bars and the resources bars carry the API's numbers too.
    const byRegion = await api<ByDimension>('/progress/by/region');
    const status = await overview.table('status-by-region');
    expect(status.columns).toEqual(['✔ Achieved', '● On track', '▲ At risk', '✖ Off track', '– No data']);
    expect(status.rows.map((r) => r.cells)).toEqual(byRegion.groups.map((g) => ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'].map((k) => formatCount(g.indicators[k] ?? -1))));
    const byModality = await api<{ groups: { resourcesUsd: number }[] }>('/progress/by/modality');
    expect((await overview.table('resources-by-modality')).rows.map((r) => r.cells[0])).toEqual(byModality.groups.map((g) => formatUsd(g.resourcesUsd)));
    await expectAccessible(page, 'overview');
  });

  it('asks for each of the overview\'s figures once on a fresh load (the shell starts them early, the page picks them up)', async () => {
    const fresh = await newPage(browser, baseUrl);
    try {
      await fresh.context.addCookies(await context.cookies());
      const asked: string[] = [];
      fresh.page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith('/api/v1/progress/')) asked.push(u.pathname + u.search);
      });
      const overview = new OverviewPage(fresh.page);
      await overview.goto('?region=AFR');
      for (const id of OVERVIEW_CHARTS) await overview.waitForChart(id);
      expect([...asked].sort()).toEqual([
        '/api/v1/progress/by/mandate?region=AFR', '/api/v1/progress/by/modality?region=AFR', '/api/v1/progress/by/partnerType?region=AFR',
        '/api/v1/progress/by/region?region=AFR', '/api/v1/progress/scorecard?region=AFR&pageSize=1', '/api/v1/progress/summary?region=AFR', '/api/v1/progress/timeline?region=AFR',
        '/api/v1/progress/trajectory?region=AFR&interval=year',
      ]);
    } finally {
      await fresh.context.close();
    }
  });

  it('gives the same numbers for a filter chosen in the UI and for the same URL pasted', async () => {
    const overview = new OverviewPage(page);
    await overview.waitForChart('partnerships-by-region');
    const before = await overview.picture('partnerships-by-region');
    await overview.chooseFilter('Partner type', ['UN fund, programme or agency']);
    await page.waitForURL(/partnerType=un/);
    await overview.waitForChart('partnerships-by-region');
    // The chart on screen was redrawn with the new numbers (the same picture a fresh load of the URL draws, below).
    const redrawn = await overview.picture('partnerships-by-region');
    expect(redrawn).not.toBe(before);
    const viaUi = await overview.table('partnerships-by-region');
    const filtered = await api<ByDimension>('/progress/by/region?partnerType=un');
    expect(viaUi.rows.map((r) => r.cells[0])).toEqual(filtered.groups.map((g) => formatCount(g.partnerships)));
    const unfiltered = await api<ByDimension>('/progress/by/region');
    expect(filtered.groups.map((g) => g.partnerships)).not.toEqual(unfiltered.groups.map((g) => g.partnerships));
    const tile = await overview.tileValue('active-partnerships');

    const pasted = await newPage(browser, baseUrl);
    await pasted.context.addCookies(await context.cookies());
    const again = await new OverviewPage(pasted.page).goto(new URL(page.url()).search);
    expect(await again.filterSummary('Partner type')).toBe('UN fund, programme or agency');
    await again.waitForChart('trajectory');
    // A view option beside the filters: quarter points, kept in the URL.
    await again.card('trajectory').getByRole('button', { name: 'Quarter' }).click();
    await pasted.page.waitForURL(/interval=quarter/);
    await again.waitForChart('trajectory');
    expect((await again.table('trajectory')).rows[0]?.label).toMatch(/^\d{4}-Q[1-4]$/);
    expect((await again.table('partnerships-by-region')).rows).toEqual(viaUi.rows);
    expect(await again.picture('partnerships-by-region')).toBe(redrawn);
    expect(await again.tileValue('active-partnerships')).toBe(tile);
    await pasted.context.close();

    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('partnerType'));
    await overview.waitForChart('partnerships-by-region');
    expect((await overview.table('partnerships-by-region')).rows.map((r) => r.cells[0])).toEqual(unfiltered.groups.map((g) => formatCount(g.partnerships)));
  });

  it('compares two regions chosen in the UI: both in the URL, only their numbers in the chart', async () => {
    const overview = await new OverviewPage(page).goto();
    expect(await overview.filterSummary('Region')).toBe('All regions');
    await overview.chooseFilter('Region', ['Africa', 'Asia and the Pacific']);
    await page.waitForURL((u) => u.searchParams.getAll('region').length === 2);
    expect(new URL(page.url()).search).toBe('?region=AFR&region=ASP');
    expect(await overview.filterSummary('Region')).toBe('Africa, Asia and the Pacific');
    await overview.waitForChart('partnerships-by-region');
    const both = await api<ByDimension>('/progress/by/region?region=AFR&region=ASP');
    const table = await overview.table('partnerships-by-region');
    // The chart (and its table) shows the two chosen regions only, with the API's numbers for them.
    const chosen = both.groups.filter((g) => g.key === 'AFR' || g.key === 'ASP');
    expect(table.rows.map((r) => [r.label, r.cells[0]])).toEqual(chosen.map((g) => [g.label, formatCount(g.partnerships)]));
    expect(table.rows.map((r) => r.label)).toEqual(['Africa', 'Asia and the Pacific']);
    expect(chosen.every((g) => g.partnerships > 0)).toBe(true);
    expect(await overview.painted('partnerships-by-region')).toBeGreaterThan(1000);

    // Each tick was a step in the history: back shows Africa alone, forward both again, reload keeps them.
    await page.goBack();
    await page.waitForURL((u) => u.search === '?region=AFR');
    expect(await overview.filterSummary('Region')).toBe('Africa');
    await page.goForward();
    await page.waitForURL((u) => u.search === '?region=AFR&region=ASP');
    await page.reload();
    await overview.waitForChart('partnerships-by-region');
    expect(await overview.filterSummary('Region')).toBe('Africa, Asia and the Pacific');

    // Clear in the popup drops both regions at once.
    const popup = await overview.openFilter('Region');
    await popup.getByRole('button', { name: 'Clear region' }).click();
    await page.waitForURL((u) => u.search === '');
    expect(await popup.getByRole('checkbox', { checked: true }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('is operable from the keyboard: open, tick with Space, type to filter countries, Escape back, and passes axe open', async () => {
    const overview = await new OverviewPage(page).goto();
    const region = overview.filterButton('Region');
    await region.focus();
    await page.keyboard.press('ArrowDown');
    expect(await region.getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('checkbox');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.waitForURL((u) => u.search === '?region=AME');
    await expectAccessible(page, 'overview with the region popup open');
    await page.keyboard.press('Escape');
    expect(await region.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-region');
    expect(await overview.filterSummary('Region')).toBe('Americas');

    // Country: focus lands in the filter box; Enter moves to the first match, Space ticks it.
    const country = overview.filterButton('Country');
    await country.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('bra');
    const popup = page.locator('#f-country-popup');
    expect(await popup.locator('label.choice').allInnerTexts()).toEqual(['Brazil']);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await page.waitForURL((u) => u.search === '?region=AME&country=BRA');
    await expectAccessible(page, 'overview with the country popup open');
    await page.keyboard.press('Escape');
    expect(await overview.filterSummary('Country')).toBe('Brazil');
  });

  it('drills from a bar to the list of the partnerships it counts', async () => {
    const overview = await new OverviewPage(page).goto();
    const byRegion = await api<ByDimension>('/progress/by/region');
    // The third bar is Arab States (reference order: AFR, AME, ARB, …).
    await overview.clickBar('partnerships-by-region', 2, [0, 114, 178]);
    await page.waitForURL(/\/partnerships\?region=ARB/);
    const list = new ListPage(page);
    expect(await list.heading()).toBe('Partnerships');
    expect(await list.total()).toBe(byRegion.groups.find((g) => g.key === 'ARB')?.partnerships);
    await expectAccessible(page, 'partnership list');
  });

  it('drills from the status table to the off-track indicators in Arab States', async () => {
    const overview = await new OverviewPage(page).goto();
    const byRegion = await api<ByDimension>('/progress/by/region');
    const offTrack = byRegion.groups.find((g) => g.key === 'ARB')?.indicators.off_track ?? -1;
    await overview.clickTableCell('status-by-region', 'Arab States', '✖ Off track');
    await page.waitForURL(/\/indicators\?region=ARB&status=off_track/);
    const list = new ListPage(page);
    expect(await list.total()).toBe(offTrack);
    await expectAccessible(page, 'indicator list');
  });
});

describe('tiles', () => {
  it('open the list behind them with the same count (off-track indicators as of the end of 2012)', async () => {
    const overview = await new OverviewPage(page).goto('?asOf=2012-12-31');
    const tile = await overview.tileValue('indicators-off-track');
    await page.locator('[data-tile="indicators-off-track"]').click();
    await page.waitForURL(/\/indicators\?status=off_track&asOf=2012-12-31/);
    expect(formatCount(await new ListPage(page).total())).toBe(tile);
  });
});

describe('lists', () => {
  it('sort indicators by their computed status and attainment from the column headers', async () => {
    await page.goto(`${baseUrl}/indicators?asOf=2012-12-31`);
    const list = new ListPage(page);
    await list.waitForRows();
    await page.getByRole('button', { name: /^Status/ }).click();
    await page.waitForURL(/sort=status/);
    await list.waitForRows();
    const api = await (await page.request.get('/api/v1/indicators?asOf=2012-12-31&sort=status&pageSize=25')).json();
    await page.waitForFunction((name) => document.querySelector('table.data-table tbody tr td a')?.textContent?.trim() === name, api.items[0].name);
    expect(api.items[0].status).toBe('off_track');
    await page.getByRole('button', { name: /^Attainment/ }).click();
    await page.waitForURL(/sort=attainment/);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Attainment');
  });
});

describe('quality', () => {
  it('shows the API problem title when a pasted URL has an unknown filter value', async () => {
    await page.goto('/?region=XXX');
    const alert = page.locator('[data-chart="partnerships-by-region"] [role="alert"]');
    await alert.waitFor();
    const res = await page.request.get('/api/v1/progress/by/region?region=XXX');
    expect(res.status()).toBe(400);
    const problem: { title: string } = await res.json();
    expect(await alert.innerText()).toContain(problem.title);
  });

  it('works from the keyboard: skip link, then tab to a chart table and drill down with Enter', async () => {
    const overview = await new OverviewPage(page).goto();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const toggle = overview.card('partnerships-by-region').getByRole('button', { name: 'Show as table' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const firstLink = overview.card('partnerships-by-region').locator('table a').first();
    await firstLink.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/partnerships\?region=AFR/);
  });

  it('fits a 390 px phone without sideways scrolling and passes axe there', async () => {
    const phone = await newPage(browser, baseUrl, { width: 390, height: 844 });
    await phone.context.addCookies(await context.cookies());
    const overview = await new OverviewPage(phone.page).goto();
    for (const id of OVERVIEW_CHARTS) await overview.waitForChart(id);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await overview.painted('partnerships-by-region')).toBeGreaterThan(1000);
    await expectAccessible(phone.page, 'overview on a phone');
    // The filter popup spans the filter card and stays inside the screen.
    const popup = await overview.openFilter('Country');
    const box = await popup.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(phone.page, 'country filter open on a phone');
    await phone.context.close();
  });
});

describe('details', () => {
  it('opens an action plan with its indicators, milestones and charts', async () => {
    await page.goto('/action-plans');
    const list = new ListPage(page);
    await list.waitForRows();
    const first = await list.firstRowLink();
    await list.openFirstRow();
    await page.waitForURL(new RegExp(`${first.href}$`));
    const detail = new DetailPage(page);
    expect(await detail.heading()).toBe(first.text);
    expect(await detail.sectionText('Indicators')).toMatch(/Attainment/);
    expect(await detail.sectionText('Milestones')).toMatch(/Due/);
    await page.locator('main canvas').first().waitFor();
    expect(Math.min(...(await detail.chartsPainted()))).toBeGreaterThan(50);
    await expectAccessible(page, 'action plan');
  });

  it('opens an indicator with its measurements against baseline, expected path, forecast and target', async () => {
    await page.locator('[aria-labelledby="indicators-title"] table tbody a').first().click();
    await page.waitForURL(/\/indicators\/\d+$/);
    const detail = new DetailPage(page);
    const name = await detail.heading();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const progress = await api<{ indicator: { name: string }; measurements: unknown[] }>(`/indicators/${id}/progress`);
    expect(name).toBe(progress.indicator.name);
    await page.locator('main canvas').first().waitFor();
    expect(Math.min(...(await detail.chartsPainted()))).toBeGreaterThan(1000);
    expect(await detail.sectionText('Measurements')).toContain('Baseline');
    await expectAccessible(page, 'indicator');
  });

  it('opens a partnership with its partners and linked action plans', async () => {
    await page.goto('/partnerships?sort=-resourcesUsd');
    const list = new ListPage(page);
    await list.waitForRows();
    const first = await list.firstRowLink();
    await list.openFirstRow();
    const detail = new DetailPage(page);
    expect(await detail.heading()).toBe(first.text);
    expect(await detail.sectionText('Partners')).toMatch(/Lead/);
    await expectAccessible(page, 'partnership');
  });
});

describe('sign-out', () => {
  it('ends the session and shows the sign-in page again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
    const res = await page.request.get('/api/v1/auth/me');
    expect(res.status()).toBe(401);
  });
});
