/** Number formatting for people: thousands separators, USD in k/m, percentages with one decimal. */

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDec = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return intFmt.format(n);
}

/** 1_234_567 → "US$1.2m"; 45_000 → "US$45.0k"; 2_100_000_000 → "US$2.1bn". */
export function formatUsd(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `US$${oneDec.format(n / 1e9)}bn`;
  if (a >= 1e6) return `US$${oneDec.format(n / 1e6)}m`;
  if (a >= 1e3) return `US$${oneDec.format(n / 1e3)}k`;
  return `US$${intFmt.format(n)}`;
}

/** 0.4567 → "45.7%"; null → "–". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${oneDec.format(share * 100)}%`;
}
