/**
 * One headless Chromium and one page for a whole test file: opened (and signed in as `email`, when given) before
 * the file's tests, closed after them. Read `browser`, `context` and `page` inside the tests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { SignInPage } from './pages/SignInPage.ts';
import { newPage } from './pages/app.ts';
import { launchBrowser } from './server.ts';

export interface BrowserSession { readonly baseUrl: string; readonly browser: Browser; readonly context: BrowserContext; readonly page: Page }

export function browserSession(email?: string): BrowserSession {
  const baseUrl = inject('baseUrl');
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, baseUrl));
    if (email) await (await new SignInPage(page).goto()).signIn(email);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });
  const opened = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what} yet: the browser session opens in beforeAll`);
    return value;
  };
  return {
    baseUrl,
    get browser() { return opened(browser, 'browser'); },
    get context() { return opened(context, 'context'); },
    get page() { return opened(page, 'page'); },
  };
}
