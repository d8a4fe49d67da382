/**
 * Pure shaping for the scorecard pages: the URL's view options, the heat-map grid, the figures tables and the
 * assessment form. No fetching here, so every number and cell shown can be tested.
 */
import type { Assessment, ProgressScorecard, ScorecardGroup } from '@mm/shared';
import { ENTITY_TYPES, SCORECARD_CHECKPOINTS, SCORECARD_PILLARS, type ScorecardRating } from '@mm/shared/scorecard-reference';
import { formatDate, formatPercent } from '../../lib/i18n/format.ts';
import { m } from '../../lib/i18n/locale.ts';
import * as ref from '../../lib/i18n/reference.ts';
import type { ScorecardView } from '../../lib/api/scorecard.ts';

const ENTITY_CODES: readonly string[] = ENTITY_TYPES.map((e) => e.code);
const PILLAR_CODES: readonly string[] = SCORECARD_PILLARS.map((p) => p.code);
const CHECKPOINT = /^(baseline|2010|2015|\d{4}-\d{2}-\d{2})$/;

/** The scorecard's own options in the URL (`entityType`, `pillar`, `checkpoint`, `page`); unknown values are dropped. */
export function parseView(search: string): ScorecardView {
  const p = new URLSearchParams(search);
  const cp = p.get('checkpoint') ?? '';
  const page = Number(p.get('page'));
  return {
    entityType: [...new Set(p.getAll('entityType').filter((v) => ENTITY_CODES.includes(v)))],
    pillar: [...new Set(p.getAll('pillar').filter((v) => PILLAR_CODES.includes(v)))],
    checkpoint: CHECKPOINT.test(cp) ? cp : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The view options as query-string pairs, appended after the shared filters' own (`toSearch`). */
export function viewSearch(filtersSearch: string, v: Partial<ScorecardView>): string {
  const p = new URLSearchParams(filtersSearch);
  for (const x of v.entityType ?? []) p.append('entityType', x);
  for (const x of v.pillar ?? []) p.append('pillar', x);
  if (v.checkpoint) p.set('checkpoint', v.checkpoint);
  if (v.page && v.page > 1) p.set('page', String(v.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The checkpoint the grid shows: the one chosen in the URL if the view has it, else the headline's, else the baseline. */
export function gridCheckpoint(v: ProgressScorecard, chosen: string | undefined): string {
  if (chosen && v.checkpoints.some((c) => c.code === chosen)) return chosen;
  return v.headline?.checkpoint ?? 'baseline';
}

/** How a rating reads in a grid cell (two letters, with the full label beside it for screen readers and tooltips). */
export const RATING_SHORT: Record<ScorecardRating, string> = { missing: m.rs_missing(), approaches: m.rs_approaches(), meets: m.rs_meets(), exceeds: m.rs_exceeds(), not_applicable: m.rs_not_applicable() };

export function ratingLabel(r: ScorecardRating | null | undefined): string {
  return r ? ref.ratingLabel(r) : m.sc_notRated();
}

export function checkpointLabel(code: string): string {
  return SCORECARD_CHECKPOINTS.some((c) => c.code === code) ? ref.checkpointLabel(code) : m.sc_interim({ date: formatDate(code) });
}

export function entityTypeLabel(code: string): string {
  return ref.entityTypeLabel(code);
}

export interface GridCell { criterion: string; rating: ScorecardRating | null; short: string; label: string }
export interface GridRow {
  key: string; name: string; kind: string; region: string;
  /** The assessment of the shown checkpoint, if there is one. */
  assessmentId: number | null; draft: boolean; pct: string; cells: GridCell[];
}

/** One row per entity: its rating of each criterion at `checkpoint` (blank where it has no assessment of it). */
export function gridRows(v: ProgressScorecard, checkpoint: string): GridRow[] {
  return v.entities.map((e) => {
    const cell = e.byCheckpoint[checkpoint];
    return {
      key: e.entityKey,
      name: entityName(e),
      kind: e.entityType === 'agency' ? ref.partnerTypeLabel(e.partnerType ?? '') : entityTypeLabel(e.entityType),
      region: ref.regionLabel(e.region),
      assessmentId: cell?.assessmentId ?? null,
      draft: cell?.status === 'draft',
      pct: cell ? formatPercent(cell.pctMetOrExceeded) : '—',
      cells: v.criteria.map((c, i) => {
        const rating = cell?.ratings[i] ?? null;
        return { criterion: c.code, rating, short: rating ? RATING_SHORT[rating] : '', label: `${c.code}: ${ratingLabel(rating)}` };
      }),
    };
  });
}

/** An entity's name: a country team by its country's name in the page's language, an agency as its record is named. */
export function entityName(e: { entityKey: string; entityName: string }): string {
  const [kind, code] = e.entityKey.split(':');
  return kind === 'country_team' && code ? ref.countryLabel(code) : e.entityName;
}

/** The named checkpoints and any interim ones the view holds, in its order. */
export function checkpointCodes(v: ProgressScorecard): string[] {
  return v.checkpoints.map((c) => c.code);
}

export interface FigureRow { key: string; label: string; values: string[] }

/** A table of % met or exceeded per group (rows) and checkpoint (columns), with the number of assessments counted. */
export function figureRows(groups: readonly ScorecardGroup[], checkpoints: readonly string[], labelOfKey?: (key: string) => string): FigureRow[] {
  return groups.map((g) => ({
    key: g.key,
    // In the page's language by the group's code; a group the reference lists do not know keeps the API's label.
    label: labelOfKey && labelOfKey(g.key) !== g.key ? labelOfKey(g.key) : g.label,
    values: checkpoints.map((cp) => {
      const f = g.byCheckpoint[cp];
      return f && f.assessments > 0 ? `${formatPercent(f.pctMetOrExceeded)} (${f.assessments})` : '—';
    }),
  }));
}

/** The overall row: every selected entity. */
export function overallRow(v: ProgressScorecard): FigureRow {
  return figureRows([{ key: 'all', label: m.sc_allSelected(), byCheckpoint: v.overall }], checkpointCodes(v))[0] ?? { key: 'all', label: m.sc_allSelected(), values: [] };
}


/** The name of an entity someone is about to assess (for the form's heading). */
export function countryName(code: string): string {
  return ref.countryLabel(code);
}

export interface RatingDraft { criterionId: number; code: string; text: string; pillar: string; rating: ScorecardRating | ''; note: string; evidenceUrl: string }

/** The form's starting state: every rated criterion as the assessment holds it, then the current criteria not rated yet. */
export function ratingDrafts(a: Assessment, criteria: readonly { id: number; code: string; text: string; pillar: string; retired: boolean }[]): RatingDraft[] {
  const rated = a.ratings.map((r) => ({ criterionId: r.criterionId, code: r.code, text: r.text, pillar: r.pillar, rating: r.rating, note: r.note ?? '', evidenceUrl: r.evidenceUrl ?? '' }));
  const seen = new Set(rated.map((r) => r.criterionId));
  const open = criteria.filter((c) => !c.retired && !seen.has(c.id)).map((c) => ({ criterionId: c.id, code: c.code, text: c.text, pillar: c.pillar, rating: '' as const, note: '', evidenceUrl: '' }));
  const order = (p: string) => PILLAR_CODES.indexOf(p);
  return [...rated, ...open].sort((x, y) => order(x.pillar) - order(y.pillar) || x.code.localeCompare(y.code, 'en', { numeric: true }));
}

/** The ratings to send: those with a rating chosen; an empty note or link is sent as null. */
export function ratingsToSend(drafts: readonly RatingDraft[]): { criterionId: number; rating: ScorecardRating; note: string | null; evidenceUrl: string | null }[] {
  return drafts.flatMap((d) => (d.rating === '' ? [] : [{ criterionId: d.criterionId, rating: d.rating, note: d.note.trim() || null, evidenceUrl: d.evidenceUrl.trim() || null }]));
}

/** Whether a user may write an assessment of an entity in `region` (admins anywhere; editors in their regions, GLO included). */
export function mayAssess(user: { role: string; regions: readonly string[] } | undefined, region: string): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'editor' && user.regions.includes(region));
}
