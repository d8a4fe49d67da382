/** Benchmark databases: a temp SQLite file or a fresh PostgreSQL database, migrated and seeded (timed). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '@mm/server/db/connect';
import type { DemoScale } from '@mm/server/db/demo';
import { migrate } from '@mm/server/db/migrations';
import { bumpDataVersion, seedDemo } from '@mm/server/db/seed';
import type { Dialect } from '@mm/server/db/types';
import { sql } from 'kysely';

export interface BenchDb {
  dialect: Dialect;
  /** DATABASE_URL for the server process. */
  url: string;
  /** The bench's own connection (writes between cold samples, in-process calls). */
  handle: DbHandle;
  seedSeconds: number;
  drop(): Promise<void>;
}

const pgName = (scale: DemoScale) => `mm_bench_${scale}_${process.pid}_${randomBytes(3).toString('hex')}`;

async function createPg(adminUrl: string, name: string): Promise<string> {
  const admin = openDatabase(adminUrl, { poolSize: 1 });
  try {
    // CREATE DATABASE takes no parameters; the name is generated above from [a-z0-9_] only.
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
  } finally {
    await admin.close();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPg(adminUrl: string, name: string): Promise<void> {
  const admin = openDatabase(adminUrl, { poolSize: 1 });
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin.db);
  } finally {
    await admin.close();
  }
}

/** Creates, migrates and seeds a database at `scale`; the seed (generation + insert) is timed. */
export async function createBenchDb(dialect: Dialect, scale: DemoScale, pgAdminUrl?: string): Promise<BenchDb> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bench-'));
    url = `sqlite:${path.join(dir, `${scale}.sqlite`)}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    if (!pgAdminUrl) throw new Error('PostgreSQL needs DATABASE_URL');
    const name = pgName(scale);
    url = await createPg(pgAdminUrl, name);
    cleanup = () => dropPg(pgAdminUrl, name);
  }
  const handle = openDatabase(url, { poolSize: 4 });
  try {
    await migrate(handle.db, handle.dialect);
    const t0 = performance.now();
    const { seeded } = await seedDemo(handle.db, handle.dialect, scale);
    if (!seeded) throw new Error('seed refused: database not empty');
    const seedSeconds = (performance.now() - t0) / 1000;
    if (dialect === 'postgres') {
      // Steady state before measuring: statistics, visibility map and dirty pages done now, so neither
      // autovacuum nor a spread checkpoint of the load runs in the background of the measurements.
      await sql`VACUUM ANALYZE`.execute(handle.db);
      // CHECKPOINT needs a superuser or pg_checkpoint; without them the bench goes on (and says so).
      await sql`CHECKPOINT`.execute(handle.db).catch((e: unknown) => console.warn(`CHECKPOINT skipped: ${e instanceof Error ? e.message : String(e)}`));
    }
    return {
      dialect, url, handle, seedSeconds,
      drop: async () => {
        await handle.close();
        await cleanup();
      },
    };
  } catch (e) {
    await handle.close();
    await cleanup();
    throw e;
  }
}

/** A committed write that bumps the data version, from the bench's own connection: the next read is cold. */
export async function bumpVersion(db: BenchDb): Promise<void> {
  await db.handle.db.transaction().execute((trx) => bumpDataVersion(trx));
}
