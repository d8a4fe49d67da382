/** Command-line tasks: migrate, seed demo data, create an admin, back up and restore. Usage: `pnpm db:migrate`, `pnpm db:seed [--scale m]`, `pnpm admin:create --email a@b --name "…"` (password from ADMIN_PASSWORD), `pnpm db:backup <file> [--format sqlite|json]`, `pnpm db:restore <file> [--force]`. */
import { parseArgs } from 'node:util';
import { readEnv } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrate } from './db/migrations.ts';
import { seedDemo } from './db/seed.ts';
import { createUser } from './queries/users.ts';
import { backup, restore, RestoreRefusedError } from './ops/backup.ts';

const OPS_USAGE = 'Usage: pnpm db:backup <file> [--format sqlite|json]   |   pnpm db:restore <file> [--force]';

/** backup / restore: no migration of the source, and a clear refusal instead of a stack trace. */
async function runOps(command: 'backup' | 'restore', rest: string[], databaseUrl: string): Promise<number> {
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file || positionals.length > 1) { console.error(OPS_USAGE); return 2; }
  const handle = openDatabase(databaseUrl);
  try {
    if (command === 'backup') {
      const format = values.format ?? (handle.dialect === 'sqlite' ? 'sqlite' : 'json');
      if (format !== 'sqlite' && format !== 'json') { console.error('--format must be sqlite or json'); return 2; }
      console.log(await backup(handle, file, format));
      return 0;
    }
    const r = await restore(handle, file, { force: values.force });
    console.log(`Restored ${r.rows} rows in ${r.tables} tables (from a ${r.source} backup) into ${handle.location}.`);
    return 0;
  } catch (e) {
    if (e instanceof RestoreRefusedError) { console.error(`Refused: ${e.message}`); return 3; }
    throw e;
  } finally {
    await handle.close();
  }
}

async function run(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const env = readEnv();
  if (command === 'backup' || command === 'restore') return runOps(command, rest, env.databaseUrl);
  const handle = openDatabase(env.databaseUrl);
  try {
    const m = await migrate(handle.db, handle.dialect);
    switch (command) {
      case 'migrate':
        console.log(m.from === m.to ? `Schema is current (version ${m.to}).` : `Migrated ${handle.location} from version ${m.from} to ${m.to}.`);
        return 0;
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { scale: { type: 'string', default: env.demoScale } } });
        if (values.scale !== 'demo' && values.scale !== 'm') { console.error('--scale must be demo or m'); return 2; }
        const t0 = Date.now();
        const { seeded } = await seedDemo(handle.db, handle.dialect, values.scale);
        console.log(seeded ? `Seeded illustrative demo data (scale ${values.scale}) in ${((Date.now() - t0) / 1000).toFixed(1)} s.` : 'The database already holds data; nothing was seeded.');
        return seeded ? 0 : 1;
      }
      case 'create-admin': {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
        const password = process.env.ADMIN_PASSWORD;
        if (!values.email || !password || password.length < 12) {
          console.error('Usage: ADMIN_PASSWORD=<at least 12 characters> pnpm admin:create --email you@example.org [--name "Your Name"]');
          return 2;
        }
        const u = await createUser({ db: handle.db, clock: () => new Date() }, null, { email: values.email, name: values.name ?? values.email, role: 'admin', regions: [], password });
        console.log(`Created admin ${u.email} (id ${u.id}).`);
        return 0;
      }
      default:
        console.error('Commands: migrate | seed [--scale demo|m] | create-admin --email E [--name N] | backup <file> [--format sqlite|json] | restore <file> [--force]');
        return 2;
    }
  } finally {
    await handle.close();
  }
}

run().then((code) => process.exit(code), (e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
