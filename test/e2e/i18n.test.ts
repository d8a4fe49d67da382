/**
 * The web app in French and Spanish, in a real browser: each main page in each language is axe-clean, shows no
 * raw message key and no English word of the interface (record names people typed stay as typed and are left out
 * of the scan); the overview's numbers are the same in English, French and Spanish, only formatted differently;
 * the server picks the language from the account, else Accept-Language; the switcher in the header reloads the
 * same address (filters kept) in the chosen language and remembers it for the account.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SignInPage } from './pages/SignInPage.ts';
import { expectAccessible, newPage } from './pages/app.ts';
import { launchBrowser, ROOT } from './server.ts';

type Lang = 'en' | 'fr' | 'es';
const catalogue = (lang: Lang): Record<string, string> => {
  const { $schema: _s, ...rest } = JSON.parse(fs.readFileSync(path.join(ROOT, 'web/messages', `${lang}.json`), 'utf8')) as Record<string, string>;
  return rest;
};
const CATALOGUES = { en: catalogue('en'), fr: catalogue('fr'), es: catalogue('es') };
const KEYS = new Set(Object.keys(CATALOGUES.en));
const words = (s: string) => s.replace(/\{\w+\}/g, ' ').toLowerCase().match(/\p{L}+/gu) ?? [];
/** Words of the English interface that neither French nor Spanish uses ("loading", "partnerships", "show", "with"…). */
const ENGLISH_ONLY = (() => {
  // Intl's month names are French and Spanish words too ("may" is May in Spanish dates: "30 may 2012").
  const months = ['fr', 'es'].flatMap((l) => Array.from({ length: 12 }, (_, i) => ['short', 'long'].map((month) => new Intl.DateTimeFormat(l, { month: month as 'short' | 'long', timeZone: 'UTC' }).format(Date.UTC(2012, i, 15)))).flat());
  const other = new Set([...Object.values(CATALOGUES.fr), ...Object.values(CATALOGUES.es), ...months].flatMap(words));
  const en = new Set(Object.values(CATALOGUES.en).flatMap(words).filter((w) => w.length >= 3 && !other.has(w)));
  for (const w of ['the', 'and', 'with', 'of', 'by', 'for', 'from', 'this', 'that', 'show', 'hide', 'loading']) en.add(w);
  return en;
})();

/** What people typed or the demo data named (record titles, partner and agency names, units, notes): not interface text. */
const TYPED = [
  'a[href^="/partnerships/"]', 'a[href^="/action-plans/"]', 'a[href^="/milestones/"]', 'a[href^="/indicators/"]', 'a[href^="/scorecard/assessments/"]',
  '.page-head h1', '.crumbs', '.who', '.entity-name', '.missing li', '.note', '.evidence-link', 'option', 'code',
  '.demo-accounts li', '.facts dd', '[translate="no"]', '.data-table td', '.data-table tbody th', 'abbr', '.language', '.brand', '.footer',
].join(', ');

async function interfaceText(page: Page): Promise<string> {
  return page.evaluate((typed) => {
    const main = document.body.cloneNode(true) as HTMLElement;
    // Typed names also appear inside interface sentences (a caption, a chart's label): cut them out there too.
    const names = [...main.querySelectorAll(typed)].map((el) => (el.textContent ?? '').trim()).filter((t) => t.length > 3).sort((a, b) => b.length - a.length);
    for (const el of main.querySelectorAll(typed)) el.remove();
    for (const el of main.querySelectorAll('[aria-label]')) el.append(` ${el.getAttribute('aria-label') ?? ''}`);
    let text = main.textContent ?? '';
    for (const n of names) text = text.split(n).join(' ');
    return text;
  }, TYPED);
}

/** Opens `path` signed in, in a browser whose language cookie says `lang`, and waits for the page to settle. */
async function open(page: Page, p: string): Promise<void> {
  await page.goto(p);
  await page.locator('main .state.loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle');
  await page.locator('.spinner').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
}

