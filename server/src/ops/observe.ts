/**
 * What a running server tells its operators: one structured JSON log line per request (pino), Prometheus
 * metrics (prom-client, one registry per app so tests and the benchmark's in-process apps never mix counts),
 * and the request id that ties a log line to the response a user reports.
 *
 * Never logged: request or response bodies, query strings (a shared snapshot's token is in its path, so the
 * route *pattern* is logged, not the path), cookies, Authorization headers.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppEnv } from '../http/endpoint.ts';

export type { Logger };

/** The process's logger: JSON lines on stdout, written off the request path (flushed on exit by {@link flushLogger}). */
export function processLogger(level: string): Logger {
  return pino({ level, base: { service: 'mainstream-monitor' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}

/** Writes out whatever the logger still buffers (before the process exits). */
export function flushLogger(log: Logger): void {
  try { log.flush(); } catch { /* a closed stdout: nothing more to say */ }
}

/** A logger writing its JSON lines to `write` (tests read what would have gone to stdout). */
export function streamLogger(write: (chunk: string) => void, level = 'info'): Logger {
  return pino({ level, base: { service: 'mainstream-monitor' }, timestamp: pino.stdTimeFunctions.isoTime }, { write });
}

/** A logger that drops everything: tests and in-process tools that have nobody to read the lines. */
export const silentLogger: Logger = pino({ level: 'silent' });

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id of a request: the one a reverse proxy or load balancer sent in X-Request-Id when it looks like one
 * (so a request can be followed across both logs), else a fresh random one. Anything else a client sends is
 * not echoed back (no header injection, no unbounded values in the logs).
 */
export function requestIdOf(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

export interface PoolStats { total: number; idle: number; waiting: number }

export interface MetricsOptions {
  /** The PostgreSQL pool's counts (absent on SQLite, which has one connection and no pool). */
  poolStats?: () => PoolStats;
  /** Node's own process metrics (CPU, memory, event loop lag, GC), prefixed mm_: only for the real process. */
  processMetrics?: boolean;
}

export type ImportOutcome = 'dry_run' | 'committed' | 'refused';
export type DeliveryOutcome = 'sent' | 'retrying' | 'failed';

/** Duration buckets in seconds: most answers take a millisecond or two, exports and imports seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One app's metrics. Names start mm_ so they sort together beside other exporters' on one Prometheus. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'mm_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly httpDuration = new Histogram({ name: 'mm_http_request_duration_seconds', help: 'Time from receiving a request to its response headers, by method, route pattern and status.', labelNames: ['method', 'route', 'status'] as const, buckets: DURATION_BUCKETS, registers: [this.registry] });
  readonly imports = new Counter({ name: 'mm_imports_total', help: 'Imports run, by record type and outcome (dry_run, committed, refused: nothing written).', labelNames: ['type', 'outcome'] as const, registers: [this.registry] });
  readonly exports = new Counter({ name: 'mm_exports_total', help: 'Exports downloaded (live views, snapshots, shared snapshots, chart PNGs), by format.', labelNames: ['format'] as const, registers: [this.registry] });
  readonly deliveries = new Counter({ name: 'mm_snapshot_deliveries_total', help: 'Scheduled snapshot delivery attempts, by outcome (sent; failed and retrying; failed for good).', labelNames: ['outcome'] as const, registers: [this.registry] });
  private readonly caches: (() => { hits: number; misses: number })[] = [];

  constructor(opts: MetricsOptions = {}) {
    const caches = this.caches;
    // Read from the cache's own counters when scraped: nothing is added to the path of a cache hit.
    new Counter({
      name: 'mm_read_cache_requests_total', help: 'Aggregate reads answered from the read cache (hit) or computed (miss).', labelNames: ['result'] as const, registers: [this.registry],
      collect() {
        const counts = caches.map((c) => c());
        this.reset();
        this.inc({ result: 'hit' }, counts.reduce((n, c) => n + c.hits, 0));
        this.inc({ result: 'miss' }, counts.reduce((n, c) => n + c.misses, 0));
      },
    });
    const pool = opts.poolStats;
    if (pool) {
      new Gauge({
        name: 'mm_db_pool_connections', help: 'PostgreSQL pool connections: open in all, idle, and requests waiting for one.', labelNames: ['state'] as const, registers: [this.registry],
        collect() {
          const s = pool();
          this.set({ state: 'total' }, s.total);
          this.set({ state: 'idle' }, s.idle);
          this.set({ state: 'waiting' }, s.waiting);
        },
      });
    }
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'mm_' });
  }

  /** A read cache whose hit and miss counts are read (summed with the others': the app's and the scheduler's) at each scrape. */
  watchCache(counts: () => { hits: number; misses: number }): void {
    this.caches.push(counts);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Formats an export response is counted under, from its Content-Type. */
const EXPORT_FORMATS: [prefix: string, format: string][] = [
  ['text/csv', 'csv'], ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'], ['application/json', 'json'], ['application/pdf', 'pdf'], ['image/png', 'png'],
];
/** Route patterns whose successful answers are exports. */
const EXPORT_ROUTE = /\/export(\/|$)|\/chart\.png$/;

function exportFormat(route: string, res: Response): string | undefined {
  if (!EXPORT_ROUTE.test(route)) return undefined;
  const type = res.headers.get('content-type') ?? '';
  return EXPORT_FORMATS.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/**
 * First middleware: gives the request its id (X-Request-Id on every response), then, once answered, writes
 * its log line and counts it. The route is the matched pattern (`/api/v1/milestones/:id`, set by mount.ts),
 * `static` for the web app's files and pages, `unmatched` for 404s, so the metrics' label values stay few.
 */
export function observeRequests(log: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const id = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', id);
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const status = c.res.status;
      const route = c.get('route') ?? (c.req.path.startsWith('/api/') ? 'unmatched' : 'static');
      c.res.headers.set('X-Request-Id', id);
      const labels = { method: c.req.method, route, status: String(status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, ms / 1000);
      if (status === 200) {
        const format = exportFormat(route, c.res);
        if (format) metrics.exports.inc({ format });
      }
      const user = c.get('user');
      const line = { reqId: id, method: c.req.method, route, status, ms: Math.round(ms * 100) / 100, ...(user ? { user: user.id } : {}) };
      if (status >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    }
  };
}

/**
 * Who may read /metrics on the API port: a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`,
 * compared in constant time. Without a token configured /metrics is served only on the METRICS_PORT listener.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
