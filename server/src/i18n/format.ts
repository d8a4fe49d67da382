/**
 * Numbers, money, percentages and dates of an export in its language, through Intl (`1 234,5`, `45,7 %`,
 * `1,2 M $US`, `6 déc. 2026` in French). English keeps the exports' established forms (`1,234`, `US$1.2m`,
 * ISO dates), as the web app does. Narrow no-break spaces (French grouping, `45,7 %`) become plain no-break
 * spaces: the PDF's table font (Helvetica, WinAnsi) has no glyph for U+202F.
 */
import { formatCount as countEn, formatPercent as percentEn, formatUsd as usdEn, type Locale } from '@mm/shared';

export const INTL_TAG: Readonly<Record<Locale, string>> = { en: 'en-US', fr: 'fr-FR', es: 'es-ES' };

export interface Formatter {
  locale: Locale;
  /** 12345 → "12,345" / "12 345" / "12.345". */
  count: (n: number) => string;
  /** At most two decimals: 1234.56 → "1,234.56" / "1 234,56". */
  number: (n: number) => string;
  usd: (n: number) => string;
  /** A share: 0.4567 → "45.7%" / "45,7 %"; null → "–". */
  percent: (share: number | null | undefined) => string;
  /** A calendar date `2026-12-06` → "2026-12-06" / "6 déc. 2026" / "6 dic 2026". */
  date: (iso: string | null | undefined) => string;
  /** An instant → "2026-12-06T14:03:00.000Z" (English, as the stamps had it) / "6 déc. 2026, 14:03 UTC". */
  dateTime: (iso: string | null | undefined) => string;
  /** A date in a narrow table column (a PDF's): "2026-12-06" / "06/12/2026". */
  shortDate: (iso: string | null | undefined) => string;
  /** Money in a narrow column headed "(USD)" (a PDF's): "US$1.2m" / "1,2 M" / "1,2 M". */
  shortUsd: (n: number) => string;
}

const nbsp = (s: string) => s.replace(/\u202f/g, '\u00a0');
const cache = new Map<Locale, Formatter>();

export function formatter(locale: Locale): Formatter {
  const known = cache.get(locale);
  if (known) return known;
  const tag = INTL_TAG[locale];
  const two = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const f: Formatter = locale === 'en'
    ? {
      locale, count: countEn, usd: usdEn, percent: percentEn,
      number: (n) => (Number.isInteger(n) ? countEn(n) : n.toLocaleString('en-US', { maximumFractionDigits: 2 })),
      date: (iso) => iso ?? '', dateTime: (iso) => iso ?? '', shortDate: (iso) => iso ?? '', shortUsd: usdEn,
    }
    : (() => {
      const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
      const pct = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
      const usdBig = new Intl.NumberFormat(tag, { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 1, maximumFractionDigits: 1 });
      const usdSmall = new Intl.NumberFormat(tag, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
      const day = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
      const numeric = new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
      const compact = new Intl.NumberFormat(tag, { notation: 'compact', minimumFractionDigits: 1, maximumFractionDigits: 1 });
      const instant = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
      const calendar = (iso: string | null | undefined, fmt: Intl.DateTimeFormat): string => {
        if (!iso) return '';
        const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
        return Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? nbsp(fmt.format(t)) : iso;
      };
      return {
        locale,
        count: (n) => nbsp(int.format(n)),
        number: (n) => nbsp(two.format(n)),
        usd: (n) => nbsp(Math.abs(n) >= 1000 ? usdBig.format(n) : usdSmall.format(n)),
        percent: (share) => (share === null || share === undefined || !Number.isFinite(share) ? '–' : nbsp(pct.format(share))),
        date: (iso) => calendar(iso, day),
        shortDate: (iso) => calendar(iso, numeric),
        shortUsd: (n) => nbsp(Math.abs(n) >= 1000 ? compact.format(n) : int.format(n)),
        dateTime: (iso) => {
          if (!iso) return '';
          const t = Date.parse(iso);
          return Number.isFinite(t) ? nbsp(instant.format(t)) : iso;
        },
      } satisfies Formatter;
    })();
  cache.set(locale, f);
  return f;
}
