/** Reads the process environment once; every variable is documented in the README. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL } from './db/connect.ts';
import type { DemoScale } from './db/demo.ts';
import { DEFAULT_CONFIG, type AppConfig } from './deps.ts';

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
}

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got "${v}")`);
  return n;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const scale = env.DEMO_SCALE ?? 'demo';
  if (scale !== 'demo' && scale !== 'm') throw new Error(`DEMO_SCALE must be demo or m (got "${scale}")`);
  return {
    port: int('PORT', 8787),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    demo: env.DEMO === '1' || env.DEMO === 'true',
    demoScale: scale,
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 120_000),
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
    },
  };
}
