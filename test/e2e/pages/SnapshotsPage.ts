import type { Download, Locator, Page } from 'playwright-core';

/** Snapshots: the list (take one), a snapshot, and the compare page. */
export class SnapshotsPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<this> {
    await this.page.goto(`/snapshots${search}`);
    await this.page.getByRole('heading', { name: 'Snapshots', level: 1 }).waitFor();
    return this;
  }

  /** Takes a snapshot with this title (and note) and waits for it to open; returns its id. */
  async take(title: string, note = ''): Promise<string> {
    await this.page.getByRole('button', { name: 'Take snapshot' }).click();
    await this.page.getByLabel('Title').fill(title);
    if (note) await this.page.getByLabel(/^Note/).fill(note);
    await this.page.getByRole('button', { name: 'Save snapshot' }).click();
    await this.page.waitForURL(/\/snapshots\/[A-Za-z0-9_-]{22}$/);
    await this.banner().waitFor();
    return new URL(this.page.url()).pathname.split('/').pop() ?? '';
  }

  banner(): Locator {
    return this.page.locator('.snapshot-banner');
  }

  tileValue(id: string): Promise<string> {
    return this.page.locator(`[data-tile="${id}"] .tile-value`).innerText();
  }

  async compareWithToday(): Promise<void> {
    await this.page.getByRole('link', { name: 'Compare with today' }).first().click();
    await this.page.waitForURL(/\/snapshots\/compare\?/);
    await this.page.locator('[data-fact="milestones"]').waitFor();
  }

  fact(id: string): Promise<string> {
    return this.page.locator(`[data-fact="${id}"]`).innerText();
  }

  async compareTable(): Promise<string[][]> {
    const rows = this.page.locator('table.compare-table tbody tr');
    await rows.first().waitFor();
    const out: string[][] = [];
    for (const tr of await rows.all()) out.push((await tr.locator('td').allInnerTexts()).map((s) => s.trim()));
    return out;
  }

  async download(linkName: string): Promise<Download> {
    const [d] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('link', { name: linkName }).first().click()]);
    return d;
  }
}
