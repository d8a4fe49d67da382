/**
 * What moved between two sets of frozen record rows, per region, partner type and mandate, and overall.
 *
 * Grouping rules (the same as the filters'): a partnership belongs to its region, its lead partner's type
 * and each of its mandates; a milestone or indicator belongs to its action plan's region, each partner type
 * of the plan's linked partnerships, and each of the plan's mandates. Each side is grouped by its own rows,
 * so a record that moved region counts where it stood on each side. Indicators are matched by id.
 */
import {
  INDICATOR_STATUSES, labelOf, MANDATES, PARTNER_TYPES, REGIONS,
  type CompareDimension, type CompareRow, type IndicatorStatus, type SnapshotActionPlan, type SnapshotRecords, type StatusTransition,
} from '@mm/shared';

type Keys = (r: SnapshotRecords) => {
  partnership: (p: SnapshotRecords['partnerships'][number]) => readonly string[];
  plan: (planId: number) => readonly string[];
};

function planLookup(r: SnapshotRecords, pick: (p: SnapshotActionPlan) => readonly string[]): (planId: number) => readonly string[] {
  const m = new Map(r.actionPlans.map((p) => [p.id, pick(p)]));
  return (id) => m.get(id) ?? [];
}

const KEYS: Record<CompareDimension | 'overall', Keys> = {
  overall: () => ({ partnership: () => ['all'], plan: () => ['all'] }),
  region: (r) => ({ partnership: (p) => [p.region], plan: planLookup(r, (p) => [p.region]) }),
  partnerType: (r) => ({ partnership: (p) => (p.leadPartnerType ? [p.leadPartnerType] : []), plan: planLookup(r, (p) => p.partnerTypes) }),
  mandate: (r) => ({ partnership: (p) => p.mandates, plan: planLookup(r, (p) => p.mandates) }),
};

const LABELS: Record<CompareDimension | 'overall', (code: string) => string> = {
  overall: () => 'All',
  region: (c) => labelOf(REGIONS, c),
  partnerType: (c) => labelOf(PARTNER_TYPES, c),
  mandate: (c) => labelOf(MANDATES, c),
};
const ORDER: Record<CompareDimension | 'overall', readonly string[]> = {
  overall: ['all'],
  region: REGIONS.map((x) => x.code),
  partnerType: PARTNER_TYPES.map((x) => x.code),
  mandate: MANDATES.map((x) => x.code),
};

function emptyRow(key: string, label: string): CompareRow {
  return {
    key, label,
    milestonesCompleted: { from: 0, to: 0, delta: 0 },
    indicators: { improved: 0, worsened: 0, unchanged: 0, added: 0, removed: 0, transitions: [] },
    resourcesUsd: { from: 0, to: 0, delta: 0, added: 0, removed: 0 },
    partnerships: { from: 0, to: 0, added: 0, removed: 0 },
  };
}

const rank = (s: IndicatorStatus) => INDICATOR_STATUSES.indexOf(s);

/** Compares `from` with `to` grouped by one dimension (or overall). */
export function compareBy(dim: CompareDimension | 'overall', from: SnapshotRecords, to: SnapshotRecords): CompareRow[] {
  const kf = KEYS[dim](from);
  const kt = KEYS[dim](to);
  const rows = new Map<string, CompareRow>();
  const trans = new Map<string, Map<string, number>>();
  const row = (key: string): CompareRow => {
    let r = rows.get(key);
    if (!r) {
      r = emptyRow(key, LABELS[dim](key));
      rows.set(key, r);
    }
    return r;
  };

  const fromPs = new Map(from.partnerships.map((p) => [p.id, p]));
  const toPs = new Map(to.partnerships.map((p) => [p.id, p]));
  for (const p of from.partnerships) {
    for (const k of kf.partnership(p)) {
      const r = row(k);
      r.partnerships.from++;
      r.resourcesUsd.from += p.resourcesUsd;
      if (!toPs.has(p.id)) { r.partnerships.removed++; r.resourcesUsd.removed += p.resourcesUsd; }
    }
  }
  for (const p of to.partnerships) {
    for (const k of kt.partnership(p)) {
      const r = row(k);
      r.partnerships.to++;
      r.resourcesUsd.to += p.resourcesUsd;
      if (!fromPs.has(p.id)) { r.partnerships.added++; r.resourcesUsd.added += p.resourcesUsd; }
    }
  }

  for (const m of from.milestones) if (m.status === 'completed') for (const k of kf.plan(m.actionPlanId)) row(k).milestonesCompleted.from++;
  for (const m of to.milestones) if (m.status === 'completed') for (const k of kt.plan(m.actionPlanId)) row(k).milestonesCompleted.to++;

  const fromInd = new Map(from.indicators.map((i) => [i.id, i]));
  const toInd = new Map(to.indicators.map((i) => [i.id, i]));
  for (const i of from.indicators) if (!toInd.has(i.id)) for (const k of kf.plan(i.actionPlanId)) row(k).indicators.removed++;
  for (const i of to.indicators) {
    const before = fromInd.get(i.id);
    for (const k of kt.plan(i.actionPlanId)) {
      const r = row(k);
      if (!before) { r.indicators.added++; continue; }
      if (before.status === i.status) { r.indicators.unchanged++; continue; }
      // no_data ranks last, so gaining data counts as an improvement and losing it as a worsening.
      if (rank(i.status) < rank(before.status)) r.indicators.improved++;
      else r.indicators.worsened++;
      let t = trans.get(k);
      if (!t) { t = new Map(); trans.set(k, t); }
      const pair = `${before.status}>${i.status}`;
      t.set(pair, (t.get(pair) ?? 0) + 1);
    }
  }

  for (const [k, t] of trans) {
    const list: StatusTransition[] = [...t].map(([pair, count]) => {
      const [a, b] = pair.split('>') as [IndicatorStatus, IndicatorStatus];
      return { from: a, to: b, count };
    });
    list.sort((a, b) => b.count - a.count || rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
    row(k).indicators.transitions = list;
  }
  for (const r of rows.values()) {
    r.milestonesCompleted.delta = r.milestonesCompleted.to - r.milestonesCompleted.from;
    r.resourcesUsd.delta = r.resourcesUsd.to - r.resourcesUsd.from;
  }
  const order = ORDER[dim];
  const pos = (k: string) => (order.indexOf(k) === -1 ? order.length : order.indexOf(k));
  return [...rows.values()].sort((a, b) => pos(a.key) - pos(b.key) || a.key.localeCompare(b.key));
}

/** Overall and per-dimension comparison. */
export function compareRecords(from: SnapshotRecords, to: SnapshotRecords): { overall: CompareRow; byDimension: Record<CompareDimension, CompareRow[]> } {
  return {
    overall: compareBy('overall', from, to)[0] ?? emptyRow('all', 'All'),
    byDimension: { region: compareBy('region', from, to), partnerType: compareBy('partnerType', from, to), mandate: compareBy('mandate', from, to) },
  };
}
