import { describe, expect, it } from 'vitest';
import { evidenceHref, utcMinute } from './data.ts';

describe(evidenceHref.name, () => {
  it.each([
    ['https://example.org/report.pdf', 'https://example.org/report.pdf'],
    ['http://example.org/a b', 'http://example.org/a%20b'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,<b>hi</b>', undefined],
    ['//example.org/relative', undefined],
    ['not a url', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (url, href) => {
    expect(evidenceHref(url)).toBe(href);
  });
});

describe(utcMinute.name, () => {
  it('shows an instant to the minute, in UTC', () => {
    expect(utcMinute('2026-11-28T06:30:12.345Z')).toBe('2026-11-28 06:30 UTC');
  });
});