/** Every page of the app (signed in as the demo admin, who may open all of them); the snapshot pages follow below. */
const PAGES = [
  '/', '/?region=AFR&asOf=2012-12-31&figures=approved', '/partnerships', '/partnerships/1', '/action-plans', '/action-plans/1', '/milestones?overdue=true', '/milestones/1',
  '/indicators', '/indicators/1', '/scorecard', '/scorecard?view=table', '/scorecard/criteria', '/scorecard/assessments/1', '/scorecard/assessments/new',
  '/my-work', '/import', '/users', '/snapshots', '/snapshots/schedules', '/reporting', '/reporting/periods', '/reporting/events', '/nowhere',
];
/** Where each page's screenshot goes, for people to look at (`test-results/` is not committed). */
const SHOTS = path.join(ROOT, 'test-results/i18n');
/** The page from its top, at most 2,400 px of it (long lists would make an unreadable strip). */
async function shoot(page: Page, file: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize()?.width ?? 1366, height: Math.min(height, 2400) } });
}

describe.each(['fr', 'es'] as const)('the app in %s', (lang) => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, baseUrl));
    await context.addCookies([{ name: 'mm_locale', value: lang, url: baseUrl }]);
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
  });

  const check = async (what: string) => {
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    fs.mkdirSync(path.join(SHOTS, lang), { recursive: true });
    await shoot(page, path.join(SHOTS, lang, `${what.replace(/[^\w-]+/g, '_').replace(/^_+|_+$/g, '') || 'overview'}.png`));
    const text = await page.locator('body').innerText();
    const raw = (text.match(/\b[a-z]+_[A-Za-z0-9_]+\b/g) ?? []).filter((w) => KEYS.has(w));
    expect(raw, `${what}: raw message keys`).toEqual([]);
    const english = [...new Set(words(await interfaceText(page)).filter((w) => ENGLISH_ONLY.has(w)))];
    expect(english.join(' '), `${what}: English words on the ${lang} page`).toBe('');
    await expectAccessible(page, `${what} (${lang})`);
  };

  it('the sign-in page', async () => {
    await page.goto('/');
    await page.locator('#email').waitFor();
    await check('sign-in');
    await page.locator('#email').fill('admin@demo.local');
    await page.locator('#password').fill('demo-password-2015');
    await page.locator('form button[type="submit"]').click();
    await page.locator('header .user button.secondary').waitFor();
  });

  it.each(PAGES)('%s', async (p) => {
    await open(page, p);
    await check(p);
  });

  it('a reporting submission, a snapshot, its comparison with live figures and its share page', async () => {
    const headers = { 'X-Requested-With': 'MainstreamMonitor' };
    const periods = await (await page.request.get('/api/v1/reporting-periods')).json() as { items: { id: number; name: string }[] };
    const h2 = periods.items.find((x) => x.name.includes('2012') && /H2|2nd|second/i.test(x.name)) ?? periods.items.at(-1);
    expect(h2).toBeDefined();
    await open(page, `/reporting/${h2?.id}/AFR`);
    await check('reporting-region');
    // A title of codes and digits: the compare page puts it inside its sentences, where the scan cannot tell it from interface text.
    const taken = await page.request.post('/api/v1/snapshots', { data: { title: `AFR 2012 (${lang})`, note: null, filters: { region: ['AFR'], asOf: '2012-12-31' } }, headers });
    expect(taken.status()).toBe(201);
    const { id } = await taken.json() as { id: string };
    await open(page, `/snapshots/${id}`);
    await check('snapshot');
    await open(page, `/snapshots/compare?from=${id}&to=live`);
    await check('snapshot-compare');
    const shared = await page.request.post(`/api/v1/snapshots/${id}/share`, { data: { expiresInDays: 7 }, headers });
    expect(shared.status()).toBe(201);
    const { token } = await shared.json() as { token: string };
    // The share page is for people without an account: a fresh browser, in this language by its cookie only.
    const { context: anon, page: p2 } = await newPage(browser, baseUrl);
    try {
      await anon.addCookies([{ name: 'mm_locale', value: lang, url: baseUrl }]);
      await open(p2, `/shared/${token}`);
      await p2.locator('[data-format="pdf"]').waitFor();
      // Its downloads come in the page's language, stated in the address so a copied link gives the same file.
      const href = await p2.locator('[data-format="pdf"]').getAttribute('href');
      expect(href).toContain(`lang=${lang}`);
      const pdf = await p2.request.get(href ?? '');
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-language']).toBe(lang);
      const text = words(await interfaceText(p2)).filter((w) => ENGLISH_ONLY.has(w));
      expect([...new Set(text)].join(' '), `share page: English words on the ${lang} page`).toBe('');
      expect(await p2.getAttribute('html', 'lang')).toBe(lang);
      await shoot(p2, path.join(SHOTS, lang, 'shared.png'));
      await expectAccessible(p2, `shared snapshot (${lang})`);
    } finally {
      await anon.close();
    }
  });
});

