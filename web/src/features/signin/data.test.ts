import { describe, expect, it } from 'vitest';
import { ssoErrorText, ssoStartHref, takeSsoError } from './data.ts';

describe(ssoErrorText.name, () => {
  it.each([
    ['stale', 'That sign-in link was already used or has expired'],
    ['state', 'The sign-in answer did not match this browser’s sign-in'],
    ['denied', 'The sign-in provider did not sign you in'],
    ['token', 'The sign-in could not be verified'],
    ['unverified', 'Your email address is not verified'],
    ['no_account', 'There is no account for you here'],
    ['disabled', 'Your account is disabled'],
    ['unavailable', 'The sign-in provider cannot be reached'],
  ])('%s → %s', (reason, title) => {
    expect(ssoErrorText(reason).title).toBe(title);
  });
  it('gives each reason its own words', () => {
    const titles = ['stale', 'state', 'denied', 'token', 'unverified', 'no_account', 'disabled', 'unavailable'].map((r) => ssoErrorText(r).title);
    expect(new Set(titles).size).toBe(titles.length);
  });
  it('names an unknown reason in a plain message', () => {
    expect(ssoErrorText('weird')).toEqual({ title: 'Single sign-on failed', detail: 'The sign-in was refused (weird). Start the sign-in again.' });
  });
});

describe(takeSsoError.name, () => {
  it.each([
    ['?sso_error=state', 'state', ''],
    ['?sso_error=stale&region=AFR', 'stale', '?region=AFR'],
    ['?region=AFR&sso_error=token&asOf=2012-12-31', 'token', '?region=AFR&asOf=2012-12-31'],
    ['?sso_error=', null, ''],
  ])('%s → reason %s, search "%s"', (search, reason, rest) => {
    expect(takeSsoError(search)).toEqual({ reason, search: rest });
  });
  it('leaves a query string without sso_error as it is', () => {
    expect(takeSsoError('?region=AFR')).toEqual({ reason: null, search: '?region=AFR' });
    expect(takeSsoError('')).toEqual({ reason: null, search: '' });
  });
});

describe(ssoStartHref.name, () => {
  it.each([
    ['/', '', '/api/v1/auth/oidc/start'],
    ['/action-plans/3', '?region=AFR&asOf=2012-12-31', '/api/v1/auth/oidc/start?returnTo=%2Faction-plans%2F3%3Fregion%3DAFR%26asOf%3D2012-12-31'],
    ['/', '?region=AFR', '/api/v1/auth/oidc/start?returnTo=%2F%3Fregion%3DAFR'],
  ])('%s%s → %s', (path, search, href) => {
    expect(ssoStartHref('/api/v1/auth/oidc/start', path, search)).toBe(href);
  });
});
