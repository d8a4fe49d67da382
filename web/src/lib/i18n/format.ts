/**
 * Numbers, money, percentages, dates and name order for the page's language, all through Intl
 * (`1 234,5`, `45,7 %`, `1,2 M $US`, `6 déc. 2026` in French). English keeps the app's established forms
 * (`1,234`, `US$1.2m`, ISO dates), which its tests and exports use.
 */
import { formatUsd as formatUsdEn } from '@mm/shared/format';
import { locale, type Locale } from './locale.ts';

const TAG: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', es: 'es-ES' };
/** The BCP 47 tag Intl formats with (Chart.js's `locale` option too). */
export const intlLocale = TAG[locale];

const intFmt = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 0 });
const oneDecMax = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 1 });
const oneDec = new Intl.NumberFormat(intlLocale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat(intlLocale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pctMax = new Intl.NumberFormat(intlLocale, { style: 'percent', maximumFractionDigits: 1 });
const usdFmt = new Intl.NumberFormat(intlLocale, { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const usdSmall = new Intl.NumberFormat(intlLocale, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const dateFmt = new Intl.DateTimeFormat(intlLocale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat(intlLocale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
const collator = new Intl.Collator(intlLocale, { sensitivity: 'base', numeric: true });

/** 12345 → "12,345" / "12 345". */
export function formatCount(n: number): string {
  return intFmt.format(n);
}

/** 1234.56 → "1,234.6" / "1 234,6" (at most one decimal). */
export function formatNumber(n: number): string {
  return oneDecMax.format(n);
}

/** 4.25 → "4.3" / "4,3" (exactly one decimal). */
export function formatOneDecimal(n: number): string {
  return oneDec.format(n);
}

/** 1_234_567 → "US$1.2m" / "1,2 M $US" / "1,2 M US$". */
export function formatUsd(n: number): string {
  if (locale === 'en') return formatUsdEn(n);
  return Math.abs(n) >= 1000 ? usdFmt.format(n) : usdSmall.format(n);
}

/** 0.4567 → "45.7%" / "45,7 %"; null → "–". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return pctFmt.format(share);
}

/** A value already in percent: 45.25 → "45.3%" / "45,3 %". */
export function formatPercentValue(v: number): string {
  return pctMax.format(v / 100);
}

/** A calendar date `2026-12-06` → "2026-12-06" / "6 déc. 2026" / "6 dic 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  if (locale === 'en') return iso;
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(t) ? dateFmt.format(t) : iso;
}

/** An instant (ISO UTC) → "2026-12-06 14:03 UTC" / "6 déc. 2026, 14:03 UTC". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  if (locale === 'en') return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? dateTimeFmt.format(t) : iso;
}

/** Orders names as the language does (é with e in French, ñ after n in Spanish, numbers by value). */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}
