/**
 * The load test's lost-update check, as a pure function over what the clients were told and what the database
 * holds afterwards. An edit acknowledged with 200 is kept when it is the final state, or when the milestone's
 * history shows its value at its version. History gets a row only when status, percent or completion date
 * change, so an edit that set the same percent again is kept by the state in force at its version: the last
 * history row (in write order) whose version is at most the edit's. Seeded history rows all carry version 1,
 * so ties on version go to the later row. Two acknowledged edits with one version mean one of them was lost.
 */
export interface AckedEdit { id: number; version: number; percentComplete: number }
export interface FinalRow { id: number; version: number; percent_complete: number }
export interface HistoryRow { id: number; milestone_id: number; version: number; percent_complete: number }

export function lostEdits(edits: AckedEdit[], finals: FinalRow[], history: HistoryRow[]): { edit: AckedEdit; reason: string }[] {
  const lost: { edit: AckedEdit; reason: string }[] = [];
  const finalById = new Map(finals.map((r) => [r.id, r]));
  const byMilestone = new Map<number, HistoryRow[]>();
  for (const h of history) byMilestone.set(h.milestone_id, [...(byMilestone.get(h.milestone_id) ?? []), h]);
  const seen = new Set<string>();
  for (const e of edits) {
    const versionKey = `${e.id}@${e.version}`;
    if (seen.has(versionKey)) {
      lost.push({ edit: e, reason: `another acknowledged edit also got version ${e.version}` });
      continue;
    }
    seen.add(versionKey);
    const final = finalById.get(e.id);
    if (final && final.version === e.version && final.percent_complete === e.percentComplete) continue;
    const rows = byMilestone.get(e.id) ?? [];
    if (rows.some((h) => h.version === e.version && h.percent_complete === e.percentComplete)) continue;
    const inForce = rows.filter((h) => h.version <= e.version).sort((a, b) => b.version - a.version || b.id - a.id)[0];
    if (inForce?.percent_complete === e.percentComplete) continue;
    lost.push({ edit: e, reason: `neither the final state (${final ? `v${final.version} ${final.percent_complete}%` : 'deleted'}) nor the history (${rows.map((h) => `v${h.version} ${h.percent_complete}%`).join(', ')}) holds ${e.percentComplete}% at v${e.version}` });
  }
  return lost;
}
