/**
 * The milestone page: a manager opens a milestone from the Milestones list and sees what GET /milestones/:id
 * says, with its history, and the not-found message for an unknown id; an Africa editor updates percent complete
 * there. Uses an Africa milestone in progress and changes only its percent and evidence (no status, so every
 * count the other browser tests compare stays as it was).
 */
import { labelOf, MILESTONE_STATUS_LIST, REGIONS } from '@mm/shared/reference';
import { describe, expect, it } from 'vitest';
import { ListPage } from './pages/ListPage.ts';
import { MilestonePage } from './pages/MilestonePage.ts';
import { apiJson, expectAccessible } from './pages/app.ts';
import { browserSession } from './session.ts';

interface Milestone {
  id: number; title: string; actionPlanId: number; actionPlanTitle: string; region: string; dueDate: string; status: string;
  percentComplete: number; completedDate: string | null; overdue: boolean; evidenceNote: string | null; evidenceUrl: string | null; version: number;
}
interface History { items: { action: string; userEmail: string | null }[] }

const api = apiJson;

describe('milestone page (manager)', () => {
  const session = browserSession('manager@demo.local');

  it('opens from the Milestones list with the facts of GET /milestones/:id and its history, and passes axe', async () => {
    const { page } = session;
    await page.goto('/milestones?sort=-dueDate');
    const list = new ListPage(page);
    await list.waitForRows();
    const first = await list.firstRowLink();
    expect(first.href).toMatch(/^\/milestones\/\d+$/);
    await list.openFirstRow();
    await page.waitForURL(new RegExp(`${first.href}$`));

    const id = Number(first.href.split('/').pop());
    const m = await api<Milestone>(page, `/milestones/${id}`);
    const detail = new MilestonePage(page);
    expect(await detail.heading()).toBe(m.title);
    expect(first.text).toBe(m.title);
    expect(await detail.fact('Action plan')).toBe(m.actionPlanTitle);
    expect(await page.getByRole('region', { name: 'Where it stands' }).getByRole('link', { name: m.actionPlanTitle }).getAttribute('href')).toBe(`/action-plans/${m.actionPlanId}`);
    expect(await detail.fact('Region')).toBe(labelOf(REGIONS, m.region));
    expect(await detail.fact('Due date')).toBe(m.dueDate);
    expect(await detail.fact('Status')).toContain(labelOf(MILESTONE_STATUS_LIST, m.status));
    expect(await detail.fact('Percent complete')).toBe(`${m.percentComplete}%`);
    expect(await detail.fact('Completed on')).toBe(m.completedDate ?? '—');
    expect(await detail.fact('Overdue')).toMatch(m.overdue ? /^Overdue/ : /^No$/);
    expect(await detail.fact('Version')).toMatch(new RegExp(`^${m.version} \\(updated \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)$`));
    if (m.evidenceNote) expect(await detail.evidence().innerText()).toContain(m.evidenceNote);
    // A viewer reads; only staff of the region get the form.
    expect(await page.getByRole('button', { name: 'Update this milestone' }).count()).toBe(0);

    const history = await api<History>(page, `/milestones/${id}/history`);
    const entries = await detail.history();
    expect(entries.length).toBe(history.items.length);
    if (entries.length === 0) expect(await page.getByRole('region', { name: 'History' }).innerText()).toContain('No changes recorded');
    await expectAccessible(page, 'milestone');
  });

  it('links the action plan’s milestones to their pages', async () => {
    const { page } = session;
    const m = await api<{ items: Milestone[] }>(page, '/milestones?pageSize=1&sort=dueDate');
    const target = m.items[0];
    if (!target) throw new Error('no milestones');
    await page.goto(`/action-plans/${target.actionPlanId}`);
    await page.getByRole('region', { name: 'Milestones' }).getByRole('link', { name: target.title }).click();
    await page.waitForURL(new RegExp(`/milestones/${target.id}$`));
    expect(await new MilestonePage(page).heading()).toBe(target.title);
  });

  it('says an unknown milestone does not exist', async () => {
    const { page } = session;
    const detail = await new MilestonePage(page).goto(999_999);
    expect(await detail.heading()).toBe('Milestone 999999');
    expect(await detail.alert()).toMatch(/^Not found/);
    await expectAccessible(page, 'milestone not found');
  });
});

describe('milestone page (Africa editor)', () => {
  const session = browserSession('staff.africa@demo.local');

  it('updates percent complete and evidence there, and sees the new values and a new history line', async () => {
    const { page } = session;
    const open = await api<{ items: Milestone[] }>(page, '/milestones?region=AFR&status=in_progress&sort=title&pageSize=1');
    const target = open.items[0];
    if (!target) throw new Error('no Africa milestone in progress');
    const percent = target.percentComplete >= 95 ? target.percentComplete - 5 : target.percentComplete + 5;
    const before = await api<History>(page, `/milestones/${target.id}/history`);

    const detail = await new MilestonePage(page).goto(target.id);
    const form = await detail.openEditor();
    await form.getByLabel('Percent complete').fill(String(percent));
    await form.getByLabel(/^Evidence link/).fill('https://example.org/evidence/e2e-report.pdf');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await detail.statusMessage()).toContain(`Saved: In progress, ${percent}% complete`);

    await page.waitForFunction((p) => document.querySelector('main')?.textContent?.includes(`${p}%`), percent);
    expect(await detail.fact('Percent complete')).toBe(`${percent}%`);
    expect(await detail.fact('Version')).toMatch(new RegExp(`^${target.version + 1} `));
    const link = detail.evidence().getByRole('link', { name: /e2e-report\.pdf/ });
    expect(await link.getAttribute('href')).toBe('https://example.org/evidence/e2e-report.pdf');
    expect(await link.getAttribute('rel')).toContain('noopener');

    const entries = await detail.history();
    expect(entries.length).toBe(before.items.length + 1);
    expect(entries[0]).toMatch(/^Changed by staff\.africa@demo\.local, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(entries[0]).toContain(`Percent complete: ${target.percentComplete} → ${percent}`);
    await expectAccessible(page, 'milestone with the staff form used');
  });
});
