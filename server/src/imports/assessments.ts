/**
 * Bulk import of scorecard assessments (CSV/XLSX, one row per rating): the rows of one entity and checkpoint form
 * one assessment, created when it does not exist and updated otherwise (the ratings in the file replace those
 * criteria's ratings; assessedOn and status are set). The same rules as the API apply (unknown or retired
 * criterion, rating scale, complete = every current criterion rated, agencies are un/ifi partners, editors only in
 * their regions); any problem anywhere and nothing is written. A dry run writes nothing either.
 */
import { checkpoint as checkpointSchema, entityKey, entityRegion, type ImportIssue, type ImportReport, type RegionCode, type ScorecardRating } from '@mm/shared';
import type { Kysely } from 'kysely';
import { withRetry } from '../db/retry.ts';
import { bumpDataVersion } from '../db/seed.ts';
import type { Database } from '../db/types.ts';
import { writeAudit } from '../queries/audit.ts';
import { allCriteria } from '../queries/scorecard.ts';
import { COLUMNS } from './columns.ts';
import type { RunContext } from './engine.ts';
import { issue } from './records.ts';
import { parseCell, type Sheet } from './rows.ts';
import { cellText, isBlank } from './values.ts';

interface RatingRow { row: number; criterion: string; rating: ScorecardRating; note: string | null; evidenceUrl: string | null }
interface Group {
  row: number; entityType: 'agency' | 'country_team'; agency: string | null; country: string | null; checkpoint: string;
  assessedOn: string; status: 'draft' | 'complete'; ratings: RatingRow[];
}

const COLS = COLUMNS.assessments;

/** The sheet's rows grouped into assessments; problems for anything unreadable or inconsistent within a group. */
export function readAssessmentSheet(sheet: Sheet): { groups: Group[]; problems: ImportIssue[]; rows: number } {
  const problems: ImportIssue[] = [];
  const index = new Map<string, number>();
  sheet.header.forEach((h, i) => {
    const name = cellText(h);
    if (name === '') return;
    const col = COLS.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!col) problems.push(issue(1, name, name, `unknown column; the assessments columns are ${COLS.map((c) => c.name).join(', ')}`));
    else if (index.has(col.name)) problems.push(issue(1, name, name, 'this column appears twice'));
    else index.set(col.name, i);
  });
  for (const c of COLS) if (c.required && !index.has(c.name)) problems.push(issue(1, c.name, null, 'required column is missing from the header row'));
  if (problems.length > 0) return { groups: [], problems, rows: sheet.rows.length };
  const groups = new Map<string, Group>();
  let rows = 0;
  sheet.rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => isBlank(c))) return;
    rows++;
    const v = new Map<string, string | null>();
    let bad = false;
    for (const col of COLS) {
      const at = index.get(col.name);
      const cell = at === undefined ? null : (cells[at] ?? null);
      if (isBlank(cell)) {
        if (col.required) { problems.push(issue(row, col.name, null, 'required; the cell is empty')); bad = true; }
        v.set(col.name, null);
        continue;
      }
      const r = parseCell(col, cell);
      if (r.ok && (typeof r.value === 'string' || r.value === null)) v.set(col.name, r.value);
      else { problems.push(issue(row, col.name, cellText(cell), r.ok ? 'must be a single value' : r.message)); bad = true; }
    }
    if (bad) return;
    const entityType = v.get('entityType') === 'agency' ? 'agency' : 'country_team';
    const agency = v.get('agency') ?? null;
    const country = v.get('country') ?? null;
    if (entityType === 'agency' && (!agency || country)) { problems.push(issue(row, agency ? 'country' : 'agency', country, agency ? 'an agency row has no country' : 'an agency row needs the agency (partner external id)')); return; }
    if (entityType === 'country_team' && (!country || agency)) { problems.push(issue(row, country ? 'agency' : 'country', agency, country ? 'a country team row has no agency' : 'a country team row needs the country')); return; }
    const cp = checkpointSchema.safeParse(v.get('checkpoint'));
    if (!cp.success) { problems.push(issue(row, 'checkpoint', v.get('checkpoint') ?? null, 'must be baseline, 2010, 2015 or an interim date YYYY-MM-DD')); return; }
    const key = `${entityType}|${agency ?? country ?? ''}|${cp.data}`;
    const assessedOn = v.get('assessedOn') ?? '';
    const status = v.get('status') === 'complete' ? 'complete' : 'draft';
    let g = groups.get(key);
    if (!g) { g = { row, entityType, agency, country, checkpoint: cp.data, assessedOn, status, ratings: [] }; groups.set(key, g); }
    if (g.assessedOn !== assessedOn) problems.push(issue(row, 'assessedOn', assessedOn, `differs from row ${g.row} of the same assessment (${g.assessedOn})`));
    if (g.status !== status) problems.push(issue(row, 'status', status, `differs from row ${g.row} of the same assessment (${g.status})`));
    const criterion = v.get('criterion') ?? '';
    const twice = g.ratings.find((x) => x.criterion.toLowerCase() === criterion.toLowerCase());
    if (twice) { problems.push(issue(row, 'criterion', criterion, `rated twice in the same assessment (first on row ${twice.row})`)); return; }
    g.ratings.push({ row, criterion, rating: (v.get('rating') ?? 'missing') as ScorecardRating, note: v.get('note') ?? null, evidenceUrl: v.get('evidenceUrl') ?? null });
  });
  return { groups: [...groups.values()], problems, rows };
}

