/**
 * Scheduled snapshots (issue 18) end to end on each test database, with a fake clock and a real SMTP server on
 * 127.0.0.1: a due run takes a real snapshot and the e-mail arrives with its PDF and XLSX (read back with
 * pdftotext and exceljs, matching the snapshot); a refused attempt is recorded and retried with backoff, then
 * sent or, after the last attempt, failed; a run missed while the server was down runs once; bad input is 400
 * naming the field; edits are If-Match and audited; only the author or an admin edits.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatCount, type Delivery, type ScheduleList, type Snapshot, type SnapshotSchedule } from '@mm/shared';
import { createScheduler } from '@mm/server';
import type { AppConfig } from '@mm/server/deps';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './harness.ts';
import { startSmtp, type TestSmtp } from './smtp.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-sched-'));
const havePoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const RETRY_MS = 60_000;
const board = {
  titlePattern: 'Africa board report {date}', note: 'For the regional board.', filters: { region: ['AFR'] },
  cadence: { every: 'month', day: 1, time: '08:00' }, timeZone: 'Europe/Zurich', recipients: ['board@example.org', 'Chair@Example.org'], formats: ['pdf', 'xlsx'],
};

describe.each(databases())('scheduled snapshots on %s', (kind) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let now = new Date('2015-06-29T12:00:00.000Z');
  const clock = () => now;
  let scheduler: ReturnType<typeof createScheduler>;
  let admin = '';
  let editor = '';
  let otherEditor = '';
  let viewer = '';

  beforeAll(async () => {
    smtp = await startSmtp();
    // Sessions outlive the fake clock's jumps of weeks.
    const config: Partial<AppConfig> = {
      mail: { url: smtp.url, from: 'Mainstream Monitor <monitor@example.org>' },
      delivery: { maxAttempts: 3, retryBaseMs: RETRY_MS, leaseMs: 600_000 },
      sessionIdleMinutes: 500_000, sessionMaxHours: 9_000,
    };
    t = await startTestApp(kind, { clock, config });
    scheduler = createScheduler({ db: t.handle.db, dialect: t.handle.dialect, changeStamp: t.handle.changeStamp, clock, config });
    [admin, editor, otherEditor, viewer] = await Promise.all([
      t.login('admin@demo.local'), t.login('staff.africa@demo.local'), t.login('staff.asia@demo.local'), t.login('manager@demo.local'),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  // Each test starts with no schedules, so no earlier one comes due when the clock moves on.
  afterEach(async () => {
    for (const s of (await list()).items) {
      const res = await t.request('DELETE', `/api/v1/snapshot-schedules/${s.id}`, { cookie: admin, headers: { 'If-Match': `"${s.version}"` } });
      expect(res.status).toBe(204);
    }
    smtp.received.length = 0;
  });

  async function list(cookie = admin): Promise<ScheduleList> {
    const res = await t.request('GET', '/api/v1/snapshot-schedules', { cookie });
    expect(res.status).toBe(200);
    return (await res.json()) as ScheduleList;
  }
  async function create(body: unknown, cookie = editor): Promise<SnapshotSchedule> {
    const res = await t.request('POST', '/api/v1/snapshot-schedules', { cookie, body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    return (await res.json()) as SnapshotSchedule;
  }
  async function deliveries(id: number): Promise<Delivery[]> {
    const res = await t.request('GET', `/api/v1/snapshot-schedules/${id}/deliveries`, { cookie: viewer });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Delivery[] }).items;
  }
  async function snapshot(id: string): Promise<Snapshot> {
    const res = await t.request('GET', `/api/v1/snapshots/${id}`, { cookie: viewer });
    expect(res.status).toBe(200);
    return (await res.json()) as Snapshot;
  }

  it('refuses bad input with 400 naming the field, and creates nothing', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['cadence.cron', { cadence: { every: 'cron', cron: '61 8 * * *' } }],
      ['cadence.cron', { cadence: { every: 'cron', cron: '0 8 1 *' } }],
      ['cadence.time', { cadence: { every: 'month', day: 1, time: '8 am' } }],
      ['timeZone', { timeZone: 'Europe/Geneva' }],
      ['recipients.1', { recipients: ['board@example.org', 'not-an-address'] }],
      ['formats', { formats: [] }],
      ['titlePattern', { titlePattern: 'Report {day}' }],
    ];
    for (const [field, over] of cases) {
      const res = await t.request('POST', '/api/v1/snapshot-schedules', { cookie: editor, body: { ...board, ...over } });
      expect(res.status, field).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = (await res.json()) as { errors: Array<{ field: string; reason: string }> };
      expect(body.errors.map((e) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect((await list()).items).toEqual([]);
  });

  it('editors schedule, viewers may not (unless allowed); the author or an admin edits with If-Match, others get 403; every change is audited', async () => {
    expect((await list(viewer)).canCreate).toBe(false);
    expect((await t.request('POST', '/api/v1/snapshot-schedules', { cookie: viewer, body: board })).status).toBe(403);

    const s = await create(board);
    // Monthly on the 1st at 08:00 in Zurich (CEST, UTC+2) after 29 June 2015 12:00 UTC.
    expect(s).toMatchObject({ nextRunAt: '2015-07-01T06:00:00.000Z', recipients: ['board@example.org', 'chair@example.org'], description: 'Every month on the 1st at 08:00 (Europe/Zurich)', version: 1, canEdit: true });
    expect((await list(otherEditor)).items.map((x) => [x.id, x.canEdit])).toEqual([[s.id, false]]);

    const patch = (cookie: string, body: unknown, ifMatch?: string) =>
      t.request('PATCH', `/api/v1/snapshot-schedules/${s.id}`, { cookie, body, headers: ifMatch ? { 'If-Match': ifMatch } : {} });
    expect((await patch(otherEditor, { active: false }, '"1"')).status).toBe(403);
    expect((await patch(editor, { active: false })).status).toBe(428);
    const bad = await patch(editor, { timeZone: 'Mars/Base' }, '"1"');
    expect(bad.status).toBe(400);
    const paused = await patch(editor, { active: false }, '"1"');
    expect(paused.status).toBe(200);
    expect(paused.headers.get('etag')).toBe('"2"');
    expect(await paused.json()).toMatchObject({ active: false, nextRunAt: null, version: 2 });
    expect((await patch(admin, { active: true }, '"1"')).status).toBe(412);
    // Resumed with a weekly cadence: the first Monday 09:00 in New York (EDT, UTC-4) after now — today, Monday 29 June, 13:00 UTC.
    const weekly = await patch(admin, { active: true, cadence: { every: 'week', weekday: 'monday', time: '09:00' }, timeZone: 'America/New_York' }, '"2"');
    expect(weekly.status).toBe(200);
    expect(await weekly.json()).toMatchObject({ active: true, nextRunAt: '2015-06-29T13:00:00.000Z', version: 3, description: 'Every Monday at 09:00 (America/New_York)' });
    expect((await t.request('DELETE', `/api/v1/snapshot-schedules/${s.id}`, { cookie: otherEditor, headers: { 'If-Match': '"3"' } })).status).toBe(403);

    const audit = await t.handle.db.selectFrom('audit').select(['action', 'user_email']).where('entity', '=', 'snapshot_schedule').where('entity_id', '=', String(s.id)).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'create', user_email: 'staff.africa@demo.local' },
      { action: 'update', user_email: 'staff.africa@demo.local' },
      { action: 'update', user_email: 'admin@demo.local' },
    ]);
  });

  it('a due run takes a real snapshot and e-mails its PDF and XLSX, once', async () => {
    now = new Date('2015-06-29T12:00:00.000Z');
    const s = await create(board);
    expect((await scheduler.tick()).claimed).toEqual([]);

    now = new Date('2015-07-01T06:00:20.000Z');
    const tick = await scheduler.tick();
    expect(tick.claimed).toHaveLength(1);
    expect(tick.attempted.map((d) => d.status)).toEqual(['sent']);
    const [mail] = await smtp.waitFor(1);
    expect((await scheduler.tick()).attempted).toEqual([]);
    expect(smtp.received).toHaveLength(1);

    const [d] = await deliveries(s.id);
    expect(d).toMatchObject({ trigger: 'schedule', slotAt: '2015-07-01T06:00:00.000Z', status: 'sent', title: 'Africa board report 2015-07-01', sentAt: now.toISOString(), error: null });
    expect(d?.attempts).toEqual([{ attempt: 1, at: now.toISOString(), outcome: 'sent', error: null }]);
    const snap = await snapshot(d?.snapshotId ?? '');
    expect(snap).toMatchObject({ title: 'Africa board report 2015-07-01', asOf: '2015-07-01', createdBy: { email: 'staff.africa@demo.local' } });
    expect(snap.filters.region).toEqual(['AFR']);
    expect((await list()).items[0]).toMatchObject({ nextRunAt: '2015-08-01T06:00:00.000Z', lastDelivery: { id: d?.id, status: 'sent' } });

    expect(mail?.subject).toBe('Africa board report 2015-07-01');
    expect(mail?.from?.text).toContain('monitor@example.org');
    const to = Array.isArray(mail?.to) ? mail.to : mail?.to ? [mail.to] : [];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual(['board@example.org', 'chair@example.org']);
    expect(mail?.text).toContain(snap.id);
    expect(mail?.text).toContain('For the regional board.');
    const files = mail?.attachments ?? [];
    expect(files.map((a) => a.contentType)).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(files.map((a) => a.filename)).toEqual(['snapshot-africa-board-report-2015-07-01_asof-2015-07-01.pdf', 'snapshot-africa-board-report-2015-07-01_asof-2015-07-01.xlsx']);

    // The XLSX is the snapshot: its stamp names it and its summary holds the frozen partnership count.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files[1]?.content as unknown as ArrayBuffer);
    const stamp = new Map<string, string>();
    wb.getWorksheet('About this export')?.eachRow((r) => stamp.set(String(r.getCell(1).value), String(r.getCell(2).value)));
    expect(stamp.get('Source')).toBe(`snapshot ${snap.id}`);
    expect(stamp.get('As of')).toBe('2015-07-01');
    let partnerships: unknown = null;
    wb.getWorksheet('Summary')?.eachRow((r) => { if (r.getCell(1).value === 'Partnerships') partnerships = r.getCell(2).value; });
    expect(partnerships).toBe(snap.data.progress.summary.partnerships.total);
    expect(snap.counts.partnerships).toBeGreaterThan(0);

    if (havePoppler) {
      const file = path.join(tmp, `run-${kind}.pdf`);
      fs.writeFileSync(file, files[0]?.content ?? Buffer.alloc(0));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const p = snap.data.progress.summary.partnerships;
      expect(text).toContain('Africa board report 2015-07-01');
      expect(text).toContain('As of 2015-07-01');
      expect(text).toContain(snap.id);
      expect(text).toContain(`${formatCount(p.total)} (${formatCount(p.active)} active)`);
      expect(text).toContain('Illustrative demo data');
    }
  });

  it('the e-mail and its files are in the language of the schedule\'s author (their account\'s), with the same numbers', async () => {
    const put = await t.request('PUT', '/api/v1/auth/me/locale', { cookie: otherEditor, body: { locale: 'es' } });
    expect(put.status).toBe(200);
    try {
      now = new Date('2015-06-29T12:00:00.000Z');
      await create({ ...board, titlePattern: 'Informe Asia {month} ({date})', filters: { region: ['ASP'] }, formats: ['xlsx'] }, otherEditor);
      now = new Date('2015-07-01T06:00:20.000Z');
      expect((await scheduler.tick()).attempted.map((d) => d.status)).toEqual(['sent']);
      const [mail] = await smtp.waitFor(1);
      // The title's month in the author's language too.
      expect(mail?.subject).toBe('Informe Asia julio de 2015 (2015-07-01)');
      expect(mail?.text).toContain('con las cifras al 1 jul 2015');
      expect(mail?.text).toContain('Filtros: Región: ASP.');
      expect(mail?.text).toMatch(/Cifras: últimas \(cada registro/);
      expect(mail?.text).toContain('Adjuntos: snapshot-informe-asia-julio-de-2015-2015-07-01_asof-2015-07-01.xlsx.');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(mail?.attachments[0]?.content as unknown as ArrayBuffer);
      const stamp = new Map<string, string>();
      wb.getWorksheet('Acerca de esta exportación')?.eachRow((r) => stamp.set(String(r.getCell(1).value), String(r.getCell(2).value)));
      expect(stamp.get('Situación al')).toBe('1 jul 2015');
      expect(stamp.get('Filtros')).toBe('Región: ASP');
      const snap = await snapshot(stamp.get('Fuente')?.replace('instantánea ', '') ?? '');
      let partnerships: unknown = null;
      wb.getWorksheet('Resumen')?.eachRow((r) => { if (r.getCell(1).value === 'Alianzas') partnerships = r.getCell(2).value; });
      expect(partnerships).toBe(snap.data.progress.summary.partnerships.total);
    } finally {
      await t.request('PUT', '/api/v1/auth/me/locale', { cookie: otherEditor, body: { locale: null } });
    }
  });

  it('a refused attempt is recorded with the reason and retried after the backoff; after the last attempt the delivery fails', async () => {
    now = new Date('2015-06-29T12:00:00.000Z');
    const s = await create({ ...board, formats: ['xlsx'] });
    smtp.refuse(1);
    const t0 = new Date('2015-07-01T06:00:00.000Z');
    now = t0;
    const first = await scheduler.tick();
    expect(first.attempted).toHaveLength(1);
    const d1 = first.attempted[0];
    expect(d1).toMatchObject({ status: 'retrying', nextAttemptAt: new Date(t0.getTime() + RETRY_MS).toISOString() });
    expect(d1?.attempts[0]).toMatchObject({ attempt: 1, outcome: 'failed' });
    expect(d1?.attempts[0]?.error).toMatch(/451/);
    expect(d1?.attempts[0]?.error).toMatch(/try again later/);
    expect(smtp.refused()).toBe(1);

    now = new Date(t0.getTime() + RETRY_MS - 1000);
    expect((await scheduler.tick()).attempted).toEqual([]);
    now = new Date(t0.getTime() + RETRY_MS);
    const second = await scheduler.tick();
    expect(second.attempted.map((d) => d.status)).toEqual(['sent']);
    await smtp.waitFor(1);
    const [d] = await deliveries(s.id);
    expect(d?.attempts.map((a) => [a.attempt, a.outcome, a.at])).toEqual([[1, 'failed', t0.toISOString()], [2, 'sent', now.toISOString()]]);
    // The retry sent the snapshot the first attempt took: one snapshot for the run.
    const taken = await t.handle.db.selectFrom('snapshots').select('id').where('title', '=', 'Africa board report 2015-07-01').execute();
    expect(taken.map((r) => r.id)).toContain(d?.snapshotId);
    expect(smtp.received[0]?.attachments.map((a) => a.filename)).toEqual(['snapshot-africa-board-report-2015-07-01_asof-2015-07-01.xlsx']);

    // Refused every time: attempts at t, t + 1 min, t + 3 min (the backoff doubles), then failed with the reason.
    smtp.received.length = 0;
    smtp.refuse(10);
    const t1 = new Date('2015-08-01T06:00:00.000Z');
    now = t1;
    await scheduler.tick();
    now = new Date(t1.getTime() + RETRY_MS);
    await scheduler.tick();
    now = new Date(t1.getTime() + 3 * RETRY_MS - 1000);
    expect((await scheduler.tick()).attempted).toEqual([]);
    now = new Date(t1.getTime() + 3 * RETRY_MS);
    const last = (await scheduler.tick()).attempted[0];
    expect(last).toMatchObject({ status: 'failed', nextAttemptAt: null, sentAt: null });
    expect(last?.attempts.map((a) => [a.attempt, a.outcome, a.at])).toEqual([
      [1, 'failed', t1.toISOString()], [2, 'failed', new Date(t1.getTime() + RETRY_MS).toISOString()], [3, 'failed', now.toISOString()],
    ]);
    expect(last?.error).toMatch(/451/);
    now = new Date(t1.getTime() + 60 * RETRY_MS);
    expect((await scheduler.tick()).attempted).toEqual([]);
    expect(smtp.received).toHaveLength(0);
    expect((await list()).items[0]?.lastDelivery).toMatchObject({ status: 'failed' });
    smtp.refuse(0);
  });

  it('runs missed while the server was down run once, and the next run is the first slot after now', async () => {
    now = new Date('2015-06-29T12:00:00.000Z');
    const s = await create({ ...board, cadence: { every: 'week', weekday: 'monday', time: '09:00' }, timeZone: 'UTC', formats: ['pdf'] });
    expect(s.nextRunAt).toBe('2015-07-06T09:00:00.000Z');
    // Seven Mondays pass with no process running; the next start ticks once.
    now = new Date('2015-08-20T10:00:00.000Z');
    const tick = await scheduler.tick();
    expect(tick.claimed).toHaveLength(1);
    expect(tick.attempted.map((d) => [d.slotAt, d.status])).toEqual([['2015-07-06T09:00:00.000Z', 'sent']]);
    expect((await scheduler.tick()).claimed).toEqual([]);
    expect(await deliveries(s.id)).toHaveLength(1);
    expect((await list()).items[0]?.nextRunAt).toBe('2015-08-24T09:00:00.000Z');
    await smtp.waitFor(1);
    expect(smtp.received).toHaveLength(1);
    // Titles use the date of the run, in the schedule's time zone.
    expect(smtp.received[0]?.subject).toBe('Africa board report 2015-08-20');
  });

  it('run now sends at once (the author or an admin; 404 for no schedule); a paused schedule never comes due', async () => {
    now = new Date('2015-09-10T08:00:00.000Z');
    const s = await create({ ...board, active: false, titlePattern: 'Ad hoc {quarter}' });
    expect(s.nextRunAt).toBeNull();
    expect((await t.request('POST', `/api/v1/snapshot-schedules/${s.id}/run`, { cookie: otherEditor })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/snapshot-schedules/999999/run', { cookie: admin })).status).toBe(404);
    const res = await t.request('POST', `/api/v1/snapshot-schedules/${s.id}/run`, { cookie: admin });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ trigger: 'manual', status: 'sent', title: 'Ad hoc 2015 Q3' });
    await smtp.waitFor(1);
    expect(smtp.received[0]?.subject).toBe('Ad hoc 2015 Q3');
    now = new Date('2015-12-20T08:00:00.000Z');
    expect(await scheduler.tick()).toEqual({ claimed: [], attempted: [] });
    expect(await deliveries(s.id)).toHaveLength(1);
  });

  it('a run whose author may no longer take snapshots fails at once, saying why', async () => {
    now = new Date('2015-09-10T08:00:00.000Z');
    const allow = (v: boolean) => t.request('PUT', '/api/v1/settings', { cookie: admin, body: { viewersMayTakeSnapshots: v } });
    expect((await allow(true)).status).toBe(200);
    const s = await create(board, viewer);
    expect((await allow(false)).status).toBe(200);
    now = new Date('2015-10-01T06:00:00.000Z');
    const [d] = (await scheduler.tick()).attempted;
    expect(d).toMatchObject({ status: 'failed', snapshotId: null, nextAttemptAt: null });
    expect(d?.error).toBe('The schedule\'s author (manager@demo.local) may no longer take snapshots.');
    expect(d?.attempts).toHaveLength(1);
    expect((await deliveries(s.id))[0]?.status).toBe('failed');
    expect(smtp.received).toHaveLength(0);
  });
});
