import type { Locator, Page } from 'playwright-core';
import { paintedPixels } from './app.ts';

/** The scorecard page: its KPI cards per checkpoint, the chart (and its table), the heat-map grid and the figures tables. */
export class ScorecardPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<this> {
    await this.page.goto(`/scorecard${search}`);
    await this.loaded();
    return this;
  }

  /** Waits until the chart has drawn and nothing is being fetched. */
  async loaded(): Promise<void> {
    await this.page.locator('[data-chart="scorecard"] canvas').waitFor({ timeout: 20_000 });
    await this.page.waitForFunction(() => document.querySelector('[data-chart="scorecard"]')?.getAttribute('aria-busy') === 'false', undefined, { timeout: 20_000 });
  }

  painted(): Promise<number> {
    return paintedPixels(this.page, '[data-chart="scorecard"] canvas');
  }

  /** The KPI card of a checkpoint ("33.7% (18)"). */
  async kpi(checkpoint: string): Promise<string> {
    return (await this.page.locator(`[data-checkpoint="${checkpoint}"] .kpi-value`).innerText()).trim();
  }

  /** The chart's table alternative: one row per label with its cells. */
  async chartTable(): Promise<{ label: string; cells: string[] }[]> {
    const card = this.page.locator('[data-chart="scorecard"]');
    await card.getByRole('button', { name: 'Show as table' }).click();
    const rows: { label: string; cells: string[] }[] = [];
    for (const tr of await card.locator('table tbody tr').all()) {
      rows.push({ label: (await tr.locator('th').innerText()).trim(), cells: (await tr.locator('td').allInnerTexts()).map((s) => s.trim()) });
    }
    await card.getByRole('button', { name: 'Show as chart' }).click();
    return rows;
  }

  grid(): Locator {
    return this.page.locator('table.heatmap');
  }

  /**
   * The grid's rows: entity name, % met or exceeded, and each cell as seen (its two letters, '' when not rated)
   * with the accessible label beside it.
   */
  async gridRows(): Promise<{ name: string; pct: string; cells: { seen: string; label: string }[] }[]> {
    return this.grid().evaluate((table) => [...table.querySelectorAll('tbody tr')].map((tr) => {
      const tds = [...tr.querySelectorAll('td')];
      return {
        name: tr.querySelector('th .entity-name')?.textContent?.trim() ?? '',
        pct: tds[1]?.textContent?.trim() ?? '',
        cells: tds.slice(2).map((td) => {
          const hidden = td.querySelector('.visually-hidden')?.textContent ?? '';
          return { seen: (td.textContent ?? '').replace(hidden, '').trim(), label: hidden.replace(/^\s*\(|\)$/g, '').trim() };
        }),
      };
    }));
  }

  /** A figures table ("by-region", "by-pillar", …): group label → cells. */
  async figures(id: string): Promise<Map<string, string[]>> {
    const m = new Map<string, string[]>();
    for (const tr of await this.page.locator(`[data-table="${id}"] tbody tr`).all()) {
      m.set((await tr.locator('th').innerText()).trim(), (await tr.locator('td').allInnerTexts()).map((s) => s.trim()));
    }
    return m;
  }
}
