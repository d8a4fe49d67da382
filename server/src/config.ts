/** Reads the process environment once; every variable is documented in the README. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL } from './db/connect.ts';
import type { DemoScale } from './db/demo.ts';
import { DEFAULT_CONFIG, type AppConfig, type MailSettings } from './deps.ts';
import { isLoopbackHttp, type OidcSettings } from './auth/oidc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');

export interface Env {
  port: number;
  host: string;
  databaseUrl: string;
  demo: boolean;
  demoScale: DemoScale;
  app: AppConfig;
  /** The HTTP server drops a client that has not sent its whole request within this time (408). */
  requestTimeoutMs: number;
  /** How often this process looks for due scheduled snapshots; 0 = never (another process does). */
  schedulerTickMs: number;
  /** pino level of the JSON logs on stdout: trace, debug, info (default; one line per request), warn, error, fatal or silent. */
  logLevel: string;
  /** A second listener serving only GET /metrics (unset = none; then METRICS_TOKEN on the API port). */
  metricsPort?: number;
  metricsHost: string;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got "${v}")`);
  return n;
}

/** OIDC_* variables: all four of issuer, client id and redirect URL set (secret optional), or none. */
function oidcSettings(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const redirectUrl = env.OIDC_REDIRECT_URL?.trim();
  if (!issuer && !clientId && !redirectUrl) return undefined;
  if (!issuer || !clientId || !redirectUrl) throw new Error('Single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URL together');
  for (const [name, v] of [['OIDC_ISSUER', issuer], ['OIDC_REDIRECT_URL', redirectUrl]] as const) {
    let u: URL;
    try { u = new URL(v); } catch { throw new Error(`${name} must be a URL (got "${v}")`); }
    if (u.protocol !== 'https:' && !isLoopbackHttp(v)) throw new Error(`${name} must be an https:// URL (plain http only on 127.0.0.1 or localhost)`);
  }
  const auto = env.OIDC_AUTO_CREATE?.trim() ?? '';
  if (auto !== '' && auto !== 'viewer') throw new Error(`OIDC_AUTO_CREATE must be viewer or empty (got "${auto}")`);
  return { issuer, clientId, clientSecret: env.OIDC_CLIENT_SECRET || undefined, redirectUrl, autoCreate: auto === 'viewer' ? 'viewer' : null, name: env.OIDC_NAME?.trim() || 'single sign-on' };
}

/** SMTP_URL (smtp:// or smtps://, credentials in the URL) and SMTP_FROM, or undefined when SMTP_URL is unset. */
function mailSettings(env: NodeJS.ProcessEnv): MailSettings | undefined {
  const url = env.SMTP_URL?.trim();
  if (!url) return undefined;
  let u: URL;
  try { u = new URL(url); } catch { throw new Error('SMTP_URL must be a URL such as smtp://mail.example.org:587'); }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${u.protocol}//)`);
  return { url, from: env.SMTP_FROM?.trim() || 'Mainstream Monitor <mainstream-monitor@localhost>' };
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const scale = env.DEMO_SCALE ?? 'demo';
  if (scale !== 'demo' && scale !== 'm') throw new Error(`DEMO_SCALE must be demo or m (got "${scale}")`);
  const passwordLogin = !(env.PASSWORD_LOGIN === '0' || env.PASSWORD_LOGIN === 'false');
  const oidc = oidcSettings(env);
  if (!passwordLogin && !oidc) throw new Error('PASSWORD_LOGIN=0 leaves no way to sign in: configure single sign-on (OIDC_ISSUER, …) too');
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters (it is a password for the metrics)');
  const metricsPort = env.METRICS_PORT ? int('METRICS_PORT', 0) : undefined;
  return {
    port: int('PORT', 8787),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    demo: env.DEMO === '1' || env.DEMO === 'true',
    demoScale: scale,
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 120_000),
    schedulerTickMs: int('SCHEDULER_TICK_MS', 30_000),
    logLevel,
    metricsPort,
    metricsHost: env.METRICS_HOST?.trim() || '127.0.0.1',
    app: {
      ...DEFAULT_CONFIG,
      webDist: env.WEB_DIST ?? path.join(REPO_ROOT, 'web/dist'),
      sessionIdleMinutes: int('SESSION_IDLE_MINUTES', DEFAULT_CONFIG.sessionIdleMinutes),
      sessionMaxHours: int('SESSION_MAX_HOURS', DEFAULT_CONFIG.sessionMaxHours),
      secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
      corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      maxJsonBytes: int('MAX_JSON_BYTES', DEFAULT_CONFIG.maxJsonBytes),
      maxUploadBytes: int('MAX_UPLOAD_BYTES', DEFAULT_CONFIG.maxUploadBytes),
      readTimeoutMs: int('READ_TIMEOUT_MS', DEFAULT_CONFIG.readTimeoutMs),
      passwordLogin,
      oidc,
      mail: mailSettings(env),
      metricsToken,
    },
  };
}
