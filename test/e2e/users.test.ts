/**
 * Accounts (admins) in a real browser: an admin creates a reviewer for Africa (the account the reporting cycle's
 * approvals need), the API holds exactly that; an edit made meanwhile by someone else is not overwritten (the form
 * says so and shows their version); the new reviewer signs in; axe-clean; non-admins do not get the page.
 */
import type { UserRecord } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { SignInPage } from './pages/SignInPage.ts';
import { apiJson, expectAccessible, newPage, PHONE } from './pages/app.ts';
import { browserSession } from './session.ts';

const CSRF = { 'X-Requested-With': 'MainstreamMonitor' };
const EMAIL = `reviewer.${Date.now()}@example.org`;
const PASSWORD = 'a-long-first-password';

describe('accounts page (admin)', () => {
  const session = browserSession('admin@demo.local');

  it('creates a reviewer for Africa, refuses to overwrite a newer edit, and the reviewer can sign in', async () => {
    const { page } = session;
    await page.goto('/users');
    await page.locator('main h1', { hasText: 'Accounts' }).waitFor();
    const before = await apiJson<{ items: UserRecord[] }>(page, '/users');
    await page.locator('table.data-table tbody tr').first().waitFor();
    expect(await page.locator('table.data-table tbody tr').count()).toBe(before.items.length);
    await expectAccessible(page, 'accounts');

    await page.getByRole('button', { name: 'Add an account' }).click();
    // The form's own checks come first: nothing is sent.
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByText('Enter an email address.').waitFor();
    await page.locator('#u-email').fill(EMAIL);
    await page.locator('#u-name').fill('Awa Reviewer');
    await page.locator('#u-role').selectOption('reviewer');
    await page.getByLabel('Africa', { exact: true }).check();
    await page.locator('#u-password').fill(PASSWORD);
    await expectAccessible(page, 'new account form');
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByRole('status').filter({ hasText: 'Account created for Awa Reviewer (Reviewer)' }).waitFor();
    const row = page.locator('table.data-table tbody tr', { hasText: EMAIL });
    expect(await row.locator('td').nth(1).innerText()).toBe('Reviewer');
    expect(await row.locator('td').nth(2).innerText()).toBe('Africa');

    const made = (await apiJson<{ items: UserRecord[] }>(page, '/users')).items.find((u) => u.email === EMAIL);
    expect(made).toMatchObject({ name: 'Awa Reviewer', role: 'reviewer', regions: ['AFR'], disabled: false });
    if (!made) throw new Error('not created');

    // Open the edit form, then someone else renames the account; saving the form's change must not overwrite it.
    await row.getByRole('button', { name: /Edit/ }).click();
    const other = await page.request.patch(`/api/v1/users/${made.id}`, { headers: { ...CSRF, 'If-Match': `"${made.version}"` }, data: { name: 'Awa N. Reviewer' } });
    expect(other.status()).toBe(200);
    await page.getByLabel('Asia and the Pacific').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this account' }).waitFor();
    // The form reloads the newer version after the alert appears: wait for it (what the person sees a moment later).
    await expect.poll(() => page.locator('#u-name').inputValue()).toBe('Awa N. Reviewer');
    const kept = await apiJson<UserRecord>(page, `/users/${made.id}`);
    expect(kept).toMatchObject({ name: 'Awa N. Reviewer', regions: ['AFR'], version: made.version + 1 });
    // Made again on their version, the change goes through.
    await page.getByLabel('Asia and the Pacific').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: "Awa N. Reviewer's account saved." }).waitFor();
    expect((await apiJson<UserRecord>(page, `/users/${made.id}`)).regions.sort()).toEqual(['AFR', 'ASP']);

    // The new reviewer signs in with the first password, and is not offered the accounts page.
    const { context, page: theirs } = await newPage(session.browser, session.baseUrl);
    try {
      await (await new SignInPage(theirs).goto()).signIn(EMAIL, PASSWORD);
      expect(await theirs.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).count()).toBe(0);
      expect((await theirs.request.get('/api/v1/users')).status()).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('fits a phone: the table scrolls inside its box, the page does not, and it stays axe-clean', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await page.goto('/users');
    await page.locator('table.data-table tbody tr').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'accounts (phone)');
  });
});