describe('the overview in three languages', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser.close(); });

  async function tiles(lang: Lang, search: string): Promise<{ values: string[]; details: string[]; table: string[] }> {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await context.addCookies([{ name: 'mm_locale', value: lang, url: baseUrl }]);
      const res = await page.request.post('/api/v1/auth/login', { data: { email: 'manager@demo.local', password: 'demo-password-2015' }, headers: { 'X-Requested-With': 'MainstreamMonitor' } });
      expect(res.status()).toBe(200);
      await open(page, `/${search}`);
      await page.locator('[data-tile] .tile-value').first().waitFor();
      const card = page.locator('[data-chart="partnerships-by-region"]');
      await card.locator('button[aria-controls$="-table"]').click();
      return {
        values: await page.locator('[data-tile] .tile-value').allInnerTexts(),
        details: await page.locator('[data-tile] .tile-detail').allInnerTexts(),
        table: await card.locator('tbody td').allInnerTexts(),
      };
    } finally {
      await context.close();
    }
  }
  const digits = (xs: string[]) => xs.map((x) => x.replace(/\D/g, ''));

  it.each(['', '?region=AFR&region=ASP&asOf=2012-12-31'])('has the same numbers in en, fr and es%s, each in its own format', async (search) => {
    const [en, fr, es] = [await tiles('en', search), await tiles('fr', search), await tiles('es', search)];
    expect(en.values.length).toBe(9);
    for (const other of [fr, es]) {
      expect(digits(other.values)).toEqual(digits(en.values));
      expect(digits(other.details)).toEqual(digits(en.details));
      expect(digits(other.table)).toEqual(digits(en.table));
    }
    // Formatted for the language: US$…m and 12.3% in English; a decimal comma and a spaced % in French and Spanish.
    expect(en.values.join(' ')).toMatch(/US\$\d[\d.,]*[mk] /);
    expect(fr.values.join(' ')).toMatch(/\d+,\d\s%/);
    expect(fr.values.join(' ')).toMatch(/\d+,\d\sM\s\$US/);
    expect(es.values.join(' ')).toMatch(/\d+,\d\s%/);
    expect(es.values.join(' ')).toMatch(/\d+,\d\sM\sUS\$/);
  });
});

describe('choosing the language', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser.close(); });

  it('follows Accept-Language when nothing was chosen', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'es-ES', extraHTTPHeaders: { 'Accept-Language': 'es-ES,es;q=0.9,en;q=0.5' } });
    const page = await context.newPage();
    await page.goto('/');
    await page.locator('#email').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('label[for="email"]').innerText()).toBe('Correo electrónico');
    await context.close();
  });

  it('switches on a page with filters: the same address, now in French, remembered for the account over Accept-Language', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await (await new SignInPage(page).goto()).signIn('reviewer@demo.local');
      const address = '/partnerships?region=AFR&modality=joint_un&sort=-resourcesUsd';
      await open(page, address);
      await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
      await page.waitForFunction(() => document.documentElement.lang === 'fr');
      await page.locator('h1').waitFor();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(address);
      expect(await page.locator('h1').innerText()).toBe('Partenariats');
      expect(await page.locator('#f-region').innerText()).toContain('Afrique');
      // A new browser, English by its Accept-Language: the account's choice wins once signed in.
      const other = await browser.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } });
      const p2 = await other.newPage();
      await (await new SignInPage(p2).goto()).signIn('reviewer@demo.local');
      await p2.goto('/scorecard');
      expect(await p2.getAttribute('html', 'lang')).toBe('fr');
      await other.close();
      // Back to English (other browser tests read this account in English).
      await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(new URL(page.url()).search).toBe('?region=AFR&modality=joint_un&sort=-resourcesUsd');
    } finally {
      await context.close();
    }
  });
});
