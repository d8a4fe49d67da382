/**
 * The server process: read env, listen, migrate the database (the API answers 503 and /api/v1/ready says why
 * until this is done), optionally seed demo data, serve, shut down cleanly. Request and error logs are JSON
 * lines on stdout (pino); what a person starting the server reads (address, demo accounts, shutdown) goes to
 * stderr as text.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp, createMetrics, createScheduler } from './app.ts';
import { readEnv } from './config.ts';
import { openDatabase, SERVER_POOL_SIZE } from './db/connect.ts';
import { migrate, SchemaTooNewError } from './db/migrations.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from './db/seed.ts';
import type { Readiness } from './deps.ts';
import { flushLogger, processLogger } from './ops/observe.ts';

/** A line for the person at the terminal (not a log record). */
function say(text: string): void {
  process.stderr.write(text + '\n');
}

async function main(): Promise<void> {
  const env = readEnv();
  const log = processLogger(env.logLevel);
  const handle = openDatabase(env.databaseUrl, { poolSize: SERVER_POOL_SIZE, onPoolError: (e) => log.warn({ err: e.message }, 'PostgreSQL dropped an idle connection') });
  const metrics = createMetrics({ poolStats: handle.poolStats, processMetrics: true });
  let state: Readiness = 'migrating';
  const deps = { db: handle.db, dialect: handle.dialect, changeStamp: handle.changeStamp, config: env.app, logger: log, metrics };
  const app = createApp({ ...deps, readiness: () => state });
  // Scheduled snapshots: every process may tick; the claims in the database make each run happen once.
  const scheduler = createScheduler({ ...deps, onUnexpectedError: (e) => log.error({ err: e }, 'scheduled snapshot run failed unexpectedly') });

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
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  // Metrics on a port of their own (not exposed through the reverse proxy): GET /metrics and nothing else.
  const metricsServer = env.metricsPort === undefined ? undefined : serve({
    fetch: new Hono()
      .get('/metrics', async (c) => c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }))
      .fetch,
    port: env.metricsPort, hostname: env.metricsHost,
  });

  say(`Listening at http://${env.host}:${env.port}/; migrating the database (the API answers 503 until it is ready)…`);
  try {
    await migrate(handle.db, handle.dialect);
  } catch (e) {
    if (e instanceof SchemaTooNewError) {
      say(`Refusing to start: ${e.message}`);
      server.close();
      metricsServer?.close();
      await handle.close();
      flushLogger(log);
      process.exit(2);
    }
    throw e;
  }
  if (env.demo) {
    const t0 = Date.now();
    const { seeded } = await seedDemo(handle.db, handle.dialect, env.demoScale);
    if (seeded) say(`Loaded illustrative demo data (scale ${env.demoScale}) in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }
  state = 'ready';
  if (env.schedulerTickMs > 0) scheduler.start(env.schedulerTickMs);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.port;
  log.info({ port, database: handle.dialect, metricsPort: env.metricsPort }, 'ready');
  say(`Mainstream Monitor is running at http://${env.host === '0.0.0.0' ? 'localhost' : env.host}:${port}/  (database: ${handle.location})`);
  if (metricsServer) say(`Metrics for Prometheus at http://${env.metricsHost}:${env.metricsPort}/metrics`);
  if (env.demo) {
    say('Illustrative demo data — not real ILO figures. Demo accounts (password "' + DEMO_PASSWORD + '"):');
    for (const a of DEMO_ACCOUNTS) say(`  ${a.email.padEnd(26)} ${a.role}${a.regions.length ? ` (${a.regions.join(', ')})` : ''}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: no new connections; finishing requests in flight…`);
    log.info({ signal }, 'stopping');
    // close() stops accepting and waits for open requests; idle keep-alive sockets are closed at once.
    const schedulerStopped = scheduler.stop();
    metricsServer?.close();
    server.close(async () => {
      clearInterval(sweep);
      await schedulerStopped;
      await handle.close();
      log.info('stopped');
      flushLogger(log);
      say('Database closed. Bye.');
      process.exit(0);
    });
    // Keep-alive sockets become idle once their request in flight is answered; close them as they do,
    // or close() would wait for the clients to hang up.
    const closeIdle = () => { if ('closeIdleConnections' in server && typeof server.closeIdleConnections === 'function') server.closeIdleConnections(); };
    closeIdle();
    const sweep = setInterval(closeIdle, 100);
    setTimeout(() => { say('Shutdown took too long; exiting.'); flushLogger(log); process.exit(1); }, 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  say(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
