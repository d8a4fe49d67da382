/** Warm load runs through one long-lived load-generator process (lib/load-worker.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LoadJob, LoadResult } from './load-worker.ts';

export class LoadGenerator {
  private readonly child: ChildProcess;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(repoRoot: string) {
    this.child = fork(path.join(repoRoot, 'bench/lib/load-worker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  /** One autocannon run (20 connections); runs one at a time. */
  run(job: LoadJob): Promise<LoadResult> {
    const next = this.queue.then(() => new Promise<LoadResult>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: { ok: boolean; result?: LoadResult; error?: string }) => {
        this.child.off('exit', onExit);
        if (m.ok && m.result) resolve(m.result);
        else reject(new Error(`load generator failed: ${m.error ?? 'no result'}`));
      });
      this.child.send(job);
    }));
    this.queue = next.catch(() => undefined);
    return next;
  }

  stop(): void {
    this.child.kill();
  }
}
