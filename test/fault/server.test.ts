/**
 * The server process under faults: graceful shutdown on SIGTERM, refusal to open a database with a newer
 * schema, migrations that roll back as a whole, oversized chunked uploads and slow clients cut off, SQLite
 * writers in two processes waiting for each other, and PostgreSQL deadlocks retried by withRetry.
 */
import http from 'node:http';
import net from 'node:net';
import { openDatabase } from '@mm/server/db/connect';
import { migrate, SCHEMA_VERSION } from '@mm/server/db/migrations';
import { withRetry } from '@mm/server/db/retry';
import { fingerprint } from '@mm/server/ops/tables';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF, databases, editableMilestones, runServerToExit, signIn, startServer, tempDb, type ServerProc, type TestDb } from './proc.ts';

describe.each(databases())('server process on %s', (kind) => {
  // One server process for these (start-up is the slow part); SIGTERM goes last.
  let db: TestDb;
  let s: ServerProc;
  beforeAll(async () => {
    db = await tempDb(kind);
    s = await startServer(db, { MAX_JSON_BYTES: '65536', REQUEST_TIMEOUT_MS: '1500' });
  });
  afterAll(async () => {
    s?.proc.kill('SIGKILL');
    await db?.drop();
  });

  it('cuts off an oversized chunked upload (413) and a client too slow to send its request (408)', async () => {
    {
      const admin = await signIn(s.base);
      const big = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        let sent = 0;
        const req = http.request(`${s.base}/api/v1/partners`, { method: 'POST', headers: { ...CSRF, Cookie: admin.cookie, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => { body += d.toString(); });
          res.on('end', () => { req.destroy(); resolve({ status: res.statusCode ?? 0, body, sent }); });
        });
        req.on('error', (e) => reject(e));
        const pump = () => {
          while (sent < 65536 * 100) {
            sent += 8192;
            if (!req.write(' '.repeat(8192))) { req.once('drain', pump); return; }
          }
          req.end();
        };
        pump();
      });
      expect(big.status).toBe(413);
      expect(big.body).toContain('payload-too-large');
      expect(big.sent).toBeLessThan(65536 * 100);

      // A client that never finishes its request (slowloris headers; a signed-in body that stops half-way) gets
      // 408 and is disconnected within the request timeout: it does not hold a connection forever.
      const stalled = (head: string) => new Promise<{ text: string; ms: number }>((resolve) => {
        const t0 = Date.now();
        const sock = net.connect(s.port, '127.0.0.1', () => sock.write(head));
        let text = '';
        sock.on('data', (d) => { text += d.toString(); });
        sock.on('close', () => resolve({ text, ms: Date.now() - t0 }));
        setTimeout(() => sock.destroy(), 10_000);
      });
      for (const head of [
        'POST /api/v1/partners HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: Mainstr',
        `POST /api/v1/partners HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${admin.cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Requested-With: MainstreamMonitor\r\n\r\n{"name":`,
      ]) {
        const slow = await stalled(head);
        expect(slow.text).toMatch(/^HTTP\/1\.1 408/);
        expect(slow.ms).toBeLessThan(6_000);
      }
      expect((await fetch(`${s.base}/api/v1/health`)).status).toBe(200);
    }
  });

  it('SIGTERM: stops accepting, finishes the request in flight (200), closes the database and exits 0', async () => {
    {
      // An idle keep-alive connection must not hold shutdown up.
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) => http.get(`${s.base}/api/v1/health`, { agent }, (res) => { res.resume(); res.on('end', () => resolve()); }).on('error', reject));
      // A request in flight: its body arrives slowly, over about 1.5 s, and SIGTERM lands in the middle.
      const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${s.base}/api/v1/auth/login`, { method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => { body += d.toString(); });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        const parts = ['{"email":', '"admin@demo.local",', '"password":', '"demo-password-2015"}'];
        let i = 0;
        const tick = () => {
          const part = parts[i++];
          if (part === undefined) { req.end(); return; }
          req.write(part);
          setTimeout(tick, 500);
        };
        tick();
      });
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      s.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      // New connections are refused while the old request is still being served.
      const refused = await fetch(`${s.base}/api/v1/health`).then(() => 'accepted', (e: Error) => String((e.cause as { code?: string } | undefined)?.code ?? e.message));
      expect(refused).toBe('ECONNREFUSED');
      const done = await inFlight;
      expect(done.status).toBe(200);
      expect(JSON.parse(done.body).user.email).toBe('admin@demo.local');
      expect(await s.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(s.output()).toMatch(/SIGTERM: no new connections/);
      expect(s.output()).toMatch(/Database closed/);
      agent.destroy();
      if (db.file) {
        const check = openDatabase(db.url);
        expect(check.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
        await check.close();
      }
    }
  });

  it('refuses to start on a database whose schema is newer, with a clear message and exit code 2, leaving it unchanged', async () => {
    const db = await tempDb(kind);
    try {
      const h = openDatabase(db.url);
      await migrate(h.db, h.dialect);
      await h.db.updateTable('meta').set({ value: String(SCHEMA_VERSION + 7) }).where('key', '=', 'schema_version').execute();
      const before = await fingerprint(h.db, h.dialect);
      await h.close();
      const r = await runServerToExit(db, { DEMO: '1' });
      expect(r.code).toBe(2);
      expect(r.output).toContain(`Refusing to start: The database schema is version ${SCHEMA_VERSION + 7}, but this server only knows versions up to ${SCHEMA_VERSION}`);
      expect(r.output).not.toMatch(/\n\s+at /);
      const after = openDatabase(db.url);
      expect(await fingerprint(after.db, after.dialect)).toEqual(before);
      await after.close();
    } finally {
      await db.drop();
    }
  });

  it('runs a migration inside one transaction: a failure part-way leaves no table and no version behind', async () => {
    const db = await tempDb(kind);
    try {
      const h = openDatabase(db.url);
      // A stray table that m001 creates near its end makes the migration fail after most tables were created.
      await sql`CREATE TABLE login_failures (x integer)`.execute(h.db);
      await expect(migrate(h.db, h.dialect)).rejects.toThrow();
      const tables = (await h.db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain('users');
      expect(tables).not.toContain('audit');
      const v = await h.db.selectFrom('meta').select('value').where('key', '=', 'schema_version').executeTakeFirst();
      expect(v).toBeUndefined();
      // Remove the obstacle and it migrates cleanly.
      await sql`DROP TABLE login_failures`.execute(h.db);
      expect(await migrate(h.db, h.dialect)).toEqual({ from: 0, to: SCHEMA_VERSION });
      await h.close();
    } finally {
      await db.drop();
    }
  });
});

describe('SQLite with two server processes writing the same file', () => {
  it('makes writers wait for each other (busy_timeout): no SQLITE_BUSY, no 5xx, every edit kept', async () => {
    const db = await tempDb('sqlite');
    const a = await startServer(db);
    const b = await startServer(db);
    try {
      const [ca, cb] = [await signIn(a.base), await signIn(b.base)];
      const statuses: number[] = [];
      const edits = new Map<number, number>();
      // Each process edits its own milestones; both write the one file at the same time.
      const worker = async (c: typeof ca, ids: number[]) => {
        for (let round = 0; round < 6; round++) {
          await Promise.all(ids.map(async (id) => {
            const cur = await c.fetch('GET', `/api/v1/milestones/${id}`);
            const etag = cur.headers.get('etag') ?? '';
            await cur.arrayBuffer();
            const pct = (round * 17 + id) % 101;
            const res = await c.fetch('PATCH', `/api/v1/milestones/${id}`, { percentComplete: pct }, { 'If-Match': etag });
            statuses.push(res.status);
            if (res.status === 200) edits.set(id, pct);
            else console.error(res.status, await res.text());
          }));
        }
      };
      const ids = await editableMilestones(ca, 12);
      await Promise.all([worker(ca, ids.slice(0, 6)), worker(cb, ids.slice(6))]);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 200).length).toBe(72);
      for (const [id, pct] of edits) {
        const m = await (await ca.fetch('GET', `/api/v1/milestones/${id}`)).json();
        expect(m.percentComplete).toBe(pct);
      }
      expect(`${a.output()}${b.output()}`).not.toMatch(/SQLITE_BUSY|database is locked/);
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
      await Promise.all([a.exited, b.exited]);
      await db.drop();
    }
  });
});

describe.runIf(databases().includes('postgres'))('withRetry on PostgreSQL', () => {
  it('retries a transaction the database aborted as a deadlock (40P01), so both writers succeed', async () => {
    const db = await tempDb('postgres');
    const h = openDatabase(db.url);
    try {
      await migrate(h.db, h.dialect);
      await h.db.insertInto('meta').values([{ key: 'a', value: '0' }, { key: 'b', value: '0' }]).execute();
      let attempts = 0;
      let release: () => void = () => {};
      const bothLocked = new Promise<void>((r) => { let n = 0; release = () => { if (++n === 2) r(); }; });
      const bump = (first: string, second: string) => withRetry(h.db, async (trx) => {
        attempts++;
        await trx.updateTable('meta').set({ value: sql`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` }).where('key', '=', first).execute();
        release();
        await bothLocked;
        await trx.updateTable('meta').set({ value: sql`CAST(CAST(value AS INTEGER) + 1 AS TEXT)` }).where('key', '=', second).execute();
      });
      await Promise.all([bump('a', 'b'), bump('b', 'a')]);
      expect(attempts).toBe(3);
      const rows = await h.db.selectFrom('meta').select(['key', 'value']).where('key', 'in', ['a', 'b']).orderBy('key').execute();
      expect(rows).toEqual([{ key: 'a', value: '2' }, { key: 'b', value: '2' }]);
    } finally {
      await h.close();
      await db.drop();
    }
  });
});
