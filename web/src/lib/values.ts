/** Formatting of indicator values by unit, and calendar dates as positions on a linear time axis. */
import { formatCount, formatNumber, formatPercentValue, formatUsd } from './i18n/format.ts';

/** 45.25 percent → "45.3%"; 1_200_000 usd → "US$1.2m"; 3.5 rating → "3.5"; 1234 number → "1,234". */
export function formatValue(unit: string, v: number): string {
  if (unit === 'percent') return formatPercentValue(v);
  if (unit === 'usd') return formatUsd(v);
  if (unit === 'rating') return formatNumber(v);
  return Number.isInteger(v) ? formatCount(v) : formatNumber(v);
}

/** `2012-07-02` → 2012.5 (years as a number, for a linear x axis without a date adapter). */
export function yearFraction(date: string): number {
  const y = Number(date.slice(0, 4));
  const start = Date.UTC(y, 0, 1);
  const end = Date.UTC(y + 1, 0, 1);
  const t = Date.parse(`${date}T00:00:00Z`);
  return y + (t - start) / (end - start);
}
