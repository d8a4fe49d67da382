/** Next run times of a cadence in its time zone, computed by croner (used as a calculator only: no timers). */
import { cadencePattern, type Cadence } from '@mm/shared';
import { Cron } from 'croner';
import { badRequest } from '../http/problem.ts';

function cronOf(c: Cadence, timeZone: string): Cron {
  // No callback: croner schedules nothing, so every process may compute slots without any of them firing.
  return new Cron(cadencePattern(c), { timezone: timeZone, mode: '5-part' });
}

/** The first slot strictly after `after` (UTC ISO), or null if the cadence never runs again. */
export function nextSlot(c: Cadence, timeZone: string, after: Date): string | null {
  return cronOf(c, timeZone).nextRun(after)?.toISOString() ?? null;
}

/** 400 naming `cadence.cron` when croner cannot read the expression (or it never matches a date). */
export function assertCadence(c: Cadence, timeZone: string, now: Date): void {
  if (c.every !== 'cron') return;
  let next: Date | null;
  try {
    next = cronOf(c, timeZone).nextRun(now);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
    throw badRequest('The cron expression is not valid.', [{ field: 'cadence.cron', reason, value: c.cron }]);
  }
  if (!next) throw badRequest('The cron expression never matches a date.', [{ field: 'cadence.cron', reason: 'matches no future date', value: c.cron }]);
}
