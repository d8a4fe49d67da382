/**
 * Scheduled snapshots with two server processes on one PostgreSQL database (issue 18): both tick every 100 ms on
 * the real clock, and every due run is taken, snapshotted and e-mailed exactly once — one delivery row, one
 * snapshot and one message per schedule, however the two processes interleave. Needs TEST_DATABASE_URL.
 */
import { openDatabase } from '@mm/server/db/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, CSRF, databases, DEMO_PASSWORD } from '../api/harness.ts';
import { startSmtp, type TestSmtp } from '../api/smtp.ts';
import { spawnServer, stopServer, waitHealthy, type ServerChild } from '../server-process.ts';

const onPostgres = databases().includes('postgres');
const SCHEDULES = 6;

describe.skipIf(!onPostgres)('scheduled snapshots with two server processes on one PostgreSQL database', () => {
  let a: ServerChild | undefined;
  let b: ServerChild | undefined;
  let smtp: TestSmtp | undefined;
  let url = '';
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    smtp = await startSmtp();
    const created = await createPgDatabase();
    url = created.url;
    drop = created.drop;
    const env = { SMTP_URL: smtp.url, SMTP_FROM: 'Monitor <monitor@example.org>', SCHEDULER_TICK_MS: '100' };
    // A migrates and loads the demo data; B starts on the ready database.
    a = await spawnServer(url, { ...env, DEMO: '1' });
    await waitHealthy(a, { timeoutMs: 90_000, pollMs: 150 });
    b = await spawnServer(url, { ...env, DEMO: '' });
    await waitHealthy(b, { timeoutMs: 90_000, pollMs: 150 });
  });

  afterAll(async () => {
    await Promise.all([stopServer(a), stopServer(b)]);
    await smtp?.close();
    await drop?.();
  });

  it('every due run is delivered once: one delivery, one snapshot and one e-mail per schedule', async () => {
    if (!a || !b || !smtp) throw new Error('not started');
    const login = await fetch(`${a.base}/api/v1/auth/login`, {
      method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.local', password: DEMO_PASSWORD }),
    });
    const cookie = /mm_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const ids: number[] = [];
    for (let i = 1; i <= SCHEDULES; i++) {
      const res = await fetch(`${(i % 2 ? a : b).base}/api/v1/snapshot-schedules`, {
        method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json', cookie },
        body: JSON.stringify({
          titlePattern: `Board report ${i} {date}`, cadence: { every: 'month', day: 1, time: '08:00' }, timeZone: 'Europe/Zurich',
          recipients: [`board${i}@example.org`], formats: i === 1 ? ['pdf', 'xlsx'] : ['xlsx'], filters: { region: ['AFR'] },
        }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    expect(smtp.received).toHaveLength(0);

    // Their slots pass at once, as if no process had been up then: both processes find all of them due.
    const h = openDatabase(url);
    try {
      await h.db.updateTable('snapshot_schedules').set({ next_run_at: '2015-01-01T07:00:00.000Z' }).execute();
      await smtp.waitFor(SCHEDULES, 90_000);
      // Many more ticks of both processes: nothing is sent again.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(smtp.received.map((m) => m.subject).sort()).toEqual(ids.map((_, i) => `Board report ${i + 1} ${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich' }).format(new Date())}`).sort());

      const deliveries = await h.db.selectFrom('snapshot_deliveries').select(['schedule_id', 'status', 'attempts', 'snapshot_id', 'slot_at']).orderBy('schedule_id').execute();
      expect(deliveries.map((d) => [d.schedule_id, d.status, d.slot_at, (JSON.parse(d.attempts) as unknown[]).length]), deliveries.map((d) => d.attempts).join('\n')).toEqual(ids.map((id) => [id, 'sent', '2015-01-01T07:00:00.000Z', 1]));
      const snapshots = await h.db.selectFrom('snapshots').select(['id', 'title']).where('title', 'like', 'Board report %').execute();
      expect(snapshots).toHaveLength(SCHEDULES);
      expect(new Set(deliveries.map((d) => d.snapshot_id))).toEqual(new Set(snapshots.map((s) => s.id)));
      // Each schedule's next run moved to its next slot after now.
      const next = await h.db.selectFrom('snapshot_schedules').select('next_run_at').execute();
      for (const n of next) expect(Date.parse(n.next_run_at ?? '')).toBeGreaterThan(Date.now());
    } finally {
      await h.close();
    }
  });
});
