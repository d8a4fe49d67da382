/** The real server process (node --import tsx server/src/main.ts) on a given database, and its memory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPO_ROOT, spawnServer, stopServer, waitHealthy } from '../../test/server-process.ts';

export { REPO_ROOT };

export interface ServerProcess {
  base: string;
  pid: number;
  /** What the process printed on stderr (for error reports); its JSON request log goes to `logFile`. */
  output(): string;
  /** With logging and metrics on (the default): the request log and the metrics listener. */
  logFile?: string;
  metricsUrl?: string;
  memory(): { rssMb: number; hwmMb: number };
  /** Resets the peak-RSS mark (VmHWM) so the next peak is the peak of what follows; false where Linux refuses. */
  resetPeak(): boolean;
  /** Stops it and removes its log, saying how much it had written (lines and bytes of the request log). */
  stop(): Promise<{ logLines: number; logBytes: number }>;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m?.[1] ? Number(m[1]) : 0;
}

/**
 * Starts the server (no demo data unless asked) and waits until /api/v1/ready answers 200. It runs as deployed:
 * a JSON log line per request (LOG_LEVEL=info, to a temp file) and Prometheus metrics on a port of their own;
 * `observe: false` turns both off (LOG_LEVEL=silent, no metrics listener) to measure what they cost.
 */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}, { observe = true }: { observe?: boolean } = {}): Promise<ServerProcess> {
  let logFile: string | undefined;
  let metricsUrl: string | undefined;
  const env: Record<string, string> = { DEMO: '', LOG_LEVEL: 'silent' };
  if (observe) {
    logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bench-log-')), 'server.log');
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    Object.assign(env, { LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort) });
  }
  const child = await spawnServer(databaseUrl, { ...env, ...extraEnv }, { logFile });
  await waitHealthy(child);
  const pid = child.proc.pid;
  if (pid === undefined) throw new Error('server has no pid');
  return {
    base: child.base, pid, output: child.output, logFile, metricsUrl,
    memory: () => ({ rssMb: statusKb(pid, 'VmRSS') / 1024, hwmMb: statusKb(pid, 'VmHWM') / 1024 }),
    resetPeak: () => {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop: async () => {
      await stopServer(child);
      if (!logFile || !fs.existsSync(logFile)) return { logLines: 0, logBytes: 0 };
      const text = fs.readFileSync(logFile, 'utf8');
      fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
      return { logLines: text.split('\n').filter(Boolean).length, logBytes: text.length };
    },
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
