import type { Page } from 'playwright-core';
import { paintedPixels } from './app.ts';

export class DetailPage {
  constructor(readonly page: Page) {}

  async heading(): Promise<string> {
    const h = this.page.locator('h1');
    await this.page.waitForFunction(() => !document.querySelector('main .state.loading') && !!document.querySelector('main h1'));
    return (await h.innerText()).trim();
  }

  /** Painted pixels of every chart canvas on the page. */
  async chartsPainted(): Promise<number[]> {
    const canvases = this.page.locator('main canvas');
    const n = await canvases.count();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await paintedPixels(this.page, `main canvas >> nth=${i}`));
    return out;
  }

  sectionText(name: string): Promise<string> {
    return this.page.getByRole('region', { name }).innerText();
  }
}
