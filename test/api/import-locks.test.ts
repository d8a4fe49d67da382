/**
 * Issue 16: approved (period, region)s lock imports exactly as they lock the record routes. A CSV that would
 * add a measurement dated in a locked period, move one into it, or change a milestone dated there is refused
 * as a whole (422, the row and the period named) and writes nothing; the same rows dated in an open period
 * import. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '@mm/server/ops/tables';
import { csv, upload } from './import-helpers.ts';
import { databases, startTestApp, type TestApp } from './harness.ts';

const NOW = new Date('2026-11-28T10:04:00.000Z');
const M_HEADER = ['externalId', 'indicator', 'value', 'date', 'source', 'note'];

describe.each(databases())('imports into locked periods on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  let indicator = '';
  let milestone: { external_id: string; action_plan: string; title: string; due_date: string } | undefined;

  beforeAll(async () => {
    t = await startTestApp(kind, { clock: () => NOW });
    admin = await t.login('admin@demo.local');
    // The Americas are approved (locked) for every half-year of 2007–2012 in the demo data; 2013-H1 was returned.
    const i = await t.handle.db.selectFrom('indicators as i').innerJoin('action_plans as p', 'p.id', 'i.action_plan_id')
      .select('i.external_id').where('p.region', '=', 'AME').where('i.external_id', 'is not', null).orderBy('i.id').executeTakeFirstOrThrow();
    indicator = i.external_id ?? '';
    const m = await t.handle.db.selectFrom('milestones as m').innerJoin('action_plans as p', 'p.id', 'm.action_plan_id')
      .select(['m.external_id', 'p.external_id as action_plan', 'm.title', 'm.due_date']).where('p.region', '=', 'AME').where('m.external_id', 'is not', null)
      .where('m.due_date', '>=', '2013-01-01').where('m.due_date', '<=', '2013-06-30').orderBy('m.id').executeTakeFirst();
    milestone = m ? { external_id: m.external_id ?? '', action_plan: m.action_plan ?? '', title: m.title, due_date: m.due_date } : undefined;
  });
  afterAll(async () => { await t?.close(); });

  it('refuses a measurement dated in a locked period: 422 naming the row and the period, nothing written', async () => {
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    const file = csv([M_HEADER, ['LOCK-M-1', indicator, '12.5', '2013-03-31', 'Open period', ''], ['LOCK-M-2', indicator, '12.5', '2011-05-01', 'Locked period', '']]);
    const res = await upload(t, admin, '/api/v1/imports/measurements?dryRun=false', file);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { report: { problems: { row: number; column: string; message: string }[] } };
    expect(body.report.problems).toEqual([expect.objectContaining({ row: 3, column: 'date', message: expect.stringMatching(/reporting period 2011-H1 .*locked for AME/) as string })]);
    expect(await fingerprint(t.handle.db, t.handle.dialect)).toEqual(before);
    // The dry run says the same.
    const dry = (await (await upload(t, admin, '/api/v1/imports/measurements?dryRun=true', file)).json()) as { problems: unknown[] };
    expect(dry.problems).toHaveLength(1);
  });

  it('imports the same measurement dated in an open period, and refuses moving it into a locked one', async () => {
    const ok = await upload(t, admin, '/api/v1/imports/measurements?dryRun=false', csv([M_HEADER, ['LOCK-M-1', indicator, '12.5', '2013-03-31', 'Open period', '']]));
    expect(ok.status).toBe(200);
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    const moved = await upload(t, admin, '/api/v1/imports/measurements?dryRun=false', csv([M_HEADER, ['LOCK-M-1', indicator, '12.5', '2012-12-31', 'Open period', '']]));
    expect(moved.status).toBe(422);
    expect(await fingerprint(t.handle.db, t.handle.dialect)).toEqual(before);
  });

  it('refuses a milestone whose completion date would fall in a locked period', async () => {
    if (!milestone) throw new Error('no Americas milestone due in 2013-H1 in the demo data');
    const header = ['externalId', 'actionPlan', 'title', 'dueDate', 'status', 'percentComplete', 'completedDate', 'evidenceNote', 'evidenceUrl'];
    const before = await fingerprint(t.handle.db, t.handle.dialect);
    const res = await upload(t, admin, '/api/v1/imports/milestones?dryRun=false', csv([header, [milestone.external_id, milestone.action_plan, milestone.title, milestone.due_date, 'completed', '100', '2012-11-30', 'Backdated', '']]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { report: { problems: { column: string; message: string }[] } };
    expect(body.report.problems.map((p) => p.column)).toEqual(['completedDate']);
    expect(await fingerprint(t.handle.db, t.handle.dialect)).toEqual(before);
    const open = await upload(t, admin, '/api/v1/imports/milestones?dryRun=false', csv([header, [milestone.external_id, milestone.action_plan, milestone.title, milestone.due_date, 'completed', '100', '2013-02-15', 'In the open period', '']]));
    expect(open.status).toBe(200);
  });
});
