/** Reading the session cookie: the same answer as Hono's cookie parser for every header, by a fast path or by the parser. */
import fc from 'fast-check';
import { parse } from 'hono/utils/cookie';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, sessionToken } from './sessions.ts';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
const hono = (header: string) => parse(header, SESSION_COOKIE)[SESSION_COOKIE];

describe(sessionToken.name, () => {
  it.each([
    ['only the session cookie', `mm_session=${TOKEN}`, TOKEN],
    ['among other cookies', `_ga=GA1.1.5; theme=dark; mm_session=${TOKEN}; lang=fr`, TOKEN],
    ['no session cookie', 'theme=dark; lang=fr', undefined],
    ['a longer name that contains it', `xmm_session=${TOKEN}`, undefined],
    ['the name inside another cookie value', `a=mm_session=${TOKEN}`, undefined],
    ['a quoted value', `mm_session="${TOKEN}"`, TOKEN],
    ['a percent-encoded value', `mm_session=${encodeURIComponent('a b')}`, 'a b'],
    ['spaces around the value', `mm_session=  ${TOKEN}  ; x=1`, TOKEN],
    ['no space after the semicolon', `x=1;mm_session=${TOKEN}`, TOKEN],
    ['the first of two', `mm_session=first; mm_session=${TOKEN}`, 'first'],
    ['an invalid first value, then a valid one', `mm_session=a"b; mm_session=${TOKEN}`, TOKEN],
    ['an empty value', 'mm_session=', ''],
  ])('%s', (_label, header, want) => {
    expect(sessionToken(header)).toBe(want);
    expect(hono(header)).toBe(want);
  });

  it('is undefined without a Cookie header', () => {
    expect(sessionToken(undefined)).toBeUndefined();
    expect(sessionToken('')).toBeUndefined();
  });

  it('agrees with Hono\'s parser on any header built from tricky pieces', () => {
    const name = fc.constantFrom(SESSION_COOKIE, ` ${SESSION_COOKIE}`, `${SESSION_COOKIE} `, `x${SESSION_COOKIE}`, `${SESSION_COOKIE}x`, 'theme', '');
    const value = fc.oneof(
      fc.constant(TOKEN), fc.constant(`"${TOKEN}"`), fc.constant(''), fc.constant('%41%42'), fc.constant('%zz'), fc.constant(`${SESSION_COOKIE}=x`),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '\t', '"', '=', '%', ',', '\\', 'é') , maxLength: 12 }),
    );
    const pair = fc.tuple(name, fc.constantFrom('=', ' =', ''), value).map(([n, eq, v]) => `${n}${eq}${v}`);
    const header = fc.tuple(fc.array(pair, { maxLength: 5 }), fc.constantFrom('; ', ';', ' ; ')).map(([pairs, sep]) => pairs.join(sep));
    fc.assert(fc.property(header, (h) => { expect(sessionToken(h)).toBe(hono(h)); }), { numRuns: 3000, examples: [["mm_session =%zz; mm_session="]] });
  });
});
