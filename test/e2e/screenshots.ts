/**
 * Screenshots of the sign-in page and the overview at desktop (1366×900) and phone (390×844) width (and a few
 * pages in French and Spanish at phone width), for
 * people to look at: `node --import tsx test/e2e/screenshots.ts [outDir]` after `pnpm build`.
 * The desktop overview is also written to docs/screenshot-overview.png for the README.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, newPage, PHONE } from './pages/app.ts';
import { OVERVIEW_CHARTS, OverviewPage } from './pages/OverviewPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { launchBrowser, ROOT, startServer } from './server.ts';

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-results/screenshots'));
fs.mkdirSync(out, { recursive: true });
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    const { context, page } = await newPage(browser, server.url, viewport);
    await new SignInPage(page).goto();
    await page.locator('.demo-accounts li').first().waitFor();
    await page.screenshot({ path: path.join(out, `signin-${name}.png`), fullPage: true });
    await new SignInPage(page).signIn('manager@demo.local');
    // The demo data runs to 2015; as of the end of 2012 the overview shows the forecast that matters to managers.
    const overview = await new OverviewPage(page).goto('?asOf=2012-12-31');
    for (const id of OVERVIEW_CHARTS) await overview.waitForChart(id);
    await page.screenshot({ path: path.join(out, `overview-${name}.png`), fullPage: name === 'phone' });
    await page.screenshot({ path: path.join(out, `overview-${name}-full.png`), fullPage: true });
    // Screen-sized slices of the full page, to look at the phone layout at its real size.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0, i = 1; y < height && i <= 8; y += viewport.height, i++) {
      await page.screenshot({ path: path.join(out, `overview-${name}-${i}.png`), fullPage: true, clip: { x: 0, y, width: viewport.width, height: Math.min(viewport.height, height - y) } });
    }
    if (name === 'desktop') {
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(out, 'overview-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
      fs.copyFileSync(path.join(out, 'overview-desktop.png'), path.join(ROOT, 'docs/screenshot-overview.png'));
    }
    for (const [shot, url] of [['indicators', '/indicators?region=ARB&status=off_track'], ['action-plan', '/action-plans/1?asOf=2012-12-31'], ['indicator', '/indicators/1?asOf=2012-12-31'], ['partnership', '/partnerships/1']] as const) {
      await page.goto(url);
      await page.waitForFunction(() => !document.querySelector('main .state.loading') && document.querySelector('main h1') !== null);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(out, `${shot}-${name}.png`), fullPage: true });
    }
    await context.close();
  }
  // The same pages in French and Spanish at phone width (the longer words are where layouts break).
  for (const lang of ['fr', 'es'] as const) {
    const { context, page } = await newPage(browser, server.url, PHONE);
    await context.addCookies([{ name: 'mm_locale', value: lang, url: server.url }]);
    await page.goto('/');
    await page.locator('.demo-accounts li').first().waitFor();
    await page.screenshot({ path: path.join(out, `signin-phone-${lang}.png`), fullPage: true });
    await page.locator('#email').fill('manager@demo.local');
    await page.locator('#password').fill('demo-password-2015');
    await page.locator('form button[type="submit"]').click();
    await page.locator('header .user').waitFor();
    for (const [shot, url] of [['overview', '/?asOf=2012-12-31'], ['scorecard', '/scorecard'], ['reporting', '/reporting'], ['partnerships', '/partnerships'], ['snapshots', '/snapshots']] as const) {
      await page.goto(url);
      await page.waitForFunction(() => !document.querySelector('main .state.loading') && document.querySelector('main h1') !== null);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: path.join(out, `${shot}-phone-${lang}.png`), fullPage: true, clip: { x: 0, y: 0, width: PHONE.width, height: Math.min(height, 2600) } });
    }
    await context.close();
  }
  console.log(`Screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
