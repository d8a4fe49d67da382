import type { Locator, Page } from 'playwright-core';

/** Scheduled snapshots (/snapshots/schedules): the list, the schedule form, run now and the deliveries. */
export class SchedulesPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<this> {
    await this.page.goto(`/snapshots/schedules${search}`);
    await this.heading().waitFor();
    return this;
  }

  heading(): Locator {
    return this.page.getByRole('heading', { name: 'Scheduled snapshots', level: 1 });
  }

  form(): Locator {
    return this.page.locator('form.schedule-form');
  }

  /** The alert above the form's buttons (a refused or conflicting save). */
  formProblem(): Locator {
    return this.form().getByRole('alert');
  }

  schedule(title: string): Locator {
    return this.page.locator('[data-schedule]').filter({ has: this.page.getByRole('heading', { name: title }) });
  }

  previewTitle(): Promise<string> {
    return this.page.locator('[data-preview="title"]').innerText();
  }

  async previewRuns(): Promise<string[]> {
    return this.page.locator('[data-preview="runs"] li').allInnerTexts();
  }

  status(): Locator {
    return this.page.locator('.notice-line[role="status"]');
  }
}
