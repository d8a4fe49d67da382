import { describe, expect, it } from 'vitest';
import { formatValue, yearFraction } from './values.ts';

describe(formatValue.name, () => {
  it.each([
    ['percent', 45.25, '45.3%'],
    ['usd', 1_200_000, 'US$1.2m'],
    ['rating', 3.5, '3.5'],
    ['number', 1234, '1,234'],
    ['number', 12.34, '12.3'],
  ])('%s %d → %s', (unit, v, out) => {
    expect(formatValue(unit, v)).toBe(out);
  });
});

describe(yearFraction.name, () => {
  it('places 1 January at the whole year and mid-year near .5', () => {
    expect(yearFraction('2015-01-01')).toBe(2015);
    expect(yearFraction('2012-07-02')).toBeCloseTo(2012.5, 2);
    expect(yearFraction('2015-12-31')).toBeGreaterThan(2015.99);
  });
});
