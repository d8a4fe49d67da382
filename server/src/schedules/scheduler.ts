/**
 * The scheduler of one server process: every tick it claims the due slots (one delivery per slot, whichever
 * process claims it first) and runs the due attempts it can claim. Any number of processes may tick on one
 * PostgreSQL database; the claims in store.ts make each slot run and each attempt go out once. It reads time
 * only from deps.clock, so tests drive it with a fake clock by calling tick().
 */
import type { AppDeps } from '../deps.ts';
import { attemptDelivery } from './deliver.ts';
import { claimDueSlots, dueDeliveries } from './store.ts';
import type { Delivery } from '@mm/shared';

export interface TickResult { claimed: number[]; attempted: Delivery[] }

export class SnapshotScheduler {
  private running: Promise<TickResult> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: AppDeps, private readonly onError: (e: unknown) => void = (e) => console.error('[scheduler]', e)) {}

  /** One pass: claim due slots, then run every due attempt this process wins. A tick already under way is joined, not doubled. */
  tick(): Promise<TickResult> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<TickResult> {
    const claimed = await claimDueSlots(this.deps);
    const attempted: Delivery[] = [];
    for (const id of await dueDeliveries(this.deps)) {
      const d = await attemptDelivery(this.deps, id);
      if (d) attempted.push(d);
    }
    return { claimed, attempted };
  }

  /** Ticks now (a run missed while the server was down goes out once, on start) and then every `ms`. */
  start(ms: number): void {
    const run = () => { this.tick().catch(this.onError); };
    run();
    this.timer = setInterval(run, ms);
  }

  /** Stops ticking and waits for a pass under way (its claim would otherwise hold the attempt until the lease lapses). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
