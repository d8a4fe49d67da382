/** The real server process (node --import tsx server/src/main.ts) on a given database, and its memory. */
import fs from 'node:fs';
import { REPO_ROOT, spawnServer, stopServer, waitHealthy } from '../../test/server-process.ts';

export { REPO_ROOT };

export interface ServerProcess {
  base: string;
  pid: number;
  /** What the process printed (for error reports). */
  output(): string;
  memory(): { rssMb: number; hwmMb: number };
  /** Resets the peak-RSS mark (VmHWM) so the next peak is the peak of what follows; false where Linux refuses. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}

/** Starts the server (no demo data unless asked) and waits until /api/v1/health answers 200. */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const child = await spawnServer(databaseUrl, { DEMO: '', ...extraEnv });
  await waitHealthy(child);
  const pid = child.proc.pid;
  if (pid === undefined) throw new Error('server has no pid');
  return {
    base: child.base, pid, output: child.output,
    memory: () => ({ rssMb: statusKb(pid, 'VmRSS') / 1024, hwmMb: statusKb(pid, 'VmHWM') / 1024 }),
    resetPeak: () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop: () => stopServer(child),
  };
}

/** Samples VmRSS every few ms while `work` runs; returns the work's result, its duration and the peak RSS growth. */
export async function withPeakMemory<T>(server: ServerProcess, work: () => Promise<T>): Promise<{ result: T; ms: number; baseMb: number; peakMb: number }> {
  const baseMb = server.memory().rssMb;
  const hwmReset = server.resetPeak();
  let peak = baseMb;
  const timer = setInterval(() => { peak = Math.max(peak, server.memory().rssMb); }, 10);
  const t0 = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - t0;
    const m = server.memory();
    // VmHWM (reset above) catches a peak between two samples.
    peak = Math.max(peak, m.rssMb, hwmReset ? m.hwmMb : 0);
    return { result, ms, baseMb, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}
