/**
 * Data safety: a logical dump restores to the same data and the same API answers on either database;
 * a SQLite online backup taken during writes is a consistent database; restore refuses to overwrite data
 * or to load a damaged file; audit rows are append-only in the database itself.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '@mm/server';
import { openDatabase, type DbHandle } from '@mm/server/db/connect';
import { migrate, SAME_TABLES_SINCE, SCHEMA_VERSION } from '@mm/server/db/migrations';
import { seedDemo } from '@mm/server/db/seed';
import { backup, restore, RestoreRefusedError } from '@mm/server/ops/backup';
import { fingerprint } from '@mm/server/ops/tables';
import { writeAudit } from '@mm/server/queries/audit';
import { ENDPOINTS } from '@mm/server/routes/index';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, CSRF, databases, DEMO_PASSWORD, type DbKind } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const clock = () => new Date('2015-06-30T12:00:00.000Z');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-backup-'));

interface Db { handle: DbHandle; url: string; drop: () => Promise<void> }
async function freshDb(kind: DbKind, file = `db-${Math.random().toString(36).slice(2)}.sqlite`): Promise<Db> {
  if (kind === 'postgres') {
    const { url, drop } = await createPgDatabase();
    return { handle: openDatabase(url), url, drop };
  }
  const url = `sqlite:${path.join(tmp, file)}`;
  return { handle: openDatabase(url), url, drop: async () => {} };
}

/** Status and body of every parameterless GET route (plus a second list page), as the admin sees them. */
async function answers(handle: DbHandle): Promise<Record<string, string>> {
  const app = createApp({ db: handle.db, dialect: handle.dialect, changeStamp: handle.changeStamp, clock, onUnexpectedError: (e) => { throw e; } });
  const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { ...CSRF, 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.local', password: DEMO_PASSWORD }) });
  const cookie = /mm_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const out: Record<string, string> = {};
  for (const ep of ENDPOINTS) {
    if (ep.method !== 'get' || ep.path.includes(':') || ep.path === '/health' || ep.path === '/ready') continue; // they name the database
    for (const qs of ['', ...(ep.query ? ['?page=2'] : [])]) {
      const res = await app.request(`/api/v1${ep.path}${qs}`, { headers: { Cookie: cookie } });
      const body = await res.text();
      out[`${ep.path}${qs}`] = `${res.status} ${body}`;
    }
  }
  return out;
}

describe.each(databases())('backup and restore from %s', (sourceKind) => {
  let source: Db;
  let dump: string;
  /** The source's data as dumped (before any later sign-in adds audit rows to the source). */
  let dumped: Awaited<ReturnType<typeof fingerprint>>;
  /** The source's API answers, taken once: signing in adds an audit row, so each side signs in exactly once. */
  let sourceAnswers: Record<string, string>;
  beforeAll(async () => {
    source = await freshDb(sourceKind);
    await migrate(source.handle.db, source.handle.dialect);
    await seedDemo(source.handle.db, source.handle.dialect, 'demo');
    // Some audit history, which restore must be able to insert although audit is append-only.
    await writeAudit(source.handle.db, clock().toISOString(), { actor: { id: 1, email: 'admin@demo.local' }, action: 'update', entity: 'milestone', entityId: 1, before: { status: 'planned' }, after: { status: 'done' } });
    dump = path.join(tmp, `dump-${sourceKind}.jsonl`);
    expect(await backup(source.handle, dump, 'json')).toMatch(/Logical dump .* \d+ rows/);
    dumped = await fingerprint(source.handle.db, source.handle.dialect);
    sourceAnswers = await answers(source.handle);
  });
  afterAll(async () => {
    await source?.handle.close();
    await source?.drop();
  });

  it.each(databases())('restores into an empty %s database with identical data and identical API answers', async (targetKind) => {
    const target = await freshDb(targetKind);
    try {
      const r = await restore(target.handle, dump);
      expect(r.rows).toBeGreaterThan(1000);
      expect(await fingerprint(target.handle.db, target.handle.dialect)).toEqual(dumped);
      expect(dumped.audit?.rows).toBeGreaterThan(0);
      expect(Object.keys(sourceAnswers).length).toBeGreaterThan(5);
      const got = await answers(target.handle);
      const differ = Object.keys(sourceAnswers).filter((k) => got[k] !== sourceAnswers[k]);
      if (differ.length) console.log(JSON.stringify(differ.map((k) => [k, sourceAnswers[k]?.slice(0, 1500), got[k]?.slice(0, 1500)])));
      expect(got).toEqual(sourceAnswers);
      // New records get fresh ids after a restore (PostgreSQL sequences were moved past the restored ids).
      const before = await target.handle.db.selectFrom('partners').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      const ins = await target.handle.db.insertInto('partners').values({ name: 'New after restore', partner_type: 'ngo', version: 1, created_at: clock().toISOString(), updated_at: clock().toISOString() }).returning('id').executeTakeFirstOrThrow();
      expect(ins.id).toBeGreaterThan(Number(before.m));
    } finally {
      await target.handle.close();
      await target.drop();
    }
  });

  it('refuses to restore into a database that holds data unless forced, and --force replaces it', async () => {
    const target = await freshDb(sourceKind);
    try {
      await restore(target.handle, dump);
      await expect(restore(target.handle, dump)).rejects.toThrow(RestoreRefusedError);
      await target.handle.db.insertInto('partners').values({ name: 'Extra', partner_type: 'ngo', version: 1, created_at: 'x', updated_at: 'x' }).execute();
      await restore(target.handle, dump, { force: true });
      expect(await fingerprint(target.handle.db, target.handle.dialect)).toEqual(dumped);
    } finally {
      await target.handle.close();
      await target.drop();
    }
  });

  it('restores a backup from an older schema version with the same tables, and refuses one from before that or from a newer server', async () => {
    const [head = '', ...rest] = fs.readFileSync(dump, 'utf8').split('\n');
    const withVersion = (v: number) => {
      const header = JSON.parse(head) as { header: { schemaVersion: number } };
      header.header.schemaVersion = v;
      const file = path.join(tmp, `v${v}-${sourceKind}.jsonl`);
      fs.writeFileSync(file, [JSON.stringify(header), ...rest].join('\n'));
      return file;
    };
    // SAME_TABLES_SINCE is SCHEMA_VERSION itself right after a migration that changed tables (11 added the scheduled snapshots' tables).
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(SAME_TABLES_SINCE);
    const older = await freshDb(sourceKind);
    try {
      await restore(older.handle, withVersion(SAME_TABLES_SINCE));
      expect(await fingerprint(older.handle.db, older.handle.dialect)).toEqual(dumped);
    } finally {
      await older.handle.close();
      await older.drop();
    }
    for (const v of [SAME_TABLES_SINCE - 1, SCHEMA_VERSION + 1]) {
      const target = await freshDb(sourceKind);
      try {
        await expect(restore(target.handle, withVersion(v))).rejects.toThrow(new RegExp(`schema version ${v};`));
        const n = await target.handle.db.selectFrom('partners').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(0);
      } finally {
        await target.handle.close();
        await target.drop();
      }
    }
  });

  it('refuses a truncated dump and leaves the target empty', async () => {
    const text = fs.readFileSync(dump, 'utf8');
    const cut = path.join(tmp, `cut-${sourceKind}.jsonl`);
    // Cut at a line boundary (no end marker) and mid-line (broken JSON): both refused, nothing restored.
    for (const body of [text.slice(0, text.lastIndexOf('\n', text.length / 2) + 1), text.slice(0, Math.floor(text.length / 3))]) {
      fs.writeFileSync(cut, body);
      const target = await freshDb(sourceKind);
      try {
        await expect(restore(target.handle, cut)).rejects.toThrow(RestoreRefusedError);
        const n = await target.handle.db.selectFrom('partners').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(0);
      } finally {
        await target.handle.close();
        await target.drop();
      }
    }
  });

  it('keeps audit entries append-only in the database: UPDATE and DELETE fail', async () => {
    const db = source.handle.db;
    await expect(db.updateTable('audit').set({ action: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit').execute()).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit WHERE id = (SELECT MIN(id) FROM audit)`.execute(db)).rejects.toThrow(/append-only/);
    const n = await db.selectFrom('audit').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'tampered').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});

describe('SQLite online backup', () => {
  it('copies a consistent database while another connection keeps writing', async () => {
    const live = await freshDb('sqlite', 'live.sqlite');
    const writer = openDatabase(live.url);
    try {
      await migrate(live.handle.db, 'sqlite');
      await seedDemo(live.handle.db, 'sqlite', 'demo');
      let stop = false;
      let writes = 0;
      const loop = (async () => {
        while (!stop) {
          await writer.db.transaction().execute(async (trx) => {
            await writeAudit(trx, new Date().toISOString(), { actor: null, action: 'update', entity: 'test', entityId: writes });
            await trx.updateTable('milestones').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', 1).execute();
          });
          writes++;
          await new Promise((r) => setImmediate(r));
        }
      })();
      const file = path.join(tmp, 'online.bak');
      await backup(live.handle, file, 'sqlite');
      stop = true;
      await loop;
      expect(writes).toBeGreaterThan(0);
      const copy = openDatabase(`sqlite:${file}`);
      try {
        expect(copy.sqlite?.pragma('integrity_check', { simple: true })).toBe('ok');
        // Consistent: every committed version bump of milestone 1 came with its audit row, in the same transaction.
        const m = await copy.db.selectFrom('milestones').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
        const a = await copy.db.selectFrom('audit').select((eb) => eb.fn.countAll().as('n')).where('entity', '=', 'test').executeTakeFirstOrThrow();
        expect(m.version - 1).toBe(Number(a.n));
      } finally {
        await copy.close();
      }
    } finally {
      await writer.close();
      await live.handle.close();
    }
  });

  it('pnpm db:backup / db:restore work from the command line and refuse a non-empty target', async () => {
    const src = path.join(tmp, 'cli-src.sqlite');
    const seeded = openDatabase(`sqlite:${src}`);
    await migrate(seeded.db, 'sqlite');
    await seedDemo(seeded.db, 'sqlite', 'demo');
    await seeded.close();
    const run = (url: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    const b = run(`sqlite:${src}`, 'backup', path.join(tmp, 'cli.bak'));
    expect(b.stdout).toMatch(/Online backup/);
    expect(b.status).toBe(0);
    const r = run(`sqlite:${path.join(tmp, 'cli-dst.sqlite')}`, 'restore', path.join(tmp, 'cli.bak'));
    expect(r.stdout).toMatch(/Restored \d+ rows/);
    const again = run(`sqlite:${path.join(tmp, 'cli-dst.sqlite')}`, 'restore', path.join(tmp, 'cli.bak'));
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/already holds data/);
    expect(again.stderr).not.toMatch(/\n\s+at /);
  });
});
