/** createApp: the whole HTTP application for given dependencies; main.ts owns the process. */
import fs from 'node:fs';
import path from 'node:path';
import { problem } from '@mm/shared';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { ReadCache } from './http/cache.ts';
import { docsHtml, docsScript } from './http/docs.ts';
import type { AppEnv } from './http/endpoint.ts';
import { mountEndpoints } from './http/mount.ts';
import { buildOpenApi } from './http/openapi.ts';
import { ProblemError, problemBody, uniqueViolation } from './http/problem.ts';
import { csrfGuard, securityHeaders, sessionLoader } from './http/security.ts';
import { readTimeout } from './http/limits.ts';
import { webIndex } from './http/web-index.ts';
import { DEFAULT_CONFIG, type AppConfig, type AppDeps } from './deps.ts';
import type { Db, Dialect } from './db/types.ts';
import { ENDPOINTS } from './routes/index.ts';
import { OidcClient } from './auth/oidc.ts';
import { SnapshotScheduler } from './schedules/scheduler.ts';

export interface CreateAppOptions {
  db: Db;
  dialect: Dialect;
  /** DbHandle.changeStamp, when the database has one: lets a request skip re-reading what has not changed. */
  changeStamp?: () => string;
  clock?: () => Date;
  config?: Partial<AppConfig>;
  /** Called with unexpected errors (logged by main; collected in tests). */
  onUnexpectedError?: (err: unknown) => void;
}

function problemResponse(e: ProblemError): Response {
  return new Response(JSON.stringify(problemBody(e)), {
    status: e.status,
    headers: { 'Content-Type': 'application/problem+json', ...e.headers },
  });
}

/** The dependencies every handler gets (the scheduler of scheduled snapshots is built on the same, with the same clock). */
export function appDeps(opts: Pick<CreateAppOptions, 'db' | 'dialect' | 'changeStamp' | 'clock' | 'config'>): AppDeps {
  const config = { ...DEFAULT_CONFIG, ...opts.config };
  return { db: opts.db, dialect: opts.dialect, clock: opts.clock ?? (() => new Date()), config, cache: new ReadCache(), changeStamp: opts.changeStamp, oidc: config.oidc ? new OidcClient(config.oidc) : undefined };
}

/** The scheduler of scheduled snapshots on these dependencies; main.ts starts it, tests call its tick(). */
export function createScheduler(opts: Pick<CreateAppOptions, 'db' | 'dialect' | 'changeStamp' | 'clock' | 'config' | 'onUnexpectedError'>): SnapshotScheduler {
  return new SnapshotScheduler(appDeps(opts), opts.onUnexpectedError);
}

export function createApp(opts: CreateAppOptions): Hono<AppEnv> {
  const deps = appDeps(opts);
  const app = new Hono<AppEnv>();
  const openapi = buildOpenApi(ENDPOINTS, problem);

  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(err);
    const duplicate = uniqueViolation(err);
    if (duplicate) return problemResponse(duplicate);
    opts.onUnexpectedError?.(err);
    if (!opts.onUnexpectedError) console.error(`[${c.req.method} ${c.req.path}]`, err);
    return problemResponse(new ProblemError(500, 'Internal error', 'Something went wrong on the server; nothing was changed. The error was logged.'));
  });
  app.notFound((c) => problemResponse(new ProblemError(404, 'Not found', `No route for ${c.req.method} ${c.req.path}.`)));

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('user', null);
    await next();
  });
  app.use('*', securityHeaders);
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
  app.all('/api/*', (c) => problemResponse(new ProblemError(404, 'Not found', `No route for ${c.req.method} ${c.req.path}.`)));

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
