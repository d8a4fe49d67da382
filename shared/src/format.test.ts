import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent, formatUsd } from './format.ts';

describe(formatCount.name, () => {
  it.each([[0, '0'], [12345, '12,345'], [1234567.6, '1,234,568']])('formats %d as %s', (n, s) => expect(formatCount(n)).toBe(s));
});
describe(formatUsd.name, () => {
  it.each([[950, 'US$950'], [45_000, 'US$45.0k'], [1_234_567, 'US$1.2m'], [2_100_000_000, 'US$2.1bn']])('formats %d as %s', (n, s) => expect(formatUsd(n)).toBe(s));
});
describe(formatPercent.name, () => {
  it.each([[0.4567, '45.7%'], [1, '100.0%'], [null, '–'], [Number.NaN, '–']])('formats %s as %s', (n, s) => expect(formatPercent(n)).toBe(s));
});
