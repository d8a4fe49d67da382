import type { Download, Locator, Page } from 'playwright-core';

/** The import page: type, file, dry-run report, confirm. */
export class ImportPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<this> {
    await this.page.goto('/import');
    await this.page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    return this;
  }

  /** Picks the record type, attaches the file and runs the dry run; resolves when the report is shown. */
  async check(typeLabel: string, name: string, content: string): Promise<Locator> {
    await this.page.getByLabel(typeLabel, { exact: true }).check();
    await this.page.getByLabel(/Choose the file/).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await this.page.getByRole('button', { name: /Check the file/ }).click();
    const report = this.report();
    await report.waitFor();
    return report;
  }

  report(): Locator {
    return this.page.locator('section.report');
  }

  sentence(): Promise<string> {
    return this.report().locator('.sentence').innerText();
  }

  /** Row numbers of the rows highlighted as problems. */
  async problemRows(): Promise<number[]> {
    const rows = await this.report().locator('tr.problem').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-row'))));
    return [...new Set(rows)];
  }

  async downloadReport(): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.report().getByRole('button', { name: 'Download report (CSV)' }).click()]);
    return download;
  }

  async confirm(): Promise<void> {
    await this.report().getByRole('button', { name: /^Import \d+ rows now/ }).click();
    await this.page.locator('section.report[data-committed="true"]').waitFor();
  }
}
