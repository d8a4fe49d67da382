/** createApp: the whole HTTP application for given dependencies; main.ts owns the process. */
import fs from 'node:fs';
import path from 'node:path';
import { problem, type Locale } from '@mm/shared';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { ReadCache } from './http/cache.ts';
import { docsHtml, docsScript } from './http/docs.ts';
import type { AppEnv } from './http/endpoint.ts';
import { mountEndpoints } from './http/mount.ts';
import { buildOpenApi } from './http/openapi.ts';
import { browserLocale, requestLocale } from './http/locale.ts';
import { ProblemError, problemBody, uniqueViolation } from './http/problem.ts';
import { csrfGuard, securityHeaders, sessionLoader } from './http/security.ts';
import { readTimeout } from './http/limits.ts';
import { webIndex } from './http/web-index.ts';
import { DEFAULT_CONFIG, type AppConfig, type AppDeps } from './deps.ts';
import type { Db, Dialect } from './db/types.ts';
import { ENDPOINTS } from './routes/index.ts';
import { OidcClient } from './auth/oidc.ts';
import { SnapshotScheduler } from './schedules/scheduler.ts';
import { bearerMatches, Metrics, observeRequests, silentLogger, type Logger, type PoolStats } from './ops/observe.ts';
import type { Readiness } from './deps.ts';

export interface CreateAppOptions {
  db: Db;
  dialect: Dialect;
  /** DbHandle.changeStamp, when the database has one: lets a request skip re-reading what has not changed. */
  changeStamp?: () => string;
  clock?: () => Date;
  config?: Partial<AppConfig>;
  /** Called with unexpected errors (logged by main; collected in tests). */
  onUnexpectedError?: (err: unknown) => void;
  /** Where request lines and errors are logged (main: JSON on stdout); silent when omitted. */
  logger?: Logger;
  /** The metrics to count in (main shares one between the app and the scheduler); a fresh set when omitted. */
  metrics?: Metrics;
  /** Whether the database is ready (main migrates after listening); always ready when omitted. */
  readiness?: () => Readiness;
}

/** Metrics for an app on this database: the pool's counts on PostgreSQL, Node's process metrics only for a real process. */
export function createMetrics(opts: { poolStats?: () => PoolStats; processMetrics?: boolean } = {}): Metrics {
  return new Metrics(opts);
}

/** A problem+json response in `locale` (the reader's language: http/locale.ts). */
function problemResponse(e: ProblemError, locale: Locale = 'en'): Response {
  return new Response(JSON.stringify(problemBody(e, locale)), {
    status: e.status,
    headers: { 'Content-Type': 'application/problem+json', 'Content-Language': locale, ...e.headers },
  });
}

/** The dependencies every handler gets (the scheduler of scheduled snapshots is built on the same, with the same clock). */
export function appDeps(opts: Pick<CreateAppOptions, 'db' | 'dialect' | 'changeStamp' | 'clock' | 'config' | 'logger' | 'metrics' | 'readiness'>): AppDeps {
  const config = { ...DEFAULT_CONFIG, ...opts.config };
  const cache = new ReadCache();
  const metrics = opts.metrics ?? new Metrics();
  metrics.watchCache(() => ({ hits: cache.hits, misses: cache.misses }));
  return {
    db: opts.db, dialect: opts.dialect, clock: opts.clock ?? (() => new Date()), config, cache, changeStamp: opts.changeStamp,
    oidc: config.oidc ? new OidcClient(config.oidc) : undefined,
    log: opts.logger ?? silentLogger, metrics, readiness: opts.readiness ?? (() => 'ready'),
  };
}

/** The scheduler of scheduled snapshots on these dependencies; main.ts starts it, tests call its tick(). */
export function createScheduler(opts: Pick<CreateAppOptions, 'db' | 'dialect' | 'changeStamp' | 'clock' | 'config' | 'onUnexpectedError' | 'logger' | 'metrics'>): SnapshotScheduler {
  return new SnapshotScheduler(appDeps(opts), opts.onUnexpectedError);
}

