/**
 * Snapshots in the browser (issue 6): take a snapshot of the Africa view, open it (marked as a snapshot, drawn
 * from frozen data), complete a milestone, compare with today (the move shows), and download the PDF.
 */
import fs from 'node:fs';
import { formatPercent } from '@mm/shared/format';
import { describe, expect, it } from 'vitest';
import { SnapshotsPage } from './pages/SnapshotsPage.ts';
import { apiJson, newPage, paintedPixels, seriousViolations } from './pages/app.ts';
import { browserSession } from './session.ts';

interface Milestone { id: number; version: number; status: string }

const session = browserSession('staff.africa@demo.local');

describe('snapshots', () => {
  it('takes a snapshot, opens it frozen, compares with today after an update, and downloads the PDF', async () => {
    const { page } = session;
    const snaps = await new SnapshotsPage(page).goto('?region=AFR');
    const id = await snaps.take('Governing Body report, Africa (e2e)', 'For the March session');
    expect(await snaps.banner().innerText()).toMatch(/Snapshot of “Governing Body report, Africa \(e2e\)” as of \d{4}-\d{2}-\d{2}/);
    expect(await snaps.banner().innerText()).toContain('Region: Africa');
    const frozen = (await snaps.tileValue('milestones-completed')).trim();
    await page.locator('[data-chart="snap-partnerships-by-region"] canvas').waitFor();
    expect(await paintedPixels(page, '[data-chart="snap-partnerships-by-region"] canvas')).toBeGreaterThan(1000);
    // The frozen scorecard section draws from the snapshot's own scorecard view.
    await page.locator('[data-chart="snap-scorecard"] canvas').waitFor();
    expect(await paintedPixels(page, '[data-chart="snap-scorecard"] canvas')).toBeGreaterThan(500);
    expect(await seriousViolations(page)).toEqual([]);

    // Complete one Africa milestone after the snapshot (through the API, as another tab would).
    const work: { milestones: Milestone[] } = await (await page.request.get('/api/v1/my-work')).json();
    const m = work.milestones.find((x) => x.status !== 'completed');
    if (!m) throw new Error('no open Africa milestone');
    const res = await page.request.patch(`/api/v1/milestones/${m.id}`, { data: { status: 'completed' }, headers: { 'If-Match': `"${m.version}"`, 'X-Requested-With': 'MainstreamMonitor' } });
    expect(res.status()).toBe(200);

    // The snapshot does not move…
    await page.reload();
    await snaps.banner().waitFor();
    expect((await snaps.tileValue('milestones-completed')).trim()).toBe(frozen);

    // …and the comparison with today shows the milestone completed since.
    await snaps.compareWithToday();
    expect(new URL(page.url()).searchParams.get('from')).toBe(id);
    expect(await snaps.fact('milestones')).toContain('+1');
    const africa = (await snaps.compareTable()).find((r) => r[0] === 'Africa');
    expect(africa?.[1]).toContain('(+1)');
    await page.locator('[data-chart="compare-chart"] canvas').waitFor();
    expect(await paintedPixels(page, '[data-chart="compare-chart"] canvas')).toBeGreaterThan(500);
    // The scorecard's KPI per checkpoint on both sides, as the compare API gives it.
    const cmp = await apiJson<{ scorecard?: { checkpoint: string; from: number | null; to: number | null }[] }>(page, `/snapshots/compare?from=${id}&to=live`);
    const shown = await page.locator('[data-table="compare-scorecard"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
    expect(cmp.scorecard?.length).toBeGreaterThan(0);
    expect(shown.map((r) => r.slice(1, 3))).toEqual((cmp.scorecard ?? []).map((r) => [formatPercent(r.from), formatPercent(r.to)]));
    expect(await seriousViolations(page)).toEqual([]);

    // PNG of the chart, from its own canvas.
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="compare-chart"]').getByRole('button', { name: /^PNG/ }).click()]);
    expect(png.suggestedFilename()).toBe('compare-chart.png');
    expect(fs.readFileSync(await png.path()).subarray(1, 4).toString('latin1')).toBe('PNG');

    const pdf = await snaps.download('PDF report');
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = fs.readFileSync(await pdf.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('shares a read-only link that opens without signing in, until it is revoked', async () => {
    const { browser, baseUrl, page } = session;
    const list: { items: { id: string; title: string }[] } = await (await page.request.get('/api/v1/snapshots')).json();
    const snap = list.items.find((s) => s.title === 'Governing Body report, Africa (e2e)');
    if (!snap) throw new Error('snapshot from the first test not found');
    await page.goto(`/snapshots/${snap.id}`);
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = await page.getByLabel(/New link/).inputValue();
    expect(url).toMatch(/\/shared\/[A-Za-z0-9_-]{43}$/);

    const outsider = await newPage(browser, baseUrl);
    await outsider.page.goto(new URL(url).pathname);
    await outsider.page.locator('.snapshot-banner').waitFor();
    expect(await outsider.page.locator('.snapshot-banner').innerText()).toContain('Snapshot of “Governing Body report, Africa (e2e)”');
    expect(await outsider.page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    await page.getByRole('button', { name: /^Revoke/ }).first().click();
    await page.getByText(/revoked \d{4}-\d{2}-\d{2}/).waitFor();
    await outsider.page.reload();
    await outsider.page.getByRole('alert').waitFor();
    expect(await outsider.page.getByRole('alert').innerText()).toContain('Not found');
    await outsider.context.close();
  });
});
