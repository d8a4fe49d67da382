/**
 * The mainstreaming scorecard (issue 15) in a real browser: a manager reads the grid, chart and tables (the same
 * numbers as GET /progress/scorecard, filters in the URL, axe-clean at desktop and phone widths); an Africa editor
 * creates an assessment for a country team that has not assessed 2015, rates every criterion, marks it complete,
 * and the overview's KPI moves to what the API then says.
 */
import type { ProgressScorecard } from '@mm/shared';
import { formatPercent } from '@mm/shared/format';
import { describe, expect, it } from 'vitest';
import { OverviewPage } from './pages/OverviewPage.ts';
import { ScorecardPage } from './pages/ScorecardPage.ts';
import { apiJson, expectAccessible, PHONE } from './pages/app.ts';
import { browserSession } from './session.ts';

const figure = (f: { pctMetOrExceeded: number | null; assessments: number } | undefined) => (f && f.assessments > 0 ? `${formatPercent(f.pctMetOrExceeded)} (${f.assessments})` : '—');

describe('scorecard page (manager)', () => {
  const session = browserSession('manager@demo.local');

  it('draws the chart, the grid and the figures of GET /progress/scorecard for the filters in the URL, and passes axe', async () => {
    const { page } = session;
    const sc = await new ScorecardPage(page).goto('?region=AFR');
    const api = await apiJson<ProgressScorecard>(page, '/progress/scorecard?region=AFR&pageSize=50');
    expect(await sc.painted()).toBeGreaterThan(1000);
    for (const cp of api.checkpoints) expect(await sc.kpi(cp.code)).toBe(figure(api.overall[cp.code]));

    // The chart's table alternative holds the same shares.
    const table = await sc.chartTable();
    expect(table[0]?.label).toBe('All criteria');
    expect(table[0]?.cells).toEqual(['baseline', '2010', '2015'].map((cp) => formatPercent(api.overall[cp]?.pctMetOrExceeded ?? null)));

    // The grid: one row per entity, at the headline checkpoint, each cell its rating.
    const checkpoint = api.headline?.checkpoint ?? 'baseline';
    const rows = await sc.gridRows();
    expect(rows.map((r) => r.name)).toEqual(api.entities.map((e) => e.entityName));
    const rated = api.entities.find((e) => e.byCheckpoint[checkpoint]?.status === 'complete');
    if (!rated) throw new Error('no complete assessment in Africa');
    const row = rows.find((r) => r.name === rated.entityName);
    expect(row?.pct).toBe(formatPercent(rated.byCheckpoint[checkpoint]?.pctMetOrExceeded ?? null));
    const short: Record<string, string> = { missing: 'Mi', approaches: 'Ap', meets: 'Me', exceeds: 'Ex', not_applicable: 'n/a' };
    // A rated cell shows its two letters and is named by criterion and rating; an unrated one is blank, named so.
    const labels: Record<string, string> = { missing: 'Missing', approaches: 'Approaches requirements', meets: 'Meets requirements', exceeds: 'Exceeds requirements', not_applicable: 'Not applicable' };
    expect(row?.cells).toEqual(rated.byCheckpoint[checkpoint]?.ratings.map((r, i) => ({ seen: r ? short[r] : '', label: `${api.criteria[i]?.code}: ${r ? labels[r] : 'Not rated'}` })));

    const byRegion = await sc.figures('by-region');
    expect(byRegion.get('Africa')).toEqual(api.checkpoints.map((c) => figure(api.byRegion.find((g) => g.key === 'AFR')?.byCheckpoint[c.code])));
    await expectAccessible(page, 'scorecard');

    // A filter chosen on the page lands in the URL (and a reload shows the same view).
    await page.locator('#sc-checkpoint').selectOption('baseline');
    await page.waitForURL(/checkpoint=baseline/);
    expect(new URL(page.url()).searchParams.getAll('region')).toEqual(['AFR']);
    await page.reload();
    await sc.loaded();
    expect(await page.locator('#grid-title').innerText()).toContain('Baseline');
  });

  it('drills from a grid cell to the assessment and its justification', async () => {
    const { page } = session;
    const sc = await new ScorecardPage(page).goto('?region=AFR&checkpoint=baseline');
    const link = sc.grid().locator('td.cell a').first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/scorecard\/assessments\/\d+#criterion-/);
    await link.click();
    await page.waitForURL(/\/scorecard\/assessments\/\d+/);
    const id = Number(/assessments\/(\d+)/.exec(href ?? '')?.[1]);
    const a = await apiJson<{ entityName: string; ratings: { code: string; note: string | null }[] }>(page, `/assessments/${id}`);
    await page.locator('main h1').waitFor();
    expect(await page.locator('main h1').innerText()).toContain(a.entityName);
    const code = href?.split('#criterion-')[1] ?? '';
    const note = a.ratings.find((r) => r.code === code)?.note ?? '—';
    expect((await page.locator(`tr#criterion-${code} td[data-label="Justification"]`).innerText()).trim()).toBe(note);
    await expectAccessible(page, 'assessment');
  });

  it('is usable and axe-clean at phone width, the grid scrolling inside its card', async () => {
    const { page } = session;
    await page.setViewportSize(PHONE);
    await new ScorecardPage(page).goto('?region=AFR');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAccessible(page, 'scorecard (phone)');
  });
});

