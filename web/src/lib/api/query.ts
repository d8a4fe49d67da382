/** Filters → API query strings, shared by every query factory. */
import { MULTI_KEYS, type Filters, type ListState } from '../filters.ts';

export function apiSearch(f: Partial<Filters>, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of MULTI_KEYS) for (const v of f[k] ?? []) p.append(k, v);
  if (f.asOf) p.set('asOf', f.asOf);
  if (f.figures) p.set('figures', f.figures);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Lists show records, not figures: `figures` is a progress/export choice and stays out of list queries. */
export function listSearch(f: Filters, l: ListState): string {
  const { figures: _figures, ...records } = f;
  return apiSearch(records, { q: l.q, sort: l.sort, page: l.page, pageSize: l.pageSize });
}
