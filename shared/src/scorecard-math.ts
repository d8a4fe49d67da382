/**
 * The scorecard's numbers, pure: counts of ratings, % met or exceeded, movement between checkpoints, which
 * checkpoints are due, and the whole `GET /progress/scorecard` view built from the rows the server reads
 * (the counting rules are in scorecard.ts's header).
 */
import { labelOf, PARTNER_TYPES, REGIONS, type CountryCode, type PartnerTypeCode, type RegionCode } from './reference.ts';
import {
  AGENCY_PARTNER_TYPES, ENTITY_TYPES, SCORECARD_CHECKPOINTS, SCORECARD_MOVES, SCORECARD_PILLARS, SCORECARD_RATINGS,
  type AssessmentStatus, type EntityType, type MoveCounts, type Movement, type ProgressScorecard, type RatingCounts,
  type ScoreFigures, type ScorecardEntity, type ScorecardGroup, type ScorecardPillar, type ScorecardRating,
} from './scorecard.ts';

const RANK = new Map<string, number | null>(SCORECARD_RATINGS.map((r) => [r.code, r.rank]));

/** Zero of every rating. */
export function emptyRatingCounts(): RatingCounts {
  return { missing: 0, approaches: 0, meets: 0, exceeds: 0, not_applicable: 0 };
}

/** How many of each rating `ratings` holds. */
export function countRatings(ratings: Iterable<ScorecardRating>): RatingCounts {
  const c = emptyRatingCounts();
  for (const r of ratings) c[r] += 1;
  return c;
}

/** `into` += `b` (in place; returns `into`). */
export function addRatingCounts(into: RatingCounts, b: RatingCounts): RatingCounts {
  into.missing += b.missing; into.approaches += b.approaches; into.meets += b.meets; into.exceeds += b.exceeds; into.not_applicable += b.not_applicable;
  return into;
}

/**
 * (meets + exceeds) / (missing + approaches + meets + exceeds), rounded to 6 decimals; `not_applicable` is not in
 * the denominator, and with nothing rated (or only n/a) the answer is null, not 0.
 */
export function pctMetOrExceeded(c: RatingCounts): number | null {
  const rated = c.missing + c.approaches + c.meets + c.exceeds;
  if (rated === 0) return null;
  return Math.round(((c.meets + c.exceeds) / rated) * 1e6) / 1e6;
}

/** Counts and % met or exceeded of a set of ratings. */
export function scoreOf(ratings: Iterable<ScorecardRating>): ScoreFigures {
  const counts = countRatings(ratings);
  return { pctMetOrExceeded: pctMetOrExceeded(counts), counts };
}

/**
 * How a criterion's rating moved from `earlier` to `later` on missing < approaches < meets < exceeds; undefined when
 * either is absent or not_applicable (nothing to compare).
 */
export function moveOf(earlier: ScorecardRating | undefined, later: ScorecardRating | undefined): 'improved' | 'held' | 'slipped' | undefined {
  if (earlier === undefined || later === undefined) return undefined;
  const a = RANK.get(earlier);
  const b = RANK.get(later);
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  return b > a ? 'improved' : b < a ? 'slipped' : 'held';
}

/** Criteria improved, held and slipped between two assessments' ratings (by criterion id), over `criteria`. */
export function movementBetween(earlier: ReadonlyMap<number, ScorecardRating>, later: ReadonlyMap<number, ScorecardRating>, criteria: Iterable<number>): MoveCounts {
  const m = { improved: 0, held: 0, slipped: 0 };
  for (const id of criteria) {
    const mv = moveOf(earlier.get(id), later.get(id));
    if (mv) m[mv] += 1;
  }
  return m;
}

/** Whether a checkpoint is due at `asOf`: the named ones once asOf is past their due date; interim ones never. */
export function isDue(checkpoint: string, asOf: string): boolean {
  const cp = SCORECARD_CHECKPOINTS.find((c) => c.code === checkpoint);
  return cp !== undefined && asOf > cp.dueDate;
}

/**
 * Sort key of a checkpoint: baseline first, interim dates in date order, 2010 and 2015 at their due dates'
 * place (so an interim 2012-06-30 sits between 2010 and 2015).
 */
export function checkpointSortKey(checkpoint: string): string {
  if (checkpoint === 'baseline') return '0000';
  const named = SCORECARD_CHECKPOINTS.find((c) => c.code === checkpoint);
  return named ? named.dueDate : checkpoint;
}

