/**
 * Runs the schema migrations (db/migrations/, one file each) in order, inside one transaction each. The applied version lives in
 * `meta.schema_version`; a database newer than this code refuses to open rather than being damaged.
 */
import type { Kysely } from 'kysely';
import type { Database, Dialect } from './types.ts';
import type { AnyDb } from './migrations/kit.ts';
import { MIGRATIONS } from './migrations/index.ts';

export { rebuildIndicatorPeriods, rebuildIndicatorStats, rebuildMilestoneCounts, rebuildMilestoneQuarters } from './migrations/derived.ts';
export { MIGRATIONS };

export const SCHEMA_VERSION = MIGRATIONS.length;
/**
 * The oldest schema version with this version's tables and columns (the later migrations only add
 * indexes or short-lived tables that are never backed up, such as 10's oidc_logins), so a backup taken at it
 * restores into this one as it is. Raise it to SCHEMA_VERSION with any migration that changes a table
 * (11 added the scheduled snapshots' tables).
 */
export const SAME_TABLES_SINCE = 11;

export class SchemaTooNewError extends Error {}

async function currentVersion(db: Kysely<Database>): Promise<number> {
  await (db as unknown as AnyDb).schema.createTable('meta').ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'schema_version').executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Applies pending migrations; throws SchemaTooNewError when the database was written by newer code. */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<{ from: number; to: number }> {
  const from = await currentVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new SchemaTooNewError(
      `The database schema is version ${from}, but this server only knows versions up to ${SCHEMA_VERSION}. ` +
        'Upgrade Mainstream Monitor before opening this database; it was not changed.',
    );
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) break;
    await db.transaction().execute(async (trx) => {
      await step(trx, dialect);
      const next = String(v + 1);
      const updated = await trx.updateTable('meta').set({ value: next }).where('key', '=', 'schema_version').executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await trx.insertInto('meta').values({ key: 'schema_version', value: next }).execute();
    });
  }
  return { from, to: Math.max(from, SCHEMA_VERSION) };
}
