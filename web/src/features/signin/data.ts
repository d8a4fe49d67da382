/** Words for the sign-in page: why a single sign-on attempt was refused (the callback's `?sso_error=<reason>`). */

export interface SsoErrorText { title: string; detail: string }

/**
 * One message per reason the server's OIDC callback sends (server/src/auth/oidc.ts `OidcFailure`), written for
 * the person who was just sent back here; an unknown reason still gets a plain message.
 */
const SSO_ERRORS: Record<string, SsoErrorText> = {
  stale: {
    title: 'That sign-in link was already used or has expired',
    detail: 'Each single sign-on answer counts once, for the browser that started it, within 10 minutes. Start the sign-in again.',
  },
  state: {
    title: 'The sign-in answer did not match this browser’s sign-in',
    detail: 'The state sent back by the provider was not the one this browser sent, so the answer may have been altered. Nobody was signed in. Start the sign-in again.',
  },
  denied: {
    title: 'The sign-in provider did not sign you in',
    detail: 'The provider answered with a refusal (for example, the sign-in was cancelled or access was not granted).',
  },
  token: {
    title: 'The sign-in could not be verified',
    detail: 'The provider’s identity token was not valid for this app (issued for another application, altered, or expired). Nobody was signed in. Try again; if it keeps happening, tell an administrator.',
  },
  unverified: {
    title: 'Your email address is not verified',
    detail: 'The sign-in provider has not verified the email address of your account, so it cannot be matched to an account here.',
  },
  no_account: {
    title: 'There is no account for you here',
    detail: 'You signed in at the provider, but no account here has your email address. Ask an administrator to create one.',
  },
  disabled: {
    title: 'Your account is disabled',
    detail: 'An administrator has disabled the account with your email address. Ask them to enable it again.',
  },
  unavailable: {
    title: 'The sign-in provider cannot be reached',
    detail: 'This server could not reach the single sign-on provider. Try again in a few minutes.',
  },
};

/** The message for a `?sso_error` reason. */
export function ssoErrorText(reason: string): SsoErrorText {
  return SSO_ERRORS[reason] ?? { title: 'Single sign-on failed', detail: `The sign-in was refused (${reason}). Start the sign-in again.` };
}

/**
 * Splits `?sso_error=<reason>` off a query string: the reason (null when absent or empty) and the query string
 * without it, so the page can say why once and leave an address that does not repeat it on reload.
 */
export function takeSsoError(search: string): { reason: string | null; search: string } {
  const params = new URLSearchParams(search);
  const reason = params.get('sso_error');
  if (reason === null) return { reason: null, search };
  params.delete('sso_error');
  const rest = params.toString();
  return { reason: reason.trim() || null, search: rest ? `?${rest}` : '' };
}

/** The provider button's address: the server's start URL, with the page to come back to unless it is the dashboard. */
export function ssoStartHref(startUrl: string, path: string, search: string): string {
  const here = path + search;
  if (here === '/' || here === '') return startUrl;
  return `${startUrl}${startUrl.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(here)}`;
}
