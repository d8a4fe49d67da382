import type { Locator, Page } from 'playwright-core';

/** "My work": milestones and indicators to update, each with its inline form. */
export class MyWorkPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<this> {
    await this.page.goto(`/my-work${search}`);
    await this.page.locator('[data-milestone]').first().waitFor({ timeout: 20_000 });
    return this;
  }

  milestone(id: number): Locator {
    return this.page.locator(`[data-milestone="${id}"]`);
  }

  /** Opens the milestone's inline form and returns it. */
  async openMilestone(id: number): Promise<Locator> {
    const item = this.milestone(id);
    await item.getByRole('button', { name: /^Update/ }).click();
    const form = item.locator('form');
    await form.waitFor();
    return form;
  }

  async statusMessage(): Promise<string> {
    const s = this.page.locator('.saved[role="status"]');
    await this.page.waitForFunction(() => (document.querySelector('.saved[role="status"]')?.textContent ?? '').trim() !== '');
    return (await s.innerText()).trim();
  }

  conflictDialog(): Locator {
    return this.page.getByRole('dialog', { name: /changed this milestone/ });
  }
}
