import type { Locator, Page } from 'playwright-core';

export class SignInPage {
  constructor(readonly page: Page) {}

  async goto(path = '/'): Promise<this> {
    await this.page.goto(path);
    await this.page.getByLabel('Email').waitFor();
    return this;
  }

  /** The demo accounts listed on the page (emails). */
  async demoAccounts(): Promise<string[]> {
    await this.page.locator('.demo-accounts li').first().waitFor();
    return this.page.locator('.demo-accounts li button').allInnerTexts();
  }

  demoBanner(): Promise<string | null> {
    return this.page.locator('.demo-banner').textContent();
  }

  async signIn(email: string, password = 'demo-password-2015'): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** The single sign-on button ("Sign in with <provider>"). */
  ssoButton(): Locator {
    return this.page.getByRole('link', { name: /^Sign in with / });
  }

  /** The message shown when the server sent the browser back with ?sso_error=<reason>. */
  ssoError(): Locator {
    return this.page.locator('.sso-error[role="alert"]');
  }

  async errorText(): Promise<string> {
    return (await this.page.getByRole('alert').textContent()) ?? '';
  }
}