/** The checkpoints in order: baseline, 2010, 2015 and the given interim ones, deduplicated. */
export function orderCheckpoints(checkpoints: Iterable<string>): string[] {
  const all = new Set<string>([...SCORECARD_CHECKPOINTS.map((c) => c.code), ...checkpoints]);
  return [...all].sort((a, b) => (checkpointSortKey(a) < checkpointSortKey(b) ? -1 : checkpointSortKey(a) > checkpointSortKey(b) ? 1 : 0));
}

// ------------------------------------------------------------ the whole view
/** An entity as the server reads it (every selected one, assessed or not). */
export interface ScorecardEntityInput {
  entityType: EntityType; entityKey: string; partnerId: number | null; country: CountryCode | null; entityName: string;
  partnerType: PartnerTypeCode | null; region: RegionCode;
}
/** An assessment assessed on or before asOf, with its ratings by criterion id. */
export interface ScorecardAssessmentInput {
  id: number; entityKey: string; checkpoint: string; assessedOn: string; status: AssessmentStatus;
  ratings: ReadonlyMap<number, ScorecardRating>;
}
export interface ScorecardCriterionInput { id: number; code: string; text: string; pillar: ScorecardPillar; retired: boolean }
export interface ScorecardInput {
  asOf: string;
  /** Every criterion that may count (the pillar filter already applied), in checklist order. */
  criteria: readonly ScorecardCriterionInput[];
  entities: readonly ScorecardEntityInput[];
  assessments: readonly ScorecardAssessmentInput[];
  page: number; pageSize: number;
}

type Figures = ScorecardGroup['byCheckpoint'][string];
const CODES: readonly ScorecardRating[] = SCORECARD_RATINGS.map((r) => r.code);
const RANKS: readonly number[] = SCORECARD_RATINGS.map((r) => r.rank ?? -1);
const NONE = -1;
const ZERO_MOVES = (): MoveCounts => ({ improved: 0, held: 0, slipped: 0 });

/**
 * Rating tallies of many groups × checkpoints in one flat array (group g, checkpoint k, rating r at
 * ((g × K) + k) × 6 + r; slot 5 counts assessments), so the view over thousands of assessments allocates nothing per rating.
 */
class Tallies {
  readonly cells: Int32Array;
  constructor(readonly groups: number, private readonly checkpoints: readonly string[]) {
    this.cells = new Int32Array(groups * checkpoints.length * 6);
  }
  at(g: number, k: number): number { return (g * this.checkpoints.length + k) * 6; }
  figures(g: number): Record<string, Figures> {
    const out: Record<string, Figures> = {};
    this.checkpoints.forEach((cp, k) => {
      const o = this.at(g, k);
      const c = this.cells;
      const counts = { missing: c[o] ?? 0, approaches: c[o + 1] ?? 0, meets: c[o + 2] ?? 0, exceeds: c[o + 3] ?? 0, not_applicable: c[o + 4] ?? 0 };
      out[cp] = { pctMetOrExceeded: pctMetOrExceeded(counts), counts, assessments: c[o + 5] ?? 0 };
    });
    return out;
  }
  /** Adds a 5-slot rating count and one assessment. */
  add(g: number, k: number, counts: Int32Array): void {
    const o = this.at(g, k);
    for (let r = 0; r < 5; r++) this.cells[o + r] = (this.cells[o + r] ?? 0) + (counts[r] ?? 0);
    this.cells[o + 5] = (this.cells[o + 5] ?? 0) + 1;
  }
}

const movesList = (ms: readonly MoveCounts[]): Movement[] => SCORECARD_MOVES.map(([from, to], i) => ({ from, to, ...(ms[i] ?? ZERO_MOVES()) }));
const countsOf = (c: Int32Array): RatingCounts => ({ missing: c[0] ?? 0, approaches: c[1] ?? 0, meets: c[2] ?? 0, exceeds: c[3] ?? 0, not_applicable: c[4] ?? 0 });

/**
 * The scorecard view from the entities, criteria and assessments the server read. Only complete assessments
 * count in the figures, movement and `missing`; drafts show in the entity grid. Entities are sorted agencies
 * first, then by name, and paged; every aggregate covers all of them.
 */
