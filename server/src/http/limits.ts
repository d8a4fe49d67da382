/** Time limits on requests, so a stuck query answers 503 instead of holding a client forever. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './endpoint.ts';
import { ProblemError } from './problem.ts';

/**
 * Reads (GET/HEAD) that take longer than `config.readTimeoutMs` answer 503 problem+json. Writes are
 * deliberately not cut short: a write's transaction either commits or not, and the client must learn
 * which, so a write always gets its real answer. (Slow uploads are cut by the HTTP server's
 * requestTimeout, see main.ts.)
 */
export const readTimeout: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
  const ms = c.get('deps').config.readTimeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProblemError(503, 'Timed out', `The server could not answer within ${ms / 1000} s; try again shortly.`, undefined, undefined, { 'Retry-After': '5' })), ms);
  });
  try {
    await Promise.race([next(), expired]);
  } finally {
    clearTimeout(timer);
  }
};
