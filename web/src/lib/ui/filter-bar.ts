/** The filter bar's rule for a change: the new values for one filter, without choices it makes impossible. */
import { COUNTRIES, OUTCOMES } from '@mm/shared/reference';
import { withFilter, type Filters, type MultiKey } from '../filters.ts';

/**
 * The filters with `key` set to `values`. Choosing regions drops chosen countries outside all of them,
 * and choosing objectives drops outcomes outside all of them: such a pair would select nothing.
 */
export function chooseFilter(f: Filters, key: MultiKey, values: readonly string[]): Filters {
  const next = withFilter(f, key, values);
  if (key === 'region' && values.length) next.country = next.country.filter((c) => COUNTRIES.some((x) => x.code === c && values.includes(x.region)));
  if (key === 'objective' && values.length) next.outcome = next.outcome.filter((o) => OUTCOMES.some((x) => x.code === o && values.includes(x.objective)));
  return next;
}
