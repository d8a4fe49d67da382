/** The server process: read env, open and migrate the database, optionally seed demo data, listen, shut down cleanly. */
import { serve } from '@hono/node-server';
import { createApp, createScheduler } from './app.ts';
import { readEnv } from './config.ts';
import { openDatabase, SERVER_POOL_SIZE } from './db/connect.ts';
import { migrate, SchemaTooNewError } from './db/migrations.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './db/seed.ts';

async function main(): Promise<void> {
  const env = readEnv();
  const handle = openDatabase(env.databaseUrl, { poolSize: SERVER_POOL_SIZE });
  try {
    await migrate(handle.db, handle.dialect);
  } catch (e) {
    if (e instanceof SchemaTooNewError) {
      console.error(`Refusing to start: ${e.message}`);
      await handle.close();
      process.exit(2);
    }
    throw e;
  }
  if (env.demo) {
    const t0 = Date.now();
    const { seeded } = await seedDemo(handle.db, handle.dialect, env.demoScale);
    if (seeded) console.log(`Loaded illustrative demo data (scale ${env.demoScale}) in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }
  const app = createApp({ db: handle.db, dialect: handle.dialect, changeStamp: handle.changeStamp, config: env.app });
  // Scheduled snapshots: every process may tick; the claims in the database make each run happen once.
  const scheduler = createScheduler({ db: handle.db, dialect: handle.dialect, changeStamp: handle.changeStamp, config: env.app, onUnexpectedError: (e) => console.error('[scheduler]', e) });
  if (env.schedulerTickMs > 0) scheduler.start(env.schedulerTickMs);
  const server = serve({
    fetch: app.fetch, port: env.port, hostname: env.host,
    // A client must send its whole request in time (slow-upload and slowloris protection: 408 and close);
    // the check runs every second instead of Node's default 30 s so the limit is actually felt.
    serverOptions: {
      requestTimeout: env.requestTimeoutMs,
      headersTimeout: Math.min(20_000, env.requestTimeoutMs),
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.max(250, Math.min(1_000, env.requestTimeoutMs)),
    },
  }, (info) => {
    console.log(`Mainstream Monitor is running at http://${env.host === '0.0.0.0' ? 'localhost' : env.host}:${info.port}/  (database: ${handle.location})`);
    if (env.demo) {
      console.log('Illustrative demo data — not real ILO figures. Demo accounts (password "' + DEMO_PASSWORD + '"):');
      for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(26)} ${a.role}${a.regions.length ? ` (${a.regions.join(', ')})` : ''}`);
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: no new connections; finishing requests in flight…`);
    // close() stops accepting and waits for open requests; idle keep-alive sockets are closed at once.
    const schedulerStopped = scheduler.stop();
    server.close(async () => {
      clearInterval(sweep);
      await schedulerStopped;
      await handle.close();
      console.log('Database closed. Bye.');
      process.exit(0);
    });
    // Keep-alive sockets become idle once their request in flight is answered; close them as they do,
    // or close() would wait for the clients to hang up.
    const closeIdle = () => { if ('closeIdleConnections' in server && typeof server.closeIdleConnections === 'function') server.closeIdleConnections(); };
    closeIdle();
    const sweep = setInterval(closeIdle, 100);
    setTimeout(() => { console.error('Shutdown took too long; exiting.'); process.exit(1); }, 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
