import { describe, expect, it } from 'vitest';
import { isAppLink, parseHref } from './href.ts';

const here = parseHref('http://app.test/indicators?region=ARB', 'http://app.test/');

describe(parseHref.name, () => {
  it('resolves relative links against the current address', () => {
    expect(parseHref('/partnerships?status=active#top', here.origin)).toEqual({ origin: 'http://app.test', pathname: '/partnerships', search: '?status=active', hash: '#top' });
  });
});

describe(isAppLink.name, () => {
  it.each([
    ['/partnerships', true],
    ['/indicators?region=AFR', true],
    ['/api/v1/export.csv', false],
    ['https://www.ilo.org/', false],
    ['#main', false],
    ['/partnerships#main', true],
  ])('%s → %s', (to, expected) => {
    expect(isAppLink(parseHref(to, 'http://app.test/indicators?region=ARB'), here)).toBe(expected);
  });
});
