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
const emptyFigures = (): Figures => ({ pctMetOrExceeded: null, counts: emptyRatingCounts(), assessments: 0 });

/** Per-checkpoint tallies of one group, finished into figures at the end. */
class Tally {
  readonly by = new Map<string, Figures>();
  constructor(private readonly checkpoints: readonly string[]) {}
  add(checkpoint: string, counts: RatingCounts, assessments: number): void {
    let f = this.by.get(checkpoint);
    if (!f) { f = emptyFigures(); this.by.set(checkpoint, f); }
    addRatingCounts(f.counts, counts);
    f.assessments += assessments;
  }
  figures(): Record<string, Figures> {
    const out: Record<string, Figures> = {};
    for (const cp of this.checkpoints) {
      const f = this.by.get(cp) ?? emptyFigures();
      out[cp] = { ...f, pctMetOrExceeded: pctMetOrExceeded(f.counts) };
    }
    return out;
  }
}

const addMoves = (into: MoveCounts, m: MoveCounts): void => { into.improved += m.improved; into.held += m.held; into.slipped += m.slipped; };
const movesList = (ms: readonly MoveCounts[]): Movement[] => SCORECARD_MOVES.map(([from, to], i) => ({ from, to, ...(ms[i] ?? { improved: 0, held: 0, slipped: 0 }) }));

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
  const criterionIds = criteria.map((c) => c.id);
  const pillarOf = new Map(criteria.map((c) => [c.id, c.pillar]));

  const interim = input.assessments.map((a) => a.checkpoint).filter((cp) => !SCORECARD_CHECKPOINTS.some((c) => c.code === cp));
  const checkpoints = orderCheckpoints(interim);
  const due = checkpoints.filter((cp) => isDue(cp, asOf));

  const entityByKey = new Map(input.entities.map((e) => [e.entityKey, e]));
  const byEntity = new Map<string, ScorecardAssessmentInput[]>();
  for (const a of input.assessments) {
    if (!entityByKey.has(a.entityKey)) continue;
    const list = byEntity.get(a.entityKey);
    if (list) list.push(a); else byEntity.set(a.entityKey, [a]);
  }

  const overall = new Tally(checkpoints);
  const pillars = new Map(SCORECARD_PILLARS.map((p) => [p.code, new Tally(checkpoints)]));
  const types = new Map<string, Tally>(AGENCY_PARTNER_TYPES.map((t) => [t, new Tally(checkpoints)]));
  const entityTypes = new Map(ENTITY_TYPES.map((t) => [t.code, new Tally(checkpoints)]));
  const regions = new Map<string, Tally>(REGIONS.map((r) => [r.code, new Tally(checkpoints)]));
  const perCriterion = new Map(criteria.map((c) => [c.id, { tally: new Tally(checkpoints), moves: SCORECARD_MOVES.map(() => ({ improved: 0, held: 0, slipped: 0 })) }]));
  const totalMoves = SCORECARD_MOVES.map(() => ({ improved: 0, held: 0, slipped: 0 }));

  const entities: ScorecardEntity[] = [];
  for (const e of input.entities) {
    const byCheckpoint: ScorecardEntity['byCheckpoint'] = {};
    const complete = new Map<string, ScorecardAssessmentInput>();
    for (const a of byEntity.get(e.entityKey) ?? []) {
      const own = criterionIds.flatMap((id) => { const r = a.ratings.get(id); return r === undefined ? [] : [r]; });
      const score = scoreOf(own);
      byCheckpoint[a.checkpoint] = { assessmentId: a.id, status: a.status, assessedOn: a.assessedOn, ...score, ratings: criterionIds.map((id) => a.ratings.get(id) ?? null) };
      if (a.status !== 'complete') continue;
      complete.set(a.checkpoint, a);
      overall.add(a.checkpoint, score.counts, 1);
      entityTypes.get(e.entityType)?.add(a.checkpoint, score.counts, 1);
      regions.get(e.region)?.add(a.checkpoint, score.counts, 1);
      if (e.entityType === 'agency') types.get(e.partnerType ?? '')?.add(a.checkpoint, score.counts, 1);
      const perPillar = new Map<ScorecardPillar, RatingCounts>();
      for (const id of criterionIds) {
        const r = a.ratings.get(id);
        if (r === undefined) continue;
        const p = pillarOf.get(id);
        if (p) {
          let c = perPillar.get(p);
          if (!c) { c = emptyRatingCounts(); perPillar.set(p, c); }
          c[r] += 1;
        }
        const one = emptyRatingCounts();
        one[r] = 1;
        perCriterion.get(id)?.tally.add(a.checkpoint, one, 1);
      }
      for (const [p, c] of perPillar) pillars.get(p)?.add(a.checkpoint, c, 1);
    }
    const moves = SCORECARD_MOVES.map(([from, to], i) => {
      const a = complete.get(from);
      const b = complete.get(to);
      if (!a || !b) return { improved: 0, held: 0, slipped: 0 };
      for (const id of criterionIds) {
        const mv = moveOf(a.ratings.get(id), b.ratings.get(id));
        const pc = perCriterion.get(id)?.moves[i];
        if (mv && pc) pc[mv] += 1;
      }
      const m = movementBetween(a.ratings, b.ratings, criterionIds);
      const t = totalMoves[i];
      if (t) addMoves(t, m);
      return m;
    });
    entities.push({
      entityType: e.entityType, entityKey: e.entityKey, partnerId: e.partnerId, country: e.country, entityName: e.entityName,
      partnerType: e.partnerType, region: e.region,
      byCheckpoint, movement: movesList(moves), missingCheckpoints: due.filter((cp) => !complete.has(cp)),
    });
  }
  entities.sort((a, b) => (a.entityType !== b.entityType ? (a.entityType === 'agency' ? -1 : 1) : a.entityName < b.entityName ? -1 : a.entityName > b.entityName ? 1 : a.entityKey < b.entityKey ? -1 : 1));
  const start = (input.page - 1) * input.pageSize;

  const group = (key: string, label: string, t: Tally): ScorecardGroup => ({ key, label, byCheckpoint: t.figures() });
  return {
    asOf,
    checkpoints: checkpoints.map((cp) => {
      const named = SCORECARD_CHECKPOINTS.find((c) => c.code === cp);
      return { code: cp, label: named?.label ?? `Interim ${cp}`, dueDate: named?.dueDate ?? null, due: isDue(cp, asOf) };
    }),
    criteria: criteria.map((c) => ({ id: c.id, code: c.code, text: c.text, pillar: c.pillar, retired: c.retired })),
    overall: overall.figures(),
    entities: entities.slice(start, start + input.pageSize),
    entityTotal: entities.length, page: input.page, pageSize: input.pageSize,
    byPillar: SCORECARD_PILLARS.map((p) => group(p.code, p.label, pillars.get(p.code) ?? new Tally(checkpoints))),
    byPartnerType: AGENCY_PARTNER_TYPES.map((t) => group(t, labelOf(PARTNER_TYPES, t), types.get(t) ?? new Tally(checkpoints))),
    byEntityType: ENTITY_TYPES.map((t) => group(t.code, t.label, entityTypes.get(t.code) ?? new Tally(checkpoints))),
    byRegion: REGIONS.map((r) => group(r.code, r.label, regions.get(r.code) ?? new Tally(checkpoints))),
    byCriterion: criteria.map((c) => {
      const pc = perCriterion.get(c.id);
      return { ...group(String(c.id), c.code, pc?.tally ?? new Tally(checkpoints)), criterionId: c.id, pillar: c.pillar, movement: movesList(pc?.moves ?? []) };
    }),
    movement: movesList(totalMoves),
    missing: entities.filter((e) => e.missingCheckpoints.length > 0).map((e) => ({
      entityType: e.entityType, entityKey: e.entityKey, partnerId: e.partnerId, country: e.country, entityName: e.entityName,
      partnerType: e.partnerType, region: e.region, checkpoints: e.missingCheckpoints,
    })),
  };
}
