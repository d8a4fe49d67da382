import { REGIONS } from '@mm/shared';
import { describe, expect, it } from 'vitest';
import { decodeXml } from './iati.ts';
import { parseCode, parseCodes, parseDate, parseExternalId, parseInteger, parseNumber } from './values.ts';

describe(parseNumber.name, () => {
  it.each([
    ['1234567', 1234567], ['1,234,567', 1234567], ['-12.5', -12.5], ['1,234.5', 1234.5], [' 42 ', 42], ['0', 0], [12.25, 12.25],
  ] as const)('reads %j as %d', (input, expected) => {
    expect(parseNumber(input)).toEqual({ ok: true, value: expected });
  });
  it.each(['1.2.3', '12abc', '1,23', '1 234', '1e6', '', '12,3456', ',123', '1,234,', '0x10', 'NaN', 'Infinity'])('refuses %j, never guessing', (input) => {
    expect(parseNumber(input).ok).toBe(false);
  });
  it('refuses quantities beyond the API bound of 1e12 either way, as the API does', () => {
    expect(parseNumber('1,000,000,000,000')).toEqual({ ok: true, value: 1e12 });
    expect(parseNumber('1000000000001')).toEqual({ ok: false, message: 'must be between -1e12 and 1e12' });
    expect(parseNumber(-1e308)).toEqual({ ok: false, message: 'must be between -1e12 and 1e12' });
  });
});

describe(parseInteger.name, () => {
  it('accepts whole numbers in range and refuses fractions and out-of-range values', () => {
    expect(parseInteger('1,000', 0, 1e12)).toEqual({ ok: true, value: 1000 });
    expect(parseInteger('12.5', 0, 100)).toEqual({ ok: false, message: 'must be a whole number' });
    expect(parseInteger('101', 0, 100)).toEqual({ ok: false, message: 'must be between 0 and 100' });
  });
});

describe(parseDate.name, () => {
  it.each([['2015-12-31', '2015-12-31'], [' 2012-02-29 ', '2012-02-29']] as const)('reads %j', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });
  it('reads a spreadsheet date cell as its UTC calendar date', () => {
    expect(parseDate(new Date(Date.UTC(2014, 5, 30)))).toEqual({ ok: true, value: '2014-06-30' });
  });
  it.each(['31/12/2015', '2015-2-1', '2013-02-29', '2015-12-31T00:00:00Z', 'yesterday', '', '20151231'])('refuses %j', (input) => {
    expect(parseDate(input).ok).toBe(false);
  });
  it.each([42000, null])('refuses the non-text cell %j', (input) => {
    expect(parseDate(input).ok).toBe(false);
  });
});

describe(parseCode.name, () => {
  it.each([['AFR', 'AFR'], ['Africa', 'AFR'], [' africa ', 'AFR'], ['asp', 'ASP'], ['Asia and the Pacific', 'ASP']] as const)('resolves %j to %s', (input, code) => {
    expect(parseCode(input, REGIONS)).toEqual({ ok: true, value: code });
  });
  it.each(['Afrika', 'Asia', '', 'AF'])('refuses %j', (input) => {
    expect(parseCode(input, REGIONS).ok).toBe(false);
  });
});

describe(parseCodes.name, () => {
  it('splits on semicolons, resolves each and drops repeats', () => {
    expect(parseCodes('AFR; Africa;asp', REGIONS)).toEqual({ ok: true, value: ['AFR', 'ASP'] });
    expect(parseCodes('AFR, ASP', REGIONS).ok).toBe(false);
  });
});

describe(parseExternalId.name, () => {
  it.each(['DEMO-P-1', 'XM-DAC-41302-TZA-YEP-2012/R1/I1', 'a'])('accepts %j', (input) => { expect(parseExternalId(input).ok).toBe(true); });
  it.each(['has space', 'a;b', 'a=b', '', 'x'.repeat(101)])('refuses %j', (input) => { expect(parseExternalId(input).ok).toBe(false); });
});

describe(decodeXml.name, () => {
  it.each([
    ['Skills &amp; jobs', 'Skills & jobs'], ['&lt;b&gt;', '<b>'], ['&quot;x&apos;', '"x\''], ['caf&#233; &#x2013;', 'café –'], ['&e; &nbsp;', '&e; &nbsp;'],
  ])('decodes %j to %j and nothing else', (input, expected) => {
    expect(decodeXml(input)).toBe(expected);
  });
});
