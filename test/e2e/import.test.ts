/**
 * Bulk import in the browser (issue 7): an Africa editor checks a milestones CSV with one bad row, sees that row
 * highlighted (and in the downloaded report), fixes the file, imports it, and the overview's numbers change.
 * Editors import milestone progress (not new milestones): the file marks the three Africa milestones due last in
 * "My work" as completed, away from the ones the staff test picks (the first ones).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportPage } from './pages/ImportPage.ts';
import { OverviewPage } from './pages/OverviewPage.ts';
import { seriousViolations } from './pages/app.ts';
import { browserSession } from './session.ts';

const session = browserSession('staff.africa@demo.local');

interface Milestone { externalId: string | null; actionPlanId: number; title: string; dueDate: string }

const HEADER = 'externalId,actionPlan,title,dueDate,status,percentComplete,completedDate,statusDate,evidenceNote,evidenceUrl';
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** The milestones as completed on `completed[i]`, one CSV row each. */
function csv(ms: Milestone[], completed: string[]): string {
  const rows = ms.map((m, i) => [m.externalId ?? '', `DEMO-AP-${m.actionPlanId}`, m.title, m.dueDate, 'completed', '100', completed[i] ?? '', '', 'Validation report (e2e import)', ''].map(quote).join(','));
  return [HEADER, ...rows].join('\n');
}

describe('import', () => {
  it('dry run flags the bad row, the fixed file imports, and the overview counts the completed milestones', async () => {
    const { page } = session;
    const overview = await new OverviewPage(page).goto();
    const completed = Number((await overview.tileValue('milestones-completed')).replace(/,/g, ''));

    const res = await page.request.get('/api/v1/my-work');
    const work: { milestones: Milestone[] } = await res.json();
    const targets = work.milestones.slice(-3);
    expect(targets).toHaveLength(3);
    const BAD = csv(targets, ['2015-12-01', '01/12/2015', '2015-12-01']);
    const FIXED = csv(targets, ['2015-12-01', '2015-12-01', '2015-12-01']);

    await page.getByRole('link', { name: 'Import' }).click();
    const imp = new ImportPage(page);
    await imp.check('Milestones', 'milestones.csv', BAD);
    expect(await imp.sentence()).toContain('3 rows read: 1 problem in 1 row. Nothing was written');
    expect(await imp.problemRows()).toEqual([3]);
    const problem = await imp.report().locator('tr.problem').first().innerText();
    expect(problem).toContain('completedDate');
    expect(problem).toContain('01/12/2015');
    expect(await imp.report().getByRole('button', { name: /^Import/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    const download = await imp.downloadReport();
    const saved = fs.readFileSync(await download.path(), 'utf8');
    expect(saved.split('\r\n')[1]).toMatch(/^milestones\.csv,milestones,3,completedDate,01\/12\/2015,problem,must be a date/);

    // Fix the file and choose it again: the dry run now says what it would create.
    await imp.check('Milestones', 'milestones.csv', FIXED);
    expect(await imp.sentence()).toContain('3 rows read: 0 to create, 3 to update, 0 unchanged');
    await imp.confirm();
    expect(await imp.sentence()).toContain('Imported 3 rows: 0 created, 3 updated');

    await imp.report().getByRole('link', { name: 'See the overview' }).click();
    await page.waitForFunction((n) => document.querySelector('[data-tile="milestones-completed"] .tile-value')?.textContent?.trim().replace(/,/g, '') === String(n), completed + 3, { timeout: 10_000 });
  });
});
