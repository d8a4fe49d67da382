/** Filters → API query strings, shared by every query factory. */
import { MULTI_KEYS, type Filters, type ListState } from '../filters.ts';

export function apiSearch(f: Partial<Filters>, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const k of MULTI_KEYS) for (const v of f[k] ?? []) p.append(k, v);
  if (f.asOf) p.set('asOf', f.asOf);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function listSearch(f: Filters, l: ListState): string {
  return apiSearch(f, { q: l.q, sort: l.sort, page: l.page, pageSize: l.pageSize });
}
