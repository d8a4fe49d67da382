/**
 * Sign-in rate limits, stored in the database so every server process sees the same counts.
 * Per account: after ACCOUNT_LIMIT failures in the window, wait; the window is short so an attacker
 * cannot lock a real user out for long. Per client: a higher limit across all accounts.
 */
import type { AppDeps } from '../deps.ts';
import { ProblemError } from '../http/problem.ts';
import { num } from '../db/util.ts';

export const ACCOUNT_LIMIT = 5;
export const CLIENT_LIMIT = 30;
export const WINDOW_MINUTES = 5;

export async function checkLoginAllowed(deps: AppDeps, email: string, client: string): Promise<void> {
  const since = new Date(deps.clock().getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const [acct, cli] = await Promise.all([
    deps.db.selectFrom('login_failures').select((eb) => eb.fn.countAll().as('n')).where('email', '=', email).where('at', '>', since).executeTakeFirstOrThrow(),
    deps.db.selectFrom('login_failures').select((eb) => eb.fn.countAll().as('n')).where('client', '=', client).where('at', '>', since).executeTakeFirstOrThrow(),
  ]);
  if (num(acct.n) >= ACCOUNT_LIMIT || num(cli.n) >= CLIENT_LIMIT) {
    throw new ProblemError(429, 'Too many sign-in attempts', `Wait ${WINDOW_MINUTES} minutes before trying again.`, undefined, undefined, { 'Retry-After': String(WINDOW_MINUTES * 60) });
  }
}

export async function recordLoginFailure(deps: AppDeps, email: string, client: string): Promise<void> {
  const now = deps.clock();
  await deps.db.insertInto('login_failures').values({ email, client, at: now.toISOString() }).execute();
  // Keep the table small: old failures no longer count.
  await deps.db.deleteFrom('login_failures').where('at', '<', new Date(now.getTime() - 24 * 3600_000).toISOString()).execute();
}

export async function clearLoginFailures(deps: AppDeps, email: string): Promise<void> {
  await deps.db.deleteFrom('login_failures').where('email', '=', email).execute();
}
