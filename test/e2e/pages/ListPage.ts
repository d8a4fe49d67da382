import type { Page } from 'playwright-core';

export class ListPage {
  constructor(readonly page: Page) {}

  heading(): Promise<string> {
    return this.page.locator('h1').innerText();
  }

  /** The "N things match" count, once the list has loaded. */
  async total(): Promise<number> {
    const count = this.page.locator('.page-head p');
    await this.page.waitForFunction(() => /\d+ .* match/.test(document.querySelector('.page-head p')?.textContent ?? ''));
    const text = (await count.innerText()).trim();
    return Number(text.split(' ')[0]?.replace(/,/g, ''));
  }

  async waitForRows(): Promise<void> {
    await this.page.locator('table.data-table tbody tr').first().waitFor();
  }

  async firstRowLink(): Promise<{ text: string; href: string }> {
    const a = this.page.locator('table.data-table tbody tr td a').first();
    return { text: (await a.innerText()).trim(), href: (await a.getAttribute('href')) ?? '' };
  }

  async openFirstRow(): Promise<void> {
    await this.page.locator('table.data-table tbody tr td a').first().click();
  }
}
