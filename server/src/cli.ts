/** Command-line tasks: migrate, seed demo data, create an admin. Usage: `pnpm db:migrate`, `pnpm db:seed [--scale m]`, `pnpm admin:create --email a@b --name "…"` (password from ADMIN_PASSWORD). */
import { parseArgs } from 'node:util';
import { readEnv } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrate } from './db/migrations.ts';
import { seedDemo } from './db/seed.ts';
import { createUser } from './queries/users.ts';

async function run(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const env = readEnv();
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
        console.error('Commands: migrate | seed [--scale demo|m] | create-admin --email E [--name N]');
        return 2;
    }
  } finally {
    await handle.close();
  }
}

run().then((code) => process.exit(code), (e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