interface Planned {
  g: Group; key: string; region: RegionCode; partnerId: number | null; existing: { id: number; version: number; assessed_on: string; status: string } | undefined;
  ratings: { criterionId: number; criterionVersion: number; r: RatingRow }[]; changed: boolean;
}

/** Plans and (for a real run without problems) writes the assessments, all in one transaction. */
export async function importAssessments(db: Kysely<Database>, sheet: Sheet, dryRun: boolean, fileName: string, ctx: RunContext): Promise<ImportReport> {
  const { groups, problems, rows } = readAssessmentSheet(sheet);
  if (rows === 0 && problems.length === 0) problems.push(issue(2, '', null, 'the file has a header row but no records'));
  const criteria = await allCriteria(db);
  const byCode = new Map(criteria.map((c) => [c.code.toLowerCase(), c]));
  const agencyRefs = [...new Set(groups.flatMap((g) => (g.agency ? [g.agency] : [])))];
  const partners = agencyRefs.length === 0 ? [] : await db.selectFrom('partners').select(['id', 'external_id', 'partner_type', 'hq_region']).where('external_id', 'in', agencyRefs).execute();
  const partnerByRef = new Map(partners.map((p) => [p.external_id ?? '', p]));
  const { actor } = ctx;
  const plans: Planned[] = [];
  for (const g of groups) {
    let region: RegionCode;
    let partnerId: number | null = null;
    if (g.entityType === 'agency') {
      const p = partnerByRef.get(g.agency ?? '');
      if (!p) { problems.push(issue(g.row, 'agency', g.agency, 'no partner with this external id')); continue; }
      if (p.partner_type !== 'un' && p.partner_type !== 'ifi') { problems.push(issue(g.row, 'agency', g.agency, `the partner is of type ${p.partner_type}; an agency must be of type un or ifi`)); continue; }
      partnerId = p.id;
      region = entityRegion({ entityType: 'agency', hqRegion: p.hq_region as RegionCode | null });
    } else region = entityRegion({ entityType: 'country_team', country: g.country });
    if (actor.role !== 'admin' && !actor.regions.includes(region)) {
      problems.push(issue(g.row, g.entityType === 'agency' ? 'agency' : 'country', g.agency ?? g.country, `is in region ${region}, outside your regions (${actor.regions.join(', ') || 'none'})`));
      continue;
    }
    const key = entityKey({ entityType: g.entityType, partnerId, country: g.country });
    const existing = await db.selectFrom('assessments').select(['id', 'version', 'assessed_on', 'status']).where('entity_key', '=', key).where('checkpoint', '=', g.checkpoint).executeTakeFirst();
    const stored = existing ? await db.selectFrom('assessment_ratings').select(['criterion_id', 'rating', 'note', 'evidence_url']).where('assessment_id', '=', existing.id).execute() : [];
    const storedBy = new Map(stored.map((s) => [s.criterion_id, s]));
    const ratings: Planned['ratings'] = [];
    for (const r of g.ratings) {
      const c = byCode.get(r.criterion.toLowerCase());
      if (!c) { problems.push(issue(r.row, 'criterion', r.criterion, `no criterion with this code; the checklist has ${criteria.filter((x) => !x.retired).map((x) => x.code).join(', ')}`)); continue; }
      if (c.retired && !storedBy.has(c.id)) { problems.push(issue(r.row, 'criterion', r.criterion, 'the criterion is retired and can no longer be rated')); continue; }
      ratings.push({ criterionId: c.id, criterionVersion: c.version, r });
    }
    if (g.status === 'complete') {
      const rated = new Set([...storedBy.keys(), ...ratings.map((x) => x.criterionId)]);
      const missing = criteria.filter((c) => !c.retired && !rated.has(c.id));
      if (missing.length > 0) problems.push(issue(g.row, 'status', 'complete', `a complete assessment rates every criterion; not rated: ${missing.map((c) => c.code).join(', ')}`));
    }
    const changed = !existing || existing.assessed_on !== g.assessedOn || existing.status !== g.status || ratings.some(({ criterionId, r }) => {
      const s = storedBy.get(criterionId);
      return !s || s.rating !== r.rating || (s.note ?? null) !== r.note || (s.evidence_url ?? null) !== r.evidenceUrl;
    });
    plans.push({ g, key, region, partnerId, existing, ratings, changed });
  }
  const created = plans.filter((p) => !p.existing).length;
  const updated = plans.filter((p) => p.existing && p.changed).length;
  const report: ImportReport = {
    type: 'assessments', dryRun, rows, created, updated, unchanged: plans.length - created - updated, byType: {}, problems, warnings: [], committed: false,
  };
  if (dryRun || problems.length > 0) return report;
  await withRetry(db, async (trx) => {
    for (const p of plans) {
      if (!p.changed) continue;
      let id: number;
      if (p.existing) {
        id = p.existing.id;
        await trx.updateTable('assessments').set((eb) => ({ assessed_on: p.g.assessedOn, status: p.g.status, updated_at: ctx.now, version: eb('version', '+', 1) })).where('id', '=', id).execute();
        if (p.ratings.length > 0) await trx.deleteFrom('assessment_ratings').where('assessment_id', '=', id).where('criterion_id', 'in', p.ratings.map((r) => r.criterionId)).execute();
      } else {
        id = (await trx.insertInto('assessments').values({
          entity_type: p.g.entityType, partner_id: p.partnerId, country: p.g.entityType === 'country_team' ? p.g.country : null, entity_key: p.key, region: p.region,
          checkpoint: p.g.checkpoint, assessed_on: p.g.assessedOn, status: p.g.status, version: 1, created_at: ctx.now, updated_at: ctx.now,
        }).returning('id').executeTakeFirstOrThrow()).id;
      }
      if (p.ratings.length > 0) {
        await trx.insertInto('assessment_ratings').values(p.ratings.map(({ criterionId, criterionVersion, r }) => ({
          assessment_id: id, criterion_id: criterionId, criterion_version: criterionVersion, rating: r.rating, note: r.note, evidence_url: r.evidenceUrl,
        }))).execute();
      }
      await writeAudit(trx, ctx.now, {
        actor, action: 'import', entity: 'assessment', entityId: id, region: p.region,
        after: { entityKey: p.key, checkpoint: p.g.checkpoint, assessedOn: p.g.assessedOn, status: p.g.status, ratings: p.ratings.map(({ r }) => ({ criterion: r.criterion, rating: r.rating, note: r.note, evidenceUrl: r.evidenceUrl })) },
      });
    }
    await writeAudit(trx, ctx.now, { actor, action: 'import', entity: 'import', entityId: 'assessments', after: { type: 'assessments', file: fileName, rows, created, updated, unchanged: report.unchanged } });
    if (created + updated > 0) await bumpDataVersion(trx);
  });
  return { ...report, committed: true };
}