export function buildScorecard(input: ScorecardInput): Omit<ProgressScorecard, 'demo'> {
  const { asOf } = input;
  const counted = new Set(input.criteria.map((c) => c.id));
  const rated = new Set<number>();
  for (const a of input.assessments) for (const id of a.ratings.keys()) if (counted.has(id)) rated.add(id);
  const criteria = input.criteria.filter((c) => !c.retired || rated.has(c.id));
  const C = criteria.length;
  const pillarIndex = new Map<string, number>(SCORECARD_PILLARS.map((p, i) => [p.code, i]));
  const pillarOf = Int32Array.from(criteria, (c) => pillarIndex.get(c.pillar) ?? 0);

  const interim = input.assessments.map((a) => a.checkpoint).filter((cp) => !SCORECARD_CHECKPOINTS.some((c) => c.code === cp));
  const checkpoints = orderCheckpoints(interim);
  const cpIndex = new Map(checkpoints.map((cp, k) => [cp, k]));
  const due = checkpoints.filter((cp) => isDue(cp, asOf));

  const entityByKey = new Map(input.entities.map((e) => [e.entityKey, e]));
  const byEntity = new Map<string, { a: ScorecardAssessmentInput; codes: Int8Array }[]>();
  for (const a of input.assessments) {
    if (!entityByKey.has(a.entityKey)) continue;
    const codes = new Int8Array(C).fill(NONE);
    criteria.forEach((c, i) => {
      const r = a.ratings.get(c.id);
      if (r !== undefined) codes[i] = CODES.indexOf(r);
    });
    const list = byEntity.get(a.entityKey);
    if (list) list.push({ a, codes }); else byEntity.set(a.entityKey, [{ a, codes }]);
  }

  const regionIndex = new Map<string, number>(REGIONS.map((r, i) => [r.code, i]));
  const typeIndex = new Map<string, number>(AGENCY_PARTNER_TYPES.map((t, i) => [t, i]));
  const overall = new Tallies(1, checkpoints);
  const pillars = new Tallies(SCORECARD_PILLARS.length, checkpoints);
  const types = new Tallies(AGENCY_PARTNER_TYPES.length, checkpoints);
  const entityTypes = new Tallies(ENTITY_TYPES.length, checkpoints);
  const regions = new Tallies(REGIONS.length, checkpoints);
  const perCriterion = new Tallies(C, checkpoints);
  const criterionMoves = criteria.map(() => SCORECARD_MOVES.map(ZERO_MOVES));
  const totalMoves = SCORECARD_MOVES.map(ZERO_MOVES);
  const counts = new Int32Array(5);
  const pillarCounts = new Int32Array(SCORECARD_PILLARS.length * 5);
  const one = new Int32Array(5);

  const rows: { e: ScorecardEntityInput; cells: { a: ScorecardAssessmentInput; codes: Int8Array; counts: RatingCounts }[]; moves: MoveCounts[]; missing: string[] }[] = [];
  for (const e of input.entities) {
    const cells: (typeof rows)[number]['cells'] = [];
    const complete = new Map<string, Int8Array>();
    for (const { a, codes } of byEntity.get(e.entityKey) ?? []) {
      counts.fill(0);
      for (let i = 0; i < C; i++) { const r = codes[i] ?? NONE; if (r !== NONE) counts[r] = (counts[r] ?? 0) + 1; }
      cells.push({ a, codes, counts: countsOf(counts) });
      const k = cpIndex.get(a.checkpoint);
      if (a.status !== 'complete' || k === undefined) continue;
      complete.set(a.checkpoint, codes);
      overall.add(0, k, counts);
      entityTypes.add(e.entityType === 'agency' ? 0 : 1, k, counts);
      const g = regionIndex.get(e.region);
      if (g !== undefined) regions.add(g, k, counts);
      const t = e.entityType === 'agency' ? typeIndex.get(e.partnerType ?? '') : undefined;
      if (t !== undefined) types.add(t, k, counts);
      pillarCounts.fill(0);
      let pillarsRated = 0;
      for (let i = 0; i < C; i++) {
        const r = codes[i] ?? NONE;
        if (r === NONE) continue;
        const p = pillarOf[i] ?? 0;
        pillarCounts[p * 5 + r] = (pillarCounts[p * 5 + r] ?? 0) + 1;
        pillarsRated |= 1 << p;
        one.fill(0);
        one[r] = 1;
        perCriterion.add(i, k, one);
      }
      for (let p = 0; p < SCORECARD_PILLARS.length; p++) if (pillarsRated & (1 << p)) pillars.add(p, k, pillarCounts.subarray(p * 5, p * 5 + 5));
    }
    const moves = SCORECARD_MOVES.map(([from, to], m) => {
      const x = complete.get(from);
      const y = complete.get(to);
      const out = ZERO_MOVES();
      if (!x || !y) return out;
      for (let i = 0; i < C; i++) {
        const a = RANKS[x[i] ?? NONE] ?? -1;
        const b = RANKS[y[i] ?? NONE] ?? -1;
        if (a < 0 || b < 0) continue;
        const mv = b > a ? 'improved' : b < a ? 'slipped' : 'held';
        out[mv] += 1;
        const pc = criterionMoves[i]?.[m];
        if (pc) pc[mv] += 1;
      }
      const t = totalMoves[m];
      if (t) { t.improved += out.improved; t.held += out.held; t.slipped += out.slipped; }
      return out;
    });
    rows.push({ e, cells, moves, missing: due.filter((cp) => !complete.has(cp)) });
  }
  rows.sort((x, y) => {
    const a = x.e;
    const b = y.e;
    if (a.entityType !== b.entityType) return a.entityType === 'agency' ? -1 : 1;
    if (a.entityName !== b.entityName) return a.entityName < b.entityName ? -1 : 1;
    return a.entityKey < b.entityKey ? -1 : a.entityKey > b.entityKey ? 1 : 0;
  });
  const start = (input.page - 1) * input.pageSize;
  const entityFields = (e: ScorecardEntityInput) => ({
    entityType: e.entityType, entityKey: e.entityKey, partnerId: e.partnerId, country: e.country, entityName: e.entityName, partnerType: e.partnerType, region: e.region,
  });
  // Only the page's entities carry their grid cells (the rest are counted above, never written out).
  const entities: ScorecardEntity[] = rows.slice(start, start + input.pageSize).map(({ e, cells, moves, missing }) => {
    const byCheckpoint: ScorecardEntity['byCheckpoint'] = {};
    for (const { a, codes, counts: c } of cells) {
      byCheckpoint[a.checkpoint] = {
        assessmentId: a.id, status: a.status, assessedOn: a.assessedOn, pctMetOrExceeded: pctMetOrExceeded(c), counts: c,
        ratings: Array.from(codes, (r) => (r === NONE ? null : (CODES[r] ?? null))),
      };
    }
    return { ...entityFields(e), byCheckpoint, movement: movesList(moves), missingCheckpoints: missing };
  });

  const overallFigures = overall.figures(0);
  const latest = [...SCORECARD_CHECKPOINTS].reverse().find((cp) => (overallFigures[cp.code]?.assessments ?? 0) > 0);
  const top = latest ? overallFigures[latest.code] : undefined;
  return {
    asOf,
    headline: latest && top ? { checkpoint: latest.code, label: latest.label, pctMetOrExceeded: top.pctMetOrExceeded, assessments: top.assessments } : null,
    checkpoints: checkpoints.map((cp) => {
      const named = SCORECARD_CHECKPOINTS.find((c) => c.code === cp);
      return { code: cp, label: named?.label ?? `Interim ${cp}`, dueDate: named?.dueDate ?? null, due: isDue(cp, asOf) };
    }),
    criteria: criteria.map((c) => ({ id: c.id, code: c.code, text: c.text, pillar: c.pillar, retired: c.retired })),
    overall: overallFigures,
    entities,
    entityTotal: rows.length, page: input.page, pageSize: input.pageSize,
    byPillar: SCORECARD_PILLARS.map((p, i) => ({ key: p.code, label: p.label, byCheckpoint: pillars.figures(i) })),
    byPartnerType: AGENCY_PARTNER_TYPES.map((t, i) => ({ key: t, label: labelOf(PARTNER_TYPES, t), byCheckpoint: types.figures(i) })),
    byEntityType: ENTITY_TYPES.map((t, i) => ({ key: t.code, label: t.label, byCheckpoint: entityTypes.figures(i) })),
    byRegion: REGIONS.map((r, i) => ({ key: r.code, label: r.label, byCheckpoint: regions.figures(i) })),
    byCriterion: criteria.map((c, i) => ({ key: String(c.id), label: c.code, byCheckpoint: perCriterion.figures(i), criterionId: c.id, pillar: c.pillar, movement: movesList(criterionMoves[i] ?? []) })),
    movement: movesList(totalMoves),
    missing: rows.filter((r) => r.missing.length > 0).map((r) => ({ ...entityFields(r.e), checkpoints: r.missing })),
  };
}
