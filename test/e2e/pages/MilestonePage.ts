import type { Locator, Page } from 'playwright-core';

/** One milestone's page: its facts, evidence, the staff form and the change history. */
export class MilestonePage {
  constructor(readonly page: Page) {}

  async goto(id: number | string): Promise<this> {
    await this.page.goto(`/milestones/${id}`);
    await this.loaded();
    return this;
  }

  /** Waits until the page shows the milestone or its error (not the spinner). */
  async loaded(): Promise<void> {
    await this.page.waitForFunction(() => !document.querySelector('main .state.loading') && !!document.querySelector('main h1'));
  }

  async heading(): Promise<string> {
    await this.loaded();
    return (await this.page.locator('main h1').innerText()).trim();
  }

  /** The value next to a label in "Where it stands" ("Percent complete" → "40%"). */
  async fact(label: string): Promise<string> {
    const dd = this.page.getByRole('region', { name: 'Where it stands' }).locator(`dt:text-is("${label}") + dd`);
    return (await dd.innerText()).trim();
  }

  evidence(): Locator {
    return this.page.getByRole('region', { name: 'Evidence' });
  }

  async alert(): Promise<string> {
    return (await this.page.getByRole('alert').innerText()).trim();
  }

  /** Opens the history and returns its entries, newest first (empty when none are recorded). */
  async history(): Promise<string[]> {
    const panel = this.page.getByRole('region', { name: 'History' });
    const toggle = panel.getByRole('button', { name: /changes/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await this.page.waitForFunction(() => !document.querySelector('.history .state.loading') && !!document.querySelector('.history ol.entries, .history p.muted'));
    return panel.locator('ol.entries > li').allInnerTexts();
  }

  /** Opens the staff form on the page and returns it. */
  async openEditor(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Update this milestone' }).click();
    const form = this.page.locator('form.milestone-editor');
    await form.waitFor();
    return form;
  }

  async statusMessage(): Promise<string> {
    await this.page.waitForFunction(() => (document.querySelector('.saved[role="status"]')?.textContent ?? '').trim() !== '');
    return (await this.page.locator('.saved[role="status"]').innerText()).trim();
  }
}