export function createApp(opts: CreateAppOptions): Hono<AppEnv> {
  const deps = appDeps(opts);
  const app = new Hono<AppEnv>();
  const openapi = buildOpenApi(ENDPOINTS, problem);

  app.onError(async (err, c) => {
    if (err instanceof ProblemError) return problemResponse(err, await requestLocale(c));
    const duplicate = uniqueViolation(err);
    if (duplicate) return problemResponse(duplicate, await requestLocale(c));
    opts.onUnexpectedError?.(err);
    deps.log.error({ reqId: c.get('requestId'), method: c.req.method, route: c.get('route'), err }, 'unexpected error');
    return problemResponse(new ProblemError(500, 'Internal error', 'Something went wrong on the server; nothing was changed. The error was logged.'), await requestLocale(c));
  });
  app.notFound(async (c) => problemResponse(new ProblemError(404, 'Not found', `No route for ${c.req.method} ${c.req.path}.`), await requestLocale(c)));

  app.use('*', observeRequests(deps.log, deps.metrics));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('user', null);
    await next();
  });
  app.use('*', securityHeaders);
  // Behind a token on the API port (or on METRICS_PORT only, main.ts): the counts are not public.
  app.get('/metrics', async (c) => {
    const token = deps.config.metricsToken;
    if (!token) return problemResponse(new ProblemError(404, 'Not found', 'Metrics are served on METRICS_PORT, or here with METRICS_TOKEN set.'));
    if (!bearerMatches(c.req.header('authorization'), token)) return problemResponse(new ProblemError(401, 'Metrics token required', 'Send Authorization: Bearer <METRICS_TOKEN>.', undefined, undefined, { 'WWW-Authenticate': 'Bearer realm="metrics"' }));
    c.set('route', '/metrics');
    return c.body(await deps.metrics.text(), 200, { 'Content-Type': deps.metrics.contentType, 'Cache-Control': 'no-store' });
  });
  // While main.ts migrates, the API answers 503 (a load balancer's readiness probe keeps traffic away);
  // liveness (/health) and readiness (/ready) themselves answer.
  app.use('/api/*', async (c, next) => {
    if (deps.readiness() === 'ready') return next();
    const p = c.req.path;
    if (p === '/api/v1/health' || p === '/api/v1/ready') return next();
    return problemResponse(new ProblemError(503, 'Starting up', 'The database is being migrated; try again in a few seconds.', undefined, undefined, { 'Retry-After': '5' }), browserLocale(c) ?? 'en');
  });
  if (deps.config.corsOrigins.length > 0) {
    app.use('/api/*', cors({ origin: [...deps.config.corsOrigins], credentials: true, allowHeaders: ['Content-Type', 'If-Match', 'If-None-Match', 'X-Requested-With'], exposeHeaders: ['ETag'] }));
  }
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const multipart = (c.req.header('content-type') ?? '').startsWith('multipart/form-data');
    const maxSize = multipart ? deps.config.maxUploadBytes : deps.config.maxJsonBytes;
    return bodyLimit({
      maxSize,
      onError: () => { throw new ProblemError(413, 'Payload too large', `The request body is larger than ${maxSize} bytes.`); },
    })(c, next);
  });
  app.use('/api/*', readTimeout);
  app.use('/api/*', csrfGuard);
  app.use('/api/*', sessionLoader);

  const api = new Hono<AppEnv>();
  mountEndpoints(api, ENDPOINTS);
  api.get('/openapi.json', (c) => c.json(openapi));
  app.route('/api/v1', api);
  app.get('/api/docs', (c) => c.html(docsHtml));
  app.get('/api/docs.js', (c) => c.body(docsScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.all('/api/*', async (c) => problemResponse(new ProblemError(404, 'Not found', `No route for ${c.req.method} ${c.req.path}.`), await requestLocale(c)));

  const dist = deps.config.webDist;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    const index = webIndex(dist);
    const rel = path.relative(process.cwd(), dist) || '.';
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
    });
    // The index in the reader's language (also at /, which the static handler would answer in English).
    app.get('/', index);
    app.use('*', serveStatic({ root: rel }));
    app.get('*', index);
  }
  return app;
}
