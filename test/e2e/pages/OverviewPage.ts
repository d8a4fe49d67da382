import { OVERVIEW_CHARTS } from '@mm/shared/chart-config';
import type { Locator, Page } from 'playwright-core';
import { barCentres, paintedPixels } from './app.ts';

/** The overview's charts as shared/chart-config lists them: the PDF of the overview draws the same list. */
export { OVERVIEW_CHARTS };
export type OverviewChart = (typeof OVERVIEW_CHARTS)[number];

export interface TableRow { label: string; cells: string[] }

export class OverviewPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<this> {
    await this.page.goto(`/${search}`);
    await this.waitForChart('partnerships-by-region');
    return this;
  }

  card(id: OverviewChart) {
    return this.page.locator(`[data-chart="${id}"]`);
  }

  /** Waits until the chart's canvas is on screen and its data is not being refetched. */
  async waitForChart(id: OverviewChart): Promise<void> {
    await this.card(id).locator('canvas').waitFor({ timeout: 20_000 });
    await this.page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-busy') === 'false', `[data-chart="${id}"]`, { timeout: 20_000 });
  }

  painted(id: OverviewChart): Promise<number> {
    return paintedPixels(this.page, `[data-chart="${id}"] canvas`);
  }

  /** The chart as drawn (a PNG data URL), once it has stopped changing (update animations are 300 ms). */
  async picture(id: OverviewChart): Promise<string> {
    const read = () => this.card(id).locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    let last = await read();
    for (let i = 0; i < 50; i++) {
      await this.page.waitForTimeout(400);
      const now = await read();
      if (now === last) return now;
      last = now;
    }
    throw new Error(`chart ${id} never stopped changing`);
  }

  /** The chart's "show as table" alternative: header columns and rows as the user reads them. */
  async table(id: OverviewChart): Promise<{ columns: string[]; rows: TableRow[] }> {
    const card = this.card(id);
    const toggle = card.getByRole('button', { name: 'Show as table' });
    if (await toggle.count()) await toggle.click();
    const table = card.locator('table');
    await table.waitFor();
    const columns = (await table.locator('thead th').allInnerTexts()).slice(1).map((s) => s.trim());
    const rows: TableRow[] = [];
    for (const tr of await table.locator('tbody tr').all()) {
      rows.push({ label: (await tr.locator('th').innerText()).trim(), cells: (await tr.locator('td').allInnerTexts()).map((s) => s.trim()) });
    }
    await card.getByRole('button', { name: 'Show as chart' }).click();
    return { columns, rows };
  }

  /** The card's heading, as a person reads it. */
  async title(id: OverviewChart): Promise<string> {
    return (await this.card(id).locator('h2').innerText()).trim();
  }

  async tileValue(id: string): Promise<string> {
    return (await this.page.locator(`[data-tile="${id}"] .tile-value`).innerText()).trim();
  }

  /** The button of a filter in the filter bar (its accessible name is the label, then the summary). */
  filterButton(label: string): Locator {
    return this.page.locator('#filter-bar').getByLabel(label, { exact: true });
  }

  /** What the closed filter shows: "All regions", "Africa, Asia and the Pacific", "3 selected". */
  async filterSummary(label: string): Promise<string> {
    return (await this.filterButton(label).locator('.summary').innerText()).trim();
  }

  /** Opens a filter's popup (on a phone, the folded filter bar first) and returns the popup. */
  async openFilter(label: string): Promise<Locator> {
    const toggle = this.page.getByRole('button', { name: /^Filters/ });
    if (await toggle.isVisible()) await toggle.click();
    const button = this.filterButton(label);
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    const popup = this.page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
    await popup.waitFor();
    return popup;
  }

  /** Ticks these choices of a filter, one click each as a person would, then closes the popup with Done. */
  async chooseFilter(label: string, choices: readonly string[]): Promise<void> {
    const popup = await this.openFilter(label);
    for (const c of choices) await popup.getByRole('checkbox', { name: c, exact: true }).check();
    await popup.getByRole('button', { name: 'Done' }).click();
    await popup.waitFor({ state: 'hidden' });
  }

  /** Clicks the n-th bar (left to right) of a chart drawn in one solid colour. */
  async clickBar(id: OverviewChart, n: number, rgb: [number, number, number]): Promise<void> {
    // The centres are viewport coordinates: the chart must be on screen (a taller filter bar can push it down).
    await this.card(id).locator('canvas').scrollIntoViewIfNeeded();
    const bars = await barCentres(this.page, `[data-chart="${id}"] canvas`, rgb);
    const bar = bars[n];
    if (!bar) throw new Error(`chart ${id} has ${bars.length} bars of that colour, not ${n + 1}`);
    await this.page.mouse.click(bar.x, bar.y);
  }

  /** Clicks the link in the chart table's cell (row label, column header). */
  async clickTableCell(id: OverviewChart, rowLabel: string, column: string): Promise<void> {
    const card = this.card(id);
    await card.getByRole('button', { name: 'Show as table' }).click();
    const columns = (await card.locator('table thead th').allInnerTexts()).map((s) => s.trim());
    const col = columns.indexOf(column);
    if (col < 1) throw new Error(`no column "${column}" in ${columns.join(' | ')}`);
    const row = card.locator('table tbody tr').filter({ has: this.page.locator('th', { hasText: rowLabel }) });
    await row.locator('td').nth(col - 1).locator('a').click();
  }
}