describe('assessment end to end (Africa editor)', () => {
  const session = browserSession('staff.africa@demo.local');

  it('creates a 2015 assessment, rates every criterion, marks it complete, and the overview KPI moves', async () => {
    const { page } = session;
    const before = await apiJson<ProgressScorecard>(page, '/progress/scorecard?pageSize=1');
    const overview = await new OverviewPage(page).goto();
    expect(await overview.tileValue('scorecard')).toBe(formatPercent(before.headline?.pctMetOrExceeded ?? null));

    const africa = await apiJson<ProgressScorecard>(page, '/progress/scorecard?region=AFR&entityType=country_team&pageSize=100');
    const target = africa.missing.find((m) => m.entityType === 'country_team' && m.checkpoints.includes('2015') && !africa.entities.find((e) => e.entityKey === m.entityKey)?.byCheckpoint['2015']);
    if (!target?.country) throw new Error('every Africa country team has a 2015 assessment');

    await page.goto('/scorecard/assessments/new');
    await page.getByLabel('A UN country team').check();
    await page.locator('#na-country').selectOption(target.country);
    await page.locator('#na-checkpoint').selectOption('2015');
    await page.getByLabel('Assessed on').fill('2015-06-30');
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(/\/scorecard\/assessments\/\d+$/);
    const id = Number(page.url().split('/').pop());
    await page.getByRole('button', { name: 'Rate the criteria' }).click();
    const selects = page.locator('form.rating-form select');
    const n = await selects.count();
    expect(n).toBe(africa.criteria.filter((c) => !c.retired).length);
    for (let i = 0; i < n; i++) await selects.nth(i).selectOption('exceeds');
    await page.locator('form.rating-form input[type="text"]').first().fill('Decent work is central to the 2015 UNDAF.');
    await page.getByRole('button', { name: 'Save and mark complete' }).click();
    await page.getByRole('status').filter({ hasText: 'Marked complete' }).waitFor();
    await expectAccessible(page, 'assessment after marking complete');

    const saved = await apiJson<{ status: string; pctMetOrExceeded: number; ratings: { note: string | null }[] }>(page, `/assessments/${id}`);
    expect(saved.status).toBe('complete');
    expect(saved.pctMetOrExceeded).toBe(1);
    expect(saved.ratings.some((r) => r.note === 'Decent work is central to the 2015 UNDAF.')).toBe(true);

    const after = await apiJson<ProgressScorecard>(page, '/progress/scorecard?pageSize=1');
    expect(after.headline?.assessments).toBe((before.headline?.assessments ?? 0) + 1);
    expect(after.headline?.pctMetOrExceeded ?? 0).toBeGreaterThan(before.headline?.pctMetOrExceeded ?? 1);
    const again = await new OverviewPage(page).goto();
    expect(await again.tileValue('scorecard')).toBe(formatPercent(after.headline?.pctMetOrExceeded ?? null));
    expect(await again.tileValue('scorecard')).not.toBe(formatPercent(before.headline?.pctMetOrExceeded ?? null));
  });
});

describe('scorecard checklist (admin)', () => {
  const session = browserSession('admin@demo.local');

  it('edits a criterion as a new version, and the assessments keep the wording they were rated against', async () => {
    const { page } = session;
    const before = await apiJson<{ items: { id: number; code: string; text: string; version: number }[] }>(page, '/scorecard/criteria');
    const c = before.items[0];
    if (!c) throw new Error('no criteria');
    const rated = await apiJson<{ items: { id: number }[] }>(page, '/assessments?status=complete&pageSize=1');
    const assessmentId = rated.items[0]?.id;
    const old = await apiJson<{ ratings: { criterionId: number; text: string }[] }>(page, `/assessments/${assessmentId}`);
    const oldText = old.ratings.find((r) => r.criterionId === c.id)?.text;

    await page.goto('/scorecard/criteria');
    await page.getByRole('button', { name: `Edit ${c.code}` }).click();
    const text = `${c.text} (reworded in the browser test)`;
    await page.locator('#cr-text').fill(text);
    await page.getByRole('button', { name: 'Save a new version' }).click();
    await page.getByRole('status').filter({ hasText: `${c.code} saved (version ${c.version + 1})` }).waitFor();
    expect(await page.getByText(text).count()).toBe(1);
    await expectAccessible(page, 'scorecard checklist');

    const after = await apiJson<{ items: { id: number; text: string; version: number }[] }>(page, '/scorecard/criteria');
    expect(after.items.find((x) => x.id === c.id)).toMatchObject({ text, version: c.version + 1 });
    const still = await apiJson<{ ratings: { criterionId: number; text: string }[] }>(page, `/assessments/${assessmentId}`);
    expect(still.ratings.find((r) => r.criterionId === c.id)?.text).toBe(oldText);
  });
});
