/**
 * The view's filters live in the URL (`?region=AFR&partnerType=un&asOf=2012-12-31`): these pure functions
 * read them, write them back in one canonical order, and turn them into API query strings.
 */

/** Repeatable filters (`region=AFR&region=ASP`), the same keys the API accepts. */
export const MULTI_KEYS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome', 'status'] as const;
export type MultiKey = (typeof MULTI_KEYS)[number];

/**
 * `figures=approved` counts only what lies in approved reporting (period, region)s; absent means the latest
 * figures as entered (the API's default), so today's URLs keep their meaning.
 */
export type Filters = { [K in MultiKey]: string[] } & { asOf?: string; figures?: 'approved' };

/** Keys that narrow the data shown everywhere (overview and lists); `status` is list-specific. */
export const SCOPE_KEYS = ['region', 'country', 'partnerType', 'modality', 'mandate', 'objective', 'outcome'] as const;

export interface ListState { q?: string; sort?: string; page: number; pageSize: number }

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_SIZES = [25, 50, 100];

/** Reads the filters from a query string; unknown keys are ignored, empty values dropped. */
export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const f: Filters = { region: [], country: [], partnerType: [], modality: [], mandate: [], objective: [], outcome: [], status: [] };
  for (const k of MULTI_KEYS) f[k] = [...new Set(p.getAll(k).filter((v) => v !== ''))];
  const asOf = p.get('asOf');
  if (asOf && DATE.test(asOf)) f.asOf = asOf;
  if (p.get('figures') === 'approved') f.figures = 'approved';
  return f;
}

/** Reads search, sort and pagination of a list view. */
export function parseList(search: string): ListState {
  const p = new URLSearchParams(search);
  const page = Number(p.get('page'));
  const size = Number(p.get('pageSize'));
  const q = p.get('q')?.trim();
  const sort = p.get('sort') ?? undefined;
  return {
    ...(q ? { q } : {}),
    ...(sort && /^-?[a-zA-Z]{1,40}$/.test(sort) ? { sort } : {}),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: PAGE_SIZES.includes(size) ? size : 25,
  };
}

/** Filters (and optional list state) → canonical query string with a leading `?`, or '' when empty. */
export function toSearch(f: Partial<Filters>, list?: Partial<ListState>): string {
  const p = new URLSearchParams();
  for (const k of MULTI_KEYS) for (const v of f[k] ?? []) p.append(k, v);
  if (f.asOf) p.set('asOf', f.asOf);
  if (f.figures) p.set('figures', f.figures);
  if (list?.q) p.set('q', list.q);
  if (list?.sort) p.set('sort', list.sort);
  if (list?.page && list.page > 1) p.set('page', String(list.page));
  if (list?.pageSize && list.pageSize !== 25) p.set('pageSize', String(list.pageSize));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Only the filters that narrow the data (and the as-of date): what the overview passes to a list. */
export function scopeOf(f: Filters): Filters {
  return { ...f, status: [] };
}

/** A copy of the filters with one key set to the given values (none = cleared). */
export function withFilter(f: Filters, key: MultiKey, values: readonly string[]): Filters {
  return { ...f, [key]: [...values] };
}

/** A copy of the filters showing approved or latest figures. */
export function withFigures(f: Filters, figures: 'approved' | 'latest'): Filters {
  const { figures: _drop, ...rest } = f;
  return figures === 'approved' ? { ...rest, figures } : rest;
}

/** What the figures stamp says: shown beside every "as of" date. */
export function figuresLabel(f: Pick<Filters, 'figures'>): string {
  return f.figures === 'approved' ? 'approved figures' : 'latest figures';
}

/** True when any filter narrows the view. */
export function isFiltered(f: Filters): boolean {
  return MULTI_KEYS.some((k) => f[k].length > 0) || f.asOf !== undefined;
}
