import type { Db, Dialect } from './db/types.ts';
import type { ReadCache } from './http/cache.ts';
import type { OidcClient, OidcSettings } from './auth/oidc.ts';
import type { Logger, Metrics } from './ops/observe.ts';

export interface AppConfig {
  /** Serve the built web app from this folder (SPA fallback); omitted in API-only tests. */
  webDist?: string;
  /** Minutes of inactivity after which a session ends. */
  sessionIdleMinutes: number;
  /** Absolute session lifetime in hours. */
  sessionMaxHours: number;
  /** Mark cookies Secure and send HSTS (behind HTTPS). */
  secureCookies: boolean;
  /** Origins allowed by CORS; empty = CORS off. */
  corsOrigins: readonly string[];
  /** Largest JSON body accepted, in bytes. */
  maxJsonBytes: number;
  /** Largest upload accepted (imports), in bytes. */
  maxUploadBytes: number;
  /** A read (GET) that takes longer answers 503 (http/limits.ts). */
  readTimeoutMs: number;
  /** Whether email + password sign-in is offered (PASSWORD_LOGIN=0 leaves single sign-on only). */
  passwordLogin: boolean;
  /** Single sign-on through an OpenID Connect provider; unset = off. */
  oidc?: OidcSettings;
  /** SMTP for scheduled snapshots (SMTP_URL, SMTP_FROM); unset = their runs fail, saying so. */
  mail?: MailSettings;
  /** METRICS_TOKEN: with it, GET /metrics on the API port answers a scraper sending `Authorization: Bearer <token>`; unset = 404 there. */
  metricsToken?: string;
  /** Scheduled snapshot deliveries: attempts in all, the wait before the second (doubling after), how long an attempt's claim holds. */
  delivery: DeliverySettings;
}

export type Readiness = 'migrating' | 'ready';

export interface MailSettings { url: string; from: string }
export interface DeliverySettings { maxAttempts: number; retryBaseMs: number; leaseMs: number }

export const DEFAULT_CONFIG: AppConfig = {
  sessionIdleMinutes: 120,
  sessionMaxHours: 12,
  secureCookies: false,
  corsOrigins: [],
  maxJsonBytes: 256 * 1024,
  maxUploadBytes: 20 * 1024 * 1024,
  readTimeoutMs: 60_000,
  passwordLogin: true,
  delivery: { maxAttempts: 4, retryBaseMs: 60_000, leaseMs: 10 * 60_000 },
};

export interface AppDeps {
  db: Db;
  dialect: Dialect;
  clock: () => Date;
  config: AppConfig;
  /** Read cache keyed by the data version (use for aggregate GETs: `deps.cache.json(c, key, compute)`). */
  cache: ReadCache;
  /** The OpenID Connect client when single sign-on is configured (one per app: it keeps the provider's metadata). */
  oidc?: OidcClient;
  /** Structured logs (pino): the process's stdout logger, silent in tests unless one is given. */
  log: Logger;
  /** This app's Prometheus metrics (GET /metrics); handlers count imports, exports and deliveries here. */
  metrics: Metrics;
  /** 'migrating' until main.ts has run the migrations: /api/v1/ready and the API answer 503 meanwhile. */
  readiness: () => Readiness;
  /** The database's change stamp where it has one (SQLite; see DbHandle.changeStamp). */
  changeStamp?: () => string;
  /**
   * The data version a computation is labelled with, when the request already read it (a cached read; see
   * ReadCache.json and {@link atVersion}). Results shared between endpoints are then keyed by it without
   * asking the database again. Unset: they read it themselves.
   */
  dataVersion?: string;
}

/** `deps` for a computation labelled with a data version the request has already read. */
export function atVersion(deps: AppDeps, dataVersion: string): AppDeps {
  return { ...deps, dataVersion };
}
